// struct proc_ns_operations (include/linux/proc_ns.h): what every namespace type answers.
// Each assembly/ns/<type>.ts makes one record (and pid and time one more each for their
// *_for_children file, as the kernel's pidns_for_children_operations and
// timens_for_children_operations); assembly/ns/table.ts numbers them. Code outside ns/ asks
// the table, never a type by name, for what every type does.

import { Ns } from "./common";
import { Cred } from "../cred";
import { Task } from "../task";
import { NsSet } from "../nsproxy";

// ops->get(), as data: where a task keeps the namespace a /proc/<pid>/ns file shows
// (table.ts nsOfFile() reads it there; data rather than a function, since every snapshot
// reads every file of every process).
/** In its nsproxy, by type (nsp.of(type)): while the task has an nsproxy (a zombie has none, R8). */
export const IN_NSPROXY: i32 = 0;
/** In its nsproxy's time_ns (nsp.time): the time namespace in use. */
export const IN_NSPROXY_TIME: i32 = 1;
/** In its struct pid: the active PID namespace (a zombie keeps it, R8). */
export const IN_PID: i32 = 2;
/** In its cred: the user namespace (a zombie keeps it, R8). */
export const IN_CRED: i32 = 3;
/**
 * The type's copy function in create_new_namespaces() (copy_mnt_ns, copy_utsname, ...): a new
 * namespace made from `old` (the nsproxy's one of the type), owned by userNs and charged to
 * euid; `active` is the caller's active PID namespace. Null after fail() recorded the error.
 */
export type NsCopy = (old: Ns, cur: Cred, active: Ns, userNs: Ns, euid: u32) => Ns | null;
/** ops->install(): the type's checks for setns(2), then the change of nsset; 0 or -errno (fail()). */
export type NsInstall = (t: Task, nsset: NsSet, ns: Ns) => i32;
/** ops->owner(): the owning user namespace. */
export type NsOwner = (ns: Ns) => Ns | null;
/** ops->get_parent(): the parent as the calling task may see it; null after fail() recorded the error. */
export type NsGetParent = (t: Task, ns: Ns) => Ns | null;

export class NsOps {
  /** The model's type index (assembly/ns/table.ts NS_*): the snapshot's type number. */
  type: i32;
  /** The file name in /proc/<pid>/ns (ops->name). */
  name: string;
  /** The CLONE_NEW* flag (ops->type). */
  flag: u32;
  /** The /proc/<pid>/ns file index (table.ts F_*). */
  procFile: i32;
  /** The inode number of the initial namespace (include/uapi/linux/nsfs.h, R4). */
  initialInum: u32;
  /** ops->get(): where the task keeps it (IN_*). */
  get: i32;
  /** ops->get() gives nothing until the namespace has its init (IN_NSPROXY, R9). */
  untilInit: bool = false;
  /** null for user namespaces: they are made with the cred (create_user_ns), not in an nsproxy. */
  copy: NsCopy | null;
  install: NsInstall;
  owner: NsOwner;
  /** null where NS_GET_PARENT is EINVAL (all but pid and user, R77). */
  getParent: NsGetParent | null;

  constructor(type: i32, name: string, flag: u32, procFile: i32, initialInum: u32, get: i32, copy: NsCopy | null,
    install: NsInstall, owner: NsOwner, getParent: NsGetParent | null) {
    this.type = type;
    this.name = name;
    this.flag = flag;
    this.procFile = procFile;
    this.initialInum = initialInum;
    this.get = get;
    this.copy = copy;
    this.install = install;
    this.owner = owner;
    this.getParent = getParent;
  }
}

/** The ops->owner() of every type: the user namespace that owns it (for a user namespace, its parent). */
export function nsOwner(ns: Ns): Ns | null {
  return ns.owner;
}
