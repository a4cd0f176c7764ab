// struct cred, uid/gid maps and capabilities: ns_capable() (R14), make_kuid()/from_kuid(),
// ptrace_may_access() (R7, R107), commit_creds()' dumpability rule, setuid(2).

import { Ns, initUserNs } from "./ns/common";

export const INVALID_ID: u32 = 0xFFFFFFFF;
export const OVERFLOW_ID: u32 = 65534;

// Capabilities of Linux 6.18 (include/uapi/linux/capability.h): 41, CAP_LAST_CAP 40.
export const CAP_CHOWN: i32 = 0;
export const CAP_DAC_OVERRIDE: i32 = 1;
export const CAP_KILL: i32 = 5;
export const CAP_SETGID: i32 = 6;
export const CAP_SETUID: i32 = 7;
export const CAP_SETPCAP: i32 = 8;
export const CAP_SYS_CHROOT: i32 = 18;
export const CAP_SYS_PTRACE: i32 = 19;
export const CAP_SYS_ADMIN: i32 = 21;
export const CAP_SETFCAP: i32 = 31;
export const CAP_LAST_CAP: i32 = 40;
/** CAP_FULL_SET: every capability. */
export const CAP_FULL_SET: u64 = (<u64>1 << 41) - 1;

/** cap_valid() */
// @ts-ignore: decorator
@inline export function cap_valid(cap: i32): bool { return cap >= 0 && cap <= CAP_LAST_CAP; }
// @ts-ignore: decorator
@inline export function cap_raised(set: u64, cap: i32): bool { return (set >> <u64>cap) & 1 ? true : false; }
// @ts-ignore: decorator
@inline export function cap_issubset(a: u64, set: u64): bool { return (a & ~set) == 0; }

// securebits (include/uapi/linux/securebits.h)
export const SECURE_NOROOT: u32 = 0;
export const SECURE_NO_SETUID_FIXUP: u32 = 2;
export const SECURE_KEEP_CAPS: u32 = 4;
export const SECURE_KEEP_CAPS_LOCKED: u32 = 5;
export const SECURE_NO_CAP_AMBIENT_RAISE: u32 = 6;
/** SECURE_ALL_BITS | SECURE_ALL_LOCKS of the four classic bits and their locks (bits 0-7). */
export const SECURE_ALL_BITS: u32 = 0x55;
export const SECURE_ALL_LOCKS: u32 = 0xAA;
// @ts-ignore: decorator
@inline export function issecure(c: Cred, bit: u32): bool { return (c.securebits >> bit) & 1 ? true : false; }

/** Credentials. Never changed in place once a task uses them: prepare_creds() copies. */
export class Cred {
  userNs: Ns = initUserNs;
  uid: u32 = 0;
  euid: u32 = 0;
  suid: u32 = 0;
  fsuid: u32 = 0;
  gid: u32 = 0;
  egid: u32 = 0;
  sgid: u32 = 0;
  fsgid: u32 = 0;
  /** group_info: kernel gids, sorted (groups_sort()). */
  groups: Array<u32> = NO_GROUPS;
  securebits: u32 = 0;
  capInheritable: u64 = 0;
  capPermitted: u64 = 0;
  capEffective: u64 = 0;
  capBset: u64 = CAP_FULL_SET;
  capAmbient: u64 = 0;

  /** prepare_creds() */
  copy(): Cred {
    const c = new Cred();
    c.userNs = this.userNs;
    c.uid = this.uid; c.euid = this.euid; c.suid = this.suid; c.fsuid = this.fsuid;
    c.gid = this.gid; c.egid = this.egid; c.sgid = this.sgid; c.fsgid = this.fsgid;
    c.groups = this.groups;
    c.securebits = this.securebits;
    c.capInheritable = this.capInheritable;
    c.capPermitted = this.capPermitted;
    c.capEffective = this.capEffective;
    c.capBset = this.capBset;
    c.capAmbient = this.capAmbient;
    return c;
  }
}

/** The shared empty group list (never written to; a new list replaces it). */
let NO_GROUPS = new Array<u32>(0);
export function resetCreds(): void { NO_GROUPS = new Array<u32>(0); }

/**
 * set_cred_user_ns(): every capability in the new user namespace — permitted, effective and
 * bounding full, inheritable and ambient empty, securebits cleared (R15, R101).
 */
export function set_cred_user_ns(cred: Cred, ns: Ns): void {
  cred.securebits = 0;
  cred.capInheritable = 0;
  cred.capPermitted = CAP_FULL_SET;
  cred.capEffective = CAP_FULL_SET;
  cred.capAmbient = 0;
  cred.capBset = CAP_FULL_SET;
  cred.userNs = ns;
}

