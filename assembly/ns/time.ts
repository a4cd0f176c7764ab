// Time namespaces (kernel/time/namespace.c). A new one is the caller's time_for_children
// (R26) and inherits its offsets (R89); it is entered by children, at exec, or by setns
// (R90). Not hierarchical (R91).

import { Ns, createNs } from "./common";
import { NsOps, IN_NSPROXY, IN_NSPROXY_TIME, nsOwner } from "./ops";
import { F_TIME, F_TIME_FOR_CHILDREN, NS_TIME } from "./table";
import { CLONE_NEWTIME } from "../flags";
import { CAP_SYS_ADMIN, Cred, ns_capable } from "../cred";
import { Task } from "../task";
import { EPERM, EUSERS } from "../errno";
import { fail } from "../result";
import { W_TIMENS_INSTALL_CAPABLE, W_TIMENS_INSTALL_THREADS } from "../why";
import { NsSet } from "../nsproxy";

/** timens_operations: /proc/<pid>/ns/time, the time namespace in use (time_ns). */
export function timens_operations(): NsOps {
  return new NsOps(NS_TIME, "time", CLONE_NEWTIME, F_TIME, 0xEFFFFFFA, IN_NSPROXY_TIME, copy_time_ns, timens_install, nsOwner, null);
}

/** timens_for_children_operations: /proc/<pid>/ns/time_for_children (time_ns_for_children). */
export function timens_for_children_operations(): NsOps {
  return new NsOps(NS_TIME, "time_for_children", CLONE_NEWTIME, F_TIME_FOR_CHILDREN, 0xEFFFFFFA, IN_NSPROXY,
    copy_time_ns, timens_install, nsOwner, null);
}

/** copy_time_ns() with CLONE_NEWTIME (clone_time_ns): the new time_for_children. */
function copy_time_ns(old: Ns, cur: Cred, active: Ns, userNs: Ns, euid: u32): Ns | null {
  return createNs(NS_TIME, userNs, euid);
}

/**
 * timens_install(): a multithreaded caller gets EUSERS, before anything else, even for its
 * own namespace; then CAP_SYS_ADMIN over the owner and in the (new) own user namespace.
 * Both time and time_for_children change (R52).
 */
function timens_install(t: Task, nsset: NsSet, ns: Ns): i32 {
  const cur = t.cred;
  if (t.threads.length != 0) return fail(EUSERS, W_TIMENS_INSTALL_THREADS);
  if (!ns_capable(cur, ns.owner!, CAP_SYS_ADMIN) || !ns_capable(cur, nsset.cred.userNs, CAP_SYS_ADMIN)) return fail(EPERM, W_TIMENS_INSTALL_CAPABLE);
  nsset.nsproxy.setTime(ns);
  nsset.nsproxy.set(NS_TIME, ns);
  return 0;
}
