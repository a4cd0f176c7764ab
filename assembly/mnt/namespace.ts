// The mount system calls (fs/namespace.c): mount(2) as path_mount() dispatches it (remount,
// bind, propagation change, move, new mount), umount2(2), pivot_root(2), and mkdir(2) and
// readdir for the directories mounts go on; copy_mnt_ns()'s tree, the initial world, and the
// root setns() gives. Each errno comes from the check named after the kernel's function.

import { Ns, putNs } from "../ns/common";
import { Task, TASK_RUNNING, tasks, Fs } from "../task";
import { CAP_SYS_ADMIN, CAP_SYS_CHROOT, Cred, kgid_has_mapping, kuid_has_mapping, ns_capable } from "../cred";
import { initUserNs } from "../ns/common";
import { EBUSY, EEXIST, EINVAL, ELOOP, ENOENT, ENOSPC, EPERM, EROFS, EOVERFLOW } from "../errno";
import { fail, lastError, ok, setWhy } from "../result";
import { lock_mount_refuses_unmounted, move_checks_source_first } from "../version";
import {
  W_MAY_MOUNT, W_MOUNT_CAPABLE, W_MOUNTED_PROC, W_LOCK_MOUNT, W_MKDIR_EXIST, W_MKDIR_ROFS, W_MKDIR_OVERFLOW, W_PATH_LOOKUP,
  W_MKDIR_OK, W_MOUNT_FSTYPE, W_MOUNT_NEW, W_TOO_REVEALING, W_CHECK_MNT, W_NOT_MOUNTED, W_CHANGE_TYPE_FLAGS,
  W_CHANGE_TYPE, W_LOOPBACK_SOURCE, W_LOOPBACK_UNBINDABLE, W_LOOPBACK_LOCKED, W_LOOPBACK, W_LOCKED_FLAGS,
  W_REMOUNT_CAPABLE, W_REMOUNT, W_RECONFIGURE_MNT, W_MOVE_LOCKED, W_MOVE_SHARED_PARENT, W_MOVE_UNBINDABLE, W_MOVE_LOOP,
  W_MOVE, W_MOUNT_MAX, W_UMOUNT_FLAGS, W_UMOUNT_LOCKED, W_UMOUNT_ROOT, W_UMOUNT_ROOT_PERM, W_UMOUNT_BUSY, W_UMOUNT,
  W_PIVOT_SHARED, W_PIVOT_LOCKED, W_PIVOT_BUSY, W_PIVOT_NOT_MOUNT, W_PIVOT_REACH, W_PIVOT, W_CHDIR, W_CHROOT, W_CHROOT_PERM,
  W_GETCWD,
} from "../why";
import { Dentry, FS_PROC, FS_ROOTFS, FS_TMPFS, SuperBlock, alloc_super, d_lookup, d_mkdir, is_subdir, resetSuperBlocks } from "./dir";
import {
  CL_COPY_MNT_NS_FILE, CL_COPY_UNBINDABLE, CL_EXPIRE, CL_SHARED_TO_SLAVE, MNT_LOCKED, MNT_LOCK_NODEV, MNT_LOCK_NOEXEC,
  MNT_LOCK_NOSUID, MNT_LOCK_READONLY, MNT_LOCK_ATIME, MNT_NODEV, MNT_NOEXEC, MNT_NOSUID, MNT_READONLY,
  MNT_USER_SETTABLE_MASK, MOUNT_MAX, Mount, add_tree_to_ns, alloc_vfsmnt, attach_mnt, clone_mnt, copy_tree,
  count_mounts, clear_pending, tree_size, detach_mnt, lock_mnt_tree, lookup_mnt, mnt_has_parent, mnt_is_readonly, next_mnt, remove_from_ns,
  resetMounts, set_mnt_shared, totalMounts, treeOf, is_path_reachable,
} from "./mount";
import {
  MS_PRIVATE, MS_SHARED, MS_SLAVE, MS_UNBINDABLE, change_mnt_propagation, clear_new, commit_propagated,
  invent_group_ids, make_private, propagate_mnt, propagate_mount_unlock, propagate_mount_busy, propagate_umount,
} from "./pnode";
import { Path, components, follow_down, fs_root, is_absolute, kern_path, path_equal, path_mounted, prepend_path, walk } from "./path";

// mount(2) flags (include/uapi/linux/mount.h)
export const MS_RDONLY: i32 = 1;
export const MS_NOSUID: i32 = 2;
export const MS_NODEV: i32 = 4;
export const MS_NOEXEC: i32 = 8;
export const MS_REMOUNT: i32 = 32;
export const MS_BIND: i32 = 4096;
export const MS_MOVE: i32 = 8192;
export const MS_REC: i32 = 16384;
const MS_SILENT: i32 = 32768;
export const MNT_DETACH: i32 = 2;

