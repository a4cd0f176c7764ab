// cgroup namespaces (kernel/cgroup/namespace.c). The root of a new one is the creator's
// cgroup at creation (R96); the model keeps no cgroups.

import { Ns, createNs, setNsErr } from "./common";
import { NS_CGROUP } from "../flags";
import { Cred, nsCapable } from "../cred";
import { EPERM } from "../errno";
import { fail } from "../result";
import { W_COPY_NS_CAPABLE, W_NS_INSTALL_CAPABLE } from "../why";
import { NsSet } from "../nsproxy";

/** copy_cgroup_ns(): checks CAP_SYS_ADMIN again (always true after copy_namespaces' check). */
export function copyCgroupNs(cur: Cred, userNs: Ns, euid: u32): Ns | null {
  if (!nsCapable(cur, userNs)) { setNsErr(fail(EPERM, W_COPY_NS_CAPABLE)); return null; }
  return createNs(NS_CGROUP, userNs, euid);
}

/** cgroupns_install(): the (new) own user namespace first, then the owner (R50). */
export function cgroupnsInstall(cur: Cred, nsset: NsSet, ns: Ns): i32 {
  if (!nsCapable(cur, nsset.cred.userNs) || !nsCapable(cur, ns.owner!)) return fail(EPERM, W_NS_INSTALL_CAPABLE);
  nsset.nsproxy.setCgroup(ns);
  return 0;
}
