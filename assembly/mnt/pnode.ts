// Mount propagation (fs/pnode.c): peer groups, masters and slaves; propagate_mnt() makes the
// copies a mount event sends to every mount that receives from its destination, and
// propagate_umount() picks the mounts an umount takes along. The walks are over explicit
// lists rather than the kernel's circular ones; what they visit, and in which role, is the
// kernel's.

import { Ns } from "../ns/common";
import { Dentry, is_subdir } from "./dir";
import {
  CL_MAKE_SHARED, CL_SLAVE, MNT_LOCKED, Mount, add_tree_to_ns, attach_mnt, copy_tree, count_mounts, tree_size, del_peer,
  del_slave, is_path_reachable, lookup_mnt, mnt_alloc_group_id, mnt_release_group_id, newMark, next_mnt, peerList,
} from "./mount";
import { Path } from "./path";

// propagation types (MS_*)
export const MS_UNBINDABLE: i32 = 1 << 17;
export const MS_PRIVATE: i32 = 1 << 18;
export const MS_SLAVE: i32 = 1 << 19;
export const MS_SHARED: i32 = 1 << 20;

/** get_peer_under_root(): a peer of m in namespace ns whose root the reader's root reaches. */
function get_peer_under_root(m: Mount, ns: Ns | null, root: Path): Mount | null {
  const p = peerList(m);
  for (let i = 0, n = p.length; i < n; i++) {
    const q = unchecked(p[i]);
    if (q.ns === ns && is_path_reachable(q, q.root, root.mnt, root.dentry)) return q;
  }
  return null;
}

/** get_dominating_id(): the closest master peer group with a member in m's namespace under the reader's root (0: none). */
export function get_dominating_id(m: Mount, root: Path): i32 {
  for (let master = m.master; master; master = master!.master) {
    const d = get_peer_under_root(master!, m.ns, root);
    if (d) return d.groupId;
  }
  return 0;
}

/** do_make_slave(): m leaves its peer group; its slaves go to a peer (one with the same root first) or to its master. */
function do_make_slave(mnt: Mount): void {
  let master: Mount | null = null;
  if (!mnt.peers) {
    if (mnt.shared) {
      mnt_release_group_id(mnt);
      mnt.shared = false;
    }
    master = mnt.master;
    if (!master) {
      const s = mnt.slaves;
      for (let i = 0, n = s.length; i < n; i++) unchecked(s[i]).master = null;
      mnt.slaves = new Array<Mount>(0);
      return;
    }
  } else {
    const p = mnt.peers!;
    const i = p.indexOf(mnt);
    master = unchecked(p[(i + 1) % p.length]);
    for (let k = 1, n = p.length; k < n; k++) {
      const m = unchecked(p[(i + k) % n]);
      if (m.root === mnt.root) { master = m; break; }
    }
    del_peer(mnt);
    mnt.groupId = 0;
    mnt.shared = false;
  }
  const m = master!;
  const s = mnt.slaves;
  for (let i = 0, n = s.length; i < n; i++) unchecked(s[i]).master = m;
  // list_move(&mnt->mnt_slave, &master->mnt_slave_list): mnt first, then its slaves at the end
  del_slave(mnt);
  m.slaves.unshift(mnt);
  for (let i = 0, n = s.length; i < n; i++) m.slaves.push(unchecked(s[i]));
  mnt.slaves = new Array<Mount>(0);
  mnt.master = m;
}

/** change_mnt_propagation() */
export function change_mnt_propagation(mnt: Mount, type: i32): void {
  if (type == MS_SHARED) {
    mnt.unbindable = false;
    mnt.shared = true;
    return;
  }
  do_make_slave(mnt);
  if (type != MS_SLAVE) {
    del_slave(mnt);
    mnt.master = null;
    mnt.unbindable = type == MS_UNBINDABLE;
  }
}

/** invent_group_ids(): a peer group of its own for each mount of the tree (or just mnt) that has none. */
export function invent_group_ids(mnt: Mount, recurse: bool): void {
  for (let p: Mount | null = mnt; p; p = recurse ? next_mnt(p, mnt) : null) {
    if (!p.groupId) mnt_alloc_group_id(p);
  }
}

/**
 * The mounts that receive propagation from `from`, each once, in the kernel's order
 * (propagation_next(): peers, and below each the slaves, depth first), `from` itself left out.
 */
