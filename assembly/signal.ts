// kernel/signal.c and kernel/sys.c prctl(PR_SET_PDEATHSIG): kill(2) of a process by the PID
// the caller sees, and the parent-death signal exit.c sends (forget_original_parent). Every
// signal a trace names (SIGHUP SIGINT SIGKILL SIGUSR1 SIGUSR2 SIGTERM) has a default action
// that ends the process, and no process of a trace installs a handler, so a signal either is
// ignored (an init, R58) or ends the process.

import { Task, TASK_RUNNING, tasks } from "./task";
import { CAP_KILL, Cred, ns_capable } from "./cred";
import { pid_nr_ns } from "./ns/pid";
import { do_exit } from "./exit";
import { EPERM, ESRCH } from "./errno";
import { fail, ok, setWhy, why } from "./result";
import {
  W_KILLED, W_KILL_CHECK, W_KILL_ESRCH, W_KILL_EXITING, W_KILL_IGNORED, W_KILL_PERM, W_KILL_SELF, W_PDEATHSIG_SET,
} from "./why";
import { TASK_DEAD } from "./task";

export const SIGKILL: i32 = 9;

/** kill_ok_by_cred(): the same real or effective uid as the target's real or saved one, or CAP_KILL over it. */
function kill_ok_by_cred(cred: Cred, tcred: Cred): bool {
  return cred.euid == tcred.suid || cred.euid == tcred.uid || cred.uid == tcred.suid || cred.uid == tcred.uid ||
    ns_capable(cred, tcred.userNs, CAP_KILL);
}

/** check_kill_permission() for a signal from user space (kill(2), and the parent-death signal). */
function check_kill_permission(sender: Task, t: Task): bool {
  if (sender.leader == t.leader) return true;
  return kill_ok_by_cred(sender.cred, t.cred);
}

/** sig_task_ignored(): an init (SIGNAL_UNKILLABLE) with the default handler gets only a forced SIGKILL. */
function sig_task_ignored(t: Task, sig: i32, force: bool): bool {
  return t.unkillable && !(force && sig == SIGKILL);
}

/**
 * send_signal_locked(): `force` when the sender is not in the target's PID namespace (an
 * ancestor's process). The default action ends the whole process. Returns whether it did.
 */
function send_signal_locked(sender: Task, t: Task, sig: i32): bool {
  if (t.state != TASK_RUNNING) { setWhy(W_KILL_EXITING); return false; } // prepare_signal(): dying
  const force = pid_nr_ns(sender.nspid, sender.pidNs!, t.pidNs!) == 0;
  if (sig_task_ignored(t, sig, force)) { setWhy(W_KILL_IGNORED); return false; }
  do_exit(t, 128 + sig);
  setWhy(W_KILLED);
  return true;
}

/** group_send_sig_info() from `sender`: permission, then (for a real signal) delivery. */
function group_send_sig_info(sender: Task, t: Task, sig: i32): i32 {
  if (!check_kill_permission(sender, t)) return fail(EPERM, W_KILL_PERM);
  if (sig == 0) return ok(W_KILL_CHECK);
  send_signal_locked(sender, t, sig);
  return 0;
}

/**
 * kill(pid, sig) by t, for the process `target` names: ESRCH unless the caller's PID namespace
 * sees it (kill_pid_info). The caller may end itself: the result is then `dead`.
 */
export function sys_kill(t: Task, target: Task | null, sig: i32): i32 {
  if (!target || target.state == TASK_DEAD || pid_nr_ns(target.nspid, target.pidNs!, t.pidNs!) == 0) {
    return fail(ESRCH, W_KILL_ESRCH);
  }
  const err = group_send_sig_info(t, target, sig);
  if (err) return err;
  if (target === t && t.state != TASK_RUNNING) setWhy(W_KILL_SELF);
  return 0;
}

/** prctl(PR_SET_PDEATHSIG, sig): every signal a trace names is valid. */
export function prctlSetPdeathsig(t: Task, sig: i32): i32 {
  t.pdeathSignal = sig;
  return ok(W_PDEATHSIG_SET);
}

/**
 * The parent-death signal of forget_original_parent(): each child of the exiting `father`
 * that asked for one gets it, as a signal from the father (SEND_SIG_NOINFO: permission checked,
 * forced from outside the child's PID namespace).
 */
export function sendPdeathSignals(father: Task, children: Array<i32>): void {
  const stepWhy = why; // the step that ended the father keeps its own explanation
  for (let i = 0, n = children.length; i < n; i++) {
    const c = tasks[unchecked(children[i])];
    if (c.pdeathSignal == 0 || c.state != TASK_RUNNING) continue;
    if (!check_kill_permission(father, c)) continue;
    send_signal_locked(father, c, c.pdeathSignal);
  }
  setWhy(stepWhy);
}
