// struct cred, uid/gid maps and capabilities: ns_capable() (R14), make_kuid()/from_kuid(),
// ptrace_may_access() (R7, R107), commit_creds()' dumpability rule, setuid(2).

import { Ns, initUserNs } from "./ns/common";
import { EINVAL, EPERM } from "./errno";
import { fail, ok } from "./result";
import { W_SETUID_OK, W_SETUID_PERM, W_SETUID_UNMAPPED } from "./why";

export const INVALID_ID: u32 = 0xFFFFFFFF;
export const OVERFLOW_ID: u32 = 65534;

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
  /** cap_permitted and cap_effective: the model's world only knows all capabilities or none. */
  capPermitted: bool = false;
  capEffective: bool = false;

  /** prepare_creds() */
  copy(): Cred {
    const c = new Cred();
    c.userNs = this.userNs;
    c.uid = this.uid; c.euid = this.euid; c.suid = this.suid; c.fsuid = this.fsuid;
    c.gid = this.gid; c.egid = this.egid; c.sgid = this.sgid; c.fsgid = this.fsgid;
    c.capPermitted = this.capPermitted;
    c.capEffective = this.capEffective;
    return c;
  }
}

/** set_cred_user_ns(): every capability, bound to the new user namespace (R15, R101). */
export function set_cred_user_ns(cred: Cred, ns: Ns): void {
  cred.userNs = ns;
  cred.capPermitted = true;
  cred.capEffective = true;
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
 * ns_capable(): does `cred` have the capability in `ns`? Walk up from ns: in the caller's
 * own user namespace its effective set decides; a namespace whose parent is the caller's and
 * whose owner is the caller's euid gives every capability; ancestors never (R14).
 */
export function ns_capable(cred: Cred, target: Ns): bool {
  let ns: Ns = target;
  const mine = cred.userNs;
  while (ns !== mine) {
    if (ns.level <= mine.level) return false;
    const parent = ns.parent;
    if (parent === null) return false;
    if (parent === mine && ns.ownerUid == cred.euid) return true;
    ns = parent;
  }
  return cred.capEffective;
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
  if (set.userNs === subset.userNs) return !subset.capPermitted || set.capPermitted;
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

/** cap_emulate_setxuid(): the root rules when uids change (R101). */
export function cap_emulate_setxuid(nu: Cred, old: Cred): void {
  const root = make_kuid(old.userNs, 0);
  if ((old.uid == root || old.euid == root || old.suid == root) &&
      (nu.uid != root && nu.euid != root && nu.suid != root)) {
    nu.capPermitted = false;
    nu.capEffective = false;
  }
  if (old.euid == root && nu.euid != root) nu.capEffective = false;
  if (old.euid != root && nu.euid == root) nu.capEffective = nu.capPermitted;
}

/**
 * __sys_setuid(): with CAP_SETUID in one's user namespace every uid is set; otherwise only
 * the effective uid, to the real or saved one. Returns the new cred, or null after fail().
 */
export function __sys_setuid(old: Cred, uid: u32): Cred | null {
  const kuid = make_kuid(old.userNs, uid);
  if (kuid == INVALID_ID) { fail(EINVAL, W_SETUID_UNMAPPED); return null; }
  const nu = old.copy();
  if (ns_capable(old, old.userNs)) {
    nu.uid = kuid;
    nu.suid = kuid;
  } else if (kuid != old.uid && kuid != nu.suid) {
    fail(EPERM, W_SETUID_PERM);
    return null;
  }
  nu.euid = kuid;
  nu.fsuid = kuid;
  cap_emulate_setxuid(nu, old);
  ok(W_SETUID_OK);
  return nu;
}
