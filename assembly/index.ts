// The model's boundary with TypeScript (src/model/): a batch of steps crosses once.
//
//   reserveSteps(n) / reserveStrings(bytes) -> pointers the caller fills;
//   start(unprivileged, hostnameOffset, hostnameLength) makes a fresh world;
//   run(n) runs n steps; results are 4 words each at resultsPointer(): kind, value, aux, why;
//   strings and snapshots are in the output area (outPointer(), outLength()).
//
// A step is STEP_WORDS i32 words: op, by (process label), then a, b, c, d (see dispatch()).
// Labels are indices: processes in definition order (p0 = 0), descriptors likewise.
// Nothing here traps on any input: unknown indices are simply labels never made.

import { Task, TASK_RUNNING, taskOfLabel, tasks } from "./task";
import { takeStartKernel } from "./version";
import { createWorld } from "./world";
import { copy_process, childPidFor, THREAD_FLAGS } from "./fork";
import { ksys_unshare } from "./unshare";
import { sys_setns } from "./setns";
import { do_exit, do_wait, settle } from "./exit";
import { do_execve } from "./exec";
import { NS_GET_NSTYPE, NS_GET_OWNER_UID, ns_ioctl, openNsFile, pidfd_open, sys_close } from "./nsfs";
import { setUtsName, utsNameLength } from "./ns/uts";
import { pid_nr_ns } from "./ns/pid";
import { map_write, proc_setgroups_write } from "./ns/user";
import { ns_capable, kuid_has_mapping, kgid_has_mapping, CAP_DAC_OVERRIDE, CAP_SYS_ADMIN, CAP_FULL_SET, resetCreds } from "./cred";
import { __sys_setuid, __sys_setresxid, resNoop, sys_setgroups, sys_capset, cap_prctl_drop, cap_ambient, set_keepcaps, set_securebits, PR_CAPBSET_DROP, PR_CAP_AMBIENT, PR_SET_DUMPABLE, PR_SET_KEEPCAPS, PR_SET_NO_NEW_PRIVS, PR_SET_SECUREBITS } from "./caps";
import { Cred } from "./cred";
import { W_DUMPABLE, W_NO_NEW_PRIVS } from "./why";
import { outBytes, outLength, outPointer, outRenew, outReset } from "./out";
import { resetSnapshot, writeSnapshot } from "./snapshot";
import { fail, lastError, ok, setWhy, why } from "./result";
import { EACCES, EINVAL, ENOENT } from "./errno";
import { W_DEAD, W_GETHOSTNAME, W_GETPID, W_GETPPID_OUTSIDE, W_OBSERVE, W_PROC_FILE_PERMISSION, W_PROC_NOENT, W_SETGROUPS_OPEN, W_EXIT, W_EXIT_INIT, whyInfo } from "./why";
import { TASK_DEAD, commitCredsEffects } from "./task";
import { pathMountProc } from "./mount";
import { prctlSetPdeathsig, sys_kill } from "./signal";
import {
  FS_PROC, FS_TMPFS, FSTYPE_NONE, do_mkdirat, do_mount, ksys_chdir, ksys_chroot, ksys_umount, proc_pid_ns_of, readdir_dentry,
  sys_getcwd, sys_pivot_root,
} from "./mnt/namespace";
import { d_names } from "./mnt/dir";
import { outI32 } from "./out";
import { W_READDIR } from "./why";
import { NS_FILES, NS_MNT, NS_USER, NS_UTS, nsOfFile } from "./ns/table";
import { namespaces } from "./ns/common";

export const STEP_WORDS: i32 = 6;
export const RESULT_WORDS: i32 = 4;

// result kinds
export const R_OK: i32 = 0;
export const R_INT: i32 = 1;
export const R_STR: i32 = 2;
export const R_SNAP: i32 = 3;
export const R_ERR: i32 = 4;
export const R_DEAD: i32 = 5;
export const R_FLAG: i32 = 6;
export const R_UINT: i32 = 7;
/** A list of strings: its count, then the strings (readdir). */
export const R_LIST: i32 = 8;