/** The fstype argument: none, tmpfs, proc (src/trace/labels.ts). */
export const FSTYPE_NONE: i32 = -1;

/** Does the trace show mounts (setup.mounts)? Then "/" and "/proc" start shared. */
let mountsOn: bool = false;
export function mountsShown(): bool { return mountsOn; }

export function resetMountWorld(on: bool): void {
  mountsOn = on;
  resetMounts();
  resetSuperBlocks();
}

/**
 * The world's mount namespace (docs/TRACE-EXTENSIONS.md): below it the machine's root (never
 * shown), on it the trace's tmpfs "/" with the directory proc, on that the procfs of the
 * trace's initial PID namespace — shared, each in a peer group of its own, when the trace
 * shows mounts (as systemd leaves them); private otherwise (the sandbox of traces without
 * mounts). Returns the root task's root mount.
 */
export function init_mount_tree(ns: Ns, pidNs: Ns): Mount {
  const user = initUserNs;
  const rootfs = alloc_super(FS_ROOTFS, user, null);
  const r = alloc_vfsmnt(rootfs.root, rootfs);
  add_tree_to_ns(r, ns);
  ns.mntRoot = r;
  const tmp = alloc_super(FS_TMPFS, user, null);
  d_mkdir(tmp.root, "proc");
  const t = alloc_vfsmnt(tmp.root, tmp);
  attach_mnt(t, r, rootfs.root);
  const proc = alloc_super(FS_PROC, user, pidNs);
  const p = alloc_vfsmnt(proc.root, proc);
  p.flags = MNT_NOSUID | MNT_NODEV | MNT_NOEXEC;
  attach_mnt(p, t, d_lookup(tmp.root, "proc")!);
  add_tree_to_ns(r, ns);
  if (mountsOn) {
    invent_group_ids(t, false);
    set_mnt_shared(t);
    invent_group_ids(p, false);
    set_mnt_shared(p);
  }
  return t;
}

// --- copy_mnt_ns(), setns ------------------------------------------------------------

/**
 * copy_mnt_ns()'s tree: a copy of old's whole tree for `ns` (unbindable mounts too). For a
 * namespace owned by another user namespace than old's (a less privileged one), shared
 * mounts become slaves of their originals (CL_SHARED_TO_SLAVE) and lock_mnt_tree() locks
 * the flags and every submount to its parent. False (ENOSPC) past the model's mount limit.
 */
export function copy_mnt_tree(old: Ns, ns: Ns, userNs: Ns): bool {
  const src = old.mntRoot;
  if (!src) return true;
  if (totalMounts + old.nrMounts > MOUNT_MAX) { fail(ENOSPC, W_MOUNT_MAX); return false; }
  let flags = CL_COPY_UNBINDABLE | CL_EXPIRE;
  const lessPrivileged = userNs !== old.owner;
  if (lessPrivileged) flags |= CL_SHARED_TO_SLAVE;
  // only the mounts in old's tree (a detached one's copy would not be there)
  const nu = copy_tree(src!, src!.root, flags);
  if (lessPrivileged) lock_mnt_tree(nu);
  add_tree_to_ns(nu, ns);
  ns.mntRoot = nu;
  return true;
}

/** copy_mnt_ns()'s second pass: a root or working directory in the old tree moves to its copy (same directory). */
export function mnt_fix_root(fs: Fs | null, ns: Ns): void {
  if (!fs) return;
  fs.root = copied(fs.root, ns);
  fs.pwd = copied(fs.pwd, ns);
}

function copied(p: Path | null, ns: Ns): Path | null {
  if (!p) return null;
  const c = p.mnt.copy;
  return c && c.ns === ns ? new Path(c!, p.dentry) : p;
}

/** mntns_install(): root and cwd become the top of the mounts on the namespace's root (LOOKUP_DOWN). */
export function mntns_root(ns: Ns): Path | null {
  const r = ns.mntRoot;
  if (!r) return null;
  return follow_down(new Path(r!, r!.root));
}

/** current_chrooted(): is the task's root other than the top of the mounts on its namespace's root? */
export function current_chrooted(t: Task): bool {
  const fs = t.fs;
  if (!fs || !fs.root || !t.nsproxy) return false;
  const top = mntns_root(mntNs(t));
  return !top || !path_equal(top!, fs.root!);
}

