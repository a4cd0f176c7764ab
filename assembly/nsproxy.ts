// kernel/nsproxy.c: the namespaces a task holds besides its user namespace (in its cred)
// and its active PID namespace (in its struct pid); creating them for clone and unshare
// (create_new_namespaces, copy_namespaces), and the set setns() builds, checks and commits.

import { Ns, getNs, putNs, nsErr } from "./ns/common";
import { copyMntNs } from "./ns/mnt";
import { copyUtsname } from "./ns/uts";
import { copyIPCNs } from "./ns/ipc";
import { copyPidNs } from "./ns/pid";
import { copyCgroupNs } from "./ns/cgroup";
import { copyNETNs } from "./ns/net";
import { copyTimeNs } from "./ns/time";
import { Cred, nsCapable } from "./cred";
import {
  CLONE_NEWCGROUP, CLONE_NEWIPC, CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWTIME, CLONE_NEWUTS,
  CLONE_NEW_NSPROXY, CLONE_SYSVSEM, CLONE_VM,
} from "./flags";
import { EINVAL, EPERM } from "./errno";
import { fail } from "./result";
import { W_COPY_NS_CAPABLE, W_COPY_NS_SYSVSEM } from "./why";

/**
 * struct nsproxy: shared by tasks (count) until one of them changes a namespace; then it gets
 * a new one (copy()). It holds one reference on every namespace in it.
 */
export class NsProxy {
  count: i32 = 1;
  mnt: Ns;
  uts: Ns;
  ipc: Ns;
  net: Ns;
  cgroup: Ns;
  pidForChildren: Ns;
  time: Ns;
  timeForChildren: Ns;

  constructor(mnt: Ns, uts: Ns, ipc: Ns, net: Ns, cgroup: Ns, pidForChildren: Ns, time: Ns, timeForChildren: Ns) {
    this.mnt = mnt;
    this.uts = uts;
    this.ipc = ipc;
    this.net = net;
    this.cgroup = cgroup;
    this.pidForChildren = pidForChildren;
    this.time = time;
    this.timeForChildren = timeForChildren;
  }

  /** get_nsproxy(): one more task uses it. */
  share(): NsProxy {
    this.count++;
    return this;
  }

  /** create_new_namespaces(0, ...): a new nsproxy with the same namespaces, to be changed. */
  copy(): NsProxy {
    return new NsProxy(getNs(this.mnt), getNs(this.uts), getNs(this.ipc), getNs(this.net), getNs(this.cgroup),
      getNs(this.pidForChildren), getNs(this.time), getNs(this.timeForChildren));
  }

  /** put_nsproxy(): the last user frees it (free_nsproxy). */
  release(): void {
    if (--this.count > 0) return;
    putNs(this.mnt); putNs(this.uts); putNs(this.ipc); putNs(this.net); putNs(this.cgroup);
    putNs(this.pidForChildren); putNs(this.time); putNs(this.timeForChildren);
  }

  setMnt(ns: Ns): void { getNs(ns); putNs(this.mnt); this.mnt = ns; }
  setUts(ns: Ns): void { getNs(ns); putNs(this.uts); this.uts = ns; }
  setIPC(ns: Ns): void { getNs(ns); putNs(this.ipc); this.ipc = ns; }
  setNET(ns: Ns): void { getNs(ns); putNs(this.net); this.net = ns; }
  setCgroup(ns: Ns): void { getNs(ns); putNs(this.cgroup); this.cgroup = ns; }
  setPidForChildren(ns: Ns): void { getNs(ns); putNs(this.pidForChildren); this.pidForChildren = ns; }
  setTime(ns: Ns): void { getNs(ns); putNs(this.time); this.time = ns; }
  setTimeForChildren(ns: Ns): void { getNs(ns); putNs(this.timeForChildren); this.timeForChildren = ns; }
}

/** Set when a function here returns null: the -errno. */
export let nsproxyErr: i32 = 0;

/**
 * create_new_namespaces(): a new nsproxy for `old` with a new namespace for each flag, owned
 * by userNs and charged to euid, in the kernel's order mnt, uts, ipc, pid, cgroup, net, time
 * (R29). `active` is the caller's active PID namespace (copy_pid_ns, R24). On failure
 * nothing is kept.
 */
