// kernel/exit.c and zap_pid_ns_processes(): a process ends (exit_group), its children find a
// new parent (R59), an init's exit empties its PID namespace (R57), zombies are reaped by
// wait (or by the kernel, when the parent ignores SIGCHLD).

import { NO_TASKS, Task, TASK_DEAD, TASK_EXITING, TASK_RUNNING, TASK_ZOMBIE, addTaskTo, tasks } from "./task";
import { Ns, putNs } from "./ns/common";
import { free_pid, pid_nr_ns } from "./ns/pid";
import { put_files_struct } from "./files";
import { ECHILD } from "./errno";
import { fail, setWhy } from "./result";
import { W_WAIT_ECHILD, W_WAIT_NONE, W_WAIT_REAPED } from "./why";
import { sendPdeathSignals } from "./signal";

/** release_task(): the task is gone — its PIDs freed, its place among its parent's children too. */
function release_task(t: Task): void {
  t.state = TASK_DEAD;
  free_pid(t.pidNs!);
  const parent = t.parent;
  if (parent >= 0 && t.leader == t.id) removeChild(tasks[parent], t.id);
  putNs(t.cred.userNs);
  putNs(t.pidNs);
}

function removeChild(p: Task, child: i32): void {
  const c = p.children;
  for (let i = 0, n = c.length; i < n; i++) {
    if (unchecked(c[i]) == child) {
      c.splice(i, 1);
      return;
    }
  }
}

/** What a task drops at exit before it becomes a zombie: mm, files, fs, nsproxy (R8). */
function exitResources(t: Task): void {
  put_files_struct(t.files);
  t.files = null;
  if (t.fs) t.fs!.users--;
  t.fs = null;
  const nsp = t.nsproxy;
  if (nsp) nsp.release();
  t.nsproxy = null;
}

/** The other threads of the process die with it (exit_group, de_thread). */
export function killThreads(leader: Task): void {
  const th = leader.threads;
  for (let i = 0, n = th.length; i < n; i++) {
    const t = tasks[unchecked(th[i])];
    exitResources(t);
    release_task(t);
  }
  leader.threads = NO_TASKS;
}

/**
 * do_notify_parent(): a zombie tells its parent; a parent that ignores SIGCHLD (an init in
 * zap_pid_ns_processes) has it reaped at once.
 */
function do_notify_parent(t: Task): void {
  const parent = t.parent;
  if (parent >= 0 && tasks[parent].sigchldIgnored) release_task(t);
}

/**
 * do_exit() for the whole thread group: resources go, children are reparented (an init
 * first empties its PID namespace), and the process becomes a zombie — or stays `exiting`
 * while it is an init waiting for its namespace to empty.
 */
export function do_exit(t: Task, code: i32): void {
  if (t.state != TASK_RUNNING) return;
  t.state = TASK_EXITING;
  t.exitCode = code;
  killThreads(t);
  exitResources(t);
  forget_original_parent(t);
  if (isZapping(t)) {
    exitingInits.push(t.id);
    settle();
    return;
  }
  t.state = TASK_ZOMBIE;
  do_notify_parent(t);
}

/** Is t an init in zap_pid_ns_processes()? */
export function isZapping(t: Task): bool {
  return t.sigchldIgnored && t.state == TASK_EXITING;
}

/**
 * forget_original_parent(): find_child_reaper() — an init's exit zaps its namespace — then
 * every child moves, in order, to the end of the new parent's children: the child reaper of
 * the dying parent's PID namespace (R59), and a child that asked for a parent-death signal
 * gets it (prctl PR_SET_PDEATHSIG). A zombie child tells its new parent.
 */
function forget_original_parent(father: Task): void {
  const ns = father.pidNs!;
  let reaper = ns.childReaper;
  if (reaper == father.id) zap_pid_ns_processes(ns, father);
  if (father.children.length == 0) return;
  const moved = father.children;
  father.children = NO_TASKS;
  const r = tasks[reaper];
  for (let i = 0, n = moved.length; i < n; i++) {
    const c = tasks[unchecked(moved[i])];
    c.parent = reaper;
    r.children = addTaskTo(r.children, c.id);
  }
  if (reaper != father.id) {
    for (let i = 0, n = moved.length; i < n; i++) {
      const c = tasks[unchecked(moved[i])];
      if (c.state == TASK_ZOMBIE) do_notify_parent(c);
    }
  }
  sendPdeathSignals(father, moved);
}

/**
 * zap_pid_ns_processes(): the namespace takes no more processes, the init ignores SIGCHLD,
 * every other process with a PID in it is killed (in PID order), and the init's zombie
 * children are reaped (R57).
 */
function zap_pid_ns_processes(ns: Ns, init: Task): void {
  ns.adding = false;
  init.sigchldIgnored = true;
  // the processes with a PID in ns, in the order of that PID
  const victims = new Array<Task>(0);
  for (let i = 0, n = tasks.length; i < n; i++) {
    const t = unchecked(tasks[i]);
    if (t.leader != t.id || t === init || t.state != TASK_RUNNING) continue;
    if (pid_nr_ns(t.nspid, t.pidNs!, ns) > 0) victims.push(t);
  }
  sortLevel = ns.level;
  victims.sort((a: Task, b: Task): i32 => a.nspid[sortLevel] - b.nspid[sortLevel]);
  for (let i = 0, n = victims.length; i < n; i++) do_exit(unchecked(victims[i]), 9 /* SIGKILL */);
  // kernel_wait4() reaps the zombies among its children
  const c = init.children.slice();
  for (let i = 0, n = c.length; i < n; i++) {
    const child = tasks[unchecked(c[i])];
    if (child.state == TASK_ZOMBIE) release_task(child);
  }
}
let sortLevel: i32 = 0;

/**
 * The end of zap_pid_ns_processes(): once the init has no children left and no other PID of
 * its namespace is in use, it goes on to become a zombie (and tells its parent).
 */
function settleZap(init: Task): bool {
  if (init.state != TASK_EXITING) return false;
  if (init.children.length != 0) return false;
  if (init.pidNs!.pidAllocated != 1) return false;
  init.state = TASK_ZOMBIE;
  do_notify_parent(init);
  return true;
}

/** Inits in zap_pid_ns_processes(), waiting. */
let exitingInits = new Array<i32>(0);

export function resetExit(): void {
  exitingInits = new Array<i32>(0);
}

/** Let every exiting init that can go on do so, until nothing changes. */
export function settle(): void {
  let changed = exitingInits.length > 0;
  while (changed) {
    changed = false;
    for (let i = 0; i < exitingInits.length; i++) {
      const t = tasks[unchecked(exitingInits[i])];
      if (t.state != TASK_EXITING || settleZap(t)) {
        exitingInits.splice(i, 1);
        i--;
        changed = true;
      }
    }
  }
}

/**
 * waitpid(-1, WNOHANG): reap the first zombie among the children in the kernel's order; 0
 * when there are children but none has exited; ECHILD without children.
 */
export function do_wait(t: Task): i32 {
  const c = t.children;
  if (c.length == 0) return fail(ECHILD, W_WAIT_ECHILD);
  for (let i = 0, n = c.length; i < n; i++) {
    const child = tasks[unchecked(c[i])];
    if (child.state == TASK_ZOMBIE) {
      const pid = pid_nr_ns(child.nspid, child.pidNs!, t.pidNs!);
      release_task(child); // an exiting init may go on now: run() settles after every step
      setWhy(W_WAIT_REAPED);
      return pid;
    }
  }
  setWhy(W_WAIT_NONE);
  return 0;
}
