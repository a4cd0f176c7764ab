// kernel/fork.c: copy_process() for fork, clone3 and pthread_create-like threads (R30-R39).

import { Task, addTaskTo, newTask, tasks, setLabelTask } from "./task";
import { Cred } from "./cred";
import { getNs, putNs } from "./ns/common";
import { alloc_pid, pid_nr_ns } from "./ns/pid";
import { create_user_ns } from "./ns/user";
import { copy_namespaces } from "./nsproxy";
import { NS_MNT, NS_PID, NS_TIME } from "./ns/table";
import { current_chrooted, mnt_fix_root } from "./mnt/namespace";
import { copy_fs_struct, dup_fd } from "./files";
import {
  CLONE_FILES, CLONE_FS, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWUSER, CLONE_PARENT, CLONE_SIGHAND, CLONE_SYSVSEM,
  CLONE_THREAD, CLONE_VM,
} from "./flags";
import { EINVAL } from "./errno";
import { timens_switches_on_exec } from "./version";
import { fail, lastError, setWhy } from "./result";
import {
  W_CLONE_NEWNS_FS, W_CLONE_NEWUSER_FS, W_CLONE_PARENT_INIT, W_CLONE_SIGHAND_VM, W_CLONE_THREAD_PIDNS,
  W_CLONE_THREAD_SIGHAND, W_CLONE_TIME_VM, W_FORKED, W_FORKED_PID1, W_THREAD,
} from "./why";

/** The flags of pthread_create() (TRACE.md `thread`). */
export const THREAD_FLAGS: u32 = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM;

/** A task takes a reference on its user namespace (through its cred) and its struct pid's namespace. */
export function setTaskCred(t: Task, cred: Cred): void {
  const old = t.cred.userNs;
  getNs(cred.userNs);
  t.cred = cred;
  putNs(old);
}

/** The checks at the top of copy_process(), in its order (R30, R31, R25). */
function checkCloneFlags(cur: Task, flags: u32): i32 {
  if ((flags & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS)) return fail(EINVAL, W_CLONE_NEWNS_FS);
  if ((flags & (CLONE_NEWUSER | CLONE_FS)) == (CLONE_NEWUSER | CLONE_FS)) return fail(EINVAL, W_CLONE_NEWUSER_FS);
  if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND)) return fail(EINVAL, W_CLONE_THREAD_SIGHAND);
  if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM)) return fail(EINVAL, W_CLONE_SIGHAND_VM);
  if ((flags & CLONE_PARENT) && tasks[cur.leader].unkillable) return fail(EINVAL, W_CLONE_PARENT_INIT);
  if (flags & CLONE_THREAD) {
    if ((flags & (CLONE_NEWUSER | CLONE_NEWPID)) || cur.pidNs !== cur.nsproxy!.of(NS_PID)) {
      return fail(EINVAL, W_CLONE_THREAD_PIDNS);
    }
  }
  // before 6.2: "do not allow it to share VM or a thread group with the forking task"
  if (!timens_switches_on_exec() && (flags & (CLONE_THREAD | CLONE_VM))) {
    const nsp = cur.nsproxy!;
    if (nsp.time !== nsp.of(NS_TIME)) return fail(EINVAL, W_CLONE_TIME_VM);
  }
  return 0;
}

/**
 * copy_process(): make a process (or, with CLONE_THREAD, a thread of cur's process).
 * Returns the new task's index, or -errno. `label` names the new process (-1 for a thread).
 */
export function copy_process(cur: Task, flags: u32, label: i32): i32 {
  let err = checkCloneFlags(cur, flags);
  if (err) return err;

  // copy_creds(): the child shares the cred (the model never changes a cred in use: every
  // change makes a new one, as commit_creds() does); CLONE_NEWUSER makes the user namespace (R28)
  let cred = cur.cred;
  if (flags & CLONE_NEWUSER) {
    cred = cur.cred.copy();
    err = create_user_ns(cred, current_chrooted(cur));
    if (err) return err;
  }
  const newUserNs = (flags & CLONE_NEWUSER) != 0;

  // copy_namespaces() (R10, R32, R39)
  const nsp = copy_namespaces(flags, cur.nsproxy!, cur.cred, cred.userNs, cur.pidNs!);
  if (!nsp) {
    if (newUserNs) putNs(cred.userNs);
    return lastError();
  }

  // alloc_pid() in the child's pid_for_children (R103, R57)
  const pidNs = nsp.of(NS_PID);
  const nspid = new Array<i32>(pidNs.level + 1); // alloc_pid fills every level
  err = alloc_pid(pidNs, nspid);
  if (err) {
    nsp.release();
    if (newUserNs) putNs(cred.userNs);
    return err;
  }

  const t = newTask();
  t.label = label;
  t.nspid = nspid;
  t.pidNs = getNs(pidNs);
  t.nsproxy = nsp;
  t.cred = cred;
  if (!newUserNs) getNs(cred.userNs); // a new user namespace's first reference is the cred's
  t.mmUserNs = cur.mmUserNs;
  t.dumpable = cur.dumpable;
  t.noNewPrivs = cur.noNewPrivs;
  // copy_files(), copy_fs()
  const files = cur.files!;
  if (flags & CLONE_FILES) { files.users++; t.files = files; } else t.files = dup_fd(files);
  const fs = cur.fs!;
  if (flags & CLONE_FS) { fs.users++; t.fs = fs; } else t.fs = copy_fs_struct(fs);
  // copy_mnt_ns(): a root in the old tree is now its copy
  if (flags & CLONE_NEWNS) mnt_fix_root(t.fs, nsp.of(NS_MNT));

  if (flags & CLONE_THREAD) {
    const leader = tasks[cur.leader];
    t.leader = leader.id;
    leader.threads = addTaskTo(leader.threads, t.id);
    setWhy(W_THREAD);
    return t.id;
  }

  // CLONE_PARENT re-uses the old parent
  const parent = flags & CLONE_PARENT ? cur.parent : cur.id;
  t.parent = parent;
  if (parent >= 0) tasks[parent].children = addTaskTo(tasks[parent].children, t.id);
  setLabelTask(label, t.id);

  // is_child_reaper(): the first process of a PID namespace is its init (R54)
  if (unchecked(nspid[pidNs.level]) == 1) {
    pidNs.childReaper = t.id;
    t.unkillable = true;
    setWhy(W_FORKED_PID1);
  } else {
    setWhy(W_FORKED);
  }
  return t.id;
}

/** The child's PID as the parent's PID namespace sees it (the value of fork/clone). */
export function childPidFor(cur: Task, child: Task): i32 {
  return pid_nr_ns(child.nspid, child.pidNs!, cur.pidNs!);
}
