// unshare(1) and nsenter(1) as util-linux 2.38.1 runs them, each system call a step.
//
// unshare: unshare(flags); with --fork, fork (the parent waits and exits as its child did,
// re-raising a signal that ended it); in the process that goes on: the parent-death signal
// (--kill-child), the maps (-r, --map-user, --map-group: setgroups "deny" before gid_map),
// after CLONE_NEWNS the propagation of every mount (mount("none", "/", NULL, MS_REC|MS_PRIVATE)
// by default, --propagation slave|shared|private|unchanged) in a session with mounts, a proc
// mount (--mount-proc: /proc made private first unless that was the propagation), then exec
// of the command or of $SHELL as a login shell (-bash).
//
// nsenter: open /proc/PID/ns/* of the target (in its order: user cgroup ipc uts net pid mnt
// time), setns in two passes (user last, then first), fork when a PID namespace was entered,
// setuid(0) when a user namespace was, then exec. Not made as steps: setgroups(0) and
// setgid(0), which the trace format does not have.

import { CLONE_NEW, type MsFlag, type NsFile, type NsFlag, type NsType, type SignalName } from '../../trace/types.js';
import { ProcessGone, statusCode, type Ctx } from '../runtime.js';
import { strerror, uidByName } from '../text.js';
import { getoptOrTry, type OptSpec } from './getopt.js';
import { procNsOf } from './proc.js';
import { callPath, hasMounts, treePath, worldPathProblem } from './mounts.js';

const UNSHARE_USAGE = `
Usage:
 unshare [options] [<program> [<argument>...]]

Run a program with some namespaces unshared from the parent.

Options:
 -m, --mount[=<file>]      unshare mounts namespace
 -u, --uts[=<file>]        unshare UTS namespace (hostname etc)
 -i, --ipc[=<file>]        unshare System V IPC namespace
 -n, --net[=<file>]        unshare network namespace
 -p, --pid[=<file>]        unshare pid namespace
 -U, --user[=<file>]       unshare user namespace
 -C, --cgroup[=<file>]     unshare cgroup namespace
 -T, --time[=<file>]       unshare time namespace

 -f, --fork                fork before launching <program>
 --map-user=<uid>|<name>   map current user to uid (implies --user)
 --map-group=<gid>|<name>  map current group to gid (implies --user)
 -r, --map-root-user       map current user to root (implies --user)
 -c, --map-current-user    map current user to itself (implies --user)

 --kill-child[=<signame>]  when dying, kill the forked child (implies --fork)
                             defaults to SIGKILL
 --mount-proc[=<dir>]      mount proc filesystem first (implies --mount)
 --propagation slave|shared|private|unchanged
                           modify mount propagation in mount namespace
 --setgroups allow|deny    control the setgroups syscall in user namespaces

 -h, --help                display this help
 -V, --version             display version

For more details see unshare(1).
`;

