// setns(2) (kernel/nsproxy.c): the nsfs form (one namespace, nstype 0 or its type) and the
// pidfd form (several of the target's namespaces at once, atomically) — R40-R53.

import { Task, FILE_NS, tasks, holds, fileOfLabel, commitCredsEffects } from "./task";
import { Ns, putNs } from "./ns/common";
import { NsSet } from "./nsproxy";
import { ptraceMayAccess, PTRACE_MODE_REALCREDS } from "./ptrace";
import { usernsInstall } from "./ns/user";
import { mntnsInstall } from "./ns/mnt";
import { utsnsInstall } from "./ns/uts";
import { ipcnsInstall } from "./ns/ipc";
import { netnsInstall } from "./ns/net";
import { cgroupnsInstall } from "./ns/cgroup";
import { pidnsInstall } from "./ns/pid";
import { timensInstall } from "./ns/time";
import { CLONE_NEWCGROUP, CLONE_NEWIPC, CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWTIME, CLONE_NEWUSER, CLONE_NEWUTS, CLONE_NEW_ANY, NS_CGROUP, NS_IPC, NS_MNT, NS_NET, NS_PID, NS_TIME, NS_USER, nsTypeFlag } from "./flags";
import { EBADF, EINVAL, EPERM, ESRCH } from "./errno";
import { fail, ok } from "./result";
import { W_BADF, W_SETNS_DONE, W_SETNS_ESRCH, W_SETNS_FLAGS, W_SETNS_NSTYPE, W_SETNS_PTRACE } from "./why";

/** check_setns_flags(): a non-empty set of CLONE_NEW* flags (R42). */
function checkSetnsFlags(flags: u32): i32 {
  if (!flags || (flags & ~CLONE_NEW_ANY)) return fail(EINVAL, W_SETNS_FLAGS);
  return 0;
}

/** prepare_nsset(): a copy of the caller's nsproxy, of its cred for CLONE_NEWUSER, of its fs_struct when more than CLONE_NEWNS. */
function prepareNsset(t: Task, flags: u32): NsSet {
  const nsset = new NsSet(t.nsproxy!.copy(), flags & CLONE_NEWUSER ? t.cred.copy() : t.cred);
  nsset.flags = flags;
  nsset.fsUsers = flags == CLONE_NEWNS ? t.fs!.users : 1;
  return nsset;
}

/** ns->ops->install(): the type's own checks; a change of nsset on success. */
function validateNs(t: Task, nsset: NsSet, ns: Ns): i32 {
  const cur = t.cred;
  const single = t.threads.length == 0;
  switch (ns.type) {
    case NS_USER: return usernsInstall(cur, nsset, ns, single, t.fs!.users);
    case NS_MNT: return mntnsInstall(cur, nsset, ns);
    case NS_IPC: return ipcnsInstall(cur, nsset, ns);
    case NS_NET: return netnsInstall(cur, nsset, ns);
    case NS_PID: return pidnsInstall(cur, t.pidNs!, nsset, ns);
    case NS_CGROUP: return cgroupnsInstall(cur, nsset, ns);
    case NS_TIME: return timensInstall(cur, nsset, ns, single);
    default: return utsnsInstall(cur, nsset, ns);
  }
}

/**
 * validate_nsset(): the pidfd form. The target must be alive with its nsproxy (ESRCH) and the
 * caller may ptrace-read it (EPERM); then each requested namespace of the target is
 * installed in the order user, mnt, uts, ipc, pid (its active one), cgroup, net, time (R43, R44).
 */
function validateNsset(t: Task, nsset: NsSet, target: Task): i32 {
  if (target.state == 3 /* TASK_DEAD */) return fail(ESRCH, W_SETNS_ESRCH);
  if (!ptraceMayAccess(t, target, PTRACE_MODE_REALCREDS)) return fail(EPERM, W_SETNS_PTRACE);
  const nsp = target.nsproxy;
  if (!nsp) return fail(ESRCH, W_SETNS_ESRCH);
  const flags = nsset.flags;
  let err = 0;
  if (flags & CLONE_NEWUSER) { err = validateNs(t, nsset, target.cred.userNs); if (err) return err; }
  if (flags & CLONE_NEWNS) { err = validateNs(t, nsset, nsp.mnt); if (err) return err; }
  if (flags & CLONE_NEWUTS) { err = validateNs(t, nsset, nsp.uts); if (err) return err; }
  if (flags & CLONE_NEWIPC) { err = validateNs(t, nsset, nsp.ipc); if (err) return err; }
  if (flags & CLONE_NEWPID) { err = validateNs(t, nsset, target.pidNs!); if (err) return err; }
  if (flags & CLONE_NEWCGROUP) { err = validateNs(t, nsset, nsp.cgroup); if (err) return err; }
  if (flags & CLONE_NEWNET) { err = validateNs(t, nsset, nsp.net); if (err) return err; }
  if (flags & CLONE_NEWTIME) { err = validateNs(t, nsset, nsp.time); if (err) return err; }
  return 0;
}

/** commit_nsset(): the point of no return. */
function commitNsset(t: Task, nsset: NsSet): void {
  if (nsset.flags & CLONE_NEWUSER) {
    const nu = nsset.cred;
    commitCredsEffects(t, t.cred, nu);
    const old = t.cred.userNs;
    t.cred = nu;
    // the task's reference moves to the new user namespace
    nu.userNs.refs++;
    putNs(old);
  }
  const old = t.nsproxy!;
  t.nsproxy = nsset.nsproxy;
  old.release();
}

/** setns(fd, nstype) by process t with descriptor label `fdLabel`. */
export function sysSetns(t: Task, fdLabel: i32, nstype: u32): i32 {
  const f = fileOfLabel(fdLabel);
  if (!f || !holds(t.files, fdLabel)) return fail(EBADF, W_BADF);
  let flags = nstype;
  if (f.kind == FILE_NS) {
    const ns = f.ns!;
    const type = nsTypeFlag(ns.type);
    if (flags && flags != type) return fail(EINVAL, W_SETNS_NSTYPE);
    flags = type;
    const nsset = prepareNsset(t, flags);
    const err = validateNs(t, nsset, ns);
    if (err) { dropNsset(nsset); return err; }
    commitNsset(t, nsset);
  } else {
    const err0 = checkSetnsFlags(flags);
    if (err0) return err0;
    const nsset = prepareNsset(t, flags);
    const err = validateNsset(t, nsset, tasks[f.task]);
    if (err) { dropNsset(nsset); return err; }
    commitNsset(t, nsset);
  }
  return ok(W_SETNS_DONE);
}

/** put_nsset() after a failure. */
function dropNsset(nsset: NsSet): void {
  nsset.nsproxy.release();
}

