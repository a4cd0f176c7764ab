// execve() of a plain program (fs/exec.c begin_new_exec, security/commoncap.c
// cap_bprm_creds_from_file): other threads die, a shared descriptor table is unshared and
// close-on-exec descriptors go, capabilities are recomputed (R16), the process enters its
// time_for_children (R90), mm->user_ns becomes its user namespace.
//
// The program is owned by root, mode 0755, with no set-id bits and no file capabilities —
// as the kernel backend's agent is.

import { Task, commitCredsEffects } from "./task";
import { Cred, make_kuid, ns_capable } from "./cred";
import { killThreads } from "./exit";
import { do_close_on_exec, dup_fd, put_files_struct } from "./files";
import { ok } from "./result";
import { NS_TIME } from "./ns/table";
import { W_EXEC, W_EXEC_TIME } from "./why";

/** bprm->secureexec, as the last cap_bprm_creds_from_file() set it. */
let secureexec = false;

/** cap_bprm_creds_from_file() for a program without file capabilities or set-id bits. */
function cap_bprm_creds_from_file(t: Task): Cred {
  const old = t.cred;
  const nu = old.copy();
  const root = make_kuid(nu.userNs, 0);
  // handle_privileged_root(): root gets the bounding set (always full here)
  let effective = false;
  nu.capPermitted = false;
  if (nu.euid == root || nu.uid == root) nu.capPermitted = true;
  if (nu.euid == root) effective = true;
  const gained = nu.capPermitted && !old.capPermitted;
  // gained capabilities with an fs_struct shared with another process (LSM_UNSAFE_SHARE)
  if (gained && t.fs!.users > 1) {
    if (!ns_capable(old, nu.userNs)) {
      nu.euid = nu.uid;
      nu.egid = nu.gid;
    }
    nu.capPermitted = nu.capPermitted && old.capPermitted;
  }
  nu.suid = nu.euid; nu.fsuid = nu.euid;
  nu.sgid = nu.egid; nu.fsgid = nu.egid;
  nu.capEffective = effective ? nu.capPermitted : false;
  // "Check for privilege-elevated exec": with no set-id bits and no file capabilities only a
  // changed euid/egid or a non-root real uid with root's capabilities makes it secure
  secureexec = nu.euid != old.uid || nu.egid != old.gid || (nu.uid != root && (effective || nu.capPermitted));
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
  const enteredTime = old.time !== old.of(NS_TIME);
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
