// struct proc_ns_operations (include/linux/proc_ns.h): what every namespace type answers.
// Each assembly/ns/<type>.ts makes one record (and pid and time one more each for their
// *_for_children file, as the kernel's pidns_for_children_operations and
// timens_for_children_operations); assembly/ns/table.ts numbers them. Code outside ns/ asks
// the table, never a type by name, for what every type does.

import { Ns } from "./common";
import { Cred } from "../cred";
import { Task } from "../task";
import { NsSet } from "../nsproxy";

/** ops->get(): the namespace of the task this file shows, or null (the task dropped it, R8). */
export type NsGet = (t: Task) => Ns | null;
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
  get: NsGet;
  /** null for user namespaces: they are made with the cred (create_user_ns), not in an nsproxy. */
  copy: NsCopy | null;
  install: NsInstall;
  owner: NsOwner;
  /** null where NS_GET_PARENT is EINVAL (all but pid and user, R77). */
  getParent: NsGetParent | null;

  constructor(type: i32, name: string, flag: u32, procFile: i32, initialInum: u32, get: NsGet, copy: NsCopy | null,
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
