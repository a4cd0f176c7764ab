// struct ns_common and what every namespace type shares: the table of namespaces, reference
// counts (a namespace lives while anything holds it: a member, a descriptor, a child
// namespace, a *_for_children link, an owned namespace — R73), inode numbers as the kernel
// hands them out (R4, R5), and the per-user-namespace counts behind max_*_namespaces (R98).

import { NS_TYPES, initialInum } from "./table";
import { ENOSPC } from "../errno";
import { fail } from "../result";
import { W_UCOUNT } from "../why";
import { Mount } from "../mnt/mount";
import { free_mnt_tree } from "../mnt/namespace";

/** The largest hostname/domainname (__NEW_UTS_LEN). */
export const UTS_LEN: i32 = 64;

export class Ns {
  /** Index in the namespace table: the model's raw key for it. */
  id: i32 = 0;
  type: i32 = 0;
  /** The inode number /proc/<pid>/ns/* shows (display only). */
  inum: u32 = 0;
  refs: i32 = 0;
  alive: bool = true;
  /** The owning user namespace; for a user namespace its parent (null for the initial one). */
  owner: Ns | null = null;
  /** pid and user namespaces: the parent (null for the trace's initial ones). */
  parent: Ns | null = null;
  /** pid and user namespaces: depth below the trace's initial one. */
  level: i32 = 0;
  /** Where this namespace was charged (inc_ucount): user namespace and kuid. */
  ucNs: Ns | null = null;
  ucUid: u32 = 0;

  // uts
  hostname: StaticArray<u8> = EMPTY_NAME;
  hostnameLen: i32 = 0;
  domainname: StaticArray<u8> = EMPTY_NAME;
  domainnameLen: i32 = 0;

  // pid
  /** The last PID handed out here (idr cursor - 1). */
  lastPid: i32 = 0;
  /** PIDs in use here (struct pid_namespace.pid_allocated without PIDNS_ADDING). */
  pidAllocated: i32 = 0;
  /** PIDNS_ADDING: the namespace still takes new processes. */
  adding: bool = true;
  /** child_reaper: the init (task index), -1 until the first process exists. */
  childReaper: i32 = -1;

  // mnt
  /** The root of the namespace's mount tree (mnt_ns->root: the machine's root below the trace's "/"). */
  mntRoot: Mount | null = null;
  /** nr_mounts */
  nrMounts: i32 = 0;
  /** pending_mounts: counted by count_mounts(), not yet attached. */
  pendingMounts: i32 = 0;

  // user
  /** The creator's euid and egid (kuids). */
  ownerUid: u32 = 0;
  groupGid: u32 = 0;
  uidMap: Array<u32> = NO_IDS;
  gidMap: Array<u32> = NO_IDS;
  setgroupsAllowed: bool = true;
  parentCouldSetfcap: bool = false;
  /** ucounts charged in this user namespace: uids, and NS_TYPES counters per uid. */
  ucUids: Array<u32> = NO_IDS;
  ucCounts: Array<i32> = NO_COUNTS;
}

/**
 * Shared empty lists (never written to: ucountSlot(), map writes and mounts replace them).
 * Heap objects, made again by resetNamespaces() when start() empties the heap.
 */
export let NO_IDS = new Array<u32>(0);
export let NO_NS = new Array<Ns>(0);
let NO_COUNTS = new Array<i32>(0);

let EMPTY_NAME = new StaticArray<u8>(0);

/** Every namespace ever made, by id. */
export let namespaces: Array<Ns> = new Array<Ns>(0);

/** The initial user namespace (the machine's, R11). */
export let initUserNs: Ns = new Ns();
export function setInitUserNs(ns: Ns): void { initUserNs = ns; }

/** Make the module's objects again (the shared empty ones first: a new Ns uses them). */
export function resetNamespaces(): void {
  NO_IDS = new Array<u32>(0);
  NO_NS = new Array<Ns>(0);
  NO_COUNTS = new Array<i32>(0);
  EMPTY_NAME = new StaticArray<u8>(0);
  initUserNs = new Ns();
  namespaces = new Array<Ns>(0);
  freeInums = new Array<u32>(0);
  nextInumIndex = 0;
}

// --- inode numbers -------------------------------------------------------------------

/** PROC_DYNAMIC_FIRST, and where the model's free indices start (a booted machine has used some). */
const PROC_DYNAMIC_FIRST: u32 = 0xF0000000;
const FIRST_FREE_INDEX: u32 = 0x1F0;
let freeInums = new Array<u32>(0);
let nextInumIndex: u32 = 0;

/** proc_alloc_inum(): the lowest free number (R5: freed numbers are reused). */
function proc_alloc_inum(): u32 {
  const n = freeInums.length;
  if (n > 0) {
    let best = 0;
    for (let i = 1; i < n; i++) if (unchecked(freeInums[i]) < unchecked(freeInums[best])) best = i;
    const inum = unchecked(freeInums[best]);
    freeInums[best] = unchecked(freeInums[n - 1]);
    freeInums.pop();
    return inum;
  }
  return PROC_DYNAMIC_FIRST + FIRST_FREE_INDEX + nextInumIndex++;
}