// ops, in src/trace/types.ts OPS order
const OP_FORK = 0, OP_CLONE = 1, OP_UNSHARE = 2, OP_SETNS = 3, OP_OPEN = 4, OP_PIDFD_OPEN = 5, OP_CLOSE = 6,
  OP_IOCTL = 7, OP_EXEC = 8, OP_EXIT = 9, OP_WAIT = 10, OP_SETHOSTNAME = 11, OP_SETDOMAINNAME = 12,
  OP_GETHOSTNAME = 13, OP_GETDOMAINNAME = 14, OP_GETPID = 15, OP_GETPPID = 16, OP_SETUID = 17,
  OP_WRITE_MAP = 18, OP_THREAD = 19, OP_OBSERVE = 20,
  // extensions (docs/TRACE-EXTENSIONS.md)
  OP_MOUNT_PROC = 21, OP_SET_PDEATHSIG = 22, OP_KILL = 23,
  OP_SETRESUID = 24, OP_SETRESGID = 25, OP_SETGROUPS = 26, OP_CAPSET = 27, OP_PRCTL = 28,
  OP_MKDIR = 29, OP_MOUNT = 30, OP_UMOUNT = 31, OP_PIVOT_ROOT = 32, OP_READDIR = 33,
  OP_CHDIR = 34, OP_CHROOT = 35, OP_GETCWD = 36;

// write_map files, in src/trace/types.ts MAP_FILES order
const MAP_UID = 0, MAP_GID = 1, MAP_SETGROUPS = 2;

let steps = new StaticArray<i32>(STEP_WORDS * 64);
let strings = new StaticArray<u8>(256);
let results = new StaticArray<i32>(RESULT_WORDS * 64);

export function reserveSteps(n: i32): usize {
  if (n < 0) n = 0;
  if (steps.length < n * STEP_WORDS) steps = new StaticArray<i32>(n * STEP_WORDS);
  if (results.length < n * RESULT_WORDS) results = new StaticArray<i32>(n * RESULT_WORDS);
  return changetype<usize>(steps);
}

export function reserveStrings(n: i32): usize {
  if (n < 0) n = 0;
  if (strings.length < n) strings = new StaticArray<u8>(n);
  return changetype<usize>(strings);
}

export function resultsPointer(): usize { return changetype<usize>(results); }
export { outPointer, outLength };

/** A fresh world; the setup's hostname is at strings[off, off+len). */
/** Where the setup's hostname waits while the heap is emptied (it is at most 64 bytes). */
const SETUP_HOSTNAME: usize = memory.data(64);
/** The value of readdir on a procfs. */
let PROC_NAME = new StaticArray<u8>(4);

/**
 * A new world. Everything of the previous one is dropped at once: the heap is emptied
 * (__reset of the stub runtime) and every module makes its objects again, so one instance
 * serves trace after trace with its memory already in place.
 */
/** p0's bounding set for the next start() (root: its permitted and effective sets too); start() resets it to every capability. */
let startBset: u64 = CAP_FULL_SET;
export function setStartCaps(lo: i32, hi: i32): void {
  startBset = ((<u64><u32>hi << 32) | <u64><u32>lo) & CAP_FULL_SET;
}

/** setup.mounts for the next start(): "/" and "/proc" shared, snapshots with mounts. */
let startMounts: bool = false;
export function setStartMounts(on: i32): void {
  startMounts = on != 0;
}
export { setStartKernel, kernelRelease } from "./version";

export function start(unprivileged: i32, off: i32, len: i32): void {
  const name = stringAt(off, len);
  const n = name.length < 64 ? name.length : 64;
  memory.copy(SETUP_HOSTNAME, changetype<usize>(name), <usize>n);
  __reset();
  steps = new StaticArray<i32>(STEP_WORDS * 64);
  strings = new StaticArray<u8>(256);
  results = new StaticArray<i32>(RESULT_WORDS * 64);
  outRenew();
  resetSnapshot();
  PROC_NAME = new StaticArray<u8>(4);
  PROC_NAME[0] = 0x70; PROC_NAME[1] = 0x72; PROC_NAME[2] = 0x6f; PROC_NAME[3] = 0x63;
  const hostname = new StaticArray<u8>(n);
  memory.copy(changetype<usize>(hostname), SETUP_HOSTNAME, <usize>n);
  const bset = startBset;
  startBset = CAP_FULL_SET;
  const mounts = startMounts;
  startMounts = false;
  resetCreds();
  takeStartKernel();
  createWorld(unprivileged != 0, hostname, n, bset, mounts);
}

/** The bytes of a string the caller put in the strings area (clamped to it). */
function stringAt(off: i32, len: i32): StaticArray<u8> {
  const max = strings.length;
  if (off < 0) off = 0;
  if (off > max) off = max;
  if (len < 0) len = 0;
  if (off + len > max) len = max - off;
  const s = new StaticArray<u8>(len);
  memory.copy(changetype<usize>(s), changetype<usize>(strings) + <usize>off, <usize>len);
  return s;
}

