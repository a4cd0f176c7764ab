// The table of namespace types (fs/proc/namespaces.c ns_entries[], kernel/nsproxy.c): each
// type's ops record (assembly/ns/<type>.ts), numbered. Everything that goes over every type —
// create_new_namespaces(), validate_nsset(), an nsproxy's references, /proc/<pid>/ns, the
// snapshot — iterates over this table. A new type is a new file in ns/ and its lines here.
//
// To read a task's namespaces by type (as the snapshot does):
//   for (let type = 0; type < NS_TYPES; type++) nsOfType(t, type)   // the /proc/<pid>/ns/<name> one
//   for (let f = 0; f < NS_FILES; f++) nsOfFile(t, f)               // every file, *_for_children too
// and an nsproxy's own slots by type: nsp.of(type) (pid and time: the *_for_children ones).

import { Ns } from "./common";
import { IN_CRED, IN_NSPROXY_TIME, IN_PID, NsOps } from "./ops";
import { Task } from "../task";
import { cgroupns_operations } from "./cgroup";
import { ipcns_operations } from "./ipc";
import { mntns_operations } from "./mnt";
import { netns_operations } from "./net";
import { pidns_for_children_operations, pidns_operations } from "./pid";
import { timens_for_children_operations, timens_operations } from "./time";
import { userns_operations } from "./user";
import { utsns_operations } from "./uts";
import {
  CLONE_NEWCGROUP, CLONE_NEWIPC, CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWTIME, CLONE_NEWUSER, CLONE_NEWUTS,
} from "../flags";

// Namespace types, alphabetical (the snapshot's order, src/trace/types.ts NS_TYPES).
export const NS_CGROUP: i32 = 0;
export const NS_IPC: i32 = 1;
export const NS_MNT: i32 = 2;
export const NS_NET: i32 = 3;
export const NS_PID: i32 = 4;
export const NS_TIME: i32 = 5;
export const NS_USER: i32 = 6;
export const NS_UTS: i32 = 7;
export const NS_TYPES: i32 = 8;

// Namespace files of /proc/<pid>/ns, in TRACE.md's order (src/trace/types.ts NS_FILES).
export const F_CGROUP: i32 = 0;
export const F_IPC: i32 = 1;
export const F_MNT: i32 = 2;
export const F_NET: i32 = 3;
export const F_PID: i32 = 4;
export const F_PID_FOR_CHILDREN: i32 = 5;
export const F_TIME: i32 = 6;
export const F_TIME_FOR_CHILDREN: i32 = 7;
export const F_USER: i32 = 8;
export const F_UTS: i32 = 9;
export const NS_FILES: i32 = 10;

/** Every CLONE_NEW* flag. */
export const CLONE_NEW_ANY: u32 = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET |
  CLONE_NEWPID | CLONE_NEWCGROUP | CLONE_NEWTIME | CLONE_NEWUSER;
/** The CLONE_NEW* flags kept in an nsproxy (all but user). */
export const CLONE_NEW_NSPROXY: u32 = CLONE_NEW_ANY & ~CLONE_NEWUSER;

/** The ops of each type, by type index. */
export let nsOps = new StaticArray<NsOps>(0);
/** The ops of each /proc/<pid>/ns file, by file index (pid_for_children, time_for_children have their own). */
export let nsFileOps = new StaticArray<NsOps>(0);
/**
 * The types in the kernel's order: validate_nsset() installs them in this order (R43) and
 * create_new_namespaces() makes them in it, user excepted (R29).
 */
export let nsKernelOrder = new StaticArray<NsOps>(0);

/**
 * The order in which createWorld() makes the initial namespaces: their raw ids (the snapshot's
 * keys) have always been these, user first.
 */
export let nsInitialOrder = new StaticArray<NsOps>(0);

/** Make the table (again: start() empties the heap, the records with it). */
export function resetNsOps(): void {
  const ops = new StaticArray<NsOps>(NS_TYPES);
  ops[NS_CGROUP] = cgroupns_operations();
  ops[NS_IPC] = ipcns_operations();
  ops[NS_MNT] = mntns_operations();
  ops[NS_NET] = netns_operations();
  ops[NS_PID] = pidns_operations();
  ops[NS_TIME] = timens_operations();
  ops[NS_USER] = userns_operations();
  ops[NS_UTS] = utsns_operations();
  nsOps = ops;
  const files = new StaticArray<NsOps>(NS_FILES);
  for (let type = 0; type < NS_TYPES; type++) files[ops[type].procFile] = ops[type];
  files[F_PID_FOR_CHILDREN] = pidns_for_children_operations();
  files[F_TIME_FOR_CHILDREN] = timens_for_children_operations();
  nsFileOps = files;
  nsKernelOrder = inOrder(ops, KERNEL_ORDER);
  nsInitialOrder = inOrder(ops, INITIAL_ORDER);
}

// The types of nsKernelOrder and nsInitialOrder (their comments say why these orders).
const KERNEL_ORDER: StaticArray<i32> = [NS_USER, NS_MNT, NS_UTS, NS_IPC, NS_PID, NS_CGROUP, NS_NET, NS_TIME];
const INITIAL_ORDER: StaticArray<i32> = [NS_USER, NS_MNT, NS_UTS, NS_IPC, NS_NET, NS_CGROUP, NS_PID, NS_TIME];

/** The ops of `types`, in their order. */
function inOrder(ops: StaticArray<NsOps>, types: StaticArray<i32>): StaticArray<NsOps> {
  const out = new StaticArray<NsOps>(types.length);
  for (let i = 0; i < types.length; i++) out[i] = ops[types[i]];
  return out;
}

/** The ops of a type. */
// @ts-ignore: decorator
@inline export function opsOf(type: i32): NsOps {
  return unchecked(nsOps[type]);
}

/** ops->get(): the namespace the file of `ops` shows of the task, or null when the kernel will not give it (R8, R9). */
// @ts-ignore: decorator
@inline function nsGet(t: Task, ops: NsOps): Ns | null {
  const where = ops.get;
  if (where == IN_PID) return t.pidNs;
  if (where == IN_CRED) return t.cred.userNs;
  const nsp = t.nsproxy;
  if (!nsp) return null;
  if (where == IN_NSPROXY_TIME) return nsp.time;
  const ns = nsp.of(ops.type);
  return ops.untilInit && ns.childReaper < 0 ? null : ns;
}

/** The namespace behind /proc/<pid>/ns/<file> (ops->get), null when the kernel will not give it (R8, R9). */
export function nsOfFile(t: Task, file: i32): Ns | null {
  return nsGet(t, unchecked(nsFileOps[file]));
}

/** The task's namespace of a type, as /proc/<pid>/ns/<its name> shows it (the active pid and time ones). */
export function nsOfType(t: Task, type: i32): Ns | null {
  return nsGet(t, unchecked(nsOps[type]));
}

/** The namespace type's kernel name (ops->name). */
export function nsTypeName(type: i32): string {
  return opsOf(type).name;
}

/** The CLONE_NEW* flag of a namespace type (ops->type). */
export function nsTypeFlag(type: i32): u32 {
  return opsOf(type).flag;
}

/** The inode number of the type's initial namespace (R4). */
export function initialInum(type: i32): u32 {
  return opsOf(type).initialInum;
}