/** free_mnt_ns(): the last reference drops the tree (a procfs lets go of its PID namespace). */
export function free_mnt_tree(ns: Ns): void {
  const r = ns.mntRoot;
  ns.mntRoot = null;
  if (!r) return;
  const all = treeOf(r!);
  for (let i = 0, n = all.length; i < n; i++) {
    const m = unchecked(all[i]);
    if (m.ns === ns) { make_private(m); remove_from_ns(m); }
  }
}

/** The PID namespace the procfs at /proc of the task's root shows (display; mount_proc's world). */
export function proc_pid_ns_of(t: Task): Ns | null {
  const p = kern_path(t, "/proc");
  if (!p || p.dentry.sb.type != FS_PROC) return null;
  return p.dentry.sb.pidNs;
}

// --- checks ------------------------------------------------------------------------

/** lock_mount(): the top of the mounts on the path; ENOENT when that mount was unmounted (a detached tree). */
function lock_mount(p: Path): Path | null {
  const top = follow_down(p);
  if (!top.mnt.ns && lock_mount_refuses_unmounted()) { fail(ENOENT, W_LOCK_MOUNT); return null; }
  return top;
}

/** may_mount(): CAP_SYS_ADMIN over the owner of the caller's mount namespace. */
export function may_mount(t: Task): bool {
  return ns_capable(t.cred, t.nsproxy!.of(2 /* NS_MNT */).owner!, CAP_SYS_ADMIN);
}

function mntNs(t: Task): Ns {
  return t.nsproxy!.of(2 /* NS_MNT */);
}

/** check_mnt(): in the caller's mount namespace. */
function check_mnt(t: Task, m: Mount): bool {
  return m.ns === mntNs(t);
}

/** can_change_locked_flags() */
function can_change_locked_flags(m: Mount, mntFlags: i32): bool {
  const fl = m.flags;
  if ((fl & MNT_LOCK_READONLY) && !(mntFlags & MNT_READONLY)) return false;
  if ((fl & MNT_LOCK_NODEV) && !(mntFlags & MNT_NODEV)) return false;
  if ((fl & MNT_LOCK_NOSUID) && !(mntFlags & MNT_NOSUID)) return false;
  if ((fl & MNT_LOCK_NOEXEC) && !(mntFlags & MNT_NOEXEC)) return false;
  return true;
}

/** Does a running task have its root or its working directory on m (a reference that makes it busy)? */
function rootHeld(m: Mount): bool {
  for (let i = 0, n = tasks.length; i < n; i++) {
    const t = unchecked(tasks[i]);
    if (t.state != TASK_RUNNING || !t.fs) continue;
    const fs = t.fs!;
    if ((fs.root && fs.root!.mnt === m) || (fs.pwd && fs.pwd!.mnt === m)) return true;
  }
  return false;
}

// --- mkdir, readdir ---------------------------------------------------------------

/** mkdir(path, 0777): filename_create(), may_create(), vfs_mkdir(). */
export function do_mkdirat(t: Task, path: string): i32 {
  const names = components(path);
  const absolute = is_absolute(path);
  if (!names.length) {
    // "/": the root exists
    const r = fs_root(t);
    if (!r) return fail(EINVAL, W_CHECK_MNT);
    return fail(EEXIST, W_MKDIR_EXIST);
  }
  const parent = walk(t, names, names.length - 1, absolute);
  if (!parent) return lastError();
  const dir = parent.dentry;
  const last = unchecked(names[names.length - 1]);
  // filename_create(): a last component "." or ".." (LAST_DOT, LAST_DOTDOT) exists
  if (last == "." || last == "..") return fail(EEXIST, W_MKDIR_EXIST);
  // proc_root_lookup(): a name procfs does not have is ENOENT, for a create too
  if (dir.sb.type == FS_PROC) return fail(ENOENT, W_PATH_LOOKUP);
  const rofs = mnt_is_readonly(parent.mnt); // mnt_want_write(), reported after the lookup
  if (d_lookup(dir, last)) return fail(EEXIST, W_MKDIR_EXIST);
  if (rofs) return fail(EROFS, W_MKDIR_ROFS);
  if (!fsuidgid_has_mapping(dir.sb, t.cred)) return fail(EOVERFLOW, W_MKDIR_OVERFLOW);
  d_mkdir(dir, last);
  return ok(W_MKDIR_OK);
}

/** fsuidgid_has_mapping(): the caller's fsuid and fsgid in the super block's user namespace. */
function fsuidgid_has_mapping(sb: SuperBlock, c: Cred): bool {
  return kuid_has_mapping(sb.userNs, c.fsuid) && kgid_has_mapping(sb.userNs, c.fsgid);
}

