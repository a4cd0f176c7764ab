// The explorer's side of the model (src/explore/): a state's canonical encoding and its
// 64-bit fingerprint, and the compact typed state view that properties' invariants read.
// Read-only: nothing here changes the world, so it may be called between any two steps.
//
// Canonical encoding (exploreEncode): one i32 word sequence that determines the state up to
// (a) the names of labels and (b) the identities of namespaces, open files, descriptor
// tables and fs_structs — each of those is numbered by its first appearance in a fixed walk
// (processes in label order, reaped and never-made labels skipped), so the order in which
// equal namespaces were made does not matter. It holds everything a future step can depend
// on (credentials, maps, PID counters, descriptor tables, refs-by-structure), so two states
// with one encoding have the same futures; it holds everything of TRACE.md's canonical
// snapshot, so two states whose snapshots differ (label names aside) have different
// encodings. The fingerprint is a 64-bit hash of the encoding (README.md, "For researchers": the
// collision bound, and the exact mode that keeps encodings to check every hit).
//
// State view (exploreView): what an invariant reads, the same for the model and for a
// kernel snapshot (src/explore/view.ts builds it from a snapshot): processes and namespaces
// as the canonical snapshot has them, as fixed-width i32 records, hostnames by offset.

import { Mount, treeOf } from "./mnt/mount";
import { Path } from "./mnt/path";
import { Dentry } from "./mnt/dir";
import { mountsShown } from "./mnt/namespace";
import { shownMounts } from "./snapshot";
import { Task, TASK_DEAD, TASK_RUNNING, tasks, byLabel, files, File } from "./task";
import { Ns, namespaces } from "./ns/common";
import { utsNameLength } from "./ns/uts";
import { NS_FILES, NS_MNT, NS_PID, NS_USER, NS_UTS, F_PID_FOR_CHILDREN, nsOfFile } from "./ns/table";

// --- the word buffer ------------------------------------------------------------------

// The encoding and the view are scratch, not world: they live in static memory below the heap
// (so that a checkpoint, which copies the heap, does not copy them), and move to the heap only
// if a state ever needs more room (then start() puts them back).
const ENC_STATIC_WORDS: i32 = 2048;
const ENC_STATIC: usize = memory.data(ENC_STATIC_WORDS << 2);
const VIEW_STATIC: usize = memory.data(ENC_STATIC_WORDS << 2);
let encPtr: usize = ENC_STATIC;
let encCap: i32 = ENC_STATIC_WORDS;
let encLen: i32 = 0;
let viewPtr: usize = VIEW_STATIC;
let viewCap: i32 = ENC_STATIC_WORDS;
let viewLen: i32 = 0;

/** Where the last results are for JS: [fingerprint lo, hi, encoding words, view words]. */
const RESULT_AREA: usize = memory.data(16);

// @ts-ignore: decorator
@inline function put(v: i32): void {
  if (encLen >= encCap) growEnc();
  store<i32>(encPtr + (<usize>encLen << 2), v);
  encLen++;
}

function growEnc(): void {
  const nu = heap.alloc(<usize>encCap << 3);
  memory.copy(nu, encPtr, <usize>encLen << 2);
  encPtr = nu;
  encCap <<= 1;
}

function putBytes(src: StaticArray<u8>, n: i32): void {
  put(n);
  for (let i = 0; i < n; i += 4) {
    let w: i32 = 0;
    for (let j = 0; j < 4 && i + j < n; j++) w |= <i32>unchecked(src[i + j]) << (j * 8);
    put(w);
  }
}

// --- canonical numbering of objects -----------------------------------------------------

/** Canonical number of each namespace by id (-1: not yet met), and the namespaces in that order. */
let nsCanon = new Array<i32>(0);
let nsList = new Array<Ns>(0);
/** Objects numbered by first appearance (pointers). */
let fileObjs = new Array<usize>(0);
let tableObjs = new Array<usize>(0);
let fsObjs = new Array<usize>(0);

// @ts-ignore: decorator
@inline function nsId(ns: Ns | null): i32 {
  if (!ns) return -1;
  let c = unchecked(nsCanon[ns.id]);
  if (c < 0) {
    c = nsList.length;
    unchecked(nsCanon[ns.id] = c);
    nsList.push(ns);
  }
  return c;
}

