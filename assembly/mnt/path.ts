// Path walking (fs/namei.c) over the mount trees: absolute paths from the task's root (no
// chroot in traces, so the root of the mount namespace the task entered), each component
// looked up in its directory and then followed down the mounts on it (follow_mount()).
// A procfs directory has no entries the model imitates: a name in it is ENOENT.

import { Task } from "../task";
import { Dentry, FS_PROC, d_lookup } from "./dir";
import { Mount, lookup_mnt } from "./mount";
import { ENOENT } from "../errno";
import { fail } from "../result";
import { W_PATH_LOOKUP } from "../why";

/** struct path */
export class Path {
  mnt: Mount;
  dentry: Dentry;
  constructor(mnt: Mount, dentry: Dentry) {
    this.mnt = mnt;
    this.dentry = dentry;
  }
}

/** The components of an absolute path ("/" has none). Validation made the path plain. */
export function components(path: string): Array<string> {
  const out = new Array<string>(0);
  const parts = path.split("/");
  for (let i = 0, n = parts.length; i < n; i++) if (unchecked(parts[i]).length) out.push(unchecked(parts[i]));
  return out;
}

/** follow_mount()/lock_mount(): down to the top of the stack of mounts on p. */
export function follow_down(p: Path): Path {
  let mnt = p.mnt;
  let d = p.dentry;
  for (let m = lookup_mnt(mnt, d); m; m = lookup_mnt(mnt, d)) {
    mnt = m!;
    d = mnt.root;
  }
  return new Path(mnt, d);
}

/** The task's root (set_fs_root / current->fs->root): null for a task that has none. */
export function fs_root(t: Task): Path | null {
  const fs = t.fs;
  if (!fs || !fs.root) return null;
  const m = fs.root!;
  return new Path(m, m.root);
}

/**
 * path_lookupat() of the first `count` components of `names` from the task's root: each one
 * looked up, then followed down its mounts. The start is the root itself (mounts on top of
 * the root are not followed: the root stays where it is). Null after fail(ENOENT).
 */
export function walk(t: Task, names: Array<string>, count: i32): Path | null {
  const root = fs_root(t);
  if (!root) { fail(ENOENT, W_PATH_LOOKUP); return null; }
  let p = root!;
  for (let i = 0; i < count; i++) {
    const dir = p.dentry;
    if (dir.sb.type == FS_PROC) { fail(ENOENT, W_PATH_LOOKUP); return null; }
    const d = d_lookup(dir, unchecked(names[i]));
    if (!d) { fail(ENOENT, W_PATH_LOOKUP); return null; }
    p = follow_down(new Path(p.mnt, d!));
  }
  return p;
}

/** kern_path(path, LOOKUP_FOLLOW): the whole path. */
export function kern_path(t: Task, path: string): Path | null {
  const names = components(path);
  return walk(t, names, names.length);
}

/** path_mounted(): is the path the root of its mount? */
export function path_mounted(p: Path): bool {
  return p.dentry === p.mnt.root;
}