/** readdir: the directory at path (null after fail). */
export function readdir_dentry(t: Task, path: string): Dentry | null {
  const p = kern_path(t, path);
  return p ? p.dentry : null;
}

// --- mount(2) ------------------------------------------------------------------------

/**
 * do_mount(): the target looked up (LOOKUP_FOLLOW), then path_mount(). `source` is the
 * source path or null (then the device name: the fstype's, else "none", looked up from the
 * cwd — the root — where a bind or move wants a path).
 */
export function do_mount(t: Task, target: string, source: string | null, fstype: i32, flags: i32): i32 {
  const path = kern_path(t, target);
  if (!path) return lastError();
  return path_mount(t, source, path!, fstype, flags);
}

function devName(source: string | null, fstype: i32): string {
  if (source !== null) return source!;
  return fstype == FS_TMPFS ? "tmpfs" : fstype == FS_PROC ? "proc" : "none";
}

/** A device name as a path: absolute, or relative to the working directory. */
function lookup_dev(t: Task, name: string): Path | null {
  return kern_path(t, name);
}

/** path_mount(): the flags decide which of remount, bind, propagation change, move, new mount. */
export function path_mount(t: Task, source: string | null, path: Path, fstype: i32, flags: i32): i32 {
  if (!may_mount(t)) return fail(EPERM, W_MAY_MOUNT);
  let mntFlags = 0;
  if (flags & MS_NOSUID) mntFlags |= MNT_NOSUID;
  if (flags & MS_NODEV) mntFlags |= MNT_NODEV;
  if (flags & MS_NOEXEC) mntFlags |= MNT_NOEXEC;
  if (flags & MS_RDONLY) mntFlags |= MNT_READONLY;
  const sbRdonly = (flags & MS_RDONLY) != 0;
  if ((flags & (MS_REMOUNT | MS_BIND)) == (MS_REMOUNT | MS_BIND)) return do_reconfigure_mnt(t, path, mntFlags);
  if (flags & MS_REMOUNT) return do_remount(t, path, sbRdonly, mntFlags);
  if (flags & MS_BIND) return do_loopback(t, path, devName(source, fstype), (flags & MS_REC) != 0);
  if (flags & (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)) return do_change_type(t, path, flags);
  if (flags & MS_MOVE) return do_move_mount_old(t, path, devName(source, fstype));
  return do_new_mount(t, path, fstype, sbRdonly, mntFlags);
}

/** do_new_mount() and do_new_mount_fc(): a new tmpfs or procfs on top of the target. */
function do_new_mount(t: Task, path: Path, fstype: i32, rdonly: bool, mntFlags: i32): i32 {
  if (fstype != FS_TMPFS && fstype != FS_PROC) return fail(EINVAL, W_MOUNT_FSTYPE);
  // fs_context: fc->user_ns is the caller's; procfs takes the owner of the active PID namespace
  const c = t.cred;
  const pidNs = fstype == FS_PROC ? t.pidNs! : null;
  const userNs = pidNs ? pidNs.owner! : c.userNs;
  // mount_capable(): both are FS_USERNS_MOUNT
  if (!ns_capable(c, userNs, CAP_SYS_ADMIN)) return fail(EPERM, W_MOUNT_CAPABLE);
  if (fstype == FS_PROC) {
    const r = mount_too_revealing(t, mntFlags);
    if (r < 0) return fail(EPERM, W_TOO_REVEALING);
    mntFlags = r;
  }
  // lock_mount(), do_add_mount()
  const top = lock_mount(path);
  if (!top) return lastError();
  if (!check_mnt(t, top.mnt)) return fail(EINVAL, W_CHECK_MNT);
  const sb = alloc_super(fstype, userNs, pidNs);
  sb.rdonly = rdonly;
  const m = alloc_vfsmnt(sb.root, sb);
  m.flags = mntFlags;
  const err = attach_recursive_mnt(t, m, top.mnt, top.dentry, false);
  if (err) { dropTree(m); return err; }
  return ok(fstype == FS_PROC ? W_MOUNTED_PROC : W_MOUNT_NEW);
}

/** A tree made for a mount that failed: its super blocks let go. */
function dropTree(m: Mount): void {
  const all = treeOf(m);
  for (let i = 0, n = all.length; i < n; i++) {
    const x = unchecked(all[i]);
    if (!x.ns) { x.sb.active--; if (x.sb.active == 0 && x.sb.pidNs) { const p = x.sb.pidNs!; x.sb.pidNs = null; putNs(p); } }
  }
}

