// NET namespaces (net/core/net_namespace.c). A new one holds only a loopback device that is down (R94); the model keeps no devices.

import { Ns, createNs } from "./common";
import { NsOps, IN_NSPROXY, nsOwner } from "./ops";
import { F_NET, NS_NET } from "./table";
import { CLONE_NEWNET } from "../flags";
import { CAP_SYS_ADMIN, Cred, ns_capable } from "../cred";
import { Task } from "../task";
import { EPERM } from "../errno";
import { fail } from "../result";
import { W_NS_INSTALL_CAPABLE } from "../why";
import { NsSet } from "../nsproxy";

/** netns_operations */
export function netns_operations(): NsOps {
  return new NsOps(NS_NET, "net", CLONE_NEWNET, F_NET, 0xEFFFFFF9, IN_NSPROXY, copy_net_ns, netns_install, nsOwner, null);
}

/** copy_net_ns() with CLONE_NEWNET: a new namespace owned by userNs, charged to euid. */
function copy_net_ns(old: Ns, cur: Cred, active: Ns, userNs: Ns, euid: u32): Ns | null {
  return createNs(NS_NET, userNs, euid);
}

/** netns_install(): CAP_SYS_ADMIN over the namespace's owner and in the (new) own user namespace (R50). */
function netns_install(t: Task, nsset: NsSet, ns: Ns): i32 {
  const cur = t.cred;
  if (!ns_capable(cur, ns.owner!, CAP_SYS_ADMIN) || !ns_capable(cur, nsset.cred.userNs, CAP_SYS_ADMIN)) return fail(EPERM, W_NS_INSTALL_CAPABLE);
  nsset.nsproxy.set(NS_NET, ns);
  return 0;
}
