// PID namespaces (kernel/pid_namespace.c, kernel/pid.c): nesting, PID allocation as
// alloc_pid() does it, joining, and the parent as NS_GET_PARENT sees it.

import { Ns, createNs, getNs } from "./common";
import { NsOps, IN_NSPROXY, IN_PID, nsOwner } from "./ops";
import { F_PID, F_PID_FOR_CHILDREN, NS_PID } from "./table";
import { CLONE_NEWPID } from "../flags";
import { CAP_SYS_ADMIN, Cred, in_userns, ns_capable } from "../cred";
import { Task } from "../task";
import { EINVAL, ENOMEM, ENOSPC, EPERM } from "../errno";
import { fail } from "../result";
import {
  W_ALLOC_PID, W_COPY_PID_NS, W_PIDNS_GET_PARENT, W_PIDNS_INSTALL_ANCESTOR, W_PIDNS_INSTALL_CAPABLE,
  W_PIDNS_LEVEL, W_PIDNS_USERNS,
} from "../why";
import { NsSet } from "../nsproxy";

/**
 * MAX_PID_NS_LEVEL counts from the machine's PID namespace; the trace's initial one is one
 * level below it (the kernel backend's sandbox), so 31 may nest below the trace's (TRACE.md).
 */
export const MAX_PID_NS_LEVEL: i32 = 32;
export const TRACE_PID_NS_LEVEL: i32 = 1;

/** pidns_operations: /proc/<pid>/ns/pid, the active PID namespace (pidns_get: in the struct pid). */
export function pidns_operations(): NsOps {
  return new NsOps(NS_PID, "pid", CLONE_NEWPID, F_PID, 0xEFFFFFFC, IN_PID, copy_pid_ns, pidns_install, nsOwner,
    pidns_get_parent);
}

/**
 * pidns_for_children_operations: /proc/<pid>/ns/pid_for_children (pidns_for_children_get:
 * the nsproxy's, once the new namespace has its init, R9).
 */
export function pidns_for_children_operations(): NsOps {
  const ops = new NsOps(NS_PID, "pid_for_children", CLONE_NEWPID, F_PID_FOR_CHILDREN, 0xEFFFFFFC, IN_NSPROXY,
    copy_pid_ns, pidns_install, nsOwner, pidns_get_parent);
  ops.untilInit = true;
  return ops;
}

/** copy_pid_ns(): a new PID namespace only while pid_for_children is the active one (R24). */
function copy_pid_ns(oldForChildren: Ns, cur: Cred, active: Ns, userNs: Ns, euid: u32): Ns | null {
  if (active !== oldForChildren) { fail(EINVAL, W_COPY_PID_NS); return null; }
  return create_pid_namespace(userNs, euid, oldForChildren);
}

/**
 * create_pid_namespace(): the creator's user namespace must be (below) the owner of the parent
 * (EINVAL, R64); at most MAX_PID_NS_LEVEL levels (ENOSPC, R60); then the ucount (R98).
 */
function create_pid_namespace(userNs: Ns, euid: u32, parent: Ns): Ns | null {
  if (!in_userns(parent.owner!, userNs)) { fail(EINVAL, W_PIDNS_USERNS); return null; }
  const level = parent.level + 1;
  if (level + TRACE_PID_NS_LEVEL > MAX_PID_NS_LEVEL) { fail(ENOSPC, W_PIDNS_LEVEL); return null; }
  const ns = createNs(NS_PID, userNs, euid);
  if (!ns) return null;
  ns.parent = getNs(parent);
  ns.level = level;
  return ns;
}

/** pidns_is_ancestor(): is `ancestor` on the way up from `child` (or the same)? */
export function pidns_is_ancestor(child: Ns, ancestor: Ns): bool {
  if (child.level < ancestor.level) return false;
  let ns: Ns = child;
  while (ns.level > ancestor.level) ns = ns.parent!;
  return ns === ancestor;
}

/**
 * pidns_install(): CAP_SYS_ADMIN over the namespace's owner and in the (new) own user
 * namespace (EPERM); only the active PID namespace or one below it (EINVAL). Changes only
 * pid_for_children (R51); rejoining one's own resets it (R46).
 */
function pidns_install(t: Task, nsset: NsSet, ns: Ns): i32 {
  const cur = t.cred;
  const active = t.pidNs!;
  if (!ns_capable(cur, ns.owner!, CAP_SYS_ADMIN) || !ns_capable(cur, nsset.cred.userNs, CAP_SYS_ADMIN)) return fail(EPERM, W_PIDNS_INSTALL_CAPABLE);
  // explore mutation check (issue 10): a build with --use NSMODEL_MUTANT_NO_PIDNS_ANCESTOR=1 skips this check; never the shipped wasm
  if (!isDefined(NSMODEL_MUTANT_NO_PIDNS_ANCESTOR) && !pidns_is_ancestor(ns, active)) return fail(EINVAL, W_PIDNS_INSTALL_ANCESTOR);
  nsset.nsproxy.set(NS_PID, ns);
  return 0;
}

/** pidns_get_parent(): the parent, if the caller's active PID namespace is on its way up (R79). */
function pidns_get_parent(t: Task, ns: Ns): Ns | null {
  const parent = ns.parent;
  if (parent && pidns_is_ancestor(parent, t.pidNs!)) return parent;
  fail(EPERM, W_PIDNS_GET_PARENT);
  return null;
}

/** The PID namespace at `level` on the way up from ns. */
export function pidNsAtLevel(ns: Ns, level: i32): Ns {
  let p: Ns = ns;
  while (p.level > level) p = p.parent!;
  return p;
}

/**
 * alloc_pid(): a number in every level from the innermost outward, counting up from the last
 * one given; only then the check that the innermost namespace still takes processes —
 * a failed allocation leaves the counters moved on (R103, R57). Fills `out` (index = level).
 */
export function alloc_pid(ns: Ns, out: Array<i32>): i32 {
  const levels = ns.level + 1;
  out.length = levels;
  let p: Ns = ns;
  for (let i = ns.level; i >= 0; i--) {
    p.lastPid = p.lastPid + 1;
    unchecked(out[i] = p.lastPid);
    if (i > 0) p = p.parent!;
  }
  if (!ns.adding) return fail(ENOMEM, W_ALLOC_PID);
  p = ns;
  for (let i = ns.level; i >= 0; i--) {
    p.pidAllocated++;
    if (i > 0) p = p.parent!;
  }
  return 0;
}

/** free_pid(): the numbers are no longer in use. */
export function free_pid(ns: Ns): void {
  let p: Ns | null = ns;
  while (p) {
    p.pidAllocated--;
    p = p.parent;
  }
}

/**
 * pid_nr_ns(): the PID of a process (its nspid, index = level) as PID namespace `ns` sees it;
 * 0 when ns is not on the process's way up (R63).
 */
export function pid_nr_ns(nspid: Array<i32>, pidNs: Ns, ns: Ns): i32 {
  if (ns.level > pidNs.level) return 0;
  if (pidNsAtLevel(pidNs, ns.level) !== ns) return 0;
  return unchecked(nspid[ns.level]);
}