/**
 * mount_too_revealing(): a procfs in a mount namespace not owned by the initial user
 * namespace needs mnt_already_visible(). The new mount flags (with the locked read-only of
 * the visible one), or -1.
 */
function mount_too_revealing(t: Task, mntFlags: i32): i32 {
  const ns = mntNs(t);
  if (ns.owner === initUserNs) return mntFlags;
  return mnt_already_visible(ns, mntFlags);
}

/**
 * mnt_already_visible(): a procfs mount of the namespace showing its whole super block, with
 * no read-only the new one would lose, and no locked mount on it hiding anything (the proc
 * directory is never empty). The new flags, or -1.
 */
function mnt_already_visible(ns: Ns, newFlags: i32): i32 {
  const r = ns.mntRoot;
  if (!r) return -1;
  for (let m: Mount | null = r; m; m = next_mnt(m!, r!)) {
    const x = m!;
    if (x.sb.type != FS_PROC || x.ns !== ns) continue;
    if (x.root !== x.sb.root) continue;
    let fl = x.flags;
    if (x.sb.rdonly) fl |= MNT_LOCK_READONLY;
    if ((fl & MNT_LOCK_READONLY) && !(newFlags & MNT_READONLY)) continue;
    let covered = false;
    const ch = x.children;
    for (let i = 0, n = ch.length; i < n; i++) if (unchecked(ch[i]).flags & MNT_LOCKED) { covered = true; break; }
    if (covered) continue;
    return newFlags | (fl & (MNT_LOCK_READONLY | MNT_LOCK_ATIME));
  }
  return -1;
}

/**
 * attach_recursive_mnt(): put the tree `source` on (dest, mp); onto a shared destination it
 * gets peer groups and propagates (propagate_mnt()), the copies tucked beneath what is
 * already on their mountpoints and, across user namespaces, locked. `moving`: MS_MOVE.
 */
function attach_recursive_mnt(t: Task, source: Mount, dest: Mount, mp: Dentry, moving: bool): i32 {
  const ns = dest.ns!;
  const pending = new Array<Ns>(0);
  if (!moving) {
    if (!count_mounts(ns, tree_size(source))) return fail(ENOSPC, W_MOUNT_MAX);
    pending.push(ns);
  }
  const list = new Array<Mount>(0);
  if (dest.shared) {
    invent_group_ids(source, true);
    const err = propagate_mnt(dest, mp, source, list, pending);
    if (err) {
      for (let i = 0, n = list.length; i < n; i++) { unlinkPeers(unchecked(list[i])); dropTree(unchecked(list[i])); }
      for (let i = 0, n = pending.length; i < n; i++) clear_pending(unchecked(pending[i]));
      clear_new(source);
      return fail(ENOSPC, W_MOUNT_MAX);
    }
    for (let p: Mount | null = source; p; p = next_mnt(p!, source)) set_mnt_shared(p!);
  }
  for (let i = 0, n = pending.length; i < n; i++) clear_pending(unchecked(pending[i]));
  if (moving) detach_mnt(source);
  attach_mnt(source, dest, mp);
  add_tree_to_ns(source, ns);
  const userNs = mntNs(t).owner;
  for (let i = 0, n = list.length; i < n; i++) {
    const child = unchecked(list[i]);
    const parentNs = child.parent!.ns!;
    if (parentNs.owner !== userNs) lock_mnt_tree(child);
    commit_propagated(child);
    clear_new(child);
  }
  clear_new(source);
  return 0;
}

/** do_change_type(): MS_SHARED, MS_PRIVATE, MS_SLAVE or MS_UNBINDABLE, with MS_REC for the tree. */
function do_change_type(t: Task, path: Path, msFlags: i32): i32 {
  if (!path_mounted(path)) return fail(EINVAL, W_NOT_MOUNTED);
  const type = msFlags & ~(MS_REC | MS_SILENT);
  if ((type & ~(MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)) || (type & (type - 1))) {
    return fail(EINVAL, W_CHANGE_TYPE_FLAGS);
  }
  const mnt = path.mnt;
  if (!check_mnt(t, mnt)) return fail(EINVAL, W_CHECK_MNT);
  const recurse = (msFlags & MS_REC) != 0;
  if (type == MS_SHARED) invent_group_ids(mnt, recurse);
  for (let m: Mount | null = mnt; m; m = recurse ? next_mnt(m!, mnt) : null) change_mnt_propagation(m!, type);
  return ok(W_CHANGE_TYPE);
}

