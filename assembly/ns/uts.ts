// UTS namespaces (kernel/utsname.c, kernel/sys.c): a hostname and a domainname each (R84, R85).

import { Ns, UTS_LEN, createNs, newNs } from "./common";
import { NsOps, IN_NSPROXY, nsOwner } from "./ops";
import { F_UTS, NS_UTS } from "./table";
import { CLONE_NEWUTS } from "../flags";
import { CAP_SYS_ADMIN, Cred, ns_capable } from "../cred";
import { Task } from "../task";
import { EINVAL, EPERM } from "../errno";
import { fail, ok } from "../result";
import { W_NS_INSTALL_CAPABLE, W_SETHOSTNAME, W_SETHOSTNAME_CAPABLE, W_SETHOSTNAME_LEN } from "../why";
import { NsSet } from "../nsproxy";

/** utsns_operations */
export function utsns_operations(): NsOps {
  return new NsOps(NS_UTS, "uts", CLONE_NEWUTS, F_UTS, 0xEFFFFFFE, IN_NSPROXY, copy_utsname, utsns_install, nsOwner, null);
}

/** The trace's initial UTS namespace: the setup's hostname, domainname "(none)". */
export function initUtsNs(owner: Ns, hostname: StaticArray<u8>, len: i32): Ns {
  const ns = newNs(NS_UTS, owner, true);
  setName(ns, true, hostname, 0, len);
  const none = "(none)";
  const d = new StaticArray<u8>(6);
  for (let i = 0; i < 6; i++) d[i] = <u8>none.charCodeAt(i);
  setName(ns, false, d, 0, 6);
  return ns;
}

/** copy_utsname() with CLONE_NEWUTS (clone_uts_ns): a new UTS namespace starts as a copy of the creator's (R84). */
function copy_utsname(old: Ns, cur: Cred, active: Ns, userNs: Ns, euid: u32): Ns | null {
  const ns = createNs(NS_UTS, userNs, euid);
  if (!ns) return null;
  ns.hostname = old.hostname;
  ns.hostnameLen = old.hostnameLen;
  ns.domainname = old.domainname;
  ns.domainnameLen = old.domainnameLen;
  return ns;
}

/** utsns_install(): CAP_SYS_ADMIN over the namespace's owner and in the (new) own user namespace. */
function utsns_install(t: Task, nsset: NsSet, ns: Ns): i32 {
  const cur = t.cred;
  if (!ns_capable(cur, ns.owner!, CAP_SYS_ADMIN) || !ns_capable(cur, nsset.cred.userNs, CAP_SYS_ADMIN)) return fail(EPERM, W_NS_INSTALL_CAPABLE);
  nsset.nsproxy.set(NS_UTS, ns);
  return 0;
}

function setName(ns: Ns, host: bool, src: StaticArray<u8>, off: i32, len: i32): void {
  const name = new StaticArray<u8>(len);
  for (let i = 0; i < len; i++) unchecked(name[i] = src[off + i]);
  if (host) { ns.hostname = name; ns.hostnameLen = len; } else { ns.domainname = name; ns.domainnameLen = len; }
}

/**
 * sethostname()/setdomainname(): CAP_SYS_ADMIN in the user namespace that owns the caller's
 * UTS namespace — checked before the length (R85).
 */
export function setUtsName(cur: Cred, ns: Ns, host: bool, src: StaticArray<u8>, off: i32, len: i32): i32 {
  if (!ns_capable(cur, ns.owner!, CAP_SYS_ADMIN)) return fail(EPERM, W_SETHOSTNAME_CAPABLE);
  if (len < 0 || len > UTS_LEN) return fail(EINVAL, W_SETHOSTNAME_LEN);
  setName(ns, host, src, off, len);
  return ok(W_SETHOSTNAME);
}

/** The name as uname(2) gives it: up to the first NUL byte. */
export function utsNameLength(ns: Ns, host: bool): i32 {
  const name = host ? ns.hostname : ns.domainname;
  const len = host ? ns.hostnameLen : ns.domainnameLen;
  for (let i = 0; i < len; i++) if (unchecked(name[i]) == 0) return i;
  return len;
}
