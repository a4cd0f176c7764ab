// /proc/<pid>/ns/* and fs/nsfs.c: opening a namespace file (R7-R9), pidfd_open(), the
// ioctls of ioctl_ns(2) (R76-R83), close().

import { Task, File, FILE_NS, FILE_PIDFD, TASK_DEAD, fileOfLabel, holds, setLabelFile } from "./task";
import { Ns, getNs } from "./ns/common";
import { F_PID_FOR_CHILDREN, NS_USER, nsOfFile, opsOf } from "./ns/table";
import { from_kuid_munged } from "./cred";
import { ptrace_may_access, PTRACE_MODE_FSCREDS } from "./ptrace";
import { ns_get_owner } from "./ns/user";
import { pid_nr_ns } from "./ns/pid";
import { close_fd, fd_install, nsFile } from "./files";
import { EACCES, EBADF, EINVAL, ENOENT, ENOTTY, ESRCH } from "./errno";
import { fail, lastError, ok } from "./result";
import { pidfd_ioctl_einval } from "./version";
import { W_BADF, W_CLOSED, W_IOCTL_FD, W_IOCTL_NOTTY, W_IOCTL_PIDFD_EINVAL, W_NSTYPE, W_NS_GET_PARENT_TYPE, W_OPENED, W_OWNER_UID, W_OWNER_UID_TYPE, W_PIDFD_OPENED, W_PIDFD_OPEN_ESRCH, W_PIDNS_FOR_CHILDREN_GET, W_PROC_NOENT, W_PROC_NS_GONE, W_PROC_NS_PTRACE } from "./why";

// ioctl_ns(2) requests, by the model's number (src/trace/types.ts IOCTL_REQUESTS order)
export const NS_GET_USERNS: i32 = 0;
export const NS_GET_PARENT: i32 = 1;
export const NS_GET_NSTYPE: i32 = 2;
export const NS_GET_OWNER_UID: i32 = 3;

/**
 * open("/proc/<target>/ns/<file>"): the process must be in /proc (ENOENT), readable to the
 * caller by ptrace rules (EACCES), and still hold that namespace (ENOENT).
 */
export function openNsFile(t: Task, target: Task | null, file: i32, asLabel: i32): i32 {
  if (!target || target.state == TASK_DEAD) return fail(ENOENT, W_PROC_NOENT);
  if (!ptrace_may_access(t, target, PTRACE_MODE_FSCREDS)) return fail(EACCES, W_PROC_NS_PTRACE);
  const ns = nsOfFile(target, file);
  if (!ns) {
    const pending = file == F_PID_FOR_CHILDREN && target.nsproxy !== null;
    return fail(ENOENT, pending ? W_PIDNS_FOR_CHILDREN_GET : W_PROC_NS_GONE);
  }
  const f = nsFile(ns, false);
  setLabelFile(asLabel, f);
  fd_install(t.files!, asLabel, f);
  return ok(W_OPENED);
}

/** pidfd_open(pid): by the PID the caller's PID namespace sees (ESRCH otherwise, R63). */
export function pidfd_open(t: Task, target: Task | null, asLabel: i32): i32 {
  if (!target || target.state == TASK_DEAD) return fail(ESRCH, W_PIDFD_OPEN_ESRCH);
  if (pid_nr_ns(target.nspid, target.pidNs!, t.pidNs!) == 0) return fail(ESRCH, W_PIDFD_OPEN_ESRCH);
  const f = new File();
  f.kind = FILE_PIDFD;
  f.task = target.id;
  f.ns = getNs(target.pidNs!);
  f.cloexec = true;
  setLabelFile(asLabel, f);
  fd_install(t.files!, asLabel, f);
  return ok(W_PIDFD_OPENED);
}

/** close(2): close_fd(). */
export function sys_close(t: Task, label: i32): i32 {
  if (!close_fd(t.files!, label)) return fail(EBADF, W_BADF);
  return ok(W_CLOSED);
}

/**
 * ns_ioctl(): -errno, or the request's value — a new descriptor's 0, NS_GET_NSTYPE's flag,
 * NS_GET_OWNER_UID's uid (which the kernel writes to the caller's memory): an i64, so that
 * every u32 uid and every errno fit.
 */
export function ns_ioctl(t: Task, fdLabel: i32, request: i32, asLabel: i32): i64 {
  const f = fileOfLabel(fdLabel);
  if (!f || !holds(t.files, fdLabel)) return fail(EBADF, W_BADF);
  if (f.kind == FILE_PIDFD && pidfd_ioctl_einval()) return fail(EINVAL, W_IOCTL_PIDFD_EINVAL);
  if (f.kind != FILE_NS) return fail(ENOTTY, W_IOCTL_NOTTY);
  const ns = f.ns!;
  const ops = opsOf(ns.type);
  switch (request) {
    case NS_GET_USERNS: return open_related_ns(t, ns_get_owner(t, ns), asLabel);
    case NS_GET_PARENT: {
      const getParent = ops.getParent;
      if (!getParent) return fail(EINVAL, W_NS_GET_PARENT_TYPE);
      return open_related_ns(t, getParent(t, ns), asLabel);
    }
    case NS_GET_NSTYPE:
      ok(W_NSTYPE);
      return <i64>ops.flag;
    default:
      if (ns.type != NS_USER) return fail(EINVAL, W_OWNER_UID_TYPE);
      ok(W_OWNER_UID);
      return <i64>from_kuid_munged(t.cred.userNs, ns.ownerUid);
  }
}

/** open_related_ns(): a new close-on-exec descriptor for the related namespace. */
function open_related_ns(t: Task, ns: Ns | null, asLabel: i32): i32 {
  if (!ns) return lastError();
  const f = nsFile(ns, true);
  setLabelFile(asLabel, f);
  fd_install(t.files!, asLabel, f);
  return ok(W_IOCTL_FD);
}