/** The number of `p` among `list`, and whether it is new (negative: -(number+1) when new). */
function objId(list: Array<usize>, p: usize): i32 {
  for (let i = 0, n = list.length; i < n; i++) if (unchecked(list[i]) == p) return i;
  list.push(p);
  return -list.length;
}

// @ts-ignore: decorator
@inline function labelOfTask(ti: i32): i32 {
  if (ti < 0 || ti >= tasks.length) return -1;
  return unchecked(tasks[ti]).label;
}

function beginNumbering(): void {
  const n = namespaces.length;
  if (nsCanon.length < n) nsCanon = new Array<i32>(n);
  for (let i = 0; i < n; i++) unchecked(nsCanon[i] = -1);
  nsList.length = 0;
  fileObjs.length = 0;
  tableObjs.length = 0;
  fsObjs.length = 0;
}

// @ts-ignore: decorator
@inline function isLive(ti: i32): bool {
  return ti >= 0 && unchecked(tasks[ti]).state != TASK_DEAD;
}

// --- the canonical encoding --------------------------------------------------------------

function encodeFile(f: File | null): void {
  if (!f) { put(-1); return; }
  const id = objId(fileObjs, changetype<usize>(f));
  if (id >= 0) { put(id); return; }
  put(id); // first appearance: its contents follow
  put(f.kind);
  put(nsId(f.ns));
  put(labelOfTask(f.task));
  put(f.cloexec ? 1 : 0);
}

function encodeTask(t: Task): void {
  put(t.state);
  put(t.exitCode);
  put(labelOfTask(t.parent));
  const ch = t.children;
  put(ch.length);
  for (let i = 0, n = ch.length; i < n; i++) put(labelOfTask(unchecked(ch[i])));
  const th = t.threads;
  put(th.length);
  for (let i = 0, n = th.length; i < n; i++) put(unchecked(tasks[unchecked(th[i])]).state);
  const nspid = t.nspid;
  put(nspid.length);
  for (let i = 0, n = nspid.length; i < n; i++) put(unchecked(nspid[i]));
  for (let f = 0; f < NS_FILES; f++) put(nsId(nsOfFile(t, f)));
  // pid_for_children before its init exists: the namespace is real and decides the future
  // (the one place that reads struct nsproxy directly: nsOfFile() hides a pending one)
  if (t.nsproxy && !nsOfFile(t, F_PID_FOR_CHILDREN)) put(nsId(t.nsproxy!.byType[NS_PID]));
  else put(-2);
  const c = t.cred;
  put(<i32>c.uid); put(<i32>c.euid); put(<i32>c.suid); put(<i32>c.fsuid);
  put(<i32>c.gid); put(<i32>c.egid); put(<i32>c.sgid); put(<i32>c.fsgid);
  put((c.capPermitted ? 1 : 0) | (c.capEffective ? 2 : 0) | (t.dumpable ? 4 : 0) |
    (t.sigchldIgnored ? 8 : 0) | (t.unkillable ? 16 : 0));
  put(nsId(c.userNs));
  put(nsId(t.mmUserNs));
  put(t.pdeathSignal);
  const fs = t.fs;
  // -1 (no fs_struct) or an id: >= 0 for one seen before, < 0 the first time (then its paths)
  const fsId = fs ? objId(fsObjs, changetype<usize>(fs)) : -1;
  put(fs ? fsId : 1 << 30);
  if (fs && fsId < 0) {
    // first seen: where its root and working directory are (raw mount ids: sound, if finer than needed)
    encodePath(fs!.root);
    encodePath(fs!.pwd);
  }
  const table = t.files;
  if (!table) { put(-1); return; }
  const tid = objId(tableObjs, changetype<usize>(table));
  put(tid);
  if (tid >= 0) return;
  const labels = table.labels.list;
  put(labels.length);
  for (let i = 0, n = labels.length; i < n; i++) {
    const l = unchecked(labels[i]);
    encodeFile(l >= 0 && l < files.length ? unchecked(files[l]) : null);
  }
}