const UNSHARE_OPTS: OptSpec[] = [
  { short: 'f', long: 'fork', arg: 'none', key: 'fork' },
  { short: 'h', long: 'help', arg: 'none', key: 'help' },
  { short: 'V', long: 'version', arg: 'none', key: 'version' },
  { short: 'm', long: 'mount', arg: 'optional', shortArg: 'none', key: 'CLONE_NEWNS' },
  { short: 'u', long: 'uts', arg: 'optional', shortArg: 'none', key: 'CLONE_NEWUTS' },
  { short: 'i', long: 'ipc', arg: 'optional', shortArg: 'none', key: 'CLONE_NEWIPC' },
  { short: 'n', long: 'net', arg: 'optional', shortArg: 'none', key: 'CLONE_NEWNET' },
  { short: 'p', long: 'pid', arg: 'optional', shortArg: 'none', key: 'CLONE_NEWPID' },
  { short: 'U', long: 'user', arg: 'optional', shortArg: 'none', key: 'CLONE_NEWUSER' },
  { short: 'C', long: 'cgroup', arg: 'optional', shortArg: 'none', key: 'CLONE_NEWCGROUP' },
  { short: 'T', long: 'time', arg: 'optional', shortArg: 'none', key: 'CLONE_NEWTIME' },
  { long: 'mount-proc', arg: 'optional', key: 'mount-proc' },
  { short: 'r', long: 'map-root-user', arg: 'none', key: 'map-root-user' },
  { short: 'c', long: 'map-current-user', arg: 'none', key: 'map-current-user' },
  { long: 'map-user', arg: 'required', key: 'map-user' },
  { long: 'map-group', arg: 'required', key: 'map-group' },
  { long: 'kill-child', arg: 'optional', key: 'kill-child' },
  { long: 'propagation', arg: 'required', key: 'propagation' },
  { long: 'setgroups', arg: 'required', key: 'setgroups' },
  // util-linux has them; this world does not (no files, no subordinate ids, no time offsets)
  { long: 'map-users', arg: 'required', key: 'unsupported' },
  { long: 'map-groups', arg: 'required', key: 'unsupported' },
  { long: 'map-auto', arg: 'none', key: 'unsupported' },
  { long: 'keep-caps', arg: 'none', key: 'unsupported' },
  { short: 'S', long: 'setuid', arg: 'required', key: 'unsupported' },
  { short: 'G', long: 'setgid', arg: 'required', key: 'unsupported' },
  { short: 'R', long: 'root', arg: 'required', key: 'unsupported' },
  { short: 'w', long: 'wd', arg: 'required', key: 'unsupported' },
  { long: 'monotonic', arg: 'required', key: 'unsupported' },
  { long: 'boottime', arg: 'required', key: 'unsupported' },
];

/** The user namespace of a process, its euid there (geteuid()), and gid there. */
async function idsOf(ctx: Ctx): Promise<{ uid: number; gid: number }> {
  const s = ctx.rt.session;
  const me = (await s.process(ctx.proc))!;
  return { uid: await s.idIn(me.snap.uid, me.snap.ns.user), gid: await s.idIn(s.gid, me.snap.ns.user, true) };
}