/** Run n steps (already in the steps area). The output area is reset first. */
export function run(n: i32): i32 {
  outReset();
  if (n * STEP_WORDS > steps.length) n = steps.length / STEP_WORDS;
  if (n * RESULT_WORDS > results.length) n = results.length / RESULT_WORDS;
  for (let i = 0; i < n; i++) {
    const s = i * STEP_WORDS;
    kind = R_OK;
    value = 0;
    aux = 0;
    setWhy(0);
    dispatch(unchecked(steps[s]), unchecked(steps[s + 1]), unchecked(steps[s + 2]), unchecked(steps[s + 3]),
      unchecked(steps[s + 4]), unchecked(steps[s + 5]));
    settle();
    const r = i * RESULT_WORDS;
    unchecked(results[r] = kind);
    unchecked(results[r + 1] = value);
    unchecked(results[r + 2] = aux);
    unchecked(results[r + 3] = why);
  }
  return n;
}

let kind: i32 = R_OK;
let value: i32 = 0;
let aux: i32 = 0;

/** A syscall's return: < 0 is -errno, else `v` with result kind `k`. */
function ret(rc: i32, k: i32, v: i32): void {
  if (rc < 0) { kind = R_ERR; value = -rc; return; }
  kind = k;
  value = v;
}

function dispatch(op: i32, by: i32, a: i32, b: i32, c: i32, d: i32): void {
  const t = taskOfLabel(by);
  if (!t || t.state != TASK_RUNNING) {
    kind = R_DEAD;
    setWhy(W_DEAD);
    return;
  }
  switch (op) {
    case OP_FORK: { doClone(t, 0, a); break; }
    case OP_CLONE: { doClone(t, <u32>a, b); break; }
    case OP_UNSHARE: { ret(ksys_unshare(t, <u32>a), R_OK, 0); break; }
    case OP_SETNS: { ret(sys_setns(t, a, <u32>b), R_OK, 0); break; }
    case OP_OPEN: { ret(openNsFile(t, taskOfLabel(a), b, c), R_OK, 0); break; }
    case OP_PIDFD_OPEN: { ret(pidfd_open(t, taskOfLabel(a), b), R_OK, 0); break; }
    case OP_CLOSE: { ret(sys_close(t, a), R_OK, 0); break; }
    case OP_IOCTL: {
      const rc = ns_ioctl(t, a, b, c);
      if (rc < 0) ret(<i32>rc, R_OK, 0);
      else if (b == NS_GET_NSTYPE) ret(0, R_FLAG, <i32>rc);
      else if (b == NS_GET_OWNER_UID) ret(0, R_UINT, <i32>rc); // the u32 uid's bits
      else ret(0, R_OK, 0);
      break;
    }
    case OP_EXEC: { ret(do_execve(t), R_OK, 0); break; }
    case OP_EXIT: {
      setWhy(t.unkillable ? W_EXIT_INIT : W_EXIT);
      do_exit(t, a & 255);
      break;
    }
    case OP_WAIT: { const rc = do_wait(t); ret(rc, R_INT, rc); break; }
    case OP_SETHOSTNAME:
    case OP_SETDOMAINNAME: {
      const name = stringAt(a, b);
      ret(setUtsName(t.cred, t.nsproxy!.of(NS_UTS), op == OP_SETHOSTNAME, name, 0, name.length), R_OK, 0);
      break;
    }
    case OP_GETHOSTNAME:
    case OP_GETDOMAINNAME: {
      const uts = t.nsproxy!.of(NS_UTS);
      const host = op == OP_GETHOSTNAME;
      kind = R_STR;
      value = outLength();
      outBytes(host ? uts.hostname : uts.domainname, utsNameLength(uts, host));
      setWhy(W_GETHOSTNAME);
      break;
    }
    case OP_GETPID: { ret(0, R_INT, unchecked(t.nspid[t.nspid.length - 1])); setWhy(W_GETPID); break; }
    case OP_GETPPID: {
      const ppid = t.parent < 0 ? 0 : pid_nr_ns(tasks[t.parent].nspid, tasks[t.parent].pidNs!, t.pidNs!);
      ret(0, R_INT, ppid);
      setWhy(ppid == 0 ? W_GETPPID_OUTSIDE : W_GETPID);
      break;
    }
    case OP_SETUID: {
      const nu = __sys_setuid(t.cred, <u32>a);
      if (!nu) { ret(lastError(), R_OK, 0); break; }
      commitCredsEffects(t, t.cred, nu);
      t.cred = nu; // same user namespace
      break;
    }
    case OP_WRITE_MAP: { ret(writeMap(t, taskOfLabel(a), b, c, d), R_OK, 0); break; }
    case OP_THREAD: {
      const rc = copy_process(t, THREAD_FLAGS, -1);
      ret(rc < 0 ? rc : 0, R_OK, 0);
      break;
    }
    case OP_OBSERVE: {
      kind = R_SNAP;
      value = outLength();
      writeSnapshot();
      aux = outLength() - value;
      setWhy(W_OBSERVE);
      break;
    }
    case OP_MOUNT_PROC: { ret(pathMountProc(t), R_OK, 0); break; }
    case OP_SET_PDEATHSIG: { ret(prctlSetPdeathsig(t, a), R_OK, 0); break; }
    case OP_KILL: {
      const target = taskOfLabel(a);
      const rc = sys_kill(t, target, b);
      // a process that signalled itself to death never sees the call return; one ended by
      // what its signal caused (a parent-death signal) saw it succeed first
      if (rc == 0 && target === t && t.state != TASK_RUNNING) { kind = R_DEAD; break; }
      ret(rc, R_OK, 0);
      break;
    }
    case OP_SETRESUID:
    case OP_SETRESGID: {
      const nu = __sys_setresxid(t.cred, op == OP_SETRESGID, <u32>a, <u32>b, <u32>c);
      commitCred(t, nu, resNoop);
      break;
    }
    case OP_SETGROUPS: {
      const g = parseNumbers(stringAt(a, b));
      const list = new Array<u32>(g.length);
      for (let i = 0, n = g.length; i < n; i++) unchecked(list[i] = <u32>unchecked(g[i]));
      commitCred(t, sys_setgroups(t.cred, list), false);
      break;
    }
    case OP_CAPSET: {
      const sets = parseNumbers(stringAt(a, b), true);
      const nu = sets.length == 3 ? sys_capset(t.cred, sets[0], sets[1], sets[2]) : null;
      if (sets.length != 3) fail(EINVAL, 0);
      commitCred(t, nu, false);
      break;
    }
    case OP_PRCTL: { doPrctl(t, a, b, c); break; }
    case OP_MKDIR: { ret(do_mkdirat(t, utf8At(a, b)), R_OK, 0); break; }
    case OP_MOUNT: {
      // a: MS_* flags; b: fstype + 1 (0 none, 1 tmpfs, 2 proc) | has source << 4; c, d: "target\0source"
      const parts = utf8At(c, d).split("\0");
      const target = parts[0];
      const source: string | null = (b & 16) && parts.length > 1 ? parts[1] : null;
      const fs = (b & 15) - 1;
      ret(do_mount(t, target, source, fs == 0 ? FS_TMPFS : fs == 1 ? FS_PROC : FSTYPE_NONE, a), R_OK, 0);
      break;
    }
    case OP_UMOUNT: { ret(ksys_umount(t, utf8At(b, c), a), R_OK, 0); break; }
    case OP_PIVOT_ROOT: {
      const parts = utf8At(a, b).split("\0");
      ret(sys_pivot_root(t, parts[0], parts.length > 1 ? parts[1] : ""), R_OK, 0);
      break;
    }
    case OP_READDIR: { doReaddir(t, utf8At(a, b)); break; }
    case OP_CHDIR: { ret(ksys_chdir(t, utf8At(a, b)), R_OK, 0); break; }
    case OP_CHROOT: { ret(ksys_chroot(t, utf8At(a, b)), R_OK, 0); break; }
    case OP_GETCWD: { doGetcwd(t); break; }
    default: {
      // not an op of trace format v1
      kind = R_ERR;
      value = EINVAL;
    }
  }
}

