// cgroup namespaces (kernel/cgroup/namespace.c). The root of a new one is the creator's
// cgroup at creation (R96); the model keeps no cgroups.

import { Ns, createNs } from "./common";
import { NsOps, IN_NSPROXY, nsOwner } from "./ops";
import { F_CGROUP, NS_CGROUP } from "./table";
import { CLONE_NEWCGROUP } from "../flags";
import { CAP_SYS_ADMIN, Cred, ns_capable } from "../cred";
import { Task } from "../task";
import { EPERM } from "../errno";
import { fail } from "../result";
import { W_COPY_NS_CAPABLE, W_NS_INSTALL_CAPABLE } from "../why";
import { NsSet } from "../nsproxy";

/** cgroupns_operations */
export function cgroupns_operations(): NsOps {
  return new NsOps(NS_CGROUP, "cgroup", CLONE_NEWCGROUP, F_CGROUP, 0xEFFFFFFB, IN_NSPROXY, copy_cgroup_ns,
    cgroupns_install, nsOwner, null);
}

/** copy_cgroup_ns(): checks CAP_SYS_ADMIN again (always true after copy_namespaces' check). */
function copy_cgroup_ns(old: Ns, cur: Cred, active: Ns, userNs: Ns, euid: u32): Ns | null {
  if (!ns_capable(cur, userNs, CAP_SYS_ADMIN)) { fail(EPERM, W_COPY_NS_CAPABLE); return null; }
  return createNs(NS_CGROUP, userNs, euid);
}

/** cgroupns_install(): the (new) own user namespace first, then the owner (R50). */
function cgroupns_install(t: Task, nsset: NsSet, ns: Ns): i32 {
  const cur = t.cred;
  if (!ns_capable(cur, nsset.cred.userNs, CAP_SYS_ADMIN) || !ns_capable(cur, ns.owner!, CAP_SYS_ADMIN)) return fail(EPERM, W_NS_INSTALL_CAPABLE);
  nsset.nsproxy.set(NS_CGROUP, ns);
  return 0;
}
