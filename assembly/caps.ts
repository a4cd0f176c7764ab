// The credential transitions (kernel/sys.c, kernel/groups.c, kernel/capability.c,
// security/commoncap.c): setuid, setresuid, setresgid, setgroups, capset, and the prctl
// options of capabilities. Each makes a new cred (prepare_creds) or fails; the caller
// commits it (commit_creds: dumpability and the parent-death signal).

import {
  Cred, INVALID_ID, make_kuid, make_kgid, ns_capable, cap_issubset, cap_raised, cap_valid, issecure,
  CAP_SETGID, CAP_SETPCAP, CAP_SETUID, SECURE_ALL_BITS, SECURE_ALL_LOCKS, SECURE_KEEP_CAPS, SECURE_KEEP_CAPS_LOCKED,
  SECURE_NO_CAP_AMBIENT_RAISE, SECURE_NO_SETUID_FIXUP,
} from "./cred";
import { EINVAL, EPERM } from "./errno";
import { fail, ok } from "./result";
import {
  W_AMBIENT_OK, W_AMBIENT_PERM, W_CAPBSET_OK, W_CAPBSET_PERM, W_CAPSET_EFF, W_CAPSET_INH, W_CAPSET_OK, W_CAPSET_PRM,
  W_KEEPCAPS_LOCKED, W_KEEPCAPS_OK, W_SECUREBITS_OK, W_SECUREBITS_PERM, W_SETGROUPS_INVAL, W_SETGROUPS_OK,
  W_SETGROUPS_PERM, W_SETRESGID_INVAL, W_SETRESGID_OK, W_SETRESGID_PERM, W_SETRESUID_INVAL, W_SETRESUID_OK,
  W_SETRESUID_PERM, W_SETUID_OK, W_SETUID_PERM, W_SETUID_UNMAPPED,
} from "./why";

/** (uid_t)-1: "leave it" for setresuid/setresgid. */
export const KEEP_ID: u32 = 0xFFFFFFFF;

/**
 * cap_emulate_setxuid() (cap_task_fix_setuid, unless SECBIT_NO_SETUID_FIXUP): when no uid is
 * root any more the permitted and effective sets go (SECBIT_KEEP_CAPS keeps them) and the
 * ambient set always; leaving euid 0 clears the effective set, reaching it fills it from the
 * permitted set (R101).
 */
