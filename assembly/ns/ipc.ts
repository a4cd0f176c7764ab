// IPC namespaces (ipc/namespace.c). SysV IPC objects and POSIX message queues live here (R95); the model keeps none.

import { Ns, createNs } from "./common";
import { NsOps, IN_NSPROXY, nsOwner } from "./ops";
import { F_IPC, NS_IPC } from "./table";
import { CLONE_NEWIPC } from "../flags";
import { CAP_SYS_ADMIN, Cred, ns_capable } from "../cred";
import { Task } from "../task";
import { EPERM } from "../errno";
import { fail } from "../result";
import { W_NS_INSTALL_CAPABLE } from "../why";
import { NsSet } from "../nsproxy";

/** ipcns_operations */
export function ipcns_operations(): NsOps {
  return new NsOps(NS_IPC, "ipc", CLONE_NEWIPC, F_IPC, 0xEFFFFFFF, IN_NSPROXY, copy_ipcs, ipcns_install, nsOwner, null);
}

/** copy_ipcs() with CLONE_NEWIPC: a new namespace owned by userNs, charged to euid. */
function copy_ipcs(old: Ns, cur: Cred, active: Ns, userNs: Ns, euid: u32): Ns | null {
  return createNs(NS_IPC, userNs, euid);
}

/** ipcns_install(): CAP_SYS_ADMIN over the namespace's owner and in the (new) own user namespace (R50). */
function ipcns_install(t: Task, nsset: NsSet, ns: Ns): i32 {
  const cur = t.cred;
  if (!ns_capable(cur, ns.owner!, CAP_SYS_ADMIN) || !ns_capable(cur, nsset.cred.userNs, CAP_SYS_ADMIN)) return fail(EPERM, W_NS_INSTALL_CAPABLE);
  nsset.nsproxy.set(NS_IPC, ns);
  return 0;
}