export function propagation_receivers(from: Mount): Array<Mount> {
  const out = new Array<Mount>(0);
  const mark = newMark();
  from.mark = mark;
  const stack = new Array<Mount>(0);
  const start = peerList(from);
  for (let i = start.length - 1; i >= 0; i--) stack.push(unchecked(start[i]));
  while (stack.length) {
    const m = stack.pop();
    if (m !== from) {
      if (m.mark == mark) continue;
      m.mark = mark;
      out.push(m);
    }
    const s = m.slaves;
    for (let i = s.length - 1; i >= 0; i--) {
      const sl = unchecked(s[i]);
      const g = peerList(sl);
      for (let j = g.length - 1; j >= 0; j--) if (unchecked(g[j]).mark != mark) stack.push(unchecked(g[j]));
    }
  }
  return out;
}

/** need_secondary(): does m get a copy of a mount on dest_mp? */
function need_secondary(m: Mount, mp: Dentry): bool {
  if (m.isNew || !m.ns) return false;
  return is_subdir(mp, m.root);
}

/**
 * propagate_mnt(): a copy of the tree `source` for every mount that receives from `dest` and
 * sees the mountpoint `mp`, set on it (not yet attached: the copies are in `list`). Peers of
 * dest get peers of source; each slave peer group gets slaves of the copy its master group
 * got (or of the copy further up, find_master()), shared among themselves when the slave
 * group is shared. 0, or -ENOSPC (count_mounts).
 */
export function propagate_mnt(dest: Mount, mp: Dentry, source: Mount, list: Array<Mount>, pending: Array<Ns>): i32 {
  // count_mounts() after each copy, as the kernel does, gives the same answer as counting
  // them all first: the first pass counts, the second copies (nothing to undo on ENOSPC)
  const size = tree_size(source);
  for (let pass = 0; pass < 2; pass++) {
    const copying = pass == 1;
    const mark = newMark();
    // a work list of (peer group member, the copy its master group got)
    const groups = new Array<Mount>(0);
    const masters = new Array<Mount>(0);
    groups.push(dest);
    masters.push(source);
    for (let gi = 0; gi < groups.length; gi++) {
      const g = unchecked(groups[gi]);
      const members = peerList(g);
      for (let i = 0, n = members.length; i < n; i++) unchecked(members[i]).mark = mark;
      let groupCopy: Mount | null = g === dest ? source : null;
      const masterCopy = unchecked(masters[gi]);
      for (let i = 0, n = members.length; i < n; i++) {
        const m = unchecked(members[i]);
        if (m === dest || !need_secondary(m, mp)) continue;
        if (!copying) {
          if (!count_mounts(m.ns!, size)) return -28; // ENOSPC
          pending.push(m.ns!);
          continue;
        }
        let copy: Mount;
        if (groupCopy) {
          copy = copy_tree(groupCopy!, groupCopy!.root, CL_MAKE_SHARED);
        } else {
          copy = copy_tree(masterCopy, masterCopy.root, CL_SLAVE | (m.shared ? CL_MAKE_SHARED : 0));
          groupCopy = copy;
        }
        markNew(copy);
        copy.parent = m; // the mountpoint is set; attach_recursive_mnt() commits it
        copy.mountpoint = mp;
        list.push(copy);
      }
      // the slave groups of this group get propagation from what it got
      const next = groupCopy ? groupCopy! : masterCopy;
      for (let i = 0, n = members.length; i < n; i++) {
        const s = unchecked(members[i]).slaves;
        for (let j = 0, k = s.length; j < k; j++) {
          const sl = unchecked(s[j]);
          if (sl.mark == mark || sl.isNew) continue;
          const sg = peerList(sl);
          for (let q = 0, r = sg.length; q < r; q++) unchecked(sg[q]).mark = mark;
          groups.push(sl);
          masters.push(next);
        }
      }
    }
  }
  return 0;
}

function markNew(tree: Mount): void {
  for (let p: Mount | null = tree; p; p = next_mnt(p, tree)) p.isNew = true;
}

/** After attach: the copies are ordinary mounts again. */
export function clear_new(tree: Mount): void {
  for (let p: Mount | null = tree; p; p = next_mnt(p, tree)) p.isNew = false;
}

/** Put a propagated copy in place: attached in its parent's namespace, tucked beneath what is already there. */
export function commit_propagated(child: Mount): void {
  const parent = child.parent!;
  const mp = child.mountpoint!;
  child.parent = null;
  child.mountpoint = null;
  const q = lookup_mnt(parent, mp);
  attach_mnt(child, parent, mp);
  add_tree_to_ns(child, parent.ns!);
  if (q) {
    // mnt_change_mountpoint(): the mount that was there goes on top of the new tree's root
    let top = child;
    for (let t = lookup_mnt(top, top.root); t; t = lookup_mnt(top, top.root)) top = t!;
    const c = parent.children;
    c.splice(c.indexOf(q!), 1);
    q!.parent = top;
    q!.mountpoint = top.root;
    top.children.push(q!);
  }
}