function encodeNs(ns: Ns): void {
  put(ns.type);
  put(nsId(ns.owner));
  put(nsId(ns.parent));
  put(ns.level);
  put(ns.alive ? 1 : 0);
  const type = ns.type;
  if (type == NS_UTS) {
    putBytes(ns.hostname, ns.hostnameLen);
    putBytes(ns.domainname, ns.domainnameLen);
  } else if (type == NS_PID) {
    put(ns.lastPid);
    put(ns.pidAllocated);
    put(ns.adding ? 1 : 0);
    put(labelOfTask(ns.childReaper));
  } else if (type == NS_MNT) {
    // the mount tree: per mount its parent's place, super block type, flags and propagation
    const r = ns.mntRoot;
    const all = r ? treeOf(r!) : new Array<Mount>(0);
    put(all.length);
    for (let i = 0, n = all.length; i < n; i++) {
      const m = unchecked(all[i]);
      put(m.parent ? all.indexOf(m.parent!) : -1);
      put(m.sb.type);
      if (m.sb.pidNs) put(nsId(m.sb.pidNs));
      put(m.flags | (m.sb.rdonly ? 1 << 30 : 0) | (m.shared ? 1 << 29 : 0) | (m.master ? 1 << 28 : 0) | (m.unbindable ? 1 << 27 : 0));
      // raw identities (sound, if finer than needed): super block, peer group, master's group,
      // where it sits, and the super block's directories
      put(m.sb.id);
      put(m.groupId);
      put(m.master ? m.master!.groupId : 0);
      put(m.mountpoint ? dentryKey(m.mountpoint!) : -1);
      put(dentryKey(m.root));
      encodeDirs(m.sb.root);
    }
  } else if (type == NS_USER) {
    put(<i32>ns.ownerUid);
    put(<i32>ns.groupGid);
    const um = ns.uidMap;
    put(um.length);
    for (let i = 0, n = um.length; i < n; i++) put(<i32>unchecked(um[i]));
    const gm = ns.gidMap;
    put(gm.length);
    for (let i = 0, n = gm.length; i < n; i++) put(<i32>unchecked(gm[i]));
    put((ns.setgroupsAllowed ? 1 : 0) | (ns.parentCouldSetfcap ? 2 : 0));
    const uids = ns.ucUids;
    const counts = ns.ucCounts;
    put(uids.length);
    for (let i = 0, n = uids.length; i < n; i++) put(<i32>unchecked(uids[i]));
    for (let i = 0, n = counts.length; i < n; i++) put(unchecked(counts[i]));
  }
  const uc = ns.ucNs;
  put(uc ? nsId(uc) : -1);
  put(<i32>ns.ucUid);
}

function encodePath(p: Path | null): void {
  if (!p) { put(-1); return; }
  put(p.mnt.id);
  put(dentryKey(p.dentry));
}

/** A directory by its place among its siblings, up to the root (a number per path, for the encoding). */
function dentryKey(d: Dentry): i32 {
  let k: i32 = 0;
  let p: Dentry | null = d;
  while (p && p.parent) {
    k = k * 31 + p.parent!.children.indexOf(p!) + 1;
    p = p.parent;
  }
  return k;
}

/** A directory tree: names, depth first. */
function encodeDirs(d: Dentry): void {
  const c = d.children;
  put(c.length);
  for (let i = 0, n = c.length; i < n; i++) {
    const name = String.UTF8.encode(unchecked(c[i]).name);
    putBytes(changetype<StaticArray<u8>>(name), name.byteLength);
    encodeDirs(unchecked(c[i]));
  }
}

/** The canonical encoding of the world now (words at exploreEncodingPointer()); returns its length. */
export function exploreEncode(): i32 {
  encLen = 0;
  beginNumbering();
  let live = 0;
  for (let l = 0, n = byLabel.length; l < n; l++) if (isLive(unchecked(byLabel[l]))) live++;
  put(live);
  for (let l = 0, n = byLabel.length; l < n; l++) {
    const ti = unchecked(byLabel[l]);
    if (!isLive(ti)) continue;
    encodeTask(unchecked(tasks[ti]));
  }
  // namespaces in canonical order; the list grows as owners, parents and mounts are met
  const start = encLen;
  put(0);
  for (let i = 0; i < nsList.length; i++) encodeNs(unchecked(nsList[i]));
  store<i32>(encPtr + (<usize>start << 2), nsList.length);
  store<i32>(RESULT_AREA + 8, encLen);
  return encLen;
}