export async function unshare(ctx: Ctx, argv: string[]): Promise<number> {
  const rt = ctx.rt;
  const parsed = getoptOrTry(ctx, 'unshare', argv.slice(1), UNSHARE_OPTS);
  if (!parsed) return 1;
  const flags = new Set<NsFlag>();
  let fork = false;
  let procmnt: string | undefined;
  let mapUser: number | undefined, mapGroup: number | undefined;
  let killChild: number | undefined;
  let setgroups: 'allow' | 'deny' | undefined;
  // UNSHARE_PROPAGATION_DEFAULT: MS_REC|MS_PRIVATE; null: unchanged
  let propagation: MsFlag | null = 'MS_PRIVATE';
  const start = await idsOf(ctx); // real_euid, real_egid: before unshare
  for (const { key, value, name } of parsed.opts) {
    if (key === 'help') { ctx.out(UNSHARE_USAGE); return 0; }
    if (key === 'version') { ctx.out('unshare from util-linux 2.38.1\n'); return 0; }
    if (key === 'unsupported') {
      ctx.err(`unshare: ${name} is not supported in this shell's world\n`);
      return 1;
    }
    if (key.startsWith('CLONE_')) {
      if (value !== undefined) { ctx.err('unshare: persistent namespaces (a file to bind to) are not supported in this shell\'s world\n'); return 1; }
      flags.add(key as NsFlag);
    }
    switch (key) {
      case 'fork': fork = true; break;
      case 'mount-proc':
        flags.add('CLONE_NEWNS');
        procmnt = value ?? '/proc';
        if (procmnt !== '/proc') { ctx.err(`unshare: --mount-proc=${procmnt}: only /proc exists in this shell's world\n`); return 1; }
        break;
      case 'map-root-user': flags.add('CLONE_NEWUSER'); mapUser = 0; mapGroup = 0; break;
      case 'map-current-user': flags.add('CLONE_NEWUSER'); mapUser = start.uid; mapGroup = start.gid; break;
      case 'map-user': {
        flags.add('CLONE_NEWUSER');
        const u = uidByName(value!);
        if (u === undefined) { ctx.err(`unshare: failed to parse uid: '${value}'\n`); return 1; }
        mapUser = u;
        break;
      }
      case 'map-group': {
        flags.add('CLONE_NEWUSER');
        if (!/^\d+$/.test(value!)) { ctx.err(`unshare: failed to parse gid: '${value}'\n`); return 1; }
        mapGroup = Number(value);
        break;
      }
      case 'kill-child': {
        fork = true;
        const n = value === undefined ? 9 : rt.signalNumber(value);
        if (n === undefined || n === 0) { ctx.err(`unshare: unknown signal: ${value}\n`); return 1; }
        killChild = n;
        break;
      }
      case 'setgroups':
        if (value !== 'allow' && value !== 'deny') { ctx.err(`unshare: unsupported --setgroups argument '${value}'\n`); return 1; }
        setgroups = value;
        break;
      case 'propagation':
        if (!['slave', 'shared', 'private', 'unchanged'].includes(value!)) { ctx.err(`unshare: unsupported propagation mode: ${value}\n`); return 1; }
        propagation = value === 'unchanged' ? null : (`MS_${value!.toUpperCase()}` as MsFlag);
        break;
    }
  }

  // unshare(2)
  const list = [...flags].sort((a, b) => CLONE_NEW[a] - CLONE_NEW[b]);
  const r = await rt.run({ by: ctx.proc, op: 'unshare', flags: list }, { decisive: true });
  if ('dead' in r) throw new ProcessGone(ctx.proc);
  if ('err' in r) {
    ctx.err(`unshare: unshare failed: ${strerror(r.err)}\n`);
    return 1;
  }

  if (!fork) return afterFork(ctx, argv, parsed.rest, { killChild, mapUser, mapGroup, setgroups, procmnt, start, propagation: flags.has('CLONE_NEWNS') ? propagation : null });

  const forked = await rt.fork(ctx.proc, argv[0]);
  if ('err' in forked) {
    ctx.err(`unshare: fork failed: ${strerror(forked.err)}\n`);
    return 1;
  }
  const child = forked.child;
  const status = await rt.lifeOf(ctx.proc, child, () =>
    afterFork(rt.ctx(child, undefined, ctx.stdin), argv, parsed.rest, { killChild, mapUser, mapGroup, setgroups, procmnt, start, propagation: flags.has('CLONE_NEWNS') ? propagation : null }));
  if ('code' in status) return status.code;
  // "Ensure the signal that terminated the child will also terminate the parent"
  const sig = rt.signalName(status.signal);
  const k = await rt.run({ by: ctx.proc, op: 'kill', target: ctx.proc, signal: sig });
  rt.killedBy.set(ctx.proc, status.signal);
  if ('dead' in k || !(await rt.session.isRunning(ctx.proc))) throw new ProcessGone(ctx.proc);
  ctx.err(`unshare: child exit failed: ${strerror('EINVAL')}\n`);
  return statusCode(status);
}

interface After {
  killChild?: number;
  mapUser?: number;
  mapGroup?: number;
  setgroups?: 'allow' | 'deny';
  procmnt?: string;
  start: { uid: number; gid: number };
  /** The propagation to give every mount after CLONE_NEWNS (with MS_REC), or null. */
  propagation: MsFlag | null;
}

