// NET namespaces (net/core/net_namespace.c). A new one holds only a loopback device that is down (R94); the model keeps no devices.

import { Ns, createNs } from "./common";
import { NS_NET } from "../flags";
import { Cred, nsCapable } from "../cred";
import { EPERM } from "../errno";
import { fail } from "../result";
import { W_NS_INSTALL_CAPABLE } from "../why";
import { NsSet } from "../nsproxy";

/** copy_net* with the flag set: a new namespace owned by userNs, charged to euid. */
export function copyNETNs(userNs: Ns, euid: u32): Ns | null {
  return createNs(NS_NET, userNs, euid);
}

/** netns_install(): CAP_SYS_ADMIN over the namespace's owner and in the (new) own user namespace (R50). */
export function netnsInstall(cur: Cred, nsset: NsSet, ns: Ns): i32 {
  if (!nsCapable(cur, ns.owner!) || !nsCapable(cur, nsset.cred.userNs)) return fail(EPERM, W_NS_INSTALL_CAPABLE);
  nsset.nsproxy.setNET(ns);
  return 0;
}