export function exploreEncodingPointer(): usize { return encPtr; }
export function exploreResultPointer(): usize { return RESULT_AREA; }

// @ts-ignore: decorator
@inline function mix64(h: u64): u64 {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccd;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53;
  h ^= h >> 33;
  return h;
}

/**
 * The fingerprint of the world now: the encoding (made again), hashed to 64 bits — xxHash64's
 * multiply-rotate round over each 8 bytes, finished by murmur3's fmix64 (a good 64-bit mix:
 * the collision bound in README.md assumes a uniform hash). Stored at exploreResultPointer() as lo, hi; returns lo.
 */
export function exploreFingerprint(): i32 {
  const n = exploreEncode();
  let h: u64 = 0x9E3779B97F4A7C15 ^ (<u64>n * 0xC2B2AE3D27D4EB4F);
  const p = encPtr;
  let i = 0;
  // two words at a time: one 64-bit multiply-rotate round (xxHash64's) per 8 bytes
  for (; i + 1 < n; i += 2) {
    const w = load<u64>(p + (<usize>i << 2));
    h = rotl<u64>(h ^ (w * 0xC2B2AE3D27D4EB4F), 31) * 0x9E3779B97F4A7C15;
  }
  if (i < n) h = rotl<u64>(h ^ (<u64><u32>load<i32>(p + (<usize>i << 2)) * 0x165667B19E3779F9), 27) * 0x85EBCA77C2B2AE63;
  h = mix64(h);
  store<u32>(RESULT_AREA, <u32>h);
  store<u32>(RESULT_AREA + 4, <u32>(h >> 32));
  return <i32><u32>h;
}

// --- the state view ----------------------------------------------------------------------

/** Words per process record: label, state, uid, pid level, pid (own namespace), 10 namespace files. */
export const VIEW_PROC_WORDS: i32 = 15;
/** Words per namespace record: type, owner, parent, level, hostname offset, domainname offset (-1: none). */
export const VIEW_NS_WORDS: i32 = 7;


// @ts-ignore: decorator
@inline function vput(v: i32): void {
  if (viewLen >= viewCap) growView();
  store<i32>(viewPtr + (<usize>viewLen << 2), v);
  viewLen++;
}

function growView(): void {
  const nu = heap.alloc(<usize>viewCap << 3);
  memory.copy(nu, viewPtr, <usize>viewLen << 2);
  viewPtr = nu;
  viewCap <<= 1;
}

/** Overwrite word `i` of the view. */
// @ts-ignore: decorator
@inline function vset(i: i32, v: i32): void {
  store<i32>(viewPtr + (<usize>i << 2), v);
}

function vbytes(src: StaticArray<u8>, n: i32): void {
  vput(n);
  for (let i = 0; i < n; i += 4) {
    let w: i32 = 0;
    for (let j = 0; j < 4 && i + j < n; j++) w |= <i32>unchecked(src[i + j]) << (j * 8);
    vput(w);
  }
}

/**
 * The view of the world now (words at exploreViewPointer()); returns its length. Layout:
 *   nProcs, then VIEW_PROC_WORDS per process not yet reaped, in label order;
 *   nFds, then per descriptor held by a running process: holder label, fd label, namespace (-1: a pidfd);
 *   nNs, then VIEW_NS_WORDS per namespace, numbered as TRACE.md's canonical snapshot numbers them
 *     (processes' files, then descriptors, then owners and parents);
 *   then the name strings (a length word, then the bytes, 4 to a word), where the offsets point.
 * Namespace fields of processes and namespaces are these numbers (-1: null).
 */
