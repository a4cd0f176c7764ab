// ksys_unshare() (kernel/fork.c) and unshare_nsproxy_namespaces() (kernel/nsproxy.c):
// R17-R29. Atomic: any failure leaves the caller as it was.

import { Task, commitCredsEffects } from "./task";
import { putNs } from "./ns/common";
import { create_user_ns } from "./ns/user";
import { create_new_namespaces, NsProxy } from "./nsproxy";
import { CLONE_NEW_ANY, CLONE_NEW_NSPROXY, NS_MNT } from "./ns/table";
import { current_chrooted, mnt_fix_root } from "./mnt/namespace";
import { CAP_SYS_ADMIN, Cred, ns_capable } from "./cred";
import { copy_fs_struct, dup_fd, put_files_struct } from "./files";
import { CLONE_FILES, CLONE_FS, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWUSER, CLONE_SIGHAND, CLONE_SYSVSEM, CLONE_THREAD, CLONE_VM } from "./flags";
import { EINVAL, EPERM } from "./errno";
import { fail, lastError, ok } from "./result";
import { W_UNSHARED, W_UNSHARE_CAPABLE, W_UNSHARE_FLAGS, W_UNSHARE_PID, W_UNSHARE_THREADS } from "./why";

/** The flags check_unshare_flags() accepts (R17). */
const UNSHARE_ALLOWED: u32 = CLONE_THREAD | CLONE_FS | CLONE_SIGHAND | CLONE_VM | CLONE_FILES | CLONE_SYSVSEM |
  CLONE_NEW_ANY;

/**
 * check_unshare_flags(): unknown flags are EINVAL (R17); CLONE_THREAD, CLONE_SIGHAND and
 * CLONE_VM need a single-threaded caller (R20).
 */
function check_unshare_flags(t: Task, flags: u32): i32 {
  if (flags & ~UNSHARE_ALLOWED) return fail(EINVAL, W_UNSHARE_FLAGS);
  const multithreaded = t.threads.length > 0;
  if ((flags & (CLONE_THREAD | CLONE_SIGHAND | CLONE_VM)) && multithreaded) return fail(EINVAL, W_UNSHARE_THREADS);
  return 0;
}

/** ksys_unshare() */
export function ksys_unshare(t: Task, flags: u32): i32 {
  // implied flags, in the kernel's order (R19)
  if (flags & CLONE_NEWUSER) flags |= CLONE_THREAD | CLONE_FS;
  if (flags & CLONE_VM) flags |= CLONE_SIGHAND;
  if (flags & CLONE_SIGHAND) flags |= CLONE_THREAD;
  if (flags & CLONE_NEWNS) flags |= CLONE_FS;

  let err = check_unshare_flags(t, flags);
  if (err) return err;

  // unshare_fs(), unshare_fd(): copies only of what is shared (R21)
  const newFs = (flags & CLONE_FS) && t.fs!.users > 1;
  const newFd = (flags & CLONE_FILES) && t.files!.users > 1;

  // unshare_userns() (R28)
  let newCred: Cred | null = null;
  if (flags & CLONE_NEWUSER) {
    const c = t.cred.copy();
    err = create_user_ns(c, current_chrooted(t));
    if (err) return err;
    newCred = c;
  }

  // unshare_nsproxy_namespaces(): CAP_SYS_ADMIN in the (new) user namespace, then the
  // namespaces, owned by it (R10, R12)
  let newNsp: NsProxy | null = null;
  if (flags & CLONE_NEW_NSPROXY) {
    const userNs = newCred ? newCred.userNs : t.cred.userNs;
    if (!ns_capable(t.cred, userNs, CAP_SYS_ADMIN)) {
      if (newCred) putNs(newCred.userNs);
      return fail(EPERM, W_UNSHARE_CAPABLE);
    }
    newNsp = create_new_namespaces(flags, t.nsproxy!, t.cred, t.pidNs!, userNs, t.cred.euid);
    if (!newNsp) {
      if (newCred) putNs(newCred.userNs);
      return lastError();
    }
  }

  // commit
  if (newNsp) {
    t.nsproxy!.release();
    t.nsproxy = newNsp;
  }
  if (newFs) {
    const old = t.fs!;
    old.users--;
    t.fs = copy_fs_struct(old);
  }
  if (newNsp && (flags & CLONE_NEWNS)) mnt_fix_root(t.fs, newNsp.of(NS_MNT));
  if (newFd) {
    const old = t.files!;
    t.files = dup_fd(old);
    put_files_struct(old);
  }
  if (newCred) {
    commitCredsEffects(t, t.cred, newCred);
    // the new user namespace's first reference is the cred's: hand it over
    const old = t.cred.userNs;
    t.cred = newCred;
    putNs(old);
  }
  return ok(flags & CLONE_NEWPID ? W_UNSHARE_PID : W_UNSHARED);
}

