// The raw snapshot the TypeScript side canonicalizes (src/trace/canonical.ts): every process
// not yet reaped in label order, the namespace descriptors held by running processes in label
// order, and every namespace reachable from them through owners and parents.
//
// Layout (i32 words, strings as in out.ts):
//   nProcs, then per process: label, state, uid, nspidLen, nspid..., hostname, domainname,
//     10 namespace ids (-1: null)
//     then its credentials: uid euid suid fsuid gid egid sgid fsgid, nGroups, groups...,
//     the sets inheritable permitted effective bounding ambient (2 words each, low first),
//     no_new_privs
//   nFds, then per descriptor: label, namespace id
//   nNs, then per namespace: id, type, owner id, parent id, level, inode
//   with setup.mounts: then per mnt namespace of that list, in its order: the number of its
//     mounts (-1: no running process is in it), then per mount (depth first from the root of
//     the first running process in it, label order): id, parent id (-1 for that root),
//     mountpoint, root (strings), fs type (0 tmpfs, 1 proc), super block id, flags (MNT_*),
//     super block read-only, shared group (0: not shared), master group (0: no master),
//     propagate_from group (0: none), unbindable

import { Ns, namespaces } from "./ns/common";
import { Task, TASK_DEAD, TASK_RUNNING, tasks, byLabel, files, FILE_NS } from "./task";
import { utsNameLength } from "./ns/uts";
import { NS_FILES, NS_UTS, nsOfFile } from "./ns/table";
import { outBytes, outI32, outNull } from "./out";
import { Cred } from "./cred";
import { NS_MNT } from "./ns/table";
import { mountsShown } from "./mnt/namespace";
import { Mount, treeOf } from "./mnt/mount";
import { dentry_path } from "./mnt/dir";
import { get_dominating_id } from "./mnt/pnode";
import { Path, prepend_path } from "./mnt/path";

let seen = new Array<bool>(0);
/** Snapshots written so far: FdLabels.seen stamps. */
let snapshots: i32 = 0;
let list = new Array<Ns>(0);

/** After start() emptied the heap. */
export function resetSnapshot(): void {
  seen = new Array<bool>(0);
  list = new Array<Ns>(0);
}

function mark(ns: Ns | null): i32 {
  if (!ns) return -1;
  if (!unchecked(seen[ns.id])) {
    unchecked(seen[ns.id] = true);
    list.push(ns);
  }
  return ns.id;
}

function writeCreds(c: Cred, nnp: bool): void {
  outI32(<i32>c.uid); outI32(<i32>c.euid); outI32(<i32>c.suid); outI32(<i32>c.fsuid);
  outI32(<i32>c.gid); outI32(<i32>c.egid); outI32(<i32>c.sgid); outI32(<i32>c.fsgid);
  const g = c.groups;
  outI32(g.length);
  for (let i = 0, n = g.length; i < n; i++) outI32(<i32>unchecked(g[i]));
  outU64(c.capInheritable); outU64(c.capPermitted); outU64(c.capEffective); outU64(c.capBset); outU64(c.capAmbient);
  outI32(nnp ? 1 : 0);
}

function outU64(v: u64): void {
  outI32(<i32><u32>(v & 0xFFFFFFFF));
  outI32(<i32><u32>(v >> 32));
}

