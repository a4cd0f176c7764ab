// execve() of a plain program (fs/exec.c begin_new_exec, security/commoncap.c
// cap_bprm_creds_from_file): other threads die, a shared descriptor table is unshared and
// close-on-exec descriptors go, capabilities are recomputed (R16), the process enters its
// time_for_children (R90), mm->user_ns becomes its user namespace.
//
// The program is owned by root, mode 0755, with no set-id bits and no file capabilities —
// as the kernel backend's agent is.

import { Task, TASK_RUNNING, commitCredsEffects, tasks } from "./task";
import { CAP_SETUID, Cred, SECURE_KEEP_CAPS, SECURE_NOROOT, cap_issubset, issecure, make_kuid, ns_capable } from "./cred";
import { killThreads } from "./exit";
import { do_close_on_exec, dup_fd, put_files_struct } from "./files";
import { ok } from "./result";
import { NS_TIME } from "./ns/table";
import { W_EXEC, W_EXEC_TIME } from "./why";
import { exec_setid_means_id_changed, timens_switches_on_exec } from "./version";

/** bprm->secureexec, as the last cap_bprm_creds_from_file() set it. */
let secureexec = false;

/** in_group_p(): the fsgid or a supplementary group. */
function in_group_p(c: Cred, gid: u32): bool {
  if (c.fsgid == gid) return true;
  return c.groups.includes(gid);
}

/**
 * cap_bprm_creds_from_file() for a program without file capabilities or set-id bits
 * (get_file_caps() finds none: fP = fI = 0, fE off):
 *   root (euid or real uid 0 in the user namespace, SECBIT_NOROOT unset) — handle_privileged_root():
 *     pP' = bset | pI, and pE' = pP' if the euid is 0;
 *   anyone else: pP' = pA, pE' = pA;
 * pA' = pA, unless the ids changed (id_changed, never without set-id bits but for an egid
 * outside the caller's groups). Capabilities gained with an
 * fs_struct shared with another process (LSM_UNSAFE_SHARE) or under no_new_privs
 * (LSM_UNSAFE_NO_NEW_PRIVS) are cut to the old permitted set, and the euid falls back to the
 * real uid unless CAP_SETUID (always under no_new_privs). SECBIT_KEEP_CAPS is cleared.
 */
function cap_bprm_creds_from_file(t: Task): Cred {
  const old = t.cred;
  const nu = old.copy();
  nu.capAmbient = old.capAmbient;
  nu.capPermitted = 0; // get_file_caps(): cap_clear(bprm->cred->cap_permitted)
  const root = make_kuid(nu.userNs, 0);
  let effective = false;
  if (!issecure(old, SECURE_NOROOT)) {
    if (nu.euid == root || nu.uid == root) nu.capPermitted = old.capBset | old.capInheritable;
    if (nu.euid == root) effective = true;
  }
  // id_changed (Linux 6.18): the program runs with another euid, or an egid the caller is not
  // in (its fsgid or a supplementary group). Without set-id bits the euid and egid stay, so
  // only an egid outside fsgid and groups counts; a euid other than the real uid does not
  // (recorded on the kernel: CAP-exec-nonroot keeps the ambient set with euid != uid).
  // Before that change (exec_setid_means_id_changed), __is_setuid()/__is_setgid(): an euid
  // other than the old real uid, or an egid other than the old real gid, is set-id.
  const is_setid = exec_setid_means_id_changed()
    ? nu.euid != old.euid || !in_group_p(old, nu.egid)
    : nu.euid != old.uid || nu.egid != old.gid;
  const gained = !cap_issubset(nu.capPermitted, old.capPermitted);
  // check_unsafe_exec(): the fs_struct shared beyond the process's own threads
  let nFs = 1;
  const threads = t.threads;
  for (let i = 0, n = threads.length; i < n; i++) {
    const th = tasks[unchecked(threads[i])];
    if (th.state == TASK_RUNNING && th.fs === t.fs) nFs++;
  }
  const unsafeShare = t.fs!.users > nFs;
  if ((is_setid || gained) && (unsafeShare || t.noNewPrivs)) {
    if (!ns_capable(old, nu.userNs, CAP_SETUID) || t.noNewPrivs) {
      nu.euid = nu.uid;
      nu.egid = nu.gid;
    }
    nu.capPermitted = nu.capPermitted & old.capPermitted;
  }
  nu.suid = nu.euid; nu.fsuid = nu.euid;
  nu.sgid = nu.egid; nu.fsgid = nu.egid;
  if (is_setid) nu.capAmbient = 0; // set-id cancels ambient
  nu.capPermitted |= nu.capAmbient;
  nu.capEffective = effective ? nu.capPermitted : nu.capAmbient;
  nu.securebits &= ~(<u32>1 << SECURE_KEEP_CAPS);
  // "Check for privilege-elevated exec": with no set-id bits and no file capabilities only a
  // changed euid/egid or a non-root real uid with root's capabilities makes it secure
  secureexec = is_setid ||
    (nu.uid != root && (effective || !cap_issubset(nu.capPermitted, nu.capAmbient)));
  return nu;
}

/**
 * do_execve() of a program without set-id bits or file capabilities: the new creds
 * (cap_bprm_creds_from_file), de_thread(), unshare_files(), exec_task_namespaces() (R90),
 * do_close_on_exec(), then commit_creds() (R16).
 */
export function do_execve(t: Task): i32 {
  const nu = cap_bprm_creds_from_file(t);
  killThreads(t); // de_thread()
  // unshare_files()
  const files = t.files!;
  if (files.users > 1) {
    t.files = dup_fd(files);
    put_files_struct(files);
  }
  // a new mm: mm->user_ns is the current user namespace
  t.mmUserNs = t.cred.userNs;
  // exec_task_namespaces()
  const old = t.nsproxy!;
  const enteredTime = timens_switches_on_exec() && old.time !== old.of(NS_TIME);
  if (enteredTime) {
    const nsp = old.copy();
    nsp.setTime(nsp.of(NS_TIME));
    t.nsproxy = nsp;
    old.release();
  }
  do_close_on_exec(t.files!);
  // "Make sure parent cannot signal privileged process"
  if (secureexec) t.pdeathSignal = 0;
  // dumpability, then commit_creds()
  t.dumpable = nu.euid == nu.uid && nu.egid == nu.gid;
  commitCredsEffects(t, t.cred, nu);
  t.cred = nu; // same user namespace: the task's reference stays
  return ok(enteredTime ? W_EXEC_TIME : W_EXEC);
}