/** A string argument as text (paths are ASCII). */
function utf8At(off: i32, len: i32): string {
  const b = stringAt(off, len);
  return String.UTF8.decodeUnsafe(changetype<usize>(b), <usize>b.length);
}

/** getcwd: the path as a string (R_STR). */
function doGetcwd(t: Task): void {
  const s = sys_getcwd(t);
  if (s === null) { ret(lastError(), R_OK, 0); return; }
  value = outLength();
  kind = R_STR;
  const u = String.UTF8.encode(s!);
  outBytes(changetype<StaticArray<u8>>(u), u.byteLength);
}

/** readdir: the sorted names (R_LIST), or the string "proc" for a procfs directory. */
function doReaddir(t: Task, path: string): void {
  const d = readdir_dentry(t, path);
  if (!d) { ret(lastError(), R_OK, 0); return; }
  setWhy(W_READDIR);
  value = outLength();
  if (d.sb.type == FS_PROC) {
    kind = R_STR;
    outBytes(PROC_NAME, 4);
    return;
  }
  kind = R_LIST;
  const names = d_names(d);
  outI32(names.length);
  for (let i = 0, n = names.length; i < n; i++) {
    const u = String.UTF8.encode(unchecked(names[i]));
    outBytes(changetype<StaticArray<u8>>(u), u.byteLength);
  }
}