/** do_loopback(): bind the mount at oldName (with MS_REC its tree) on the path. */
function do_loopback(t: Task, path: Path, oldName: string, recurse: bool): i32 {
  if (!oldName.length) return fail(EINVAL, W_LOOPBACK_SOURCE);
  const old = lookup_dev(t, oldName);
  if (!old) return lastError();
  const top = lock_mount(path);
  if (!top) return lastError();
  const parent = top.mnt;
  if (!check_mnt(t, parent)) return fail(EINVAL, W_CHECK_MNT);
  // __do_loopback()
  const src = old.mnt;
  if (src.unbindable) return fail(EINVAL, W_LOOPBACK_UNBINDABLE);
  if (!check_mnt(t, src)) return fail(EINVAL, W_CHECK_MNT);
  if (!recurse && has_locked_children(src, old.dentry)) return fail(EINVAL, W_LOOPBACK_LOCKED);
  const mnt = recurse ? copy_tree(src, old.dentry, CL_COPY_MNT_NS_FILE) : clone_mnt(src, old.dentry, 0);
  mnt.flags &= ~MNT_LOCKED;
  const err = attach_recursive_mnt(t, mnt, parent, top.dentry, false);
  if (err) { unlinkPeers(mnt); dropTree(mnt); return err; }
  return ok(W_LOOPBACK);
}

/** A copy that was never attached leaves the peer groups and slave lists it joined. */
function unlinkPeers(tree: Mount): void {
  const all = treeOf(tree);
  for (let i = 0, n = all.length; i < n; i++) make_private(unchecked(all[i]));
}

/** __has_locked_children(): a locked mount on mnt below dentry. */
function has_locked_children(mnt: Mount, dentry: Dentry): bool {
  const ch = mnt.children;
  for (let i = 0, n = ch.length; i < n; i++) {
    const c = unchecked(ch[i]);
    if (!is_subdir(c.mountpoint!, dentry)) continue;
    if (c.flags & MNT_LOCKED) return true;
  }
  return false;
}

/** can_change_locked_flags() then the new flags: set_mount_attributes(). */
function set_mount_attributes(m: Mount, mntFlags: i32): void {
  m.flags = (m.flags & ~MNT_USER_SETTABLE_MASK) | mntFlags;
}

/** do_reconfigure_mnt(): MS_REMOUNT|MS_BIND changes the mount's own flags. */
function do_reconfigure_mnt(t: Task, path: Path, mntFlags: i32): i32 {
  const mnt = path.mnt;
  if (!check_mnt(t, mnt)) return fail(EINVAL, W_CHECK_MNT);
  if (!path_mounted(path)) return fail(EINVAL, W_NOT_MOUNTED);
  if (!can_change_locked_flags(mnt, mntFlags)) return fail(EPERM, W_LOCKED_FLAGS);
  set_mount_attributes(mnt, mntFlags);
  return ok(W_RECONFIGURE_MNT);
}

/** do_remount(): the super block's read-only flag and the mount's flags. */
function do_remount(t: Task, path: Path, rdonly: bool, mntFlags: i32): i32 {
  const mnt = path.mnt;
  if (!check_mnt(t, mnt)) return fail(EINVAL, W_CHECK_MNT);
  if (!path_mounted(path)) return fail(EINVAL, W_NOT_MOUNTED);
  if (!can_change_locked_flags(mnt, mntFlags)) return fail(EPERM, W_LOCKED_FLAGS);
  if (!ns_capable(t.cred, mnt.sb.userNs, CAP_SYS_ADMIN)) return fail(EPERM, W_REMOUNT_CAPABLE);
  mnt.sb.rdonly = rdonly;
  set_mount_attributes(mnt, mntFlags);
  return ok(W_REMOUNT);
}

/** do_move_mount_old() / do_move_mount(): the mount at oldName, with its tree, onto the path. */
function do_move_mount_old(t: Task, path: Path, oldName: string): i32 {
  if (!oldName.length) return fail(EINVAL, W_LOOPBACK_SOURCE);
  const oldPath = lookup_dev(t, oldName);
  if (!oldPath) return lastError();
  // the thing moved must be mounted: checked before the target is locked (6.18), after (6.12)
  if (move_checks_source_first() && !path_mounted(oldPath)) return fail(EINVAL, W_NOT_MOUNTED);
  const top = lock_mount(path);
  if (!top) return lastError();
  if (!path_mounted(oldPath)) return fail(EINVAL, W_NOT_MOUNTED);
  const old = oldPath.mnt;
  const p = top.mnt;
  if (!check_mnt(t, old)) return fail(EINVAL, W_CHECK_MNT);
  if (!mnt_has_parent(old) || (old.flags & MNT_LOCKED)) return fail(EINVAL, W_MOVE_LOCKED);
  if (!check_mnt(t, p)) return fail(EINVAL, W_CHECK_MNT);
  if (old.parent!.shared) return fail(EINVAL, W_MOVE_SHARED_PARENT);
  if (p.shared && tree_contains_unbindable(old)) return fail(EINVAL, W_MOVE_UNBINDABLE);
  for (let q: Mount | null = p; q && mnt_has_parent(q!); q = q!.parent) if (q === old) return fail(ELOOP, W_MOVE_LOOP);
  const err = attach_recursive_mnt(t, old, p, top.dentry, true);
  if (err) return err;
  return ok(W_MOVE);
}

