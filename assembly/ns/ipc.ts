// IPC namespaces (ipc/namespace.c). SysV IPC objects and POSIX message queues live here (R95); the model keeps none.

import { Ns, createNs } from "./common";
import { NS_IPC } from "../flags";
import { Cred, nsCapable } from "../cred";
import { EPERM } from "../errno";
import { fail } from "../result";
import { W_NS_INSTALL_CAPABLE } from "../why";
import { NsSet } from "../nsproxy";

/** copy_ipc* with the flag set: a new namespace owned by userNs, charged to euid. */
export function copyIPCNs(userNs: Ns, euid: u32): Ns | null {
  return createNs(NS_IPC, userNs, euid);
}

/** ipcns_install(): CAP_SYS_ADMIN over the namespace's owner and in the (new) own user namespace (R50). */
export function ipcnsInstall(cur: Cred, nsset: NsSet, ns: Ns): i32 {
  if (!nsCapable(cur, ns.owner!) || !nsCapable(cur, nsset.cred.userNs)) return fail(EPERM, W_NS_INSTALL_CAPABLE);
  nsset.nsproxy.setIPC(ns);
  return 0;
}