/** commit_creds() of a transition's new cred (same user namespace), or its error; a no-op succeeds as is. */
function commitCred(t: Task, nu: Cred | null, noop: bool): void {
  if (!nu) { ret(noop ? 0 : lastError(), R_OK, 0); return; }
  commitCredsEffects(t, t.cred, nu);
  t.cred = nu;
  ret(0, R_OK, 0);
}

/** prctl(option, arg2, arg3) of the options a trace names (docs/TRACE-EXTENSIONS.md). */
function doPrctl(t: Task, option: i32, a2: i32, a3: i32): void {
  switch (option) {
    case PR_CAPBSET_DROP: { commitCred(t, cap_prctl_drop(t.cred, a2), false); return; }
    case PR_CAP_AMBIENT: { commitCred(t, cap_ambient(t.cred, a2, a3), false); return; }
    case PR_SET_KEEPCAPS: { commitCred(t, set_keepcaps(t.cred, a2), false); return; }
    case PR_SET_SECUREBITS: { commitCred(t, set_securebits(t.cred, <u32>a2), false); return; }
    case PR_SET_NO_NEW_PRIVS: {
      if (a2 != 1) { ret(fail(EINVAL, W_NO_NEW_PRIVS), R_OK, 0); return; }
      t.noNewPrivs = true;
      ret(ok(W_NO_NEW_PRIVS), R_OK, 0);
      return;
    }
    case PR_SET_DUMPABLE: {
      if (a2 != 0 && a2 != 1) { ret(fail(EINVAL, W_DUMPABLE), R_OK, 0); return; }
      t.dumpable = a2 == 1;
      ret(ok(W_DUMPABLE), R_OK, 0);
      return;
    }
    default: { ret(-EINVAL, R_OK, 0); }
  }
}

/** Numbers separated by spaces: decimal, or hexadecimal with `hex`. */
function parseNumbers(s: StaticArray<u8>, hex: bool = false): Array<u64> {
  const out = new Array<u64>(0);
  let i = 0;
  const n = s.length;
  while (i < n) {
    while (i < n && unchecked(s[i]) == 32) i++;
    if (i >= n) break;
    let v: u64 = 0;
    while (i < n && unchecked(s[i]) != 32) {
      const c = <i32>unchecked(s[i]);
      const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : 0;
      v = hex ? (v << 4) | <u64>d : v * 10 + <u64>d;
      i++;
    }
    out.push(v);
  }
  return out;
}

/** fork (flags 0) and clone3 (the trace's flags): the child's PID as the caller sees it. */
function doClone(t: Task, flags: u32, label: i32): void {
  const rc = copy_process(t, flags, label);
  if (rc < 0) { ret(rc, R_OK, 0); return; }
  ret(0, R_INT, childPidFor(t, tasks[rc]));
}

/**
 * write_map: open /proc/<target>/{uid_map,gid_map,setgroups} for writing and write `data`.
 * The process must be in /proc (ENOENT); the file belongs to the target's euid (to root
 * when not dumpable) and only its owner may write it without CAP_DAC_OVERRIDE (EACCES);
 * setgroups wants CAP_SYS_ADMIN in the target's user namespace at open (EACCES).
 */
function writeMap(t: Task, target: Task | null, file: i32, off: i32, len: i32): i32 {
  if (!target || target.state == TASK_DEAD) return fail(ENOENT, W_PROC_NOENT);
  if (!mayWriteProcFile(t, target)) return fail(EACCES, W_PROC_FILE_PERMISSION);
  const ns = target.cred.userNs;
  const data = stringAt(off, len);
  if (file == MAP_SETGROUPS) {
    if (!ns_capable(t.cred, ns, CAP_SYS_ADMIN)) return fail(EACCES, W_SETGROUPS_OPEN);
    return proc_setgroups_write(ns, data, data.length);
  }
  return map_write(t.cred, ns, file == MAP_GID, data, data.length);
}

