// setns(2) (kernel/nsproxy.c): the nsfs form (one namespace, nstype 0 or its type) and the
// pidfd form (several of the target's namespaces at once, atomically) — R40-R53.

import { Task, TASK_DEAD, tasks, holds, fileOfLabel, commitCredsEffects, FILE_NS } from "./task";
import { mntns_root } from "./mnt/namespace";
import { setns_mnt_counts_shared_fs } from "./version";
import { Ns, putNs } from "./ns/common";
import { CLONE_NEW_ANY, NS_MNT, nsKernelOrder, nsOfType, opsOf } from "./ns/table";
import { NsSet } from "./nsproxy";
import { ptrace_may_access, PTRACE_MODE_REALCREDS } from "./ptrace";
import { CLONE_NEWNS, CLONE_NEWUSER } from "./flags";
import { EBADF, EINVAL, EPERM, ESRCH } from "./errno";
import { fail, ok } from "./result";
import { W_BADF, W_SETNS_DONE, W_SETNS_ESRCH, W_SETNS_FLAGS, W_SETNS_NSTYPE, W_SETNS_PTRACE } from "./why";

/** check_setns_flags(): a non-empty set of CLONE_NEW* flags (R42). */
function check_setns_flags(flags: u32): i32 {
  if (!flags || (flags & ~CLONE_NEW_ANY)) return fail(EINVAL, W_SETNS_FLAGS);
  return 0;
}

/** prepare_nsset(): a copy of the caller's nsproxy, of its cred for CLONE_NEWUSER, of its fs_struct when more than CLONE_NEWNS. */
function prepare_nsset(t: Task, flags: u32): NsSet {
  const nsset = new NsSet(t.nsproxy!.copy(), flags & CLONE_NEWUSER ? t.cred.copy() : t.cred);
  nsset.flags = flags;
  // (6.12: the copy does not count, setns_mnt_counts_shared_fs)
  nsset.fsUsers = flags == CLONE_NEWNS || setns_mnt_counts_shared_fs() ? t.fs!.users : 1;
  return nsset;
}

/** validate_ns(): ns->ops->install(), the type's own checks; a change of nsset on success. */
function validate_ns(t: Task, nsset: NsSet, ns: Ns): i32 {
  return opsOf(ns.type).install(t, nsset, ns);
}

/**
 * validate_nsset(): the pidfd form. The target must be alive with its nsproxy (ESRCH) and the
 * caller may ptrace-read it (EPERM); then each requested namespace of the target — the one
 * its /proc/<pid>/ns/<type> shows: the active pid and time ones — is installed in the
 * kernel's order user, mnt, uts, ipc, pid, cgroup, net, time (R43, R44).
 */
function validate_nsset(t: Task, nsset: NsSet, target: Task): i32 {
  if (target.state == TASK_DEAD) return fail(ESRCH, W_SETNS_ESRCH);
  if (!ptrace_may_access(t, target, PTRACE_MODE_REALCREDS)) return fail(EPERM, W_SETNS_PTRACE);
  if (!target.nsproxy) return fail(ESRCH, W_SETNS_ESRCH);
  const flags = nsset.flags;
  const order = nsKernelOrder;
  for (let i = 0, n = order.length; i < n; i++) {
    const ops = unchecked(order[i]);
    if (!(flags & ops.flag)) continue;
    const err = validate_ns(t, nsset, nsOfType(target, ops.type)!);
    if (err) return err;
  }
  return 0;
}

/** commit_nsset(): the point of no return. */
function commit_nsset(t: Task, nsset: NsSet): void {
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
  if (nsset.mntChanged) {
    // mntns_install(): root and cwd at the new namespace's root; with other flags the pidfd
    // form worked on a copy, and commit_nsset() sets the root of the (maybe shared) fs_struct
    t.fs!.setBoth(mntns_root(nsset.nsproxy.of(NS_MNT)));
  }
}

/** setns(fd, nstype) by process t with descriptor label `fdLabel`. */
export function sys_setns(t: Task, fdLabel: i32, nstype: u32): i32 {
  const f = fileOfLabel(fdLabel);
  if (!f || !holds(t.files, fdLabel)) return fail(EBADF, W_BADF);
  let flags = nstype;
  if (f.kind == FILE_NS) {
    const ns = f.ns!;
    const type = opsOf(ns.type).flag;
    if (flags && flags != type) return fail(EINVAL, W_SETNS_NSTYPE);
    flags = type;
    const nsset = prepare_nsset(t, flags);
    const err = validate_ns(t, nsset, ns);
    if (err) { put_nsset(nsset); return err; }
    commit_nsset(t, nsset);
  } else {
    const err0 = check_setns_flags(flags);
    if (err0) return err0;
    const nsset = prepare_nsset(t, flags);
    const err = validate_nsset(t, nsset, tasks[f.task]);
    if (err) { put_nsset(nsset); return err; }
    commit_nsset(t, nsset);
  }
  return ok(W_SETNS_DONE);
}

/** put_nsset(): after a failure, what prepare_nsset() made goes. */
function put_nsset(nsset: NsSet): void {
  nsset.nsproxy.release();
}

