// The mount_proc op (docs/TRACE-EXTENSIONS.md): mount("proc", "/proc", "proc",
// MS_NOSUID|MS_NODEV|MS_NOEXEC) — what `unshare --mount-proc` does (R62, R93) — a real
// mount on the mount tree (assembly/mnt/namespace.ts).

import { Task } from "./task";
import { do_mount, FS_PROC, MS_NODEV, MS_NOEXEC, MS_NOSUID } from "./mnt/namespace";

/** path_mount() of procfs on /proc. */
export function pathMountProc(t: Task): i32 {
  return do_mount(t, "/proc", null, FS_PROC, MS_NOSUID | MS_NODEV | MS_NOEXEC);
}