export function writeSnapshot(): void {
  seen = new Array<bool>(namespaces.length);
  list = new Array<Ns>(0);

  let nProcs = 0;
  for (let l = 0, n = byLabel.length; l < n; l++) {
    const ti = unchecked(byLabel[l]);
    if (ti >= 0 && tasks[ti].state != TASK_DEAD) nProcs++;
  }
  outI32(nProcs);
  for (let l = 0, n = byLabel.length; l < n; l++) {
    const ti = unchecked(byLabel[l]);
    if (ti < 0) continue;
    const t = tasks[ti];
    if (t.state == TASK_DEAD) continue;
    outI32(l);
    outI32(t.state);
    outI32(<i32>t.cred.uid);
    const nspid = t.nspid;
    outI32(nspid.length);
    for (let i = 0, m = nspid.length; i < m; i++) outI32(unchecked(nspid[i]));
    const nsp = t.nsproxy;
    if (nsp) {
      const uts = nsp.of(NS_UTS);
      outBytes(uts.hostname, utsNameLength(uts, true));
      outBytes(uts.domainname, utsNameLength(uts, false));
    } else {
      outNull();
      outNull();
    }
    for (let f = 0; f < NS_FILES; f++) outI32(mark(nsOfFile(t, f)));
    writeCreds(t.cred, t.noNewPrivs);
  }

  // descriptors held by running processes (a label list shared by several tables is read once)
  const held = new Array<bool>(files.length);
  const stamp = ++snapshots;
  for (let i = 0, n = tasks.length; i < n; i++) {
    const t = unchecked(tasks[i]);
    if (t.state != TASK_RUNNING || t.leader != t.id || !t.files) continue;
    const fl = t.files!.labels;
    if (fl.seen == stamp) continue;
    fl.seen = stamp;
    const labels = fl.list;
    for (let j = 0, m = labels.length; j < m; j++) unchecked(held[unchecked(labels[j])] = true);
  }
  let nFds = 0;
  for (let l = 0, n = files.length; l < n; l++) {
    const f = unchecked(files[l]);
    if (f && f.kind == FILE_NS && unchecked(held[l])) nFds++;
  }
  outI32(nFds);
  for (let l = 0, n = files.length; l < n; l++) {
    const f = unchecked(files[l]);
    if (!f || f.kind != FILE_NS || !unchecked(held[l])) continue;
    outI32(l);
    outI32(mark(f.ns));
  }

  // owners and parents, breadth first
  for (let i = 0; i < list.length; i++) {
    const ns = unchecked(list[i]);
    mark(ns.owner);
    mark(ns.parent);
  }
  outI32(list.length);
  for (let i = 0, n = list.length; i < n; i++) {
    const ns = unchecked(list[i]);
    outI32(ns.id);
    outI32(ns.type);
    outI32(ns.owner ? ns.owner!.id : -1);
    outI32(ns.parent ? ns.parent!.id : -1);
    outI32(ns.level);
    outI32(<i32>ns.inum);
  }
  if (mountsShown()) {
    for (let i = 0, n = list.length; i < n; i++) {
      const ns = unchecked(list[i]);
      if (ns.type == NS_MNT) writeMounts(ns);
    }
  }
}

/**
 * The mounts of ns a task rooted at `root` sees in its mountinfo (show_mountinfo()): those
 * whose own root the walk up from reaches `root` (seq_path_root(); the others are SEQ_SKIP),
 * in tree order.
 */
function mountsUnder(root: Path | null, ns: Ns): Array<Mount> {
  const shown = new Array<Mount>(0);
  const top = ns.mntRoot;
  if (!root || !top) return shown;
  const all = treeOf(top!);
  for (let i = 0, n = all.length; i < n; i++) {
    const m = unchecked(all[i]);
    if (m.ns === ns && prepend_path(new Path(m, m.root), root!).reachable) shown.push(m);
  }
  return shown;
}

/** The first running task (label order) in the mount namespace, whose mountinfo a snapshot shows; null when none is. */
function mountinfoReader(ns: Ns): Task | null {
  for (let l = 0, n = byLabel.length; l < n; l++) {
    const ti = unchecked(byLabel[l]);
    if (ti < 0) continue;
    const t = tasks[ti];
    if (t.state != TASK_RUNNING || !t.nsproxy || t.nsproxy!.of(NS_MNT) !== ns) continue;
    return t;
  }
  return null;
}

/** The mounts a snapshot lists for ns (the first running process's view), or null when no running process is in it. */
export function shownMounts(ns: Ns): Array<Mount> | null {
  const t = mountinfoReader(ns);
  if (!t) return null;
  return mountsUnder(t.fs ? t.fs!.root : null, ns);
}

/** /proc/<pid>/mountinfo of the first running process (label order) in the mount namespace. */
function writeMounts(ns: Ns): void {
  const t = mountinfoReader(ns);
  if (!t) { outI32(-1); return; }
  const root = t.fs ? t.fs!.root : null;
  const shown = mountsUnder(root, ns);
  outI32(shown.length);
  for (let i = 0, n = shown.length; i < n; i++) {
    const m = unchecked(shown[i]);
    outI32(m.id);
    outI32(m.parent ? m.parent!.id : -1);
    outString(prepend_path(new Path(m, m.root), root!).path);
    outString(dentry_path(m.root, m.sb.root));
    outI32(m.sb.type);
    outI32(m.sb.id);
    outI32(m.flags);
    outI32(m.sb.rdonly ? 1 : 0);
    outI32(m.shared ? m.groupId : 0);
    const master = m.master;
    const masterId = master ? master.groupId : 0;
    outI32(masterId);
    const dom = master ? get_dominating_id(m, root!) : 0;
    outI32(dom && dom != masterId ? dom : 0);
    outI32(m.unbindable ? 1 : 0);
  }
}

function outString(s: string): void {
  const u = String.UTF8.encode(s);
  outBytes(changetype<StaticArray<u8>>(u), u.byteLength);
}

