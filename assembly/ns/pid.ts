// PID namespaces (kernel/pid_namespace.c, kernel/pid.c): nesting, PID allocation as
// alloc_pid() does it, joining, and the parent as NS_GET_PARENT sees it.

import { Ns, createNs, getNs, setNsErr } from "./common";
import { NS_PID } from "../flags";
import { Cred, inUserns, nsCapable } from "../cred";
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

/** copy_pid_ns(): a new PID namespace only while pid_for_children is the active one (R24). */
export function copyPidNs(cur: Cred, active: Ns, userNs: Ns, euid: u32, oldForChildren: Ns): Ns | null {
  if (active !== oldForChildren) { setNsErr(fail(EINVAL, W_COPY_PID_NS)); return null; }
  return createPidNamespace(userNs, euid, oldForChildren);
}

/**
 * create_pid_namespace(): the creator's user namespace must be (below) the owner of the parent
 * (EINVAL, R64); at most MAX_PID_NS_LEVEL levels (ENOSPC, R60); then the ucount (R98).
 */
function createPidNamespace(userNs: Ns, euid: u32, parent: Ns): Ns | null {
  if (!inUserns(parent.owner!, userNs)) { setNsErr(fail(EINVAL, W_PIDNS_USERNS)); return null; }
  const level = parent.level + 1;
  if (level + TRACE_PID_NS_LEVEL > MAX_PID_NS_LEVEL) { setNsErr(fail(ENOSPC, W_PIDNS_LEVEL)); return null; }
  const ns = createNs(NS_PID, userNs, euid);
  if (!ns) return null;
  ns.parent = getNs(parent);
  ns.level = level;
  return ns;
}

/** pidns_is_ancestor(): is `ancestor` on the way up from `child` (or the same)? */
export function pidnsIsAncestor(child: Ns, ancestor: Ns): bool {
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
export function pidnsInstall(cur: Cred, active: Ns, nsset: NsSet, ns: Ns): i32 {
  if (!nsCapable(cur, ns.owner!) || !nsCapable(cur, nsset.cred.userNs)) return fail(EPERM, W_PIDNS_INSTALL_CAPABLE);
  // explore mutation check (issue 10): a build with --use NSMODEL_MUTANT_NO_PIDNS_ANCESTOR=1 skips this check; never the shipped wasm
  if (!isDefined(NSMODEL_MUTANT_NO_PIDNS_ANCESTOR) && !pidnsIsAncestor(ns, active)) return fail(EINVAL, W_PIDNS_INSTALL_ANCESTOR);
  nsset.nsproxy.setPidForChildren(ns);
  return 0;
}

/** pidns_get_parent(): the parent, if the caller's active PID namespace is on its way up (R79). */
export function pidnsGetParent(active: Ns, ns: Ns): Ns | null {
  const parent = ns.parent;
  if (parent && pidnsIsAncestor(parent, active)) return parent;
  setNsErr(fail(EPERM, W_PIDNS_GET_PARENT));
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
export function allocPid(ns: Ns, out: Array<i32>): i32 {
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
export function freePid(ns: Ns): void {
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
export function pidNrNs(nspid: Array<i32>, pidNs: Ns, ns: Ns): i32 {
  if (ns.level > pidNs.level) return 0;
  if (pidNsAtLevel(pidNs, ns.level) !== ns) return 0;
  return unchecked(nspid[ns.level]);
}
