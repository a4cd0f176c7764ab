// Mount namespaces (fs/namespace.c). A new one is a copy of the creator's mount tree (R92,
// assembly/mnt/namespace.ts copy_mnt_tree()); who may join, and the fs_struct rule.

import { Ns, createNs } from "./common";
import { NsOps, IN_NSPROXY, nsOwner } from "./ops";
import { F_MNT, NS_MNT } from "./table";
import { CLONE_NEWNS } from "../flags";
import { CAP_SYS_ADMIN, CAP_SYS_CHROOT, Cred, ns_capable } from "../cred";
import { Task } from "../task";
import { EINVAL, EPERM } from "../errno";
import { fail } from "../result";
import { W_MNTNS_INSTALL_CAPABLE, W_MNTNS_INSTALL_FS } from "../why";
import { NsSet } from "../nsproxy";
import { copy_mnt_tree } from "../mnt/namespace";

/** mntns_operations */
export function mntns_operations(): NsOps {
  return new NsOps(NS_MNT, "mnt", CLONE_NEWNS, F_MNT, 0xEFFFFFF8, IN_NSPROXY, copy_mnt_ns, mntns_install, nsOwner, null);
}

/** copy_mnt_ns() with CLONE_NEWNS: the copy has a copy of the old namespace's mount tree. */
function copy_mnt_ns(old: Ns, cur: Cred, active: Ns, userNs: Ns, euid: u32): Ns | null {
  const ns = createNs(NS_MNT, userNs, euid);
  if (!ns) return null;
  if (!copy_mnt_tree(old, ns, userNs)) return null;
  return ns;
}

/**
 * mntns_install(): CAP_SYS_ADMIN over the namespace's owner, CAP_SYS_CHROOT and CAP_SYS_ADMIN
 * in the (new) own user namespace (EPERM); then an fs_struct of one's own (EINVAL, R48).
 * Rejoining resets root and cwd to the namespace's root (R46): commit_nsset() does it.
 */
function mntns_install(t: Task, nsset: NsSet, ns: Ns): i32 {
  const cur = t.cred;
  if (!ns_capable(cur, ns.owner!, CAP_SYS_ADMIN) || !ns_capable(cur, nsset.cred.userNs, CAP_SYS_CHROOT) ||
      !ns_capable(cur, nsset.cred.userNs, CAP_SYS_ADMIN)) return fail(EPERM, W_MNTNS_INSTALL_CAPABLE);
  if (nsset.fsUsers != 1) return fail(EINVAL, W_MNTNS_INSTALL_FS);
  nsset.nsproxy.set(NS_MNT, ns);
  nsset.mntChanged = true;
  return 0;
}
