// User namespaces (kernel/user_namespace.c): creation (R28, R67), joining (R47), the owner
// as NS_GET_USERNS sees it (R76), and the id maps and setgroups (R69-R71).

import { W_USERNS_CHROOTED } from "../why";
import { Ns, inc_ucount, dec_ucount, chargeNs, newNs } from "./common";
import { NsOps, IN_CRED, nsOwner } from "./ops";
import { F_USER, NS_USER, opsOf } from "./table";
import { CLONE_NEWUSER } from "../flags";
import { Task } from "../task";
import {
  Cred, INVALID_ID, kgid_has_mapping, kuid_has_mapping, make_kgid, in_userns, make_kuid, map_id_range_down, ns_capable, cap_raised,
  CAP_SETFCAP, CAP_SETGID, CAP_SETUID, CAP_SYS_ADMIN,
  set_cred_user_ns,
} from "../cred";
import { EINVAL, ENOSPC, EPERM } from "../errno";
import { fail, ok } from "../result";
import {
  W_MAP_CAPABLE, W_MAP_INITIAL, W_MAP_LOWER, W_MAP_OPENER_NS, W_MAP_PARSE, W_MAP_PERMITTED, W_MAP_SIZE,
  W_MAP_WRITTEN, W_MAP_WRITTEN_OK, W_NS_GET_OWNER, W_SETGROUPS_ALLOW, W_SETGROUPS_DENY, W_SETGROUPS_PARSE,
  W_UCOUNT, W_USERNS_INSTALL_CAPABLE, W_USERNS_INSTALL_FS, W_USERNS_INSTALL_SAME, W_USERNS_INSTALL_THREADS,
  W_USERNS_LEVEL, W_USERNS_MAPPING,
} from "../why";
import { NsSet } from "../nsproxy";

/** create_user_ns() refuses a parent deeper than this: 33 levels nest below the initial one (R67). */
export const MAX_USER_NS_PARENT_LEVEL: i32 = 32;

/** userns_operations. No copy: a user namespace is made with a cred (create_user_ns), not in an nsproxy. */
export function userns_operations(): NsOps {
  return new NsOps(NS_USER, "user", CLONE_NEWUSER, F_USER, 0xEFFFFFFD, IN_CRED, null, userns_install, nsOwner,
    ns_get_owner);
}

/**
 * create_user_ns(): the new namespace's parent is the creator's, its owner and group the
 * creator's euid and egid (R13). Errors in the kernel's order: depth (ENOSPC), ucount
 * (ENOSPC), unmapped euid or egid (EPERM). On success `cred` moves into it with every
 * capability (R15).
 */
export function create_user_ns(cred: Cred, chrooted: bool = false): i32 {
  const parent = cred.userNs;
  if (parent.level > MAX_USER_NS_PARENT_LEVEL) return fail(ENOSPC, W_USERNS_LEVEL);
  if (!inc_ucount(parent, cred.euid, NS_USER)) return fail(ENOSPC, W_UCOUNT);
  // current_chrooted(): a root that is not the top of the mount namespace's root could be
  // escaped with the capabilities of a new user namespace
  if (chrooted) {
    dec_ucount(parent, cred.euid, NS_USER);
    return fail(EPERM, W_USERNS_CHROOTED);
  }
  if (!kuid_has_mapping(parent, cred.euid) || !kgid_has_mapping(parent, cred.egid)) {
    dec_ucount(parent, cred.euid, NS_USER);
    return fail(EPERM, W_USERNS_MAPPING);
  }
  const ns = newNs(NS_USER, parent, false);
  chargeNs(ns, parent, cred.euid);
  ns.parent = parent; // the reference taken for the owner serves as the parent's
  ns.level = parent.level + 1;
  ns.ownerUid = cred.euid;
  ns.groupGid = cred.egid;
  ns.parentCouldSetfcap = cap_raised(cred.capEffective, CAP_SETFCAP);
  ns.setgroupsAllowed = parent.setgroupsAllowed;
  set_cred_user_ns(cred, ns);
  // the cred now holds the namespace; newNs' reference is that one
  return 0;
}

/**
 * userns_install(): not one's own (EINVAL, R46), single-threaded (EINVAL), an fs_struct of
 * one's own (EINVAL), CAP_SYS_ADMIN in the target (EPERM) — R47.
 */