/** What unshare does in the process that goes on (the child with --fork). */
async function afterFork(ctx: Ctx, argv: string[], rest: string[], a: After): Promise<number> {
  const rt = ctx.rt;
  if (a.killChild !== undefined) {
    await rt.run({ by: ctx.proc, op: 'set_pdeathsig', signal: rt.signalName(a.killChild) as SignalName });
    rt.pdeath.set(ctx.proc, a.killChild);
  }
  if (a.mapUser !== undefined && !(await writeMap(ctx, 'unshare', 'uid_map', `${a.mapUser} ${a.start.uid} 1`))) return 1;
  if (a.mapGroup !== undefined) {
    if (a.setgroups === 'allow') {
      ctx.err('unshare: options --setgroups=allow and --map-group are mutually exclusive\n');
      return 1;
    }
    if (!(await writeMap(ctx, 'unshare', 'setgroups', 'deny'))) return 1;
    if (!(await writeMap(ctx, 'unshare', 'gid_map', `${a.mapGroup} ${a.start.gid} 1`))) return 1;
  }
  if (a.setgroups && !(await writeMap(ctx, 'unshare', 'setgroups', a.setgroups))) return 1;
  // set_propagation(): mount("none", "/", NULL, MS_REC|propagation, NULL)
  const mounts = hasMounts(ctx);
  if (mounts && a.propagation) {
    const m = await rt.run({ by: ctx.proc, op: 'mount', target: '/', flags: ['MS_REC', a.propagation] }, { decisive: true });
    if ('dead' in m) throw new ProcessGone(ctx.proc);
    if ('err' in m) {
      ctx.err(`unshare: cannot change root filesystem propagation: ${strerror(m.err)}\n`);
      return 1;
    }
  }
  if (a.procmnt && mounts && a.propagation !== 'MS_PRIVATE') {
    // /proc made private first, unless the recursive propagation change of / did it (EINVAL ignored)
    const m = await rt.run({ by: ctx.proc, op: 'mount', target: a.procmnt, flags: ['MS_REC', 'MS_PRIVATE'] }, { decisive: true });
    if ('dead' in m) throw new ProcessGone(ctx.proc);
    if ('err' in m && m.err !== 'EINVAL') {
      ctx.err(`unshare: cannot change ${a.procmnt} filesystem propagation: ${strerror(m.err)}\n`);
      return 1;
    }
  }
  if (a.procmnt) {
    const m = await rt.run({ by: ctx.proc, op: 'mount_proc' }, { decisive: true });
    if ('dead' in m) throw new ProcessGone(ctx.proc);
    if ('err' in m) {
      ctx.err(`unshare: mount ${a.procmnt} failed: ${strerror(m.err)}\n`);
      return 1;
    }
  }
  return execOrShell(ctx, 'unshare', rest);
}

/** Write /proc/self/<file>: false (and the message) when it fails. */
export async function writeMap(ctx: Ctx, prog: string, file: 'uid_map' | 'gid_map' | 'setgroups', data: string): Promise<boolean> {
  const rt = ctx.rt;
  const r = await rt.run({ by: ctx.proc, op: 'write_map', target: ctx.proc, file, data }, { decisive: true });
  if ('dead' in r) throw new ProcessGone(ctx.proc);
  const path = `/proc/self/${file}`;
  if ('err' in r) {
    // the open fails with EACCES/ENOENT; the write with EPERM/EINVAL
    if (r.err === 'ENOENT' && file === 'setgroups') return true;
    ctx.err(r.err === 'EACCES' || r.err === 'ENOENT'
      ? `${prog}: cannot open ${path}: ${strerror(r.err)}\n`
      : `${prog}: write failed ${path}: ${strerror(r.err)}\n`);
    return false;
  }
  return true;
}

/**
 * nsenter --root=DIR: util-linux opens DIR and "." first, then fchdir(DIR), chroot("."),
 * chdir("/") and fchdir back to the saved working directory — which the new root may not
 * reach. The trace format has no descriptors of directories (fchdir is not modelled), so the
 * step is what those calls come to: chroot(DIR), the working directory left where it was
 * (DIR looked up from it, as open() did). Its errors as nsenter words them.
 */
