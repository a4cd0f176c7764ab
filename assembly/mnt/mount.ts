// struct mount and the mount trees of mount namespaces (fs/mount.h, fs/namespace.c):
// clone_mnt(), copy_tree(), next_mnt(), attaching and detaching, lock_mnt_tree(),
// count_mounts(). Propagation is in pnode.ts; the system calls in ops.ts.

import { Ns } from "../ns/common";
import { Dentry, SuperBlock, is_subdir, sb_get, sb_put } from "./dir";
import { clone_mnt_copies_unbindable } from "../version";

// per-mount flags (include/linux/mount.h)
export const MNT_NOSUID: i32 = 0x01;
export const MNT_NODEV: i32 = 0x02;
export const MNT_NOEXEC: i32 = 0x04;
export const MNT_READONLY: i32 = 0x40;
export const MNT_LOCK_ATIME: i32 = 0x040000;
export const MNT_LOCK_NOEXEC: i32 = 0x080000;
export const MNT_LOCK_NOSUID: i32 = 0x100000;
export const MNT_LOCK_NODEV: i32 = 0x200000;
export const MNT_LOCK_READONLY: i32 = 0x400000;
export const MNT_LOCKED: i32 = 0x800000;
/** MNT_USER_SETTABLE_MASK (atime flags aside: every mount is relatime). */
export const MNT_USER_SETTABLE_MASK: i32 = MNT_NOSUID | MNT_NODEV | MNT_NOEXEC | MNT_READONLY;

// copy_tree()/clone_mnt() flags (fs/pnode.h)
export const CL_EXPIRE: i32 = 0x01;
export const CL_SLAVE: i32 = 0x02;
export const CL_COPY_UNBINDABLE: i32 = 0x04;
export const CL_MAKE_SHARED: i32 = 0x08;
export const CL_PRIVATE: i32 = 0x10;
export const CL_SHARED_TO_SLAVE: i32 = 0x20;
export const CL_COPY_MNT_NS_FILE: i32 = 0x40;

/**
 * sysctl fs.mount-max (100000): count_mounts() refuses more mounts in one namespace with
 * ENOSPC. The model also holds the whole world to it (a documented limit of the model: a
 * trace that would need more mounts in all namespaces together gets ENOSPC as well).
 */
export const MOUNT_MAX: i32 = 100000;

export class Mount {
  /** mnt_id: the raw key of the snapshot. */
  id: i32 = 0;
  /** mnt_ns: null once unmounted. */
  ns: Ns | null = null;
  /** mnt_parent: null for a namespace's root and for a detached mount. */
  parent: Mount | null = null;
  /** mnt_mountpoint (in the parent's super block). */
  mountpoint: Dentry | null = null;
  /** mnt.mnt_root */
  root: Dentry;
  sb: SuperBlock;
  flags: i32 = 0;
  /** mnt_mounts: the mounts on this one. */
  children: Array<Mount> = new Array<Mount>(0);
  /** mnt_group_id: the peer group (0: none). */
  groupId: i32 = 0;
  /** MNT_SHARED */
  shared: bool = false;
  /** T_UNBINDABLE */
  unbindable: bool = false;
  /** mnt_share: the peers, this one among them (shared by every peer; null: no peers). */
  peers: Array<Mount> | null = null;
  /** mnt_master */
  master: Mount | null = null;
  /** mnt_slave_list */
  slaves: Array<Mount> = new Array<Mount>(0);
  /** IS_MNT_NEW() during one propagate_mnt(); marks of the walks. */
  isNew: bool = false;
  mark: i32 = 0;
  /** umount_tree()'s own marks (in the set, a candidate, ...): walks inside it use `mark`. */
  umark: i32 = 0;
  /** copy_tree(): the copy made of this mount by the last copy (copy_mnt_ns maps fs roots with it). */
  copy: Mount | null = null;

  constructor(root: Dentry, sb: SuperBlock) {
    this.root = root;
    this.sb = sb;
  }
}

let nextMntId: i32 = 0;
let nextGroupId: i32 = 0;
/** Every mount alive in some namespace, all namespaces together. */
export let totalMounts: i32 = 0;
/** A stamp for the walks that mark mounts. */
let markStamp: i32 = 0;

export function resetMounts(): void {
  nextMntId = 0;
  nextGroupId = 0;
  totalMounts = 0;
  totalPending = 0;
  markStamp = 0;
}

export function newMark(): i32 { return ++markStamp; }

/** alloc_vfsmnt() */
export function alloc_vfsmnt(root: Dentry, sb: SuperBlock): Mount {
  const m = new Mount(root, sb);
  m.id = nextMntId++;
  sb_get(sb);
  return m;
}

/** mnt_alloc_group_id() */
export function mnt_alloc_group_id(m: Mount): void {
  m.groupId = ++nextGroupId;
}

/** mnt_release_group_id() */
export function mnt_release_group_id(m: Mount): void {
  m.groupId = 0;
}