/**
 * generic_permission() on a 0644 /proc/<pid> file owned by task_dump_owner(): the owner may
 * write; anyone else needs CAP_DAC_OVERRIDE with the owner's ids mapped in its namespace.
 */
function mayWriteProcFile(t: Task, target: Task): bool {
  let uid = target.cred.euid;
  let gid = target.cred.egid;
  if (target.state != TASK_RUNNING) { uid = 0; gid = 0; }
  else if (!target.dumpable) {
    const mmNs = target.mmUserNs!;
    uid = mmNs.uidMap.length ? makeRoot(mmNs.uidMap) : 0;
    gid = mmNs.gidMap.length ? makeRoot(mmNs.gidMap) : 0;
  }
  if (t.cred.fsuid == uid) return true;
  const ns = t.cred.userNs;
  return ns_capable(t.cred, ns, CAP_DAC_OVERRIDE) && kuid_has_mapping(ns, uid) && kgid_has_mapping(ns, gid);
}

/** make_kuid(ns, 0), or GLOBAL_ROOT_UID when 0 has no mapping. */
function makeRoot(map: Array<u32>): u32 {
  for (let i = 0, n = map.length; i < n; i += 3) {
    if (unchecked(map[i]) == 0) return unchecked(map[i + 1]);
  }
  return 0;
}

/** The raw identity of a process's namespace file for display: its inode number, or -1. */
export function identity(label: i32, file: i32): i64 {
  const t = taskOfLabel(label);
  if (!t || t.state == TASK_DEAD || file < 0 || file >= NS_FILES) return -1;
  const ns = nsOfFile(t, file);
  return ns ? <i64>ns.inum : -1;
}

/** The process label of a process's parent (display only), or -1 (outside the trace, never made, reaped). */
export function processParent(label: i32): i32 {
  const t = taskOfLabel(label);
  if (!t || t.state == TASK_DEAD || t.parent < 0) return -1;
  return tasks[t.parent].label;
}

/**
 * The PID namespace a process's /proc shows (display only): the namespace id (the raw
 * snapshot's key), or -1 when it has no mount namespace (a zombie or an exiting init).
 */
export function processProcNs(label: i32): i32 {
  const t = taskOfLabel(label);
  if (!t || t.state != TASK_RUNNING || !t.nsproxy) return -1;
  const ns = proc_pid_ns_of(t);
  return ns ? ns.id : -1;
}

/** A snapshot of the world now, in the output area (which is reset first). */
export function snapshot(): i32 {
  outReset();
  writeSnapshot();
  return outLength();
}

/** "check|rule|sentence" of a why code, as a JS string. */
export function why_info(w: i32): string {
  return whyInfo(w);
}

/** A process label's state: -1 never made, else TASK_RUNNING 0, TASK_EXITING 1, TASK_ZOMBIE 2, TASK_DEAD 3. */
export function processState(label: i32): i32 {
  const t = taskOfLabel(label);
  return t ? t.state : -1;
}

/**
 * A user namespace's id maps and setgroups, for display (the teaching shell reads them
 * instead of keeping its own): "first lower count ..." of uid_map, "|", the same of gid_map,
 * "|", "allow" or "deny"; lower ids are kernel ids. "" when `id` is no user namespace.
 */
export function userNsMaps(id: i32): string {
  if (id < 0 || id >= namespaces.length) return "";
  const ns = namespaces[id];
  if (ns.type != NS_USER) return "";
  return idMapText(ns.uidMap) + "|" + idMapText(ns.gidMap) + "|" + (ns.setgroupsAllowed ? "allow" : "deny");
}

function idMapText(map: Array<u32>): string {
  let s = "";
  for (let i = 0, n = map.length; i + 2 < n; i += 3) {
    if (i > 0) s += " ";
    s += unchecked(map[i]).toString() + " " + unchecked(map[i + 1]).toString() + " " + unchecked(map[i + 2]).toString();
  }
  return s;
}

// explore (issue 10): the explorer's fingerprint and state view (assembly/explore.ts) — read-only
export {
  exploreEncode, exploreEncodingPointer, exploreFingerprint, exploreResultPointer, exploreView,
  exploreViewPointer, exploreHeapTop, exploreHeapBase, exploreReset, exploreGlobalsPointer,
} from "./explore";

// mounts (issue 12): the invariants of every mount tree, for the fast-check properties
export { checkMounts } from "./mnt/check";
