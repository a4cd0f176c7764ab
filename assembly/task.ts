// struct task_struct, as far as namespaces see it: one Task per process (its main thread)
// and one per extra thread. Also the objects tasks share: fs_struct (root and cwd),
// files_struct (the descriptor table) and the open files in it.

import { Ns } from "./ns/common";
import { Cred, credsDropDumpable } from "./cred";
import { NsProxy } from "./nsproxy";
import { Path } from "./mnt/path";

export const TASK_RUNNING: i32 = 0;
/** An init in zap_pid_ns_processes(): exited, waiting for its namespace to empty (TRACE.md `exiting`). */
export const TASK_EXITING: i32 = 1;
export const TASK_ZOMBIE: i32 = 2;
/** Reaped (EXIT_DEAD): gone from /proc. */
export const TASK_DEAD: i32 = 3;

/** struct fs_struct: shared by threads and CLONE_FS children. */
export class Fs {
  users: i32 = 1;
  /** The root (chroot) and the working directory (chdir): null for a task that has none. */
  root: Path | null = null;
  pwd: Path | null = null;

  /** set_fs_root() and set_fs_pwd() both (a new namespace's root, the world's first task). */
  setBoth(p: Path | null): void {
    this.root = p;
    this.pwd = p;
  }
}

export const FILE_NS: i32 = 0;
export const FILE_PIDFD: i32 = 1;

/** An open file a trace label names: an nsfs file or a pidfd. */
export class File {
  kind: i32 = FILE_NS;
  /** FILE_NS: the namespace. FILE_PIDFD: the PID namespace its struct pid lives in (kept alive). */
  ns: Ns | null = null;
  /** FILE_PIDFD: the process (task index). */
  task: i32 = -1;
  cloexec: bool = false;
  /** How many descriptor tables hold it. */
  refs: i32 = 0;
}

/**
 * The fd labels of a descriptor table. dup_fd() copies a table; the model lets the copy share
 * the labels until either table changes them (files.ts writableLabels). An open file counts
 * one reference per FdLabels holding it, so its last reference goes exactly when the last
 * table holding it lets it go, as with one reference per table.
 */
export class FdLabels {
  /** How many tables (Files) share these labels. */
  sharers: i32 = 1;
  /** The last snapshot that read these labels (snapshot.ts). */
  seen: i32 = 0;
  list: Array<i32>;
  constructor(list: Array<i32>) { this.list = list; }
}

/** struct files_struct: the descriptor table, as the fd labels it holds. */
export class Files {
  users: i32 = 1;
  labels: FdLabels;
  constructor(labels: FdLabels) { this.labels = labels; }
}

/**
 * Shared empty lists and cred: a task allocates its own only when it needs them. Never written
 * to. Like every object of the model they live on the heap, which start() empties: resetTasks()
 * makes them again.
 */
export let NO_TASKS = new Array<i32>(0);
let NO_CRED = new Cred();

/** Append a task index to a list that may still be the shared empty one; returns the list. */
export function addTaskTo(list: Array<i32>, id: i32): Array<i32> {
  if (list === NO_TASKS) return [id];
  list.push(id);
  return list;
}

export class Task {
  /** Index in the task table. */
  id: i32 = 0;
  /** The process label's index (-1 for a thread). */
  label: i32 = -1;
  /** The thread group leader's index (itself for a process). */
  leader: i32 = 0;
  /** Threads besides the leader (leader only; NO_TASKS until the first). */
  threads: Array<i32> = NO_TASKS;
  state: i32 = TASK_RUNNING;
  exitCode: i32 = 0;
  /** real_parent (task index; -1: outside the trace, for p0). */
  parent: i32 = -1;
  /** Children in the kernel's order: creation order, adopted orphans after them (NO_TASKS until the first). */
  children: Array<i32> = NO_TASKS;

  // struct pid: the PID in each PID namespace from the trace's initial one down to pidNs.
  nspid: Array<i32> = NO_TASKS;
  pidNs: Ns | null = null;

  /** The namespaces of struct nsproxy (null after exit_task_namespaces). */
  nsproxy: NsProxy | null = null;

  /** The credentials (threads share them until one changes its own). */
  cred: Cred = NO_CRED;

  // mm
  /** get_dumpable(mm) == SUID_DUMP_USER. */
  dumpable: bool = true;
  /** mm->user_ns: the user namespace the process last exec'd in. */
  mmUserNs: Ns | null = null;

  fs: Fs | null = null;
  files: Files | null = null;

  /** SIGCHLD is SIG_IGN (set by zap_pid_ns_processes on an exiting init). */
  sigchldIgnored: bool = false;
  /** SIGNAL_UNKILLABLE: an init. */
  unkillable: bool = false;
  /** pdeath_signal: sent when the parent exits (prctl PR_SET_PDEATHSIG; 0: none). Not inherited by fork. */
  pdeathSignal: i32 = 0;
  /** PFA_NO_NEW_PRIVS (prctl PR_SET_NO_NEW_PRIVS): for good, inherited by fork. */
  noNewPrivs: bool = false;
}

/**
 * commit_creds()' effects on the task: a change of euid, egid, fsuid or fsgid, or capabilities
 * that are not a subset of the old ones, make the mm non-dumpable and clear the parent-death
 * signal. The caller installs the new cred.
 */
export function commitCredsEffects(t: Task, old: Cred, nu: Cred): void {
  if (credsDropDumpable(old, nu)) {
    t.dumpable = false;
    t.pdeathSignal = 0;
  }
}

/** Every task ever made, by index. */
export let tasks: Array<Task> = new Array<Task>(0);
/** Process label index -> task index (-1: never made). */
export let byLabel: Array<i32> = new Array<i32>(0);
/** Descriptor label index -> open file (null: never opened). */
export let files: Array<File | null> = new Array<File | null>(0);

export function resetTasks(): void {
  NO_TASKS = new Array<i32>(0);
  NO_CRED = new Cred();
  tasks = new Array<Task>(0);
  byLabel = new Array<i32>(0);
  files = new Array<File | null>(0);
}

export function newTask(): Task {
  const t = new Task();
  t.id = tasks.length;
  t.leader = t.id;
  tasks.push(t);
  return t;
}

/** The task of a process label, or null when the label has no process (yet, or ever). */
export function taskOfLabel(label: i32): Task | null {
  if (label < 0 || label >= byLabel.length) return null;
  const t = unchecked(byLabel[label]);
  return t < 0 ? null : unchecked(tasks[t]);
}

export function setLabelTask(label: i32, task: i32): void {
  while (byLabel.length <= label) byLabel.push(-1);
  byLabel[label] = task;
}

export function fileOfLabel(label: i32): File | null {
  if (label < 0 || label >= files.length) return null;
  return unchecked(files[label]);
}

export function setLabelFile(label: i32, f: File): void {
  while (files.length <= label) files.push(null);
  files[label] = f;
}

/** Does the table hold the descriptor label? */
export function holds(t: Files | null, label: i32): bool {
  if (!t) return false;
  const l = t.labels.list;
  for (let i = 0, n = l.length; i < n; i++) if (unchecked(l[i]) == label) return true;
  return false;
}