/** peers(): in one peer group. */
export function peers(a: Mount, b: Mount): bool {
  return a.groupId != 0 && a.groupId == b.groupId;
}

/** list_add(&mnt->mnt_share, &old->mnt_share): mnt joins old's peers. */
export function add_peer(mnt: Mount, old: Mount): void {
  let p = old.peers;
  if (!p) {
    p = [old];
    old.peers = p;
  }
  p.push(mnt);
  mnt.peers = p;
}

/** list_del_init(&mnt->mnt_share) */
export function del_peer(mnt: Mount): void {
  const p = mnt.peers;
  mnt.peers = null;
  if (!p) return;
  const i = p.indexOf(mnt);
  if (i >= 0) p.splice(i, 1);
  if (p.length == 1) unchecked(p[0]).peers = null;
}

/** next_peer() over the whole group: the peers of m, m included, in the group's order. */
export function peerList(m: Mount): Array<Mount> {
  const p = m.peers;
  return p ? p : [m];
}

/** list_del_init(&mnt->mnt_slave) from its master's list. */
export function del_slave(mnt: Mount): void {
  const master = mnt.master;
  if (!master) return;
  const s = master.slaves;
  const i = s.indexOf(mnt);
  if (i >= 0) s.splice(i, 1);
}

/** next_mnt(): the next mount of the tree below `root`, depth first (children in order), or null. */
export function next_mnt(p: Mount, root: Mount): Mount | null {
  if (p.children.length) return unchecked(p.children[0]);
  let m = p;
  while (m !== root) {
    const parent = m.parent;
    if (!parent) return null;
    const c = parent.children;
    const i = c.indexOf(m);
    if (i >= 0 && i + 1 < c.length) return unchecked(c[i + 1]);
    m = parent;
  }
  return null;
}

/** skip_mnt_tree(): the last mount of p's subtree. */
export function skip_mnt_tree(p: Mount): Mount {
  let m = p;
  while (m.children.length) m = unchecked(m.children[m.children.length - 1]);
  return m;
}

/** The tree below (and with) `root`, depth first. */
export function treeOf(root: Mount): Array<Mount> {
  const out = new Array<Mount>(0);
  for (let p: Mount | null = root; p; p = next_mnt(p, root)) out.push(p);
  return out;
}

/** __lookup_mnt(): the mount on (parent, dentry), or null. */
export function lookup_mnt(parent: Mount, d: Dentry): Mount | null {
  const c = parent.children;
  for (let i = 0, n = c.length; i < n; i++) {
    const m = unchecked(c[i]);
    if (m.mountpoint === d) return m;
  }
  return null;
}

/** mnt_has_parent() */
export function mnt_has_parent(m: Mount): bool {
  return m.parent !== null;
}

/** mnt_set_mountpoint() + commit_tree(): put `child` (and its tree) on (parent, mp), in parent's namespace. */
export function attach_mnt(child: Mount, parent: Mount, mp: Dentry): void {
  child.parent = parent;
  child.mountpoint = mp;
  parent.children.push(child);
}

/** umount_mnt()/unhash_mnt(): take m off its parent. */
export function detach_mnt(m: Mount): void {
  const parent = m.parent;
  if (parent) {
    const c = parent.children;
    const i = c.indexOf(m);
    if (i >= 0) c.splice(i, 1);
  }
  m.parent = null;
  m.mountpoint = null;
}

/** mnt_add_to_ns() over a whole tree. */
export function add_tree_to_ns(root: Mount, ns: Ns): void {
  for (let p: Mount | null = root; p; p = next_mnt(p, root)) {
    if (p.ns !== ns) {
      if (p.ns) p.ns!.nrMounts--;
      else totalMounts++;
      p.ns = ns;
      ns.nrMounts++;
    }
  }
}

/** Take one mount out of its namespace (umount_tree's move_from_ns): it is freed. */
export function remove_from_ns(m: Mount): void {
  const ns = m.ns;
  if (!ns) return;
  ns.nrMounts--;
  totalMounts--;
  m.ns = null;
  sb_put(m.sb);
}

/** Mounts counted by count_mounts() but not yet attached (ns->pending_mounts), all namespaces together. */
let totalPending: i32 = 0;

/** The mounts of a tree. */
export function tree_size(tree: Mount): i32 {
  let n = 0;
  for (let p: Mount | null = tree; p; p = next_mnt(p, tree)) n++;
  return n;
}

/**
 * count_mounts(): is there room in `ns` for `mounts` more, besides those it has and those
 * already pending (ENOSPC past mount-max)? They become pending; attaching them, or
 * clear_pending() after a failure, settles the count. The whole world is held to the same
 * limit (the model's own, documented).
 */
export function count_mounts(ns: Ns, mounts: i32): bool {
  if (ns.nrMounts + ns.pendingMounts + mounts > MOUNT_MAX) return false;
  if (totalMounts + totalPending + mounts > MOUNT_MAX) return false;
  ns.pendingMounts += mounts;
  totalPending += mounts;
  return true;
}