export function cap_emulate_setxuid(nu: Cred, old: Cred): void {
  if (issecure(old, SECURE_NO_SETUID_FIXUP)) return;
  const root = make_kuid(old.userNs, 0);
  if ((old.uid == root || old.euid == root || old.suid == root) &&
      (nu.uid != root && nu.euid != root && nu.suid != root)) {
    if (!issecure(old, SECURE_KEEP_CAPS)) {
      nu.capPermitted = 0;
      nu.capEffective = 0;
    }
    nu.capAmbient = 0;
  }
  if (old.euid == root && nu.euid != root) nu.capEffective = 0;
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
  if (ns_capable(old, old.userNs, CAP_SETUID)) {
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

/** An id that is none of the old three. */
function isNew(k: u32, given: u32, a: u32, b: u32, c: u32): bool {
  return given != KEEP_ID && k != a && k != b && k != c;
}

/**
 * __sys_setresuid() / __sys_setresgid(): each id given must be mapped (EINVAL); a call that
 * changes nothing succeeds at once; an id that is none of the caller's real, effective and
 * saved ones needs CAP_SETUID (CAP_SETGID) in its user namespace (EPERM). The fs id follows
 * the effective one; for uids, cap_emulate_setxuid(). Returns null (and `noop` true) for a
 * no-op, null after fail() for an error.
 */
export let resNoop = false;
export function __sys_setresxid(old: Cred, gid: bool, r: u32, e: u32, s: u32): Cred | null {
  resNoop = false;
  const ns = old.userNs;
  const kr = r == KEEP_ID ? INVALID_ID : (gid ? make_kgid(ns, r) : make_kuid(ns, r));
  const ke = e == KEEP_ID ? INVALID_ID : (gid ? make_kgid(ns, e) : make_kuid(ns, e));
  const ks = s == KEEP_ID ? INVALID_ID : (gid ? make_kgid(ns, s) : make_kuid(ns, s));
  if ((r != KEEP_ID && kr == INVALID_ID) || (e != KEEP_ID && ke == INVALID_ID) || (s != KEEP_ID && ks == INVALID_ID)) {
    fail(EINVAL, gid ? W_SETRESGID_INVAL : W_SETRESUID_INVAL);
    return null;
  }
  const ou = gid ? old.gid : old.uid;
  const oe = gid ? old.egid : old.euid;
  const os = gid ? old.sgid : old.suid;
  const ofs = gid ? old.fsgid : old.fsuid;
  if ((r == KEEP_ID || kr == ou) && (e == KEEP_ID || (ke == oe && ke == ofs)) && (s == KEEP_ID || ks == os)) {
    resNoop = true;
    ok(gid ? W_SETRESGID_OK : W_SETRESUID_OK);
    return null;
  }
  if ((isNew(kr, r, ou, oe, os) || isNew(ke, e, ou, oe, os) || isNew(ks, s, ou, oe, os)) &&
      !ns_capable(old, ns, gid ? CAP_SETGID : CAP_SETUID)) {
    fail(EPERM, gid ? W_SETRESGID_PERM : W_SETRESUID_PERM);
    return null;
  }
  const nu = old.copy();
  if (gid) {
    if (r != KEEP_ID) nu.gid = kr;
    if (e != KEEP_ID) nu.egid = ke;
    if (s != KEEP_ID) nu.sgid = ks;
    nu.fsgid = nu.egid;
    ok(W_SETRESGID_OK);
  } else {
    if (r != KEEP_ID) nu.uid = kr;
    if (e != KEEP_ID) nu.euid = ke;
    if (s != KEEP_ID) nu.suid = ks;
    nu.fsuid = nu.euid;
    cap_emulate_setxuid(nu, old);
    ok(W_SETRESUID_OK);
  }
  return nu;
}

/**
 * setgroups(2): may_setgroups() (CAP_SETGID in one's user namespace, a gid map there and
 * setgroups allowed, EPERM), each gid mapped (EINVAL), then the list sorted as groups_sort() does.
 */
export function sys_setgroups(old: Cred, list: Array<u32>): Cred | null {
  const ns = old.userNs;
  // userns_may_setgroups(): a gid map written, and setgroups allowed
  if (!ns_capable(old, ns, CAP_SETGID) || ns.gidMap.length == 0 || !ns.setgroupsAllowed) {
    fail(EPERM, W_SETGROUPS_PERM);
    return null;
  }
  const groups = new Array<u32>(list.length);
  for (let i = 0, n = list.length; i < n; i++) {
    const k = make_kgid(ns, unchecked(list[i]));
    if (k == INVALID_ID) { fail(EINVAL, W_SETGROUPS_INVAL); return null; }
    unchecked(groups[i] = k);
  }
  groups.sort((a: u32, b: u32): i32 => (a < b ? -1 : a > b ? 1 : 0));
  const nu = old.copy();
  nu.groups = groups;
  ok(W_SETGROUPS_OK);
  return nu;
}

/**
 * capset(2) on oneself, cap_capset(): the new inheritable set within the old inheritable and
 * permitted sets unless CAP_SETPCAP, and within the old inheritable and bounding sets; the new
 * permitted set within the old; the new effective within the new permitted (EPERM each). The
 * ambient set keeps what is both permitted and inheritable.
 */
export function sys_capset(old: Cred, eff: u64, prm: u64, inh: u64): Cred | null {
  const capped = !ns_capable(old, old.userNs, CAP_SETPCAP);
  if (capped && !cap_issubset(inh, old.capInheritable | old.capPermitted)) { fail(EPERM, W_CAPSET_INH); return null; }
  if (!cap_issubset(inh, old.capInheritable | old.capBset)) { fail(EPERM, W_CAPSET_INH); return null; }
  if (!cap_issubset(prm, old.capPermitted)) { fail(EPERM, W_CAPSET_PRM); return null; }
  if (!cap_issubset(eff, prm)) { fail(EPERM, W_CAPSET_EFF); return null; }
  const nu = old.copy();
  nu.capEffective = eff;
  nu.capInheritable = inh;
  nu.capPermitted = prm;
  nu.capAmbient = nu.capAmbient & prm & inh;
  ok(W_CAPSET_OK);
  return nu;
}

// prctl options (include/uapi/linux/prctl.h)
export const PR_SET_DUMPABLE: i32 = 4;
export const PR_SET_KEEPCAPS: i32 = 8;
export const PR_CAPBSET_DROP: i32 = 24;
export const PR_SET_SECUREBITS: i32 = 28;
export const PR_SET_NO_NEW_PRIVS: i32 = 38;
export const PR_CAP_AMBIENT: i32 = 47;
export const PR_CAP_AMBIENT_RAISE: i32 = 2;
export const PR_CAP_AMBIENT_LOWER: i32 = 3;
export const PR_CAP_AMBIENT_CLEAR_ALL: i32 = 4;

/** cap_prctl_drop(): CAP_SETPCAP in one's user namespace (EPERM), a valid capability (EINVAL). */
export function cap_prctl_drop(old: Cred, cap: i32): Cred | null {
  if (!ns_capable(old, old.userNs, CAP_SETPCAP)) { fail(EPERM, W_CAPBSET_PERM); return null; }
  if (!cap_valid(cap)) { fail(EINVAL, W_CAPBSET_PERM); return null; }
  const nu = old.copy();
  nu.capBset = nu.capBset & ~(<u64>1 << <u64>cap);
  ok(W_CAPBSET_OK);
  return nu;
}

/** PR_CAP_AMBIENT: clear all; raise (permitted, inheritable, not SECBIT_NO_CAP_AMBIENT_RAISE: EPERM) or lower. */
export function cap_ambient(old: Cred, op: i32, cap: i32): Cred | null {
  const nu = old.copy();
  if (op == PR_CAP_AMBIENT_CLEAR_ALL) {
    nu.capAmbient = 0;
    ok(W_AMBIENT_OK);
    return nu;
  }
  if (!cap_valid(cap) || (op != PR_CAP_AMBIENT_RAISE && op != PR_CAP_AMBIENT_LOWER)) { fail(EINVAL, W_AMBIENT_PERM); return null; }
  if (op == PR_CAP_AMBIENT_RAISE) {
    if (!cap_raised(old.capPermitted, cap) || !cap_raised(old.capInheritable, cap) ||
        issecure(old, SECURE_NO_CAP_AMBIENT_RAISE)) { fail(EPERM, W_AMBIENT_PERM); return null; }
    nu.capAmbient |= <u64>1 << <u64>cap;
  } else {
    nu.capAmbient &= ~(<u64>1 << <u64>cap);
  }
  ok(W_AMBIENT_OK);
  return nu;
}

/** PR_SET_KEEPCAPS: 0 or 1 (EINVAL), not while SECBIT_KEEP_CAPS_LOCKED (EPERM). */
export function set_keepcaps(old: Cred, v: i32): Cred | null {
  if (v < 0 || v > 1) { fail(EINVAL, W_KEEPCAPS_LOCKED); return null; }
  if (issecure(old, SECURE_KEEP_CAPS_LOCKED)) { fail(EPERM, W_KEEPCAPS_LOCKED); return null; }
  const nu = old.copy();
  if (v) nu.securebits |= 1 << SECURE_KEEP_CAPS; else nu.securebits &= ~(<u32>1 << SECURE_KEEP_CAPS);
  ok(W_KEEPCAPS_OK);
  return nu;
}

/**
 * PR_SET_SECUREBITS: no locked bit changes, no lock is removed, no unknown bit, and
 * CAP_SETPCAP in one's user namespace — EPERM for any (cap_task_prctl).
 */
export function set_securebits(old: Cred, bits: u32): Cred | null {
  const sb = old.securebits;
  if ((((sb & SECURE_ALL_LOCKS) >> 1) & (sb ^ bits)) != 0 || (sb & SECURE_ALL_LOCKS & ~bits) != 0 ||
      (bits & ~(SECURE_ALL_LOCKS | SECURE_ALL_BITS)) != 0 || !ns_capable(old, old.userNs, CAP_SETPCAP)) {
    fail(EPERM, W_SECUREBITS_PERM);
    return null;
  }
  const nu = old.copy();
  nu.securebits = bits;
  ok(W_SECUREBITS_OK);
  return nu;
}
