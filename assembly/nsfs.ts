// /proc/<pid>/ns/* and fs/nsfs.c: opening a namespace file (R7-R9), pidfd_open(), the
// ioctls of ioctl_ns(2) (R76-R83), close().

import { Task, File, FILE_NS, FILE_PIDFD, TASK_DEAD, fileOfLabel, holds, setLabelFile } from "./task";
import { Ns, getNs } from "./ns/common";
import { fromKuidMunged } from "./cred";
import { ptraceMayAccess, PTRACE_MODE_FSCREDS } from "./ptrace";
import { nsGetOwner } from "./ns/user";
import { pidNrNs, pidnsGetParent } from "./ns/pid";
import { nsErr } from "./ns/common";
import { closeFd, fdInstall, nsFile } from "./files";
import { F_CGROUP, F_IPC, F_MNT, F_NET, F_PID, F_PID_FOR_CHILDREN, F_TIME, F_TIME_FOR_CHILDREN, F_USER, NS_PID, NS_USER, nsTypeFlag } from "./flags";
import { EACCES, EBADF, EINVAL, ENOENT, ENOTTY, ESRCH } from "./errno";
import { fail, ok } from "./result";
import { W_BADF, W_CLOSED, W_IOCTL_FD, W_IOCTL_NOTTY, W_NSTYPE, W_NS_GET_PARENT_TYPE, W_OPENED, W_OWNER_UID, W_OWNER_UID_TYPE, W_PIDFD_OPENED, W_PIDFD_OPEN_ESRCH, W_PIDNS_FOR_CHILDREN_GET, W_PROC_NOENT, W_PROC_NS_GONE, W_PROC_NS_PTRACE } from "./why";

export const NS_GET_USERNS: i32 = 0;
export const NS_GET_PARENT: i32 = 1;
export const NS_GET_NSTYPE: i32 = 2;
export const NS_GET_OWNER_UID: i32 = 3;

/**
 * The namespace behind /proc/<pid>/ns/<file> (ns_ops->get): null when the kernel will not
 * give it — a zombie or exiting init has only pid and user (R8); pid_for_children before the
 * new namespace has its init (R9).
 */
export function nsOfFile(t: Task, file: i32): Ns | null {
  if (file == F_PID) return t.pidNs;
  if (file == F_USER) return t.cred.userNs;
  const nsp = t.nsproxy;
  if (!nsp) return null;
  switch (file) {
    case F_CGROUP: return nsp.cgroup;
    case F_IPC: return nsp.ipc;
    case F_MNT: return nsp.mnt;
    case F_NET: return nsp.net;
    case F_PID_FOR_CHILDREN: return nsp.pidForChildren.childReaper < 0 ? null : nsp.pidForChildren;
    case F_TIME: return nsp.time;
    case F_TIME_FOR_CHILDREN: return nsp.timeForChildren;
    default: return nsp.uts;
  }
}

/**
 * open("/proc/<target>/ns/<file>"): the process must be in /proc (ENOENT), readable to the
 * caller by ptrace rules (EACCES), and still hold that namespace (ENOENT).
 */
export function openNsFile(t: Task, target: Task | null, file: i32, asLabel: i32): i32 {
  if (!target || target.state == TASK_DEAD) return fail(ENOENT, W_PROC_NOENT);
  if (!ptraceMayAccess(t, target, PTRACE_MODE_FSCREDS)) return fail(EACCES, W_PROC_NS_PTRACE);
  const ns = nsOfFile(target, file);
  if (!ns) {
    const pending = file == F_PID_FOR_CHILDREN && target.nsproxy !== null;
    return fail(ENOENT, pending ? W_PIDNS_FOR_CHILDREN_GET : W_PROC_NS_GONE);
  }
  const f = nsFile(ns, false);
  setLabelFile(asLabel, f);
  fdInstall(t.files!, asLabel, f);
  return ok(W_OPENED);
}

/** pidfd_open(pid): by the PID the caller's PID namespace sees (ESRCH otherwise, R63). */
export function pidfdOpen(t: Task, target: Task | null, asLabel: i32): i32 {
  if (!target || target.state == TASK_DEAD) return fail(ESRCH, W_PIDFD_OPEN_ESRCH);
  if (pidNrNs(target.nspid, target.pidNs!, t.pidNs!) == 0) return fail(ESRCH, W_PIDFD_OPEN_ESRCH);
  const f = new File();
  f.kind = FILE_PIDFD;
  f.task = target.id;
  f.ns = getNs(target.pidNs!);
  f.cloexec = true;
  setLabelFile(asLabel, f);
  fdInstall(t.files!, asLabel, f);
  return ok(W_PIDFD_OPENED);
}

export function sysClose(t: Task, label: i32): i32 {
  if (!closeFd(t.files!, label)) return fail(EBADF, W_BADF);
  return ok(W_CLOSED);
}

/** The value of the last successful NS_GET_NSTYPE / NS_GET_OWNER_UID. */
export let ioctlValue: i32 = 0;

/** ns_ioctl() */
export function nsIoctl(t: Task, fdLabel: i32, request: i32, asLabel: i32): i32 {
  const f = fileOfLabel(fdLabel);
  if (!f || !holds(t.files, fdLabel)) return fail(EBADF, W_BADF);
  if (f.kind != FILE_NS) return fail(ENOTTY, W_IOCTL_NOTTY);
  const ns = f.ns!;
  switch (request) {
    case NS_GET_USERNS: return openRelated(t, nsGetOwner(t.cred.userNs, ns), asLabel);
    case NS_GET_PARENT:
      if (ns.type == NS_USER) return openRelated(t, nsGetOwner(t.cred.userNs, ns), asLabel);
      if (ns.type == NS_PID) return openRelated(t, pidnsGetParent(t.pidNs!, ns), asLabel);
      return fail(EINVAL, W_NS_GET_PARENT_TYPE);
    case NS_GET_NSTYPE:
      ioctlValue = <i32>nsTypeFlag(ns.type);
      return ok(W_NSTYPE);
    default:
      if (ns.type != NS_USER) return fail(EINVAL, W_OWNER_UID_TYPE);
      ioctlValue = <i32>fromKuidMunged(t.cred.userNs, ns.ownerUid);
      return ok(W_OWNER_UID);
  }
}

/** open_related_ns(): a new close-on-exec descriptor for the related namespace. */
function openRelated(t: Task, ns: Ns | null, asLabel: i32): i32 {
  if (!ns) return nsErr;
  const f = nsFile(ns, true);
  setLabelFile(asLabel, f);
  fdInstall(t.files!, asLabel, f);
  return ok(W_IOCTL_FD);
}