/**
 * propagate_mount_unlock(): what mnt's umount takes along on the receivers of its parent is
 * no longer locked there (the umount reveals the same in the sending namespace).
 */
export function propagate_mount_unlock(mnt: Mount): void {
  const parent = mnt.parent;
  if (!parent) return;
  const r = propagation_receivers(parent);
  for (let i = 0, n = r.length; i < n; i++) {
    const child = lookup_mnt(unchecked(r[i]), mnt.mountpoint!);
    if (child) child.flags &= ~MNT_LOCKED;
  }
}

/** Does some task's root or working directory hold m? */
export type RootHeld = (m: Mount) => bool;

/**
 * propagate_mount_busy(): can mnt not be unmounted? It has submounts or a task's root; or a
 * mount it takes along on a receiver of its parent (one without submounts but an overmount)
 * is some task's root.
 */
export function propagate_mount_busy(mnt: Mount, held: RootHeld): bool {
  if (mnt.children.length || held(mnt)) return true;
  const parent = mnt.parent;
  if (!parent) return false;
  const r = propagation_receivers(parent);
  for (let i = 0, n = r.length; i < n; i++) {
    const child = lookup_mnt(unchecked(r[i]), mnt.mountpoint!);
    if (!child) continue;
    const c = child.children;
    if (c.length && (c.length != 1 || unchecked(c[0]).mountpoint !== child.root)) continue;
    if (held(child)) return true;
  }
  return false;
}

/**
 * propagate_umount(): the mounts on receivers of the parents of `set` at the same mountpoints
 * go too, when nothing stays on them (a mount that covers one whole may slide down in its
 * place) and they are not locked to a parent that stays. Adds them to `set`; `slide`
 * gets the overmounts to put where the bottom of their stack was.
 */
export function propagate_umount(set: Array<Mount>, slide: Array<Mount>): void {
  const inSet = newMark();
  for (let i = 0, n = set.length; i < n; i++) unchecked(set[i]).umark = inSet;
  // gather_candidates()
  const cand = new Array<Mount>(0);
  const candMark = newMark();
  for (let i = 0; i < set.length; i++) {
    const m = unchecked(set[i]);
    const p = m.parent;
    if (!p) continue;
    const r = propagation_receivers(p);
    for (let j = 0, k = r.length; j < k; j++) {
      const child = lookup_mnt(unchecked(r[j]), m.mountpoint!);
      if (!child || child.umark == inSet || child.umark == candMark) continue;
      child.umark = candMark;
      cand.push(child);
    }
  }
  if (!cand.length) return;
  // trim: a candidate goes only when everything on it goes (an overmount aside)
  const ok = newMark();
  let changed = true;
  while (changed) {
    changed = false;
    for (let i = 0, n = cand.length; i < n; i++) {
      const c = unchecked(cand[i]);
      if (c.umark != candMark) continue;
      const ch = c.children;
      let fine = true;
      for (let j = 0, k = ch.length; j < k; j++) {
        const x = unchecked(ch[j]);
        if (x.umark == inSet || x.umark == ok) continue;
        if (x.mountpoint === c.root && (x.umark != candMark)) continue; // an overmount slides down
        fine = false;
        break;
      }
      if (fine) { c.umark = ok; changed = true; }
    }
  }
  // handle_locked(): a locked one goes only with its parent
  const going = newMark();
  changed = true;
  while (changed) {
    changed = false;
    for (let i = 0, n = cand.length; i < n; i++) {
      const c = unchecked(cand[i]);
      if (c.umark != ok) continue;
      const cp = c.parent;
      if ((c.flags & MNT_LOCKED) && !(cp !== null && (cp.umark == going || cp.umark == inSet))) continue;
      c.umark = going;
      changed = true;
    }
  }
  for (let i = 0, n = cand.length; i < n; i++) {
    const c = unchecked(cand[i]);
    if (c.umark != going) continue;
    set.push(c);
    const ch = c.children;
    for (let j = 0, k = ch.length; j < k; j++) {
      const x = unchecked(ch[j]);
      if (x.mountpoint === c.root && x.umark != going && x.umark != inSet) slide.push(x);
    }
  }
  for (let i = 0, n = set.length; i < n; i++) unchecked(set[i]).umark = inSet;
}

/** do_make_slave() is also what umount does to each unmounted mount (MS_PRIVATE). */
export function make_private(m: Mount): void {
  change_mnt_propagation(m, MS_PRIVATE);
}

export { CL_MAKE_SHARED, CL_SLAVE };