/** The pending count of ns goes (after attach_recursive_mnt() attached or dropped its mounts). */
export function clear_pending(ns: Ns): void {
  totalPending -= ns.pendingMounts;
  ns.pendingMounts = 0;
}

/** IS_MNT_SLAVE() */
export function is_slave(m: Mount): bool { return m.master !== null; }

/** set_mnt_shared() */
export function set_mnt_shared(m: Mount): void {
  m.unbindable = false;
  m.shared = true;
}

/** clone_mnt(): a new mount of old's super block with root `root`, its propagation as `flag` says. */
export function clone_mnt(old: Mount, root: Dentry, flag: i32): Mount {
  const mnt = alloc_vfsmnt(root, old.sb);
  if (flag & (CL_SLAVE | CL_PRIVATE | CL_SHARED_TO_SLAVE)) mnt.groupId = 0; // not a peer of original
  else mnt.groupId = old.groupId;
  if ((flag & CL_MAKE_SHARED) && !mnt.groupId) mnt_alloc_group_id(mnt);
  mnt.flags = old.flags;
  // T_UNBINDABLE is not copied on 6.18 (mnt_t_flags stay with the original); before, it was
  if (clone_mnt_copies_unbindable() && old.unbindable) mnt.unbindable = true;
  if ((flag & CL_SLAVE) || ((flag & CL_SHARED_TO_SLAVE) && old.shared)) {
    old.slaves.push(mnt);
    mnt.master = old;
    mnt.shared = false;
  } else if (!(flag & CL_PRIVATE)) {
    if ((flag & CL_MAKE_SHARED) || old.shared) {
      add_peer(mnt, old);
      mnt.shared = true;
    }
    const master = old.master;
    if (master) {
      // list_add(&mnt->mnt_slave, &old->mnt_slave): right after old in the master's list
      const s = master.slaves;
      const i = s.indexOf(old);
      s.push(mnt);
      for (let k = s.length - 1; k > i + 1; k--) unchecked(s[k] = unchecked(s[k - 1]));
      unchecked(s[i + 1] = mnt);
    }
    mnt.master = master;
  } else {
    mnt.shared = false;
  }
  if (flag & CL_MAKE_SHARED) set_mnt_shared(mnt);
  old.copy = mnt;
  return mnt;
}

/**
 * copy_tree(): a copy of the tree of `src` from dentry `dentry` down: src's submounts under
 * it, each with its own mountpoint; unbindable submounts are left out unless
 * CL_COPY_UNBINDABLE. The copy is in no namespace yet.
 */
export function copy_tree(src: Mount, dentry: Dentry, flag: i32): Mount {
  const res = clone_mnt(src, dentry, flag);
  // walk src's tree; skip what is not under dentry and unbindable subtrees
  let p: Mount | null = next_mnt(src, src);
  while (p) {
    const s = p!;
    const topChild = topBelow(s, src);
    if (!is_subdir(topChild.mountpoint!, dentry) ||
        (!(flag & CL_COPY_UNBINDABLE) && s.unbindable)) {
      p = next_mnt(skip_mnt_tree(s), src);
      continue;
    }
    const parentCopy = s.parent!.copy!;
    const q = clone_mnt(s, s.root, flag);
    attach_mnt(q, parentCopy, s.mountpoint!);
    p = next_mnt(s, src);
  }
  return res;
}

/** The ancestor of m (or m) whose parent is `top`. */
function topBelow(m: Mount, top: Mount): Mount {
  let c = m;
  while (c.parent && c.parent !== top) c = c.parent!;
  return c;
}

/** lock_mnt_tree(): a tree a less privileged user namespace gets: its flags locked, its submounts locked to their parents. */
export function lock_mnt_tree(mnt: Mount): void {
  for (let p: Mount | null = mnt; p; p = next_mnt(p, mnt)) {
    let flags = p.flags | MNT_LOCK_ATIME;
    if (flags & MNT_READONLY) flags |= MNT_LOCK_READONLY;
    if (flags & MNT_NODEV) flags |= MNT_LOCK_NODEV;
    if (flags & MNT_NOSUID) flags |= MNT_LOCK_NOSUID;
    if (flags & MNT_NOEXEC) flags |= MNT_LOCK_NOEXEC;
    if (p !== mnt) flags |= MNT_LOCKED;
    p.flags = flags;
  }
}

/** __mnt_is_readonly(): the mount or its super block is read-only. */
export function mnt_is_readonly(m: Mount): bool {
  return (m.flags & MNT_READONLY) != 0 || m.sb.rdonly;
}

/** is_path_reachable(): can (mnt, dentry) be reached going up from below (root, rootDentry)? */
export function is_path_reachable(mnt: Mount, dentry: Dentry, root: Mount, rootDentry: Dentry): bool {
  let m = mnt;
  let d = dentry;
  while (m !== root && m.parent) {
    d = m.mountpoint!;
    m = m.parent!;
  }
  return m === root && is_subdir(d, rootDentry);
}