function userns_install(t: Task, nsset: NsSet, ns: Ns): i32 {
  const cur = t.cred;
  if (ns === cur.userNs) return fail(EINVAL, W_USERNS_INSTALL_SAME);
  if (t.threads.length != 0) return fail(EINVAL, W_USERNS_INSTALL_THREADS);
  if (t.fs!.users != 1) return fail(EINVAL, W_USERNS_INSTALL_FS);
  if (!ns_capable(cur, ns, CAP_SYS_ADMIN)) return fail(EPERM, W_USERNS_INSTALL_CAPABLE);
  set_cred_user_ns(nsset.cred, ns);
  return 0;
}

/**
 * ns_get_owner(): the owning user namespace (ops->owner), if the caller's is it or on its way
 * up (R76); NS_GET_USERNS of any namespace, and NS_GET_PARENT of a user namespace.
 */
export function ns_get_owner(t: Task, ns: Ns): Ns | null {
  const owner = opsOf(ns.type).owner(ns);
  if (owner && in_userns(t.cred.userNs, owner)) return owner;
  fail(EPERM, W_NS_GET_OWNER);
  return null;
}


// --- uid_map / gid_map (map_write) ---------------------------------------------------

const PAGE_SIZE: i32 = 4096;
const UID_GID_MAP_MAX_EXTENTS: i32 = 340;

/** The kernel's isspace(): \t \n \v \f \r, space, and 0xa0 (its ctype table is Latin-1). */
function isSpace(c: i32): bool {
  return c == 32 || (c >= 9 && c <= 13) || c == 0xa0;
}

let parsePos: i32 = 0;

/** simple_strtoul(base 10) up to `len`, truncated to u32 as `extent.first` is. */
function parseU32(buf: StaticArray<u8>, len: i32): u32 {
  let v: u32 = 0;
  while (parsePos < len) {
    const c = <i32>unchecked(buf[parsePos]);
    if (c < 48 || c > 57) break;
    v = v * 10 + <u32>(c - 48);
    parsePos++;
  }
  return v;
}

function skipSpaces(buf: StaticArray<u8>, len: i32): void {
  while (parsePos < len && isSpace(<i32>unchecked(buf[parsePos]))) parsePos++;
}

function charAt(buf: StaticArray<u8>, len: i32): i32 {
  return parsePos < len ? <i32>unchecked(buf[parsePos]) : 0;
}

function overlaps(map: Array<u32>, first: u32, lower: u32, count: u32): bool {
  const upperLast = first + count - 1;
  const lowerLast = lower + count - 1;
  for (let i = 0, n = map.length; i < n; i += 3) {
    const pf = unchecked(map[i]);
    const pl = unchecked(map[i + 1]);
    const pc = unchecked(map[i + 2]);
    const pfl = pf + pc - 1;
    const pll = pl + pc - 1;
    if (pf <= upperLast && pfl >= first) return true;
    if (pl <= lowerLast && pll >= lower) return true;
  }
  return false;
}

/**
 * proc_uid_map_write()/proc_gid_map_write() and map_write(): write the map of `ns` (the
 * target's user namespace) as the process with `opener` credentials would. `data` holds the
 * bytes written (a NUL ends what the kernel reads).
 */
export function map_write(opener: Cred, ns: Ns, gid: bool, data: StaticArray<u8>, count: i32): i32 {
  const parent = ns.parent;
  if (parent === null) return fail(EPERM, W_MAP_INITIAL);
  if (opener.userNs !== ns && opener.userNs !== parent) return fail(EPERM, W_MAP_OPENER_NS);
  if (count >= PAGE_SIZE) return fail(EINVAL, W_MAP_SIZE);
  const map = gid ? ns.gidMap : ns.uidMap;
  if (map.length != 0) return fail(EPERM, W_MAP_WRITTEN);
  if (!ns_capable(opener, ns, CAP_SYS_ADMIN)) return fail(EPERM, W_MAP_CAPABLE);

  // memdup_user_nul(): the kernel reads up to the first NUL
  let len = 0;
  while (len < count && unchecked(data[len]) != 0) len++;

  const nu = new Array<u32>(0);
  let lineStart = 0;
  for (;;) {
    // strchr(pos, '\n') becomes the end of this line; a '\n' at the very end ends the list
    let end = lineStart;
    while (end < len && unchecked(data[end]) != 10) end++;
    let next = -1;
    if (end < len && end + 1 < len) next = end + 1;
    parsePos = lineStart;
    skipSpaces(data, end);
    const first = parseU32(data, end);
    if (!isSpace(charAt(data, end))) return fail(EINVAL, W_MAP_PARSE);
    skipSpaces(data, end);
    const lower = parseU32(data, end);
    if (!isSpace(charAt(data, end))) return fail(EINVAL, W_MAP_PARSE);
    skipSpaces(data, end);
    const cnt = parseU32(data, end);
    const c = charAt(data, end);
    if (c != 0 && !isSpace(c)) return fail(EINVAL, W_MAP_PARSE);
    skipSpaces(data, end);
    if (parsePos < end) return fail(EINVAL, W_MAP_PARSE);
    if (first == INVALID_ID || lower == INVALID_ID) return fail(EINVAL, W_MAP_PARSE);
    if (first + cnt <= first) return fail(EINVAL, W_MAP_PARSE);
    if (lower + cnt <= lower) return fail(EINVAL, W_MAP_PARSE);
    if (overlaps(nu, first, lower, cnt)) return fail(EINVAL, W_MAP_PARSE);
    if (nu.length / 3 + 1 == UID_GID_MAP_MAX_EXTENTS && next >= 0) return fail(EINVAL, W_MAP_PARSE);
    nu.push(first); nu.push(lower); nu.push(cnt);
    if (next < 0) break;
    lineStart = next;
  }
  if (nu.length == 0) return fail(EINVAL, W_MAP_PARSE);
  if (!new_idmap_permitted(opener, ns, gid, nu)) return fail(EPERM, W_MAP_PERMITTED);
  const parentMap = gid ? parent.gidMap : parent.uidMap;
  for (let i = 0, n = nu.length; i < n; i += 3) {
    const lowerK = map_id_range_down(parentMap, unchecked(nu[i + 1]), unchecked(nu[i + 2]));
    if (lowerK == INVALID_ID) return fail(EPERM, W_MAP_LOWER);
    nu[i + 1] = lowerK;
  }
  if (gid) ns.gidMap = nu; else ns.uidMap = nu;
  return ok(W_MAP_WRITTEN_OK);
}

