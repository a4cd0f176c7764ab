// Path walking (fs/namei.c) over the mount trees: an absolute path from the task's root, a
// relative one from its working directory; each component looked up in its directory and
// then followed down the mounts on it (step_into() → handle_mounts()); `.` stays, `..` is
// follow_dotdot(). A procfs directory has no entries the model imitates: a name in it is
// ENOENT.

import { Task } from "../task";
import { Dentry, FS_PROC, d_lookup } from "./dir";
import { Mount, lookup_mnt, mnt_has_parent } from "./mount";
import { ENOENT } from "../errno";
import { fail } from "../result";
import { W_PATH_LOOKUP } from "../why";

/** struct path. Never changed once made: a task's root and cwd may share one. */
export class Path {
  mnt: Mount;
  dentry: Dentry;
  constructor(mnt: Mount, dentry: Dentry) {
    this.mnt = mnt;
    this.dentry = dentry;
  }
}

/** path_equal() */
export function path_equal(a: Path, b: Path): bool {
  return a.mnt === b.mnt && a.dentry === b.dentry;
}

/** The components of a path in order ("/" has none; "." and ".." are kept). Validation made it plain. */
export function components(path: string): Array<string> {
  const out = new Array<string>(0);
  const parts = path.split("/");
  for (let i = 0, n = parts.length; i < n; i++) if (unchecked(parts[i]).length) out.push(unchecked(parts[i]));
  return out;
}

/** Does the path start at the root (else at the working directory)? */
export function is_absolute(path: string): bool {
  return path.length > 0 && path.charCodeAt(0) == 0x2f;
}

/** follow_mount()/lock_mount(): down to the top of the stack of mounts on p. */
export function follow_down(p: Path): Path {
  let mnt = p.mnt;
  let d = p.dentry;
  for (let m = lookup_mnt(mnt, d); m; m = lookup_mnt(mnt, d)) {
    mnt = m!;
    d = mnt.root;
  }
  return mnt === p.mnt ? p : new Path(mnt, d);
}

/** The task's root (current->fs->root): null for a task that has none. */
export function fs_root(t: Task): Path | null {
  const fs = t.fs;
  return fs ? fs.root : null;
}

/** The task's working directory (current->fs->pwd): null for a task that has none. */
export function fs_pwd(t: Task): Path | null {
  const fs = t.fs;
  return fs ? fs.pwd : null;
}

/**
 * choose_mountpoint(): from the root of m up to the first mountpoint that is not itself the
 * root of its mount, stopping at `root`; null when the walk reaches the root or the top of
 * the tree (follow_dotdot() then stays where it is).
 */
function choose_mountpoint(m: Mount, root: Path): Path | null {
  let mnt = m;
  while (mnt_has_parent(mnt)) {
    const mp = mnt.mountpoint!;
    mnt = mnt.parent!;
    if (root.dentry === mp && root.mnt === mnt) break;
    if (mp !== mnt.root) return new Path(mnt, mp);
  }
  return null;
}

/**
 * follow_dotdot(): `..` of p. At the root it stays; at the root of a mount it first goes up
 * to the mountpoint (choose_mountpoint()), then to the parent directory. The caller then
 * goes down the mounts on what this returns, as after any component (step_into()).
 */
export function follow_dotdot(p: Path, root: Path): Path {
  if (path_equal(p, root)) return p;
  let at = p;
  if (at.dentry === at.mnt.root) {
    const up = choose_mountpoint(at.mnt, root);
    if (!up) return p;
    at = up;
  }
  // dget_parent(); path_connected() always holds: no directory is ever moved
  const parent = at.dentry.parent;
  return parent ? new Path(at.mnt, parent!) : at;
}

/**
 * path_lookupat() of the first `count` components of `names` from the task's root
 * (`absolute`) or working directory: each one looked up, then followed down its mounts. The
 * start itself is not followed down (mounts on top of the root are not crossed: the root
 * stays where it is). Null after fail(ENOENT).
 */
export function walk(t: Task, names: Array<string>, count: i32, absolute: bool = true): Path | null {
  const root = fs_root(t);
  const start = absolute ? root : fs_pwd(t);
  if (!root || !start) { fail(ENOENT, W_PATH_LOOKUP); return null; }
  let p = start!;
  for (let i = 0; i < count; i++) {
    const name = unchecked(names[i]);
    if (name == ".") continue; // LAST_DOT: handle_dots() does nothing
    if (name == "..") { p = follow_down(follow_dotdot(p, root!)); continue; }
    const dir = p.dentry;
    if (dir.sb.type == FS_PROC) { fail(ENOENT, W_PATH_LOOKUP); return null; }
    const d = d_lookup(dir, name);
    if (!d) { fail(ENOENT, W_PATH_LOOKUP); return null; }
    p = follow_down(new Path(p.mnt, d!));
  }
  return p;
}

/** user_path_at(AT_FDCWD, path, LOOKUP_FOLLOW): the whole path. */
export function kern_path(t: Task, path: string): Path | null {
  const names = components(path);
  return walk(t, names, names.length, is_absolute(path));
}

/** path_mounted(): is the path the root of its mount? */
export function path_mounted(p: Path): bool {
  return p.dentry === p.mnt.root;
}

/**
 * prepend_path() (fs/d_path.c): the path of p as a task rooted at `root` names it, walking up
 * through mountpoints. `reachable` is false when the walk reached the top of its tree without
 * passing the root (getcwd() then puts "(unreachable)" before it; mountinfo leaves the mount
 * out).
 */
export class DPath {
  path: string = "/";
  reachable: bool = true;
}

export function prepend_path(p: Path, root: Path): DPath {
  const out = new DPath();
  let s = "";
  let mnt = p.mnt;
  let d = p.dentry;
  while (d !== root.dentry || mnt !== root.mnt) {
    if (d === mnt.root) {
      if (mnt_has_parent(mnt)) {
        d = mnt.mountpoint!;
        mnt = mnt.parent!;
        continue;
      }
      out.reachable = false; // the global root, or a detached tree
      break;
    }
    const parent = d.parent;
    if (!parent) { out.reachable = false; break; }
    s = "/" + d.name + s;
    d = parent!;
  }
  if (s.length) out.path = s;
  return out;
}