function tree_contains_unbindable(m: Mount): bool {
  for (let p: Mount | null = m; p; p = next_mnt(p!, m)) if (p!.unbindable) return true;
  return false;
}

// --- umount2(2) ----------------------------------------------------------------------

/** ksys_umount(): flags, the path (LOOKUP_MOUNTPOINT: the top of its mounts), can_umount(), do_umount(). */
export function ksys_umount(t: Task, target: string, flags: i32): i32 {
  if (flags & ~MNT_DETACH) return fail(EINVAL, W_UMOUNT_FLAGS);
  const p = kern_path(t, target);
  if (!p) return lastError();
  const path = follow_down(p!);
  const err = can_umount(t, path);
  if (err) return err;
  return do_umount(t, path.mnt, flags);
}

/** can_umount() */
function can_umount(t: Task, path: Path): i32 {
  if (!may_mount(t)) return fail(EPERM, W_MAY_MOUNT);
  if (!path_mounted(path)) return fail(EINVAL, W_NOT_MOUNTED);
  if (!check_mnt(t, path.mnt)) return fail(EINVAL, W_CHECK_MNT);
  if (path.mnt.flags & MNT_LOCKED) return fail(EINVAL, W_UMOUNT_LOCKED);
  return 0;
}

/** do_umount() */
function do_umount(t: Task, mnt: Mount, flags: i32): i32 {
  const fs = t.fs;
  if (fs && fs.root && fs.root!.mnt === mnt && !(flags & MNT_DETACH)) {
    // do_umount_root(): "unmounting" the root remounts it read-only
    if (!ns_capable(t.cred, mnt.sb.userNs, CAP_SYS_ADMIN)) return fail(EPERM, W_UMOUNT_ROOT_PERM);
    mnt.sb.rdonly = true;
    return ok(W_UMOUNT_ROOT);
  }
  if (!mnt_has_parent(mnt)) return fail(EINVAL, W_NOT_MOUNTED);
  if (!(flags & MNT_DETACH) && propagate_mount_busy(mnt, rootHeld)) return fail(EBUSY, W_UMOUNT_BUSY);
  umount_tree(mnt, true);
  return ok(W_UMOUNT);
}

/** umount_tree(): mnt and its tree leave the namespace, with what propagation takes along. */
function umount_tree(mnt: Mount, propagate: bool): void {
  if (propagate) propagate_mount_unlock(mnt);
  const set = treeOf(mnt);
  const slide = new Array<Mount>(0);
  if (propagate) propagate_umount(set, slide);
  const mark = set.length ? unchecked(set[0]).umark : 0;
  // reparent(): an overmount that stays goes where the bottom of its stack was
  for (let i = 0, n = slide.length; i < n; i++) {
    const m = unchecked(slide[i]);
    let p = m;
    let mp: Dentry | null = null;
    do {
      mp = p.mountpoint;
      p = p.parent!;
    } while (p.umark == mark && p.parent);
    detach_mnt(m);
    attach_mnt(m, p, mp!);
  }
  for (let i = 0, n = set.length; i < n; i++) {
    const m = unchecked(set[i]);
    const parent = m.parent;
    // disconnect_mount(): off a parent that stays; off an unmounted parent too unless locked
    // to it (what a detached root still shows: `umount -l /` leaves an empty /proc)
    if (parent && (parent.umark != mark || !(m.flags & MNT_LOCKED))) detach_mnt(m);
    make_private(m);
  }
  for (let i = 0, n = set.length; i < n; i++) remove_from_ns(unchecked(set[i]));
}

// --- pivot_root(2) -------------------------------------------------------------------

