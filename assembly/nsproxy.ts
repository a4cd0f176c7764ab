// kernel/nsproxy.c: the namespaces a task holds besides its user namespace (in its cred)
// and its active PID namespace (in its struct pid); creating them for clone and unshare
// (create_new_namespaces, copy_namespaces), and the set setns() builds, checks and commits.
// Every type is reached through the table (assembly/ns/table.ts), never by name.

import { Ns, getNs, putNs } from "./ns/common";
import { CLONE_NEW_NSPROXY, NS_TIME, NS_TYPES, nsKernelOrder } from "./ns/table";
import { CAP_SYS_ADMIN, Cred, ns_capable } from "./cred";
import { CLONE_NEWIPC, CLONE_SYSVSEM, CLONE_VM } from "./flags";
import { EINVAL, EPERM } from "./errno";
import { fail } from "./result";
import { W_COPY_NS_CAPABLE, W_COPY_NS_SYSVSEM } from "./why";

/**
 * struct nsproxy: shared by tasks (count) until one of them changes a namespace; then it gets
 * a new one (copy()). It holds one reference on every namespace in it.
 *
 * `byType[type]` is the namespace of each type the nsproxy holds — the one the type's copy()
 * starts from: for pid and time the *_for_children ones (pid_ns_for_children,
 * time_ns_for_children); null for user (it is in the cred). `time` is time_ns, the time
 * namespace the task's clocks read now. Read them with of(type); the active pid namespace is
 * the task's pidNs.
 */
export class NsProxy {
  count: i32 = 1;
  byType: StaticArray<Ns | null> = new StaticArray<Ns | null>(NS_TYPES);
  /** time_ns (the time namespace in use; byType[NS_TIME] is time_ns_for_children). */
  time: Ns;

  constructor(time: Ns) {
    this.time = time;
  }

  /** The namespace of `type` (not user: that is in the cred). */
  // @ts-ignore: decorator
  @inline of(type: i32): Ns {
    return changetype<Ns>(unchecked(this.byType[type]));
  }

  /** get_nsproxy(): one more task uses it. */
  share(): NsProxy {
    this.count++;
    return this;
  }

  /** create_new_namespaces(0, ...): a new nsproxy with the same namespaces, to be changed. */
  copy(): NsProxy {
    const nsp = new NsProxy(getNs(this.time));
    for (let type = 0; type < NS_TYPES; type++) {
      const ns = unchecked(this.byType[type]);
      if (ns) unchecked(nsp.byType[type] = getNs(ns));
    }
    return nsp;
  }

  /** put_nsproxy(): the last user frees it (free_nsproxy). */
  release(): void {
    if (--this.count > 0) return;
    for (let type = 0; type < NS_TYPES; type++) putNs(unchecked(this.byType[type]));
    putNs(this.time);
  }

  /** Replace the namespace of `type` (the install functions' `nsset->nsproxy->x_ns = ...`). */
  set(type: i32, ns: Ns): void {
    getNs(ns);
    putNs(unchecked(this.byType[type]));
    unchecked(this.byType[type] = ns);
  }

  /** Replace time_ns. */
  setTime(ns: Ns): void { getNs(ns); putNs(this.time); this.time = ns; }
}

/**
 * create_new_namespaces(): a new nsproxy for `old` with a new namespace for each flag, owned
 * by userNs and charged to euid, in the kernel's order mnt, uts, ipc, pid, cgroup, net, time
 * (R29). `active` is the caller's active PID namespace (copy_pid_ns, R24). On failure
 * nothing is kept and null is returned: the error is the one the failing copy recorded.
 */
export function create_new_namespaces(flags: u32, old: NsProxy, cur: Cred, active: Ns, userNs: Ns, euid: u32): NsProxy | null {
  const nsp = new NsProxy(getNs(old.time));
  const order = nsKernelOrder;
  for (let i = 0, n = order.length; i < n; i++) {
    const ops = unchecked(order[i]);
    const copy = ops.copy;
    if (!copy) continue; // user: not in an nsproxy
    const type = ops.type;
    const from = old.of(type);
    const ns = flags & ops.flag ? copy(from, cur, active, userNs, euid) : getNs(from);
    if (!ns) {
      // the failure path: drop what was made, in the reverse order
      for (let j = i - 1; j >= 0; j--) putNs(unchecked(nsp.byType[unchecked(order[j]).type]));
      putNs(nsp.time);
      return null;
    }
    unchecked(nsp.byType[type] = ns);
  }
  return nsp;
}

/** timens_on_fork(): a child that does not share the mm enters time_for_children (R36, R39). */
export function timens_on_fork(nsp: NsProxy): void {
  const forChildren = nsp.of(NS_TIME);
  if (nsp.time !== forChildren) nsp.setTime(forChildren);
}

/**
 * copy_namespaces(): the child's nsproxy. Without CLONE_NEW* flags it is the parent's (a new
 * one only to enter time_for_children); with them, CAP_SYS_ADMIN in the child's user
 * namespace (EPERM, R10), then CLONE_NEWIPC|CLONE_SYSVSEM is EINVAL (R32), then the new
 * namespaces. Null after fail() recorded the error.
 */
export function copy_namespaces(flags: u32, old: NsProxy, cur: Cred, childUserNs: Ns, active: Ns): NsProxy | null {
  if (!(flags & CLONE_NEW_NSPROXY)) {
    if ((flags & CLONE_VM) || old.time === old.of(NS_TIME)) return old.share();
    const nsp = old.copy();
    timens_on_fork(nsp);
    return nsp;
  }
  if (!ns_capable(cur, childUserNs, CAP_SYS_ADMIN)) { fail(EPERM, W_COPY_NS_CAPABLE); return null; }
  if ((flags & (CLONE_NEWIPC | CLONE_SYSVSEM)) == (CLONE_NEWIPC | CLONE_SYSVSEM)) {
    fail(EINVAL, W_COPY_NS_SYSVSEM);
    return null;
  }
  const nsp = create_new_namespaces(flags, old, cur, active, childUserNs, cur.euid);
  if (!nsp) return null;
  if (!(flags & CLONE_VM)) timens_on_fork(nsp);
  return nsp;
}

/** struct nsset: what setns() prepares, checks and then commits at once (R43). */
export class NsSet {
  flags: u32 = 0;
  nsproxy: NsProxy;
  cred: Cred;
  /** The users of the fs_struct mntns_install() checks (a private copy when more than CLONE_NEWNS, R49). */
  fsUsers: i32 = 1;
  /** mntns_install() changed the mount namespace: commit resets root and cwd (R46). */
  mntChanged: bool = false;

  constructor(nsproxy: NsProxy, cred: Cred) {
    this.nsproxy = nsproxy;
    this.cred = cred;
  }
}