/**
 * verify_root_map(): mapping the parent's uid 0 needs CAP_SETFCAP — remembered at creation
 * when a process writes its own namespace's map, else over the parent (R70).
 */
function verify_root_map(opener: Cred, ns: Ns, map: Array<u32>): bool {
  let hasRoot = false;
  for (let i = 0, n = map.length; i < n; i += 3) if (unchecked(map[i + 1]) == 0) { hasRoot = true; break; }
  if (!hasRoot) return true;
  if (ns === opener.userNs) return ns.parentCouldSetfcap;
  return ns_capable(opener, ns.parent!, CAP_SETFCAP);
}

/**
 * new_idmap_permitted(): one extent of one id, the writer's own euid (egid with setgroups
 * denied), written by the namespace's owner — or CAP_SETUID/CAP_SETGID over the parent (R70).
 */
function new_idmap_permitted(opener: Cred, ns: Ns, gid: bool, map: Array<u32>): bool {
  if (!gid && !verify_root_map(opener, ns, map)) return false;
  const parent = ns.parent!;
  if (map.length == 3 && unchecked(map[2]) == 1 && ns.ownerUid == opener.euid) {
    const id = unchecked(map[1]);
    if (!gid) {
      if (make_kuid(parent, id) == opener.euid) return true;
    } else {
      if (!ns.setgroupsAllowed && make_kgid(parent, id) == opener.egid) return true;
    }
  }
  // CAP_SETUID/CAP_SETGID over the parent, for the writer and the opener (the same here)
  return ns_capable(opener, parent, gid ? CAP_SETGID : CAP_SETUID);
}

/** proc_setgroups_write(): "allow" or "deny" and trailing space; deny is for ever (R71). */
export function proc_setgroups_write(ns: Ns, data: StaticArray<u8>, count: i32): i32 {
  if (count >= 8) return fail(EINVAL, W_SETGROUPS_PARSE);
  let len = 0;
  while (len < count && unchecked(data[len]) != 0) len++;
  let allow = false;
  parsePos = 0;
  if (startsWith(data, len, "allow")) { allow = true; parsePos = 5; }
  else if (startsWith(data, len, "deny")) { parsePos = 4; }
  else return fail(EINVAL, W_SETGROUPS_PARSE);
  skipSpaces(data, len);
  if (parsePos < len) return fail(EINVAL, W_SETGROUPS_PARSE);
  if (allow) {
    if (!ns.setgroupsAllowed) return fail(EPERM, W_SETGROUPS_ALLOW);
  } else {
    if (ns.gidMap.length != 0) return fail(EPERM, W_SETGROUPS_DENY);
    ns.setgroupsAllowed = false;
  }
  return ok(W_MAP_WRITTEN_OK);
}

function startsWith(data: StaticArray<u8>, len: i32, s: string): bool {
  const n = s.length;
  if (len < n) return false;
  for (let i = 0; i < n; i++) if (<i32>unchecked(data[i]) != s.charCodeAt(i)) return false;
  return true;
}