/** pivot_root(new_root, put_old) */
export function sys_pivot_root(t: Task, newRoot: string, putOld: string): i32 {
  if (!may_mount(t)) return fail(EPERM, W_MAY_MOUNT);
  const nw = kern_path(t, newRoot);
  if (!nw) return lastError();
  const oldP = kern_path(t, putOld);
  if (!oldP) return lastError();
  const root = fs_root(t);
  if (!root) return fail(EINVAL, W_PIVOT_NOT_MOUNT);
  const oldTop = lock_mount(oldP!);
  if (!oldTop) return lastError();
  const newMnt = nw.mnt;
  const rootMnt = root.mnt;
  const oldMnt = oldTop.mnt;
  const exParent = newMnt.parent;
  const rootParent = rootMnt.parent;
  if (oldMnt.shared || (exParent && exParent.shared) || (rootParent && rootParent.shared)) {
    return fail(EINVAL, W_PIVOT_SHARED);
  }
  if (!check_mnt(t, rootMnt) || !check_mnt(t, newMnt)) return fail(EINVAL, W_CHECK_MNT);
  if (newMnt.flags & MNT_LOCKED) return fail(EINVAL, W_PIVOT_LOCKED);
  if (newMnt === rootMnt || oldMnt === rootMnt) return fail(EBUSY, W_PIVOT_BUSY);
  if (!path_mounted(root)) return fail(EINVAL, W_PIVOT_NOT_MOUNT);
  if (!mnt_has_parent(rootMnt)) return fail(EINVAL, W_PIVOT_NOT_MOUNT);
  if (!path_mounted(nw)) return fail(EINVAL, W_PIVOT_NOT_MOUNT);
  if (!mnt_has_parent(newMnt)) return fail(EINVAL, W_PIVOT_NOT_MOUNT);
  if (!is_path_reachable(oldMnt, oldTop.dentry, newMnt, nw.dentry)) return fail(EINVAL, W_PIVOT_REACH);
  if (!is_path_reachable(newMnt, nw.dentry, rootMnt, root.dentry)) return fail(EINVAL, W_PIVOT_REACH);
  const rootMp = rootMnt.mountpoint!;
  detach_mnt(newMnt);
  if (rootMnt.flags & MNT_LOCKED) {
    newMnt.flags |= MNT_LOCKED;
    rootMnt.flags &= ~MNT_LOCKED;
  }
  attach_mnt(newMnt, rootParent!, rootMp);
  detach_mnt(rootMnt);
  attach_mnt(rootMnt, oldMnt, oldTop.dentry);
  chroot_fs_refs(root!, nw!);
  return ok(W_PIVOT);
}

/** chroot_fs_refs(): every root and working directory exactly at old_root moves to new_root. */
function chroot_fs_refs(oldRoot: Path, newRoot: Path): void {
  for (let i = 0, n = tasks.length; i < n; i++) {
    const x = unchecked(tasks[i]);
    if (x.state != TASK_RUNNING || !x.fs) continue;
    const fs = x.fs!;
    if (fs.root && path_equal(fs.root!, oldRoot)) fs.root = newRoot;
    if (fs.pwd && path_equal(fs.pwd!, oldRoot)) fs.pwd = newRoot;
  }
}

// --- chdir(2), chroot(2), getcwd(2) (fs/open.c, fs/d_path.c) ---------------------------

/** chdir(path): LOOKUP_FOLLOW|LOOKUP_DIRECTORY, path_permission() (never refuses: 0777, 0555), set_fs_pwd(). */
export function ksys_chdir(t: Task, path: string): i32 {
  const p = kern_path(t, path);
  if (!p) return lastError();
  t.fs!.pwd = p;
  return ok(W_CHDIR);
}

/** chroot(path): the lookup, then CAP_SYS_CHROOT in the caller's own user namespace (EPERM), set_fs_root(). */
export function ksys_chroot(t: Task, path: string): i32 {
  const p = kern_path(t, path);
  if (!p) return lastError();
  if (!ns_capable(t.cred, t.cred.userNs, CAP_SYS_CHROOT)) return fail(EPERM, W_CHROOT_PERM);
  t.fs!.root = p;
  return ok(W_CHROOT);
}

/** getcwd(2), the raw call: the cwd from the root, "(unreachable)" before it when the root does not reach it. */
export function sys_getcwd(t: Task): string | null {
  const root = fs_root(t);
  const pwd = t.fs ? t.fs!.pwd : null;
  if (!root || !pwd) { fail(ENOENT, W_PATH_LOOKUP); return null; }
  const d = prepend_path(pwd!, root!);
  setWhy(W_GETCWD);
  return d.reachable ? d.path : "(unreachable)" + d.path;
}

export { FS_PROC, FS_TMPFS };
