// Mount namespaces (fs/namespace.c). A new one is a copy of the creator's mount tree (R92);
// the model keeps no mounts, only who may join and the fs_struct rule.

import { Ns, createNs } from "./common";
import { NS_MNT } from "../flags";
import { Cred, nsCapable } from "../cred";
import { EINVAL, EPERM } from "../errno";
import { fail } from "../result";
import { W_MNTNS_INSTALL_CAPABLE, W_MNTNS_INSTALL_FS } from "../why";
import { NsSet } from "../nsproxy";

/** copy_mnt_ns() with CLONE_NEWNS. */
export function copyMntNs(userNs: Ns, euid: u32): Ns | null {
  return createNs(NS_MNT, userNs, euid);
}

/**
 * mntns_install(): CAP_SYS_ADMIN over the namespace's owner, CAP_SYS_CHROOT and CAP_SYS_ADMIN
 * in the (new) own user namespace (EPERM); then an fs_struct of one's own (EINVAL, R48).
 * Rejoining resets root and cwd to the namespace's root (R46) — the model keeps neither.
 */
export function mntnsInstall(cur: Cred, nsset: NsSet, ns: Ns): i32 {
  if (!nsCapable(cur, ns.owner!) || !nsCapable(cur, nsset.cred.userNs)) return fail(EPERM, W_MNTNS_INSTALL_CAPABLE);
  if (nsset.fsUsers != 1) return fail(EINVAL, W_MNTNS_INSTALL_FS);
  nsset.nsproxy.setMnt(ns);
  return 0;
}