/** proc_free_inum(): the number may be handed out again (numbers of initial namespaces never are). */
function proc_free_inum(inum: u32): void {
  if (inum >= PROC_DYNAMIC_FIRST) freeInums.push(inum);
}

// --- life ----------------------------------------------------------------------------

/** ns_common_init() for a new namespace; the caller holds the first reference. */
export function newNs(type: i32, owner: Ns | null, initial: bool): Ns {
  const ns = new Ns();
  ns.id = namespaces.length;
  ns.type = type;
  ns.refs = 1;
  ns.owner = owner;
  if (owner) getNs(owner);
  ns.inum = initial ? initialInum(type) : proc_alloc_inum();
  namespaces.push(ns);
  return ns;
}

/** get_*_ns(): one more reference. */
export function getNs(ns: Ns): Ns {
  ns.refs++;
  return ns;
}

/** put_*_ns(): the last reference frees the namespace and what it holds. */
export function putNs(ns: Ns | null): void {
  while (ns) {
    if (--ns.refs > 0) return;
    ns.alive = false;
    proc_free_inum(ns.inum);
    const uc = ns.ucNs;
    if (uc) dec_ucount(uc, ns.ucUid, ns.type);
    const parent = ns.parent;
    const owner = ns.owner;
    ns.parent = null;
    if (parent && parent !== owner) putNs(parent);
    // free_mnt_ns() and the umounts of its tree: the proc mounts let go of their PID namespaces
    if (ns.mntRoot) free_mnt_tree(ns);
    ns.ucNs = null;
    ns = owner;
  }
}

// --- ucounts (kernel/ucount.c) ----------------------------------------------------------

/** max_*_namespaces in the initial user namespace: threads-max / 2 on the reference machine (R97). */
export const INIT_UCOUNT_MAX: i32 = 96365;
/** A child user namespace starts at INT_MAX (R97). */
export const CHILD_UCOUNT_MAX: i32 = 2147483647;

function ucountSlot(userNs: Ns, uid: u32): i32 {
  let uids = userNs.ucUids;
  for (let i = 0, n = uids.length; i < n; i++) if (unchecked(uids[i]) == uid) return i * NS_TYPES;
  if (uids === NO_IDS) {
    uids = userNs.ucUids = new Array<u32>(0);
    userNs.ucCounts = new Array<i32>(0);
  }
  uids.push(uid);
  for (let t = 0; t < NS_TYPES; t++) userNs.ucCounts.push(0);
  return (uids.length - 1) * NS_TYPES;
}

/**
 * inc_ucount(): charge (userNs, uid) and then every ancestor level with (parent, the uid that
 * created the child user namespace), each against its own maximum. False when a level is full.
 */
export function inc_ucount(userNs: Ns, uid: u32, type: i32): bool {
  let ns: Ns | null = userNs;
  let u = uid;
  while (ns) {
    const slot = ucountSlot(ns, u) + type;
    const max = ns.parent === null ? INIT_UCOUNT_MAX : CHILD_UCOUNT_MAX;
    if (unchecked(ns.ucCounts[slot]) >= max) {
      // undo the levels already charged
      let back: Ns | null = userNs;
      let bu = uid;
      while (back && back !== ns) {
        const s = ucountSlot(back, bu) + type;
        back.ucCounts[s] = unchecked(back.ucCounts[s]) - 1;
        bu = back.ownerUid;
        back = back.parent;
      }
      return false;
    }
    ns.ucCounts[slot] = unchecked(ns.ucCounts[slot]) + 1;
    u = ns.ownerUid;
    ns = ns.parent;
  }
  return true;
}

/** dec_ucount(): give back what inc_ucount() charged, at every level. */
export function dec_ucount(userNs: Ns, uid: u32, type: i32): void {
  let ns: Ns | null = userNs;
  let u = uid;
  while (ns) {
    const slot = ucountSlot(ns, u) + type;
    ns.ucCounts[slot] = unchecked(ns.ucCounts[slot]) - 1;
    u = ns.ownerUid;
    ns = ns.parent;
  }
}

/** Charge a new namespace of `type` owned by userNs to (userNs, uid); remember it for the free. */
export function chargeNs(ns: Ns, userNs: Ns, uid: u32): void {
  ns.ucNs = userNs;
  ns.ucUid = uid;
}

/**
 * alloc_*_ns() common part: charge (userNs, euid) for one more namespace of `type`
 * (ENOSPC past a limit, R98), then make it, owned by userNs. Null after fail() recorded the error.
 */
export function createNs(type: i32, userNs: Ns, euid: u32): Ns | null {
  if (!inc_ucount(userNs, euid, type)) { fail(ENOSPC, W_UCOUNT); return null; }
  const ns = newNs(type, userNs, false);
  chargeNs(ns, userNs, euid);
  return ns;
}