export function createNewNamespaces(flags: u32, old: NsProxy, cur: Cred, active: Ns, userNs: Ns, euid: u32): NsProxy | null {
  const mnt = flags & CLONE_NEWNS ? copyMntNs(old.mnt, userNs, euid) : getNs(old.mnt);
  if (!mnt) return abandon(null, null, null, null, null, null);
  const uts = flags & CLONE_NEWUTS ? copyUtsname(userNs, euid, old.uts) : getNs(old.uts);
  if (!uts) return abandon(mnt, null, null, null, null, null);
  const ipc = flags & CLONE_NEWIPC ? copyIPCNs(userNs, euid) : getNs(old.ipc);
  if (!ipc) return abandon(mnt, uts, null, null, null, null);
  const pid = flags & CLONE_NEWPID ? copyPidNs(cur, active, userNs, euid, old.pidForChildren) : getNs(old.pidForChildren);
  if (!pid) return abandon(mnt, uts, ipc, null, null, null);
  const cgroup = flags & CLONE_NEWCGROUP ? copyCgroupNs(cur, userNs, euid) : getNs(old.cgroup);
  if (!cgroup) return abandon(mnt, uts, ipc, pid, null, null);
  const net = flags & CLONE_NEWNET ? copyNETNs(userNs, euid) : getNs(old.net);
  if (!net) return abandon(mnt, uts, ipc, pid, cgroup, null);
  const time = flags & CLONE_NEWTIME ? copyTimeNs(userNs, euid) : getNs(old.timeForChildren);
  if (!time) return abandon(mnt, uts, ipc, pid, cgroup, net);
  return new NsProxy(mnt, uts, ipc, net, cgroup, pid, getNs(old.time), time);
}

/** The failure path of create_new_namespaces(): drop what was made; the errno is the creator's. */
function abandon(mnt: Ns | null, uts: Ns | null, ipc: Ns | null, pid: Ns | null, cgroup: Ns | null, net: Ns | null): NsProxy | null {
  nsproxyErr = nsErr;
  putNs(net); putNs(cgroup); putNs(pid); putNs(ipc); putNs(uts); putNs(mnt);
  return null;
}

/** timens_on_fork(): a child that does not share the mm enters time_for_children (R36, R39). */
export function timensOnFork(nsp: NsProxy): void {
  if (nsp.time !== nsp.timeForChildren) nsp.setTime(nsp.timeForChildren);
}

/**
 * copy_namespaces(): the child's nsproxy. Without CLONE_NEW* flags it is the parent's (a new
 * one only to enter time_for_children); with them, CAP_SYS_ADMIN in the child's user
 * namespace (EPERM, R10), then CLONE_NEWIPC|CLONE_SYSVSEM is EINVAL (R32), then the new
 * namespaces.
 */
export function copyNamespaces(flags: u32, old: NsProxy, cur: Cred, childUserNs: Ns, active: Ns): NsProxy | null {
  if (!(flags & CLONE_NEW_NSPROXY)) {
    if ((flags & CLONE_VM) || old.time === old.timeForChildren) return old.share();
    const nsp = old.copy();
    timensOnFork(nsp);
    return nsp;
  }
  if (!nsCapable(cur, childUserNs)) { nsproxyErr = fail(EPERM, W_COPY_NS_CAPABLE); return null; }
  if ((flags & (CLONE_NEWIPC | CLONE_SYSVSEM)) == (CLONE_NEWIPC | CLONE_SYSVSEM)) {
    nsproxyErr = fail(EINVAL, W_COPY_NS_SYSVSEM);
    return null;
  }
  const nsp = createNewNamespaces(flags, old, cur, active, childUserNs, cur.euid);
  if (!nsp) return null;
  if (!(flags & CLONE_VM)) timensOnFork(nsp);
  return nsp;
}

/** struct nsset: what setns() prepares, checks and then commits at once (R43). */
export class NsSet {
  flags: u32 = 0;
  nsproxy: NsProxy;
  cred: Cred;
  /** The users of the fs_struct mntns_install() checks (a private copy when more than CLONE_NEWNS, R49). */
  fsUsers: i32 = 1;

  constructor(nsproxy: NsProxy, cred: Cred) {
    this.nsproxy = nsproxy;
    this.cred = cred;
  }
}
