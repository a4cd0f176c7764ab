// fs/namespace.c path_mount() / do_new_mount() and fs/proc/root.c, for the one mount a trace
// makes: mount("proc", "/proc", "proc", MS_NOSUID|MS_NODEV|MS_NOEXEC) — what
// `unshare --mount-proc` does (R62, R93). The model keeps no mount tree, only which PID
// namespace each mount namespace's /proc shows (ns/mnt.ts).

import { Task } from "./task";
import { CAP_SYS_ADMIN, Cred, ns_capable } from "./cred";
import { Ns } from "./ns/common";
import { addProcMount } from "./ns/mnt";
import { NS_MNT } from "./ns/table";
import { EPERM } from "./errno";
import { fail, ok } from "./result";
import { W_MAY_MOUNT, W_MOUNT_CAPABLE, W_MOUNTED_PROC } from "./why";

/** may_mount(): CAP_SYS_ADMIN over the owner of the caller's mount namespace. */
function may_mount(cred: Cred, mnt: Ns): bool {
  return ns_capable(cred, mnt.owner!, CAP_SYS_ADMIN);
}

/** mount_capable(): procfs is FS_USERNS_MOUNT, so CAP_SYS_ADMIN over fc->user_ns will do. */
function mount_capable(cred: Cred, fcUserNs: Ns): bool {
  return ns_capable(cred, fcUserNs, CAP_SYS_ADMIN);
}

/**
 * mount_too_revealing(): in a mount namespace not owned by the initial user namespace, a new
 * procfs must not show more than one already fully visible there. Every mount namespace of a
 * trace is a copy of one with the machine's /proc, which nothing unmounts or covers, so the
 * check always passes here.
 */
function mount_too_revealing(): bool {
  return false;
}

/** path_mount() of procfs on /proc. */
export function pathMountProc(t: Task): i32 {
  const mnt = t.nsproxy!.of(NS_MNT);
  if (!may_mount(t.cred, mnt)) return fail(EPERM, W_MAY_MOUNT);
  // do_new_mount(): proc_init_fs_context() takes the caller's *active* PID namespace, and
  // fc->user_ns becomes the owner of that namespace
  const pidNs = t.pidNs!;
  if (!mount_capable(t.cred, pidNs.owner!)) return fail(EPERM, W_MOUNT_CAPABLE);
  if (mount_too_revealing()) return fail(EPERM, W_MOUNT_CAPABLE);
  addProcMount(mnt, pidNs);
  return ok(W_MOUNTED_PROC);
}
