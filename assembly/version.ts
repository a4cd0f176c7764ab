// The Linux release the model answers as (`--kernel-version X.Y`; by default the newest it
// follows, 6.18): one value, set before a world starts (setStartKernel, then start()), and
// one small function per behaviour Linux changed between the oldest release the model knows
// (6.1) and the newest, each named after what it asks and citing the change. Each was
// recorded on that kernel booted under QEMU (test/rules-6.1/, docs/SEMANTICS-NOTES.md).
// Time namespaces (5.6) and pidfd setns (5.8) are older than 6.1: every release the model
// accepts has them.

/** A release as a number: 6.1 is 601, 6.18 is 618. */
export const KERNEL_OLDEST: i32 = 601;
export const KERNEL_NEWEST: i32 = 618;

let kernel: i32 = KERNEL_NEWEST;
let startKernel: i32 = KERNEL_NEWEST;

/** The release of the next world (start() uses it, then goes back to the newest). */
export function setStartKernel(release: i32): void {
  startKernel = release < KERNEL_OLDEST ? KERNEL_OLDEST : release > KERNEL_NEWEST ? KERNEL_NEWEST : release;
}

/** start(): this world's release. */
export function takeStartKernel(): void {
  kernel = startKernel;
  startKernel = KERNEL_NEWEST;
}

export function kernelRelease(): i32 {
  return kernel;
}

function before(major: i32, minor: i32): bool {
  return kernel < major * 100 + minor;
}

/**
 * Linux 6.2, 2b5f9dad32ed ("fs/exec: allow to unshare a time namespace on vfork+exec"): exec
 * moves a task into its time_for_children (exec_task_namespaces), and a CLONE_VM or
 * CLONE_THREAD child may be made while time and time_for_children differ. Before it,
 * copy_process() refused those (EINVAL) and exec kept the time namespace.
 */
export function timens_switches_on_exec(): bool {
  return !before(6, 2);
}

/**
 * "exec: Correct the permission check for unsafe exec" (Eric W. Biederman, 2025; newer than
 * 6.12, in 6.18): cap_bprm_creds_from_file()'s id_changed counts only an euid or egid the exec
 * changes. Before it, __is_setuid()/__is_setgid() counted an euid other than the old *real*
 * uid (or egid other than the real gid) as set-id, which clears the ambient set. The release
 * that first had it is taken as 6.16 (its merge window); 6.1 and 6.12 were run, and 6.18.
 */
export function exec_setid_means_id_changed(): bool {
  return !before(6, 16);
}

/**
 * Seen on 6.12.117 (Debian's 6.12.117-1~deb12u1), not on 6.1.192 or 6.18.44: setns() of a
 * pidfd with CLONE_NEWNS and other types, by a process sharing its fs_struct (a thread, or a
 * CLONE_FS child), is EINVAL as CLONE_NEWNS alone is — the copy prepare_nsset() makes does not
 * save it (test/rules/R48-pidfd-setns-mnt-shared-fs). The change that did it was not found;
 * only 6.12 is taken to behave so.
 */
export function setns_mnt_counts_shared_fs(): bool {
  return kernel == 612;
}

/**
 * Linux 6.11 gave pidfds their own ioctls (PIDFD_GET_*_NAMESPACE), answering an unknown request
 * with EINVAL; 8ce352818820 ("pidfs: check for valid ioctl commands", 6.14, and 6.13.y) made
 * it ENOTTY again, as 6.1 (no pidfd ioctls) and 6.18 answer. Run on 6.12: EINVAL.
 */
export function pidfd_ioctl_einval(): bool {
  return !before(6, 11) && before(6, 14);
}

/**
 * Mounts (issue 12), each run on 6.1.192, 6.12.117 and 6.18.44 (test/rules/MNT-*, their 6.1 and
 * 6.12 recordings in test/rules-6.1/ and test/rules-6.12/); the changes that did them were not
 * found, so the first release of each is taken as the first one run that had it.
 *
 * lock_mount() on a mount of a lazily unmounted (detached) tree: ENOENT on 6.12 and 6.18; 6.1
 * goes on, and the caller's checks then refuse the detached mount (check_mnt(): EINVAL).
 */
export function lock_mount_refuses_unmounted(): bool {
  return !before(6, 12);
}

/**
 * MS_MOVE: 6.18 checks that the source is the root of a mount before it locks the target;
 * 6.12 (and 6.1, whose lock never fails on a detached tree) lock the target first
 * (test/rules/MNT-move-detached).
 */
export function move_checks_source_first(): bool {
  return !before(6, 18);
}

/**
 * copy_mnt_ns() / clone_mnt(): on 6.18 the copy of an unbindable mount is private (the flag
 * stays with the original); on 6.1 and 6.12 the copy is unbindable too
 * (test/rules/MNT-userns-copy-private).
 */
export function clone_mnt_copies_unbindable(): bool {
  return before(6, 18);
}