async function enterRoot(ctx: Ctx, dir: string): Promise<boolean> {
  const rt = ctx.rt;
  const newRoot = treePath(ctx, dir);
  const cwd = treePath(ctx, '.');
  const r = await rt.run({ by: ctx.proc, op: 'chroot', path: callPath(dir) }, { decisive: true });
  if ('dead' in r) throw new ProcessGone(ctx.proc);
  if ('err' in r) {
    ctx.err(r.err === 'EPERM' ? `nsenter: chroot failed: ${strerror(r.err)}\n` : `nsenter: cannot open ${dir}: ${strerror(r.err)}\n`);
    return false;
  }
  rt.roots.set(ctx.proc, newRoot);
  const inRoot = newRoot === '/' ? cwd : cwd === newRoot ? '/' : cwd.startsWith(`${newRoot}/`) ? cwd.slice(newRoot.length) : null;
  rt.cwd.set(ctx.proc, inRoot ?? `(unreachable)${cwd}`);
  return true;
}

/** execvp() of the command, or exec_shell(): $SHELL with argv[0] "-" + its basename. */
async function execOrShell(ctx: Ctx, prog: string, rest: string[]): Promise<number> {
  const rt = ctx.rt;
  if (rest.length > 0) {
    const entry = rt.lookup(rest[0]);
    if (!entry) {
      ctx.err(`${prog}: failed to execute ${rest[0]}: No such file or directory\n`);
      return 127;
    }
    return rt.execProgram(ctx.proc, rest, entry, { stdin: ctx.stdin });
  }
  const shell = rt.env.SHELL ?? '/bin/sh';
  const entry = rt.lookup(shell.replace(/.*\//, ''))!;
  return rt.execProgram(ctx.proc, [`-${shell.replace(/.*\//, '')}`], entry);
}

// ---- nsenter ---------------------------------------------------------------------------------

const NSENTER_USAGE = `
Usage:
 nsenter [options] [<program> [<argument>...]]

Run a program with namespaces of other processes.

Options:
 -a, --all              enter all namespaces
 -t, --target <pid>     target process to get namespaces from
 -m, --mount[=<file>]   enter mount namespace
 -u, --uts[=<file>]     enter UTS namespace (hostname etc)
 -i, --ipc[=<file>]     enter System V IPC namespace
 -n, --net[=<file>]     enter network namespace
 -p, --pid[=<file>]     enter pid namespace
 -C, --cgroup[=<file>]  enter cgroup namespace
 -U, --user[=<file>]    enter user namespace
 -T, --time[=<file>]    enter time namespace
 -S, --setuid <uid>     set uid in entered namespace
 -G, --setgid <gid>     set gid in entered namespace
     --preserve-credentials do not touch uids or gids
 -r, --root[=<dir>]     set the root directory
 -w, --wd[=<dir>]       set the working directory
 -W. --wdns <dir>       set the working directory in namespace
 -F, --no-fork          do not fork before exec'ing <program>

 -h, --help             display this help
 -V, --version          display version

For more details see nsenter(1).
`;

const NSENTER_OPTS: OptSpec[] = [
  { short: 'a', long: 'all', arg: 'none', key: 'all' },
  { short: 'h', long: 'help', arg: 'none', key: 'help' },
  { short: 'V', long: 'version', arg: 'none', key: 'version' },
  { short: 't', long: 'target', arg: 'required', key: 'target' },
  { short: 'm', long: 'mount', arg: 'optional', key: 'mnt' },
  { short: 'u', long: 'uts', arg: 'optional', key: 'uts' },
  { short: 'i', long: 'ipc', arg: 'optional', key: 'ipc' },
  { short: 'n', long: 'net', arg: 'optional', key: 'net' },
  { short: 'p', long: 'pid', arg: 'optional', key: 'pid' },
  { short: 'U', long: 'user', arg: 'optional', key: 'user' },
  { short: 'C', long: 'cgroup', arg: 'optional', key: 'cgroup' },
  { short: 'T', long: 'time', arg: 'optional', key: 'time' },
  { short: 'S', long: 'setuid', arg: 'required', key: 'setuid' },
  { short: 'G', long: 'setgid', arg: 'required', key: 'unsupported' },
  { long: 'preserve-credentials', arg: 'none', key: 'preserve' },
  { short: 'r', long: 'root', arg: 'optional', key: 'root' },
  { short: 'w', long: 'wd', arg: 'optional', key: 'unsupported' },
  { short: 'W', long: 'wdns', arg: 'required', key: 'unsupported' },
  { short: 'F', long: 'no-fork', arg: 'none', key: 'no-fork' },
  { short: 'Z', long: 'follow-context', arg: 'none', key: 'unsupported' },
];

/** nsenter's namespace_files[], in its order. */
const NSENTER_ORDER: { type: NsType; flag: NsFlag }[] = [
  { type: 'user', flag: 'CLONE_NEWUSER' }, { type: 'cgroup', flag: 'CLONE_NEWCGROUP' },
  { type: 'ipc', flag: 'CLONE_NEWIPC' }, { type: 'uts', flag: 'CLONE_NEWUTS' },
  { type: 'net', flag: 'CLONE_NEWNET' }, { type: 'pid', flag: 'CLONE_NEWPID' },
  { type: 'mnt', flag: 'CLONE_NEWNS' }, { type: 'time', flag: 'CLONE_NEWTIME' },
];

export async function nsenter(ctx: Ctx, argv: string[]): Promise<number> {
  const rt = ctx.rt;
  const s = rt.session;
  const parsed = getoptOrTry(ctx, 'nsenter', argv.slice(1), NSENTER_OPTS);
  if (!parsed) return 1;
  let all = false, noFork = false, preserve = false;
  let targetPid = 0;
  let setuid: number | undefined;
  let root: string | undefined;
  const wanted = new Set<NsType>();
  for (const { key, value, name } of parsed.opts) {
    switch (key) {
      case 'help': ctx.out(NSENTER_USAGE); return 0;
      case 'version': ctx.out('nsenter from util-linux 2.38.1\n'); return 0;
      case 'all': all = true; break;
      case 'no-fork': noFork = true; break;
      case 'preserve': preserve = true; break;
      case 'target':
        if (!/^\d+$/.test(value!)) { ctx.err(`nsenter: failed to parse pid: '${value}'\n`); return 1; }
        targetPid = Number(value);
        break;
      case 'setuid':
        if (!/^\d+$/.test(value!)) { ctx.err(`nsenter: failed to parse uid: '${value}'\n`); return 1; }
        setuid = Number(value);
        break;
      case 'root':
        if (value === undefined) { ctx.err("nsenter: --root without a directory (the target's /proc/PID/root) is not supported in this shell's world\n"); return 1; }
        root = value;
        break;
      case 'unsupported':
        ctx.err(`nsenter: ${name} is not supported in this shell's world\n`);
        return 1;
      default:
        if (value !== undefined) { ctx.err('nsenter: namespace files other than /proc/PID/ns/* are not supported in this shell\'s world\n'); return 1; }
        wanted.add(key as NsType);
    }
  }

  if (root !== undefined && (wanted.has('mnt') || all)) {
    // nsenter opens the directory before setns: a path of the old mount namespace
    ctx.err("nsenter: --root with a mount namespace to enter is not supported in this shell's world\n");
    return 1;
  }
  if (root !== undefined) {
    const problem = worldPathProblem(ctx, root);
    if (problem) { ctx.err(`nsenter: cannot open ${root}: ${problem}\n`); return 1; }
  }

  // the target, as the caller's /proc numbers it
  const procNs = await procNsOf(ctx);
  const target = targetPid ? await s.byPid(targetPid, procNs) : undefined;
  if (all) {
    if (!targetPid) { ctx.err('nsenter: no target PID specified for --all\n'); return 1; }
    for (const { type } of NSENTER_ORDER) {
      if (type !== 'user') { wanted.add(type); continue; }
      // is_usable_namespace(): the user namespace is skipped when it is the caller's own
      // (a stat of /proc/PID/ns/user: the kernel's checks, as an open)
      if (!target) {
        rt.session.note(`no process has PID ${targetPid} in the PID namespace that nsenter's /proc shows, so /proc/${targetPid}/ns/user does not exist (ENOENT).`);
        ctx.err(`nsenter: stat of /proc/${targetPid}/ns/user failed: No such file or directory\n`);
        return 1;
      }
      const fd = s.label('fd');
      const st = await rt.run({ by: ctx.proc, op: 'open', target, ns: 'user', as: fd });
      if ('err' in st) { ctx.err(`nsenter: stat of /proc/${targetPid}/ns/user failed: ${strerror(st.err)}\n`); return 1; }
      await rt.run({ by: ctx.proc, op: 'close', fd });
      if ((await s.inode(target, 'user')) !== (await s.inode(ctx.proc, 'user'))) wanted.add('user');
    }
  }
  // open the namespace files, in namespace_files[] order
  const fds = new Map<NsType, string>();
  for (const { type } of NSENTER_ORDER) {
    if (!wanted.has(type)) continue;
    const path = `/proc/${targetPid}/ns/${type}`;
    if (!targetPid) { ctx.err(`nsenter: neither filename nor target pid supplied for ns/${type}\n`); return 1; }
    if (!target) {
      rt.session.note(`no process has PID ${targetPid} in the PID namespace that nsenter's /proc shows, so ${path} does not exist (ENOENT): /proc lists the processes of one PID namespace, numbered as that namespace numbers them.`);
      ctx.err(`nsenter: cannot open ${path}: No such file or directory\n`);
      return 1;
    }
    const fd = s.label('fd');
    const r = await rt.run({ by: ctx.proc, op: 'open', target, ns: type as NsFile, as: fd }, { decisive: true });
    if ('err' in r) { ctx.err(`nsenter: cannot open ${path}: ${strerror(r.err)}\n`); return 1; }
    fds.set(type, fd);
  }
  // two passes: all but user first (failures retried), then user and what is left
  let doFork = noFork ? 0 : -1;
  for (let pass = 0; pass < 2; pass++) {
    for (const { type, flag } of pass === 0 ? NSENTER_ORDER.slice(1) : NSENTER_ORDER) {
      const fd = fds.get(type);
      if (!fd) continue;
      if (type === 'pid' && doFork === -1) doFork = 1;
      const r = await rt.run({ by: ctx.proc, op: 'setns', fd, nstype: flag }, { decisive: true });
      if ('dead' in r) throw new ProcessGone(ctx.proc);
      if ('err' in r) {
        if (pass === 0) continue;
        ctx.err(`nsenter: reassociate to namespace 'ns/${type}' failed: ${strerror(r.err)}\n`);
        return 1;
      }
      // mntns_install(): the caller's root and working directory become the namespace's root
      if (type === 'mnt') {
        rt.cwd.set(ctx.proc, '/');
        rt.roots.delete(ctx.proc);
      }
      await rt.run({ by: ctx.proc, op: 'close', fd });
      fds.delete(type);
    }
  }

  const afterEnter = async (c: Ctx): Promise<number> => {
    if (root !== undefined && !(await enterRoot(c, root))) return 1;
    const uid = setuid ?? (wanted.has('user') && !preserve ? 0 : undefined);
    if (uid !== undefined) {
      const r = await rt.run({ by: c.proc, op: 'setuid', uid });
      if ('err' in r) { c.err(`nsenter: setuid failed: ${strerror(r.err)}\n`); return 1; }
    }
    return execOrShell(c, 'nsenter', parsed.rest);
  };
  if (doFork !== 1) return afterEnter(ctx);
  // continue_as_child(): the parent waits and exits as the child did
  const forked = await rt.fork(ctx.proc, argv[0]);
  if ('err' in forked) { ctx.err(`nsenter: fork failed: ${strerror(forked.err)}\n`); return 1; }
  const child = forked.child;
  const status = await rt.lifeOf(ctx.proc, child, () => afterEnter(rt.ctx(child, undefined, ctx.stdin)));
  if ('code' in status) return status.code;
  const k = await rt.run({ by: ctx.proc, op: 'kill', target: ctx.proc, signal: rt.signalName(status.signal) });
  rt.killedBy.set(ctx.proc, status.signal);
  if ('dead' in k || !(await s.isRunning(ctx.proc))) throw new ProcessGone(ctx.proc);
  return 1;
}