// --- id maps (kernel/user_namespace.c) ----------------------------------------------
// A map is a flat list of extents [first, lower_first (a kernel id), count].

/** map_id_range_down(): the kernel id of [id, id+count) in one extent, or INVALID_ID. */
export function map_id_range_down(map: Array<u32>, id: u32, count: u32): u32 {
  const last = id + count - 1;
  for (let i = 0, n = map.length; i < n; i += 3) {
    const first = unchecked(map[i]);
    const lastExt = first + unchecked(map[i + 2]) - 1;
    if (id >= first && id <= lastExt && last >= first && last <= lastExt) return unchecked(map[i + 1]) + (id - first);
  }
  return INVALID_ID;
}

/** map_id_up(): the id inside the namespace of a kernel id, or INVALID_ID. */
export function map_id_up(map: Array<u32>, kid: u32): u32 {
  for (let i = 0, n = map.length; i < n; i += 3) {
    const lower = unchecked(map[i + 1]);
    const lastExt = lower + unchecked(map[i + 2]) - 1;
    if (kid >= lower && kid <= lastExt) return unchecked(map[i]) + (kid - lower);
  }
  return INVALID_ID;
}

export function make_kuid(ns: Ns, uid: u32): u32 { return map_id_range_down(ns.uidMap, uid, 1); }
export function make_kgid(ns: Ns, gid: u32): u32 { return map_id_range_down(ns.gidMap, gid, 1); }
export function from_kuid(ns: Ns, kuid: u32): u32 { return map_id_up(ns.uidMap, kuid); }
export function from_kgid(ns: Ns, kgid: u32): u32 { return map_id_up(ns.gidMap, kgid); }
export function from_kuid_munged(ns: Ns, kuid: u32): u32 {
  const u = from_kuid(ns, kuid);
  return u == INVALID_ID ? OVERFLOW_ID : u;
}
export function kuid_has_mapping(ns: Ns, kuid: u32): bool { return kuid != INVALID_ID && from_kuid(ns, kuid) != INVALID_ID; }
export function kgid_has_mapping(ns: Ns, kgid: u32): bool { return kgid != INVALID_ID && from_kgid(ns, kgid) != INVALID_ID; }

/** The initial user namespace maps every id but (u32)-1 to itself. */
export function setIdentityMaps(ns: Ns): void {
  ns.uidMap = [0, 0, 0xFFFFFFFF];
  ns.gidMap = [0, 0, 0xFFFFFFFF];
}

// --- capabilities (security/commoncap.c cap_capable) --------------------------------

/**
 * ns_capable() through cap_capable(): does `cred` have capability `cap` in `target`? Walk up
 * from target: in the caller's own user namespace its effective set decides; a namespace
 * whose parent is the caller's and whose owner is the caller's euid gives every capability;
 * a namespace at or above the caller's level, never (R14).
 */
export function ns_capable(cred: Cred, target: Ns, cap: i32): bool {
  let ns: Ns = target;
  const mine = cred.userNs;
  while (ns !== mine) {
    if (ns.level <= mine.level) return false;
    const parent = ns.parent;
    if (parent === null) return false;
    if (parent === mine && ns.ownerUid == cred.euid) return true;
    ns = parent;
  }
  return cap_raised(cred.capEffective, cap);
}

/** Is `ns` the same as or a descendant of `ancestor` (in_userns)? */
export function in_userns(ancestor: Ns, ns: Ns): bool {
  let p: Ns | null = ns;
  while (p) {
    if (p === ancestor) return true;
    if (p.level <= ancestor.level) return false;
    p = p.parent;
  }
  return false;
}

/**
 * cred_cap_issubset(set, subset): in one user namespace, the permitted sets; across
 * namespaces, only when `set` owns an ancestor of subset's namespace.
 */
export function cred_cap_issubset(set: Cred, subset: Cred): bool {
  if (set.userNs === subset.userNs) return cap_issubset(subset.capPermitted, set.capPermitted);
  let ns: Ns | null = subset.userNs;
  while (ns && ns.parent !== null) {
    if (ns.parent === set.userNs && ns.ownerUid == set.euid) return true;
    ns = ns.parent;
  }
  return false;
}

/** commit_creds(): a change of euid/egid/fsuid/fsgid, or gained capabilities, make the mm non-dumpable. */
export function credsDropDumpable(old: Cred, nu: Cred): bool {
  return old.euid != nu.euid || old.egid != nu.egid || old.fsuid != nu.fsuid || old.fsgid != nu.fsgid ||
    !cred_cap_issubset(old, nu);
}

