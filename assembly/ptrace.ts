// kernel/ptrace.c __ptrace_may_access() and security/commoncap.c cap_ptrace_access_check():
// who may look at a process through /proc (R7, R107) or setns through its pidfd (R42).

import { Task, TASK_RUNNING } from "./task";
import { CAP_SYS_PTRACE, Cred, cap_issubset, ns_capable } from "./cred";
import { initUserNs } from "./ns/common";

export const PTRACE_MODE_FSCREDS: i32 = 1;
export const PTRACE_MODE_REALCREDS: i32 = 2;

/** __ptrace_may_access() with cap_ptrace_access_check(): `mode` says which ids the caller shows. */
export function ptrace_may_access(caller: Task, target: Task, mode: i32): bool {
  if (caller.leader == target.leader) return true;
  const cred: Cred = caller.cred;
  const tcred: Cred = target.cred;
  const callerUid = mode == PTRACE_MODE_FSCREDS ? cred.fsuid : cred.uid;
  const callerGid = mode == PTRACE_MODE_FSCREDS ? cred.fsgid : cred.gid;
  const sameIds = callerUid == tcred.euid && callerUid == tcred.suid && callerUid == tcred.uid &&
    callerGid == tcred.egid && callerGid == tcred.sgid && callerGid == tcred.gid;
  if (!sameIds && !ns_capable(cred, tcred.userNs, CAP_SYS_PTRACE)) return false;
  // task_still_dumpable(): a task that still has its mm: non-dumpable needs CAP_SYS_PTRACE over
  // mm->user_ns; an exited one keeps the dumpability it had at exit_mm() (user_dumpable), and
  // then needs CAP_SYS_PTRACE in the initial user namespace — upstream 31e62c2ebbfd, which
  // Linux 6.18.44 has (6.18.15 skipped the check for exited tasks).
  if (!target.dumpable) {
    const ns = target.state == TASK_RUNNING ? target.mmUserNs! : initUserNs;
    if (!ns_capable(cred, ns, CAP_SYS_PTRACE)) return false;
  }
  // cap_ptrace_access_check(): the caller's capabilities must cover the target's permitted set
  const callerCaps = mode == PTRACE_MODE_FSCREDS ? cred.capEffective : cred.capPermitted;
  if (cred.userNs === tcred.userNs && cap_issubset(tcred.capPermitted, callerCaps)) return true;
  return ns_capable(cred, tcred.userNs, CAP_SYS_PTRACE);
}