export function exploreView(): i32 {
  viewLen = 0;
  beginNumbering();
  let live = 0;
  for (let l = 0, n = byLabel.length; l < n; l++) if (isLive(unchecked(byLabel[l]))) live++;
  vput(live);
  for (let l = 0, n = byLabel.length; l < n; l++) {
    const ti = unchecked(byLabel[l]);
    if (!isLive(ti)) continue;
    const t = unchecked(tasks[ti]);
    vput(l);
    vput(t.state);
    vput(<i32>t.cred.uid);
    const nspid = t.nspid;
    vput(nspid.length - 1);
    vput(nspid.length ? unchecked(nspid[nspid.length - 1]) : 0);
    for (let f = 0; f < NS_FILES; f++) vput(nsId(nsOfFile(t, f)));
  }
  // descriptors held by running processes (per holder: a table shared by several is listed for each)
  const fdStart = viewLen;
  vput(0);
  let nFds = 0;
  for (let l = 0, n = byLabel.length; l < n; l++) {
    const ti = unchecked(byLabel[l]);
    if (ti < 0) continue;
    const t = unchecked(tasks[ti]);
    if (t.state != TASK_RUNNING || !t.files) continue;
    const labels = t.files!.labels.list;
    for (let i = 0, m = labels.length; i < m; i++) {
      const fl = unchecked(labels[i]);
      const f = fl >= 0 && fl < files.length ? unchecked(files[fl]) : null;
      if (!f) continue;
      vput(l);
      vput(fl);
      vput(f.kind == 0 ? nsId(f.ns) : -1);
      nFds++;
    }
  }
  vset(fdStart, nFds);
  for (let i = 0; i < nsList.length; i++) {
    const ns = unchecked(nsList[i]);
    nsId(ns.owner);
    nsId(ns.parent);
  }
  const nNs = nsList.length;
  vput(nNs);
  const nsStart = viewLen;
  for (let i = 0; i < nNs; i++) {
    const ns = unchecked(nsList[i]);
    vput(ns.type);
    vput(nsId(ns.owner));
    vput(nsId(ns.parent));
    vput(ns.level);
    vput(-1);
    vput(-1);
    // a mount namespace's mounts as the snapshot lists them (-1: not shown, or nobody in it)
    const shown = ns.type == NS_MNT && mountsShown() ? shownMounts(ns) : null;
    vput(shown ? shown.length : -1);
  }
  for (let i = 0; i < nNs; i++) {
    const ns = unchecked(nsList[i]);
    if (ns.type != NS_UTS) continue;
    const r = nsStart + i * VIEW_NS_WORDS;
    vset(r + 4, viewLen);
    vbytes(ns.hostname, utsNameLength(ns, true));
    vset(r + 5, viewLen);
    vbytes(ns.domainname, utsNameLength(ns, false));
  }
  store<i32>(RESULT_AREA + 12, viewLen);
  return viewLen;
}

export function exploreViewPointer(): usize { return viewPtr; }

/**
 * The end of the heap now (a zero-byte allocation's address): everything of the world lies
 * below it, so a checkpoint copies the memory up to here (with the globals).
 */
export function exploreHeapTop(): usize {
  return heap.alloc(0);
}

/** Where the explorer keeps the model's globals while it saves a world (8 bytes each; src/explore/world.ts). */
const GLOBALS_AREA: usize = memory.data(8 * 256);

/** The globals area, for `count` globals (0 when they do not fit). */
export function exploreGlobalsPointer(count: i32): usize {
  return count <= 256 ? GLOBALS_AREA : 0;
}

/** The start of the heap (what lies below is static data the model never writes after start). */
export function exploreHeapBase(): usize {
  return __heap_base;
}

/**
 * Make this module's buffers again after start() emptied the heap (the explorer calls it
 * after every start; nothing else uses them).
 */
export function exploreReset(): void {
  encPtr = ENC_STATIC;
  encCap = ENC_STATIC_WORDS;
  encLen = 0;
  viewPtr = VIEW_STATIC;
  viewCap = ENC_STATIC_WORDS;
  viewLen = 0;
  nsCanon = new Array<i32>(0);
  nsList = new Array<Ns>(0);
  fileObjs = new Array<usize>(0);
  tableObjs = new Array<usize>(0);
  fsObjs = new Array<usize>(0);
}
