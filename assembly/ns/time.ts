// Time namespaces (kernel/time/namespace.c). A new one is the caller's time_for_children
// (R26) and inherits its offsets (R89); it is entered by children, at exec, or by setns
// (R90). Not hierarchical (R91).

import { Ns, createNs } from "./common";
import { NS_TIME } from "../flags";
import { Cred, nsCapable } from "../cred";
import { EPERM, EUSERS } from "../errno";
import { fail } from "../result";
import { W_TIMENS_INSTALL_CAPABLE, W_TIMENS_INSTALL_THREADS } from "../why";
import { NsSet } from "../nsproxy";

/** clone_time_ns() with CLONE_NEWTIME. */
export function copyTimeNs(userNs: Ns, euid: u32): Ns | null {
  return createNs(NS_TIME, userNs, euid);
}

/**
 * timens_install(): a multithreaded caller gets EUSERS, before anything else, even for its
 * own namespace; then CAP_SYS_ADMIN over the owner and in the (new) own user namespace.
 * Both time and time_for_children change (R52).
 */
export function timensInstall(cur: Cred, nsset: NsSet, ns: Ns, singleThreaded: bool): i32 {
  if (!singleThreaded) return fail(EUSERS, W_TIMENS_INSTALL_THREADS);
  if (!nsCapable(cur, ns.owner!) || !nsCapable(cur, nsset.cred.userNs)) return fail(EPERM, W_TIMENS_INSTALL_CAPABLE);
  nsset.nsproxy.setTime(ns);
  nsset.nsproxy.setTimeForChildren(ns);
  return 0;
}
