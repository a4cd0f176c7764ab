// mount(8), umount(8), findmnt(8) as util-linux 2.38.1 runs them, mkdir(1) as coreutils 9.1
// does, and what /proc/PID/mountinfo and /proc/PID/mounts show: each system call a step (mount,
// umount, mkdir, readdir), each listing from the snapshot's mounts (docs/TRACE-EXTENSIONS.md,
// "Mounts"). The real tools' output they follow was recorded on Linux 6.18:
// test/fixtures/mounts-real/.
//
// What a listing cannot know and shows by a fixed rule (the snapshot is canonical):
//  - the order: the tree, depth first, a mount's children by mountpoint — where the kernel
//    lists mountinfo in order of creation and findmnt hangs children in order of mount ID;
//  - mount IDs: the canonical ones plus MOUNT_ID_OFFSET; a namespace's root is its own parent
//    (the kernel's mnt_parent of a mount with none; the kernel backend's pivoted root has the
//    detached old root beneath it, which the snapshot does not name);
//  - devices: 0:N, N counting the snapshot's filesystems in order of first appearance from 41;
//  - sources: a tmpfs is `tmpfs` and a procfs `proc` (the trace's mount passes the type's
//    name as the source), every mount is `relatime` (traces have no atime flags).

import type { MountStep, MsFlag, Result, SnapshotMount } from '../../trace/types.js';
import { MS_FLAGS } from '../../trace/types.js';
import { pathProblem } from '../../trace/paths.js';
import { ProcessGone, type Ctx } from '../runtime.js';
import { strerror } from '../text.js';
import { getoptOrTry, type OptSpec } from './getopt.js';
import { procTarget } from './proc.js';

export const MOUNT_ID_OFFSET = 22;
const FIRST_DEV = 41;
const DMESG = '       dmesg(1) may have more information after failed mount system call.\n';

// ---- paths -------------------------------------------------------------------------------------

/**
 * The absolute spelling of a path from the working directory as the shell last learned it
 * (getcwd, cd), `.` and `..` resolved by name (there are no symbolic links). Only for what the
 * shell itself must know — which of /proc's pseudo-files a path names, which mount findmnt
 * shows —; the system calls get paths as the real tools pass them (callPath, realPath).
 */
export function absPath(ctx: Ctx, p: string): string {
  const cwd = ctx.rt.cwdOf(ctx.proc).replace(/^\(unreachable\)/, '');
  return normalPath(p.startsWith('/') ? p : `${cwd}/${p}`);
}

/** An absolute path with `.`, `..` and repeated or trailing slashes resolved by name. */
export function normalPath(full: string): string {
  const out: string[] = [];
  for (const c of full.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') out.pop();
    else out.push(c);
  }
  return `/${out.join('/')}`;
}

/** A path as a system call gets it from a program that passes it on as typed: repeated and trailing slashes dropped (the kernel ignores them). */
export function callPath(p: string): string {
  if (p === '') return p;
  const q = p.replace(/\/+/g, '/');
  return q === '/' ? q : q.replace(/\/$/, '');
}

/**
 * Why this world cannot name a path as typed (the trace format's paths), or null: its shape,
 * or an absolute spelling (from the working directory the shell knows) below /proc.
 */
export function worldPathProblem(ctx: Ctx, typed: string): string | null {
  const p = pathProblem(callPath(typed)) ?? pathProblem(absPath(ctx, typed));
  if (p === null) return null;
  if (p.startsWith('paths below /proc')) return 'paths below /proc are not modelled in this shell\'s world';
  return 'this shell\'s world names files with A-Z a-z 0-9 . _ - only';
}

/** getcwd(2) as a step: the path from the caller's root, `(unreachable)/...` when its root does not reach it, or the errno. */
export async function getcwdStep(ctx: Ctx, decisive = false): Promise<string | { err: string }> {
  const r = await ctx.rt.run({ by: ctx.proc, op: 'getcwd' }, { decisive });
  if ('dead' in r) throw new ProcessGone(ctx.proc);
  if ('err' in r) return { err: r.err };
  const cwd = String(r.value);
  ctx.rt.cwd.set(ctx.proc, cwd);
  return cwd;
}

/**
 * realpath(3) of a path, as libmount canonicalizes mount(8)'s and umount(8)'s operands (no
 * symbolic links exist, so the names resolve as written): an absolute path as it is; a
 * relative one from getcwd (a step). The path as typed when glibc's getcwd would fail (the
 * working directory unreachable from the root).
 */
export async function realPath(ctx: Ctx, p: string): Promise<string> {
  if (p.startsWith('/')) return normalPath(p);
  const cwd = await getcwdStep(ctx);
  if (typeof cwd !== 'string' || !cwd.startsWith('/')) return callPath(p);
  return normalPath(`${cwd}/${p}`);
}

/**
 * A path as a path of the mount namespace's whole tree (from its root, not the process's):
 * the process's root as the shell knows it, then the path from there; a working directory
 * the root does not reach (`(unreachable)/x`) is already one.
 */
export function treePath(ctx: Ctx, p: string): string {
  const root = ctx.rt.rootOf(ctx.proc);
  const cwd = ctx.rt.cwdOf(ctx.proc);
  if (!p.startsWith('/') && cwd.startsWith('(unreachable)')) return normalPath(`${cwd.slice('(unreachable)'.length)}/${p}`);
  const inRoot = absPath(ctx, p);
  return root === '/' ? inRoot : inRoot === '/' ? root : `${root}${inRoot}`;
}

/** Is the session's world one with mounts (setup.mounts)? */
export function hasMounts(ctx: Ctx): boolean {
  return ctx.rt.session.trace.setup.mounts === true;
}

/** readdir(path) as a step: the names, 'proc' for a procfs directory, or the errno. */
export async function readdirStep(ctx: Ctx, path: string, decisive = false): Promise<string[] | 'proc' | { err: string }> {
  const r = await ctx.rt.run({ by: ctx.proc, op: 'readdir', path }, { decisive });
  if ('dead' in r) throw new ProcessGone(ctx.proc);
  if ('err' in r) return { err: r.err };
  if (r.value === 'proc') return 'proc';
  return Array.isArray(r.value) ? r.value : [];
}

// ---- the mounts of a namespace, as the tools show them ----------------------------------------

export interface ShownMount {
  id: number;
  parent: number;
  mountpoint: string;
  root: string;
  fstype: string;
  source: string;
  dev: string;
  /** Per-mount options: rw/ro, nosuid, nodev, noexec, relatime. */
  vfs: string[];
  super: 'rw' | 'ro';
  propagation: string[];
  depth: number;
}

/**
 * The mounts of process `label`'s mount namespace as its /proc/PID/mountinfo shows them, in
 * the snapshot's order; null when it has none to show. The snapshot lists them as the
 * namespace's first process sees them (from its root); for a process whose root the shell's
 * chroot(8) changed, the list is cut to what that root reaches, with mountpoints from it
 * (seq_path_root(): a mount whose root the process's root does not reach is left out).
 * Limitation: the shell knows a root as a path; a process whose root is not below the
 * first process's (or a mount stacked over a root after the chroot) is shown as the first
 * process sees it.
 */
export async function mountsOf(ctx: Ctx, label: string): Promise<ShownMount[] | null> {
  const s = ctx.rt.session;
  const v = await s.view();
  const p = v.snapshot.processes.find((q) => q.name === label);
  const nsId = p?.ns.mnt;
  if (!nsId) return null;
  // device numbers: the snapshot's filesystems in order of first appearance
  const devs = new Map<string, string>();
  for (const n of v.snapshot.namespaces) for (const m of n.mounts ?? []) if (!devs.has(m.fs)) devs.set(m.fs, `0:${FIRST_DEV + devs.size}`);
  const ns = v.snapshot.namespaces.find((n) => n.id === nsId);
  if (!ns?.mounts) return null;
  // whose view the snapshot is: the first running process in the namespace (label order)
  const first = v.snapshot.processes.find((q) => q.state === 'running' && q.ns.mnt === nsId);
  const seenFrom = first ? ctx.rt.rootOf(first.name) : '/';
  const root = ctx.rt.rootOf(label);
  const rel = seenFrom === '/' ? root : root === seenFrom ? '/' : root.startsWith(`${seenFrom}/`) ? root.slice(seenFrom.length) : '/';
  const shown = rel === '/' ? ns.mounts.map((m) => ({ m, mountpoint: m.mountpoint })) : reachedFrom(ns.mounts, rel);
  const depth = new Map<number, number>();
  return shown.map(({ m, mountpoint }) => {
    const d = m.parent === null || !depth.has(m.parent) ? 0 : depth.get(m.parent)! + 1;
    depth.set(m.id, d);
    const fstype = m.fs.replace(/:.*/, '');
    return {
      id: m.id + MOUNT_ID_OFFSET,
      parent: (m.parent ?? m.id) + MOUNT_ID_OFFSET,
      mountpoint, root: m.root, fstype, source: fstype, dev: devs.get(m.fs) ?? '0:0',
      vfs: [...m.options, 'relatime'], super: m.super, propagation: m.propagation, depth: d,
    };
  });
}

/**
 * The mounts a root at `root` (a path of the listed tree, not `/`) reaches, with their
 * mountpoints from it: the mount the root is in (the top one on the longest mountpoint that
 * holds it) when the root is its mountpoint, and the mounts below it whose mountpoints are
 * under the root.
 */
function reachedFrom(mounts: SnapshotMount[], root: string): { m: SnapshotMount; mountpoint: string }[] {
  const holds = (mp: string) => mp === '/' || mp === root || root.startsWith(`${mp}/`);
  const depthOf = new Map<number, number>();
  let top: SnapshotMount | undefined;
  for (const m of mounts) {
    depthOf.set(m.id, m.parent === null ? 0 : (depthOf.get(m.parent) ?? 0) + 1);
    if (!holds(m.mountpoint)) continue;
    if (!top || m.mountpoint.length > top.mountpoint.length || (m.mountpoint === top.mountpoint && depthOf.get(m.id)! > depthOf.get(top.id)!)) top = m;
  }
  if (!top) return [];
  const byId = new Map(mounts.map((m) => [m.id, m]));
  const below = (m: SnapshotMount): boolean => {
    for (let q = m.parent === null ? undefined : byId.get(m.parent); q; q = q.parent === null ? undefined : byId.get(q.parent)) if (q === top) return true;
    return false;
  };
  const out: { m: SnapshotMount; mountpoint: string }[] = [];
  for (const m of mounts) {
    if (m === top) { if (m.mountpoint === root) out.push({ m, mountpoint: '/' }); continue; }
    if (!below(m)) continue;
    if (m.mountpoint === root) out.push({ m, mountpoint: '/' });
    else if (m.mountpoint.startsWith(`${root}/`)) out.push({ m, mountpoint: m.mountpoint.slice(root.length) });
  }
  return out;
}

/** The options mount and findmnt show: libmount's VFS and FS options merged (ro if either is). */
function mergedOptions(m: ShownMount): string {
  const ro = m.vfs[0] === 'ro' || m.super === 'ro';
  return [ro ? 'ro' : 'rw', ...m.vfs.slice(1)].join(',');
}

/** A line of /proc/PID/mountinfo. */
export function mountinfoLine(m: ShownMount): string {
  const opt = m.propagation.length > 0 ? `${m.propagation.join(' ')} ` : '';
  return `${m.id} ${m.parent} ${m.dev} ${m.root} ${m.mountpoint} ${m.vfs.join(',')} ${opt}- ${m.fstype} ${m.source} ${m.super}\n`;
}

/** A line of /proc/PID/mounts. */
export function mountsLine(m: ShownMount): string {
  return `${m.source} ${m.mountpoint} ${m.fstype} ${mergedOptions(m)} 0 0\n`;
}

/** findmnt's PROPAGATION: shared or private, then slave, unbindable. */
function propagationText(m: ShownMount): string {
  const shared = m.propagation.some((x) => x.startsWith('shared:'));
  const slave = m.propagation.some((x) => x.startsWith('master:'));
  return [shared ? 'shared' : 'private', ...(slave ? ['slave'] : []), ...(m.propagation.includes('unbindable') ? ['unbindable'] : [])].join(',');
}

// ---- mount -------------------------------------------------------------------------------------

const MOUNT_OPTS: OptSpec[] = [
  { short: 't', long: 'types', arg: 'required', key: 'types' },
  { short: 'o', long: 'options', arg: 'required', key: 'options' },
  { short: 'B', long: 'bind', arg: 'none', key: 'bind' },
  { short: 'R', long: 'rbind', arg: 'none', key: 'rbind' },
  { short: 'M', long: 'move', arg: 'none', key: 'move' },
  { short: 'r', long: 'read-only', arg: 'none', key: 'ro' },
  { short: 'w', long: 'rw', arg: 'none', key: 'rw' },
  { long: 'read-write', arg: 'none', key: 'rw' },
  { short: 'l', long: 'show-labels', arg: 'none', key: 'labels' },
  { short: 'v', long: 'verbose', arg: 'none', key: 'verbose' },
  { short: 'n', long: 'no-mtab', arg: 'none', key: 'ignored' },
  { short: 'c', long: 'no-canonicalize', arg: 'none', key: 'ignored' },
  { short: 'i', long: 'internal-only', arg: 'none', key: 'ignored' },
  { short: 'h', long: 'help', arg: 'none', key: 'help' },
  { short: 'V', long: 'version', arg: 'none', key: 'version' },
  { long: 'source', arg: 'required', key: 'source' },
  { long: 'target', arg: 'required', key: 'target' },
  ...(['shared', 'slave', 'private', 'unbindable'] as const).flatMap((t) => [
    { long: `make-${t}`, arg: 'none' as const, key: `make-${t}` },
    { long: `make-r${t}`, arg: 'none' as const, key: `make-r${t}` },
  ]),
  // util-linux has them; this world does not (no fstab, no devices, no other namespaces by path)
  { short: 'a', long: 'all', arg: 'none', key: 'unsupported' },
  { short: 'f', long: 'fake', arg: 'none', key: 'unsupported' },
  { short: 'F', long: 'fork', arg: 'none', key: 'unsupported' },
  { short: 'T', long: 'fstab', arg: 'required', key: 'unsupported' },
  { short: 'm', long: 'mkdir', arg: 'optional', key: 'unsupported' },
  { short: 'O', long: 'test-opts', arg: 'required', key: 'unsupported' },
  { short: 'L', long: 'label', arg: 'required', key: 'unsupported' },
  { short: 'U', long: 'uuid', arg: 'required', key: 'unsupported' },
  { short: 'N', long: 'namespace', arg: 'required', key: 'unsupported' },
  { long: 'options-mode', arg: 'required', key: 'unsupported' },
  { long: 'options-source', arg: 'required', key: 'unsupported' },
  { long: 'options-source-force', arg: 'none', key: 'unsupported' },
  { long: 'target-prefix', arg: 'required', key: 'unsupported' },
];

/** The -o options this world's mount takes, as MS_* flags (libmount's table; `clear`: the opposite). */
const MOUNT_O: Record<string, { set?: MsFlag; clear?: MsFlag; op?: string }> = {
  ro: { set: 'MS_RDONLY' }, rw: { clear: 'MS_RDONLY' },
  nosuid: { set: 'MS_NOSUID' }, suid: { clear: 'MS_NOSUID' },
  nodev: { set: 'MS_NODEV' }, dev: { clear: 'MS_NODEV' },
  noexec: { set: 'MS_NOEXEC' }, exec: { clear: 'MS_NOEXEC' },
  remount: { op: 'remount' }, bind: { op: 'bind' }, rbind: { op: 'rbind' }, move: { op: 'move' },
  relatime: {}, defaults: {},
  shared: { op: 'make-shared' }, rshared: { op: 'make-rshared' }, slave: { op: 'make-slave' }, rslave: { op: 'make-rslave' },
  private: { op: 'make-private' }, rprivate: { op: 'make-rprivate' }, unbindable: { op: 'make-unbindable' }, runbindable: { op: 'make-runbindable' },
};

const PROPAGATION: Record<string, MsFlag> = { shared: 'MS_SHARED', slave: 'MS_SLAVE', private: 'MS_PRIVATE', unbindable: 'MS_UNBINDABLE' };

function sortFlags(flags: Iterable<MsFlag>): MsFlag[] {
  return [...new Set(flags)].sort((a, b) => MS_FLAGS[a] - MS_FLAGS[b]);
}

/** The caller's uid as its user namespace sees it (getuid()): libmount refuses a non-root user itself. */
async function uidInOwnNs(ctx: Ctx): Promise<number> {
  const s = ctx.rt.session;
  const me = (await s.process(ctx.proc))!;
  return s.idIn(me.snap.creds ? me.snap.creds.uid[0] : me.snap.uid, me.snap.ns.user);
}

const MOUNT_VERSION = 'mount from util-linux 2.38.1 (libmount 2.38.1: selinux, smack, btrfs, verity, namespaces, assert, debug)\n';

export async function mount(ctx: Ctx, argv: string[]): Promise<number> {
  const parsed = getoptOrTry(ctx, 'mount', argv.slice(1), MOUNT_OPTS, { permute: true });
  if (!parsed) return 1;
  let types: string | undefined;
  const set = new Set<MsFlag>();
  // every -o/-r/-w flag in order, to apply over a mount's own flags on remount
  const edits: { flag: MsFlag; on: boolean }[] = [];
  const ops: string[] = [];
  let source: string | undefined, target: string | undefined;
  for (const { key, value, name } of parsed.opts) {
    switch (key) {
      case 'help': ctx.out(MOUNT_USAGE); return 0;
      case 'version': ctx.out(MOUNT_VERSION); return 0;
      case 'unsupported': ctx.err(`mount: ${name} is not supported in this shell's world\n`); return 1;
      case 'types': types = value; break;
      case 'ro': set.add('MS_RDONLY'); edits.push({ flag: 'MS_RDONLY', on: true }); break;
      case 'rw': set.delete('MS_RDONLY'); edits.push({ flag: 'MS_RDONLY', on: false }); break;
      case 'bind': case 'rbind': case 'move': ops.push(key); break;
      case 'source': source = value; break;
      case 'target': target = value; break;
      case 'options':
        for (const o of value!.split(',').filter(Boolean)) {
          const known = MOUNT_O[o];
          if (!known) {
            ctx.err(`mount: -o ${o}: this shell's world mounts with the options ro, rw, nosuid, nodev, noexec (and their opposites), remount, bind, rbind, move and the propagation flags only\n`);
            return 1;
          }
          if (known.set) { set.add(known.set); edits.push({ flag: known.set, on: true }); }
          if (known.clear) { set.delete(known.clear); edits.push({ flag: known.clear, on: false }); }
          if (known.op) ops.push(known.op);
        }
        break;
      default:
        if (key.startsWith('make-')) ops.push(key);
    }
  }
  const args = [...(source !== undefined ? [source] : []), ...parsed.rest, ...(target !== undefined ? [target] : [])];
  // no operands, no operation: the list (-t filters it)
  if (args.length === 0 && ops.length === 0) {
    const list = await mountsOf(ctx, ctx.proc);
    for (const m of list ?? []) if (!types || types.split(',').includes(m.fstype)) ctx.out(`${m.source} on ${m.mountpoint} type ${m.fstype} (${mergedOptions(m)})\n`);
    return 0;
  }
  const makes = ops.filter((o) => o.startsWith('make-'));
  const others = ops.filter((o) => !o.startsWith('make-'));
  if (args.length > 2 || (makes.length > 0 && args.length === 0)) {
    ctx.err("mount: bad usage\nTry 'mount --help' for more information.\n");
    return 1;
  }
  if (args.length === 1 && makes.length === 0 && !others.includes('remount')) {
    // one operand: mount looks it up in /etc/fstab, which this world does not have
    ctx.err(`mount: ${args[0]}: can't find in /etc/fstab.\n`);
    return 1;
  }
  const dir = args[args.length - 1];
  const srcArg = args.length === 2 ? args[0] : undefined;
  // libmount itself refuses a user who is not root (mount is set-uid root; fstab has no `user` entries here)
  if ((await uidInOwnNs(ctx)) !== 0) {
    ctx.rt.session.refusal('mount(8) is set-uid root and refuses a caller whose uid is not 0 itself (libmount\'s restricted mode, with no `user` entry in /etc/fstab): no mount(2) was made.');
    ctx.err(`mount: ${dir}: must be superuser to use mount.\n${DMESG}`);
    return 32;
  }
  const srcIsPath = srcArg !== undefined && (others.includes('bind') || others.includes('rbind') || others.includes('move'));
  const problem = worldPathProblem(ctx, dir) ?? (srcIsPath ? worldPathProblem(ctx, srcArg!) : null);
  if (problem) { ctx.err(`mount: ${dir}: ${problem}\n`); return 32; }
  // libmount canonicalizes its operands (realpath: a relative path from getcwd)
  const dirAbs = await realPath(ctx, dir);
  const srcAbs = srcIsPath ? await realPath(ctx, srcArg!) : undefined;

  // the calls, in libmount's order
  const calls: { step: MountStep; src: string; kind: 'new' | 'bind' | 'move' | 'remount' | 'propagation' }[] = [];
  const by = ctx.proc;
  const flagsOf = (...f: MsFlag[]) => sortFlags([...set, ...f]);
  if (others.includes('remount')) {
    const bind = others.includes('bind') ? ['MS_BIND' as MsFlag] : [];
    // libmount starts from the mount's own flags (mountinfo's VFS options) and applies -o's
    const top = (await mountsOf(ctx, ctx.proc))?.filter((m) => m.mountpoint === dirAbs).pop();
    const flags = new Set<MsFlag>();
    for (const o of top?.vfs ?? []) {
      const f = ({ ro: 'MS_RDONLY', nosuid: 'MS_NOSUID', nodev: 'MS_NODEV', noexec: 'MS_NOEXEC' } as Record<string, MsFlag>)[o];
      if (f) flags.add(f);
    }
    for (const e of edits) if (e.on) flags.add(e.flag); else flags.delete(e.flag);
    calls.push({ step: { by, op: 'mount', target: dirAbs, flags: sortFlags([...flags, 'MS_REMOUNT', ...bind]) }, src: srcArg ?? 'none', kind: 'remount' });
  } else if (others.includes('move')) {
    if (srcArg === undefined) { ctx.err("mount: bad usage\nTry 'mount --help' for more information.\n"); return 1; }
    calls.push({ step: { by, op: 'mount', target: dirAbs, flags: ['MS_MOVE'], source: srcAbs }, src: srcArg, kind: 'move' });
  } else if (others.includes('bind') || others.includes('rbind')) {
    if (srcArg === undefined) { ctx.err("mount: bad usage\nTry 'mount --help' for more information.\n"); return 1; }
    const rec = others.includes('rbind') ? ['MS_REC' as MsFlag] : [];
    // MS_BIND takes no other flags: libmount binds, then remounts with them (MS_REMOUNT|MS_BIND)
    calls.push({ step: { by, op: 'mount', target: dirAbs, flags: sortFlags(['MS_BIND', ...rec, ...(set.has('MS_RDONLY') ? ['MS_RDONLY' as MsFlag] : [])]), source: srcAbs }, src: srcArg, kind: 'bind' });
    if (set.size > 0) calls.push({ step: { by, op: 'mount', target: dirAbs, flags: flagsOf('MS_REMOUNT', 'MS_BIND') }, src: 'none', kind: 'remount' });
  } else if (srcArg !== undefined) {
    if (types === undefined) {
      // no -t: libmount takes the source for a device (recorded: `proc` resolves to /proc) and gives up before mount(2)
      ctx.err(`mount: ${dir}: ${srcArg === 'proc' ? '/proc is not a block device' : `special device ${srcArg} does not exist`}.\n${DMESG}`);
      return 32;
    }
    const fstype = types;
    if (fstype !== 'tmpfs' && fstype !== 'proc') {
      ctx.err(`mount: ${dir}: unknown filesystem type '${fstype}'.\n${DMESG}`);
      return 32;
    }
    if (srcArg !== fstype) {
      ctx.err(`mount: ${srcArg}: this shell's world names a new ${fstype} by its type: mount -t ${fstype} ${fstype} ${dir}\n`);
      return 32;
    }
    calls.push({ step: { by, op: 'mount', target: dirAbs, flags: flagsOf(), fstype }, src: srcArg, kind: 'new' });
  }
  // propagation changes: one call each, after the mount (libmount's "apply flags")
  for (const mk of makes) {
    const rec = mk.startsWith('make-r') && PROPAGATION[mk.slice(6)] !== undefined;
    const type = rec ? mk.slice(6) : mk.slice(5);
    calls.push({ step: { by, op: 'mount', target: dirAbs, flags: sortFlags([PROPAGATION[type], ...(rec ? ['MS_REC' as MsFlag] : [])]) }, src: 'none', kind: 'propagation' });
  }
  for (const c of calls) {
    const r = await ctx.rt.run(c.step, { decisive: true });
    if ('dead' in r) throw new ProcessGone(ctx.proc);
    if ('err' in r) {
      ctx.err(`mount: ${dir}: ${await mountMessage(ctx, r.err, c, dirAbs)}.\n${DMESG}`);
      return 32;
    }
  }
  return 0;
}

/** libmount's words for a failed mount(2) (mnt_context_get_mount_excode()). */
async function mountMessage(ctx: Ctx, errno: string, c: { step: MountStep; src: string; kind: string }, dirAbs: string): Promise<string> {
  const exists = async (p: string) => {
    const r = await readdirOrErr(ctx, p);
    return typeof r === 'string' || Array.isArray(r);
  };
  switch (errno) {
    case 'EPERM': return 'permission denied';
    case 'EINVAL': {
      if (c.kind === 'remount') return 'mount point not mounted or bad option';
      if (c.kind === 'propagation') return 'not mount point or bad option';
      if (c.kind === 'move') {
        const top = (await mountsOf(ctx, ctx.proc))?.filter((m) => m.mountpoint === c.step.source).pop();
        if (top && top.propagation.some((x) => x.startsWith('shared:'))) return 'bad option; moving a mount residing under a shared mount is unsupported';
      }
      return `wrong fs type, bad option, bad superblock on ${c.src}, missing codepage or helper program, or other error`;
    }
    case 'ENOENT':
      if (!(await exists(dirAbs))) return 'mount point does not exist';
      if (c.step.source && !(await exists(c.step.source))) return `special device ${c.src} does not exist`;
      return `mount(2) system call failed: ${strerror(errno)}`;
    case 'ENOTDIR': return 'mount point is not a directory';
    case 'EBUSY': return c.kind === 'remount' ? 'mount point is busy' : `${c.src} already mounted or mount point busy`;
    default: return `mount(2) system call failed: ${strerror(errno)}`;
  }
}

/** readdir as stat(2): does the directory exist (a step of the calling process). */
async function readdirOrErr(ctx: Ctx, path: string): Promise<string[] | 'proc' | { err: string }> {
  if (worldPathProblem(ctx, path)) return { err: 'ENOENT' };
  return readdirStep(ctx, callPath(path));
}

// ---- umount ------------------------------------------------------------------------------------

const UMOUNT_OPTS: OptSpec[] = [
  { short: 'l', long: 'lazy', arg: 'none', key: 'lazy' },
  { short: 'h', long: 'help', arg: 'none', key: 'help' },
  { short: 'V', long: 'version', arg: 'none', key: 'version' },
  { short: 'v', long: 'verbose', arg: 'none', key: 'ignored' },
  { short: 'n', long: 'no-mtab', arg: 'none', key: 'ignored' },
  { short: 'c', long: 'no-canonicalize', arg: 'none', key: 'ignored' },
  { short: 'i', long: 'internal-only', arg: 'none', key: 'ignored' },
  { short: 'q', long: 'quiet', arg: 'none', key: 'quiet' },
  { short: 'a', long: 'all', arg: 'none', key: 'unsupported' },
  { short: 'A', long: 'all-targets', arg: 'none', key: 'unsupported' },
  { short: 'd', long: 'detach-loop', arg: 'none', key: 'unsupported' },
  { long: 'fake', arg: 'none', key: 'unsupported' },
  { short: 'f', long: 'force', arg: 'none', key: 'unsupported' },
  { short: 'R', long: 'recursive', arg: 'none', key: 'unsupported' },
  { short: 'r', long: 'read-only', arg: 'none', key: 'unsupported' },
  { short: 't', long: 'types', arg: 'required', key: 'unsupported' },
  { short: 'O', long: 'test-opts', arg: 'required', key: 'unsupported' },
  { short: 'N', long: 'namespace', arg: 'required', key: 'unsupported' },
];

export async function umount(ctx: Ctx, argv: string[]): Promise<number> {
  const parsed = getoptOrTry(ctx, 'umount', argv.slice(1), UMOUNT_OPTS, { permute: true });
  if (!parsed) return 1;
  let lazy = false;
  for (const { key, name } of parsed.opts) {
    if (key === 'help') { ctx.out(UMOUNT_USAGE); return 0; }
    if (key === 'version') { ctx.out(MOUNT_VERSION.replace('mount', 'umount')); return 0; }
    if (key === 'unsupported') { ctx.err(`umount: ${name} is not supported in this shell's world\n`); return 1; }
    if (key === 'lazy') lazy = true;
  }
  if (parsed.rest.length === 0) {
    ctx.err("umount: bad usage\nTry 'umount --help' for more information.\n");
    return 1;
  }
  let status = 0;
  for (const dir of parsed.rest) {
    if ((await uidInOwnNs(ctx)) !== 0) {
      // restricted mode looks the mount up in /etc/fstab (for a `user` entry): this world has none
      ctx.rt.session.refusal('umount(8) is set-uid root and, for a caller whose uid is not 0, looks for a `user` entry in /etc/fstab (libmount\'s restricted mode): this world has no /etc/fstab (ENOENT), and no umount2(2) was made.');
      ctx.err(`umount: ${dir}: umount failed: No such file or directory.\n`);
      status = 32;
      continue;
    }
    const problem = worldPathProblem(ctx, dir);
    if (problem) { ctx.err(`umount: ${dir}: ${problem}\n`); status = 32; continue; }
    const abs = await realPath(ctx, dir);
    const r: Result = await ctx.rt.run({ by: ctx.proc, op: 'umount', target: abs, flags: lazy ? ['MNT_DETACH'] : [] }, { decisive: true });
    if ('dead' in r) throw new ProcessGone(ctx.proc);
    if ('err' in r) {
      const words: Record<string, string> = {
        EINVAL: 'not mounted', EBUSY: 'target is busy', ENOENT: 'no mount point specified', EPERM: 'must be superuser to unmount',
      };
      // libmount names a busy target by its canonical path (recorded: `umount ../a` in /x/a says /x/a)
      ctx.err(`umount: ${r.err === 'EBUSY' ? abs : dir}: ${words[r.err] ?? `umount failed: ${strerror(r.err)}`}.\n`);
      status = 32;
    }
  }
  return status;
}

// ---- findmnt -----------------------------------------------------------------------------------

const FINDMNT_OPTS: OptSpec[] = [
  { short: 'o', long: 'output', arg: 'required', key: 'output' },
  { short: 'J', long: 'json', arg: 'none', key: 'json' },
  { short: 'l', long: 'list', arg: 'none', key: 'list' },
  { short: 'n', long: 'noheadings', arg: 'none', key: 'noheadings' },
  { short: 'N', long: 'task', arg: 'required', key: 'task' },
  { short: 'M', long: 'mountpoint', arg: 'required', key: 'mountpoint' },
  { short: 'T', long: 'target', arg: 'required', key: 'target' },
  { short: 't', long: 'types', arg: 'required', key: 'types' },
  { short: 'h', long: 'help', arg: 'none', key: 'help' },
  { short: 'V', long: 'version', arg: 'none', key: 'version' },
  { short: 'k', long: 'kernel', arg: 'none', key: 'ignored' },
  { short: 'm', long: 'mtab', arg: 'none', key: 'ignored' },
];

const COLUMNS: Record<string, (m: ShownMount) => string | number> = {
  TARGET: (m) => m.mountpoint,
  SOURCE: (m) => (m.root === '/' ? m.source : `${m.source}[${m.root}]`),
  FSTYPE: (m) => m.fstype,
  OPTIONS: (m) => mergedOptions(m),
  'VFS-OPTIONS': (m) => m.vfs.join(','),
  'FS-OPTIONS': (m) => m.super,
  FSROOT: (m) => m.root,
  PROPAGATION: (m) => propagationText(m),
  ID: (m) => m.id,
  PARENT: (m) => m.parent,
};

export async function findmnt(ctx: Ctx, argv: string[]): Promise<number> {
  const parsed = getoptOrTry(ctx, 'findmnt', argv.slice(1), FINDMNT_OPTS, { permute: true });
  if (!parsed) return 1;
  let columns = ['TARGET', 'SOURCE', 'FSTYPE', 'OPTIONS'];
  let json = false, list = false, noheadings = false;
  let task: string | undefined, mountpoint: string | undefined, containing: string | undefined, types: string[] | undefined;
  for (const { key, value } of parsed.opts) {
    switch (key) {
      case 'help': ctx.out(FINDMNT_USAGE); return 0;
      case 'version': ctx.out('findmnt from util-linux 2.38.1\n'); return 0;
      case 'output': {
        const names = value!.replace(/^\+/, '').split(',').map((c) => c.toUpperCase());
        for (const n of names) {
          if (!COLUMNS[n]) { ctx.err(`findmnt: unknown column: ${n}\n`); return 1; }
        }
        columns = value!.startsWith('+') ? [...columns, ...names] : names;
        break;
      }
      case 'json': json = true; break;
      case 'list': list = true; break;
      case 'noheadings': noheadings = true; break;
      case 'task':
        if (!/^\d+$/.test(value!)) { ctx.err(`findmnt: invalid TID argument: '${value}'\n`); return 1; }
        task = value;
        break;
      case 'mountpoint': mountpoint = value; break;
      case 'target': containing = value; break;
      case 'types': types = value!.split(','); break;
    }
  }
  if (parsed.rest.length > 2) {
    ctx.err("findmnt: bad usage\nTry 'findmnt --help' for more information.\n");
    return 1;
  }
  // the table: /proc/self/mountinfo, or /proc/PID/mountinfo (-N) through the reader's /proc
  let who = ctx.proc;
  if (task !== undefined) {
    const t = await procTarget(ctx, task);
    const all = 'err' in t ? null : await mountsOf(ctx, t.label);
    if ('err' in t || all === null) {
      ctx.err(`findmnt: can't read /proc/${task}/mountinfo: ${strerror('err' in t ? 'ENOENT' : 'EINVAL')}\n`);
      return 1;
    }
    who = t.label;
  }
  const all = (await mountsOf(ctx, who)) ?? [];
  let rows = all;
  let tree = !list;
  const wanted = [...parsed.rest, ...(mountpoint !== undefined ? [mountpoint] : [])];
  if (wanted.length > 0 || types || containing !== undefined) tree = false;
  if (types) rows = rows.filter((m) => types!.includes(m.fstype));
  for (const w of wanted) {
    const abs = w.startsWith('/') || w.startsWith('.') ? absPath(ctx, w) : undefined;
    rows = rows.filter((m) => (abs !== undefined ? m.mountpoint === abs : m.source === w));
  }
  if (containing !== undefined) {
    const abs = absPath(ctx, containing);
    const under = (m: ShownMount) => m.mountpoint === '/' || abs === m.mountpoint || abs.startsWith(`${m.mountpoint}/`);
    const best = rows.filter(under).reduce<ShownMount | undefined>((a, m) => (!a || m.mountpoint.length >= a.mountpoint.length ? m : a), undefined);
    rows = best ? [best] : [];
  }
  if (rows.length === 0) return 1;
  if (json) ctx.out(findmntJson(rows, columns, tree));
  else ctx.out(findmntTable(rows, columns, tree, noheadings));
  return 0;
}

/** The tree's drawing before each mount's TARGET (libsmartcols with UTF-8: ├─ └─ │). */
function treeArt(rows: ShownMount[]): string[] {
  const art: string[] = [];
  rows.forEach((m, i) => {
    if (m.depth === 0) { art.push(''); return; }
    let prefix = '';
    // for each ancestor level below the root: is there a later sibling at that level?
    for (let d = 1; d <= m.depth; d++) {
      let more = false;
      for (let j = i + 1; j < rows.length; j++) {
        if (rows[j].depth < d) break;
        if (rows[j].depth === d) { more = true; break; }
      }
      prefix += d === m.depth ? (more ? '├─' : '└─') : (more ? '│ ' : '  ');
    }
    art.push(prefix);
  });
  return art;
}

function findmntTable(rows: ShownMount[], columns: string[], tree: boolean, noheadings: boolean): string {
  const art = tree ? treeArt(rows) : rows.map(() => '');
  const cells = rows.map((m, i) => columns.map((c) => `${c === 'TARGET' ? art[i] : ''}${COLUMNS[c](m)}`));
  const all = noheadings ? cells : [columns, ...cells];
  const widths = columns.map((_, k) => Math.max(...all.map((r) => [...r[k]].length)));
  // libsmartcols right-aligns findmnt's number columns (ID, PARENT)
  const right = columns.map((c) => c === 'ID' || c === 'PARENT');
  const pad = (cell: string, k: number, last: boolean) => {
    const fill = ' '.repeat(widths[k] - [...cell].length);
    return right[k] ? fill + cell : last ? cell : cell + fill;
  };
  return all.map((r) => r.map((cell, k) => pad(cell, k, k === r.length - 1)).join(' ')).join('\n') + '\n';
}

/** findmnt -J: libsmartcols' JSON (three-space indents; ID and PARENT as numbers; children nested in tree mode). */
function findmntJson(rows: ShownMount[], columns: string[], tree: boolean): string {
  const out: string[] = ['{', '   "filesystems": ['];
  const obj = (m: ShownMount, indent: string, children: string[]): string[] => {
    const lines = columns.map((c) => {
      const v = COLUMNS[c](m);
      return `${indent}   "${c.toLowerCase()}": ${typeof v === 'number' ? v : JSON.stringify(v)}`;
    });
    const kids = children.length > 0 ? [`${indent}   "children": [`, ...children, `${indent}   ]`] : [];
    const body = kids.length > 0 ? [...lines.map((l) => `${l},`), ...kids] : lines.map((l, i) => (i < lines.length - 1 ? `${l},` : l));
    return [`${indent}{`, ...body, `${indent}}`];
  };
  // siblings joined as libsmartcols joins them: "},{"
  const join = (objs: string[][]): string[] => {
    const lines: string[] = [];
    objs.forEach((o, i) => {
      if (i === 0) lines.push(...o);
      else {
        const last = lines.pop()!;
        lines.push(`${last},${o[0].trimStart()}`, ...o.slice(1));
      }
    });
    return lines;
  };
  const build = (start: number, indent: string): { objs: string[][]; next: number } => {
    const objs: string[][] = [];
    let i = start;
    const depth = rows[start]?.depth ?? 0;
    while (i < rows.length && rows[i].depth === depth) {
      const m = rows[i];
      i++;
      let kids: string[] = [];
      if (tree && i < rows.length && rows[i].depth > depth) {
        const sub = build(i, `${indent}      `);
        kids = join(sub.objs);
        i = sub.next;
      }
      objs.push(obj(m, indent, kids));
    }
    return { objs, next: i };
  };
  if (tree) out.push(...join(build(0, '      ').objs));
  else out.push(...join(rows.map((m) => obj({ ...m, depth: 0 }, '      ', []))));
  out.push('   ]', '}');
  return `${out.join('\n')}\n`;
}

// ---- mkdir -------------------------------------------------------------------------------------

const MKDIR_OPTS: OptSpec[] = [
  { short: 'p', long: 'parents', arg: 'none', key: 'parents' },
  { short: 'v', long: 'verbose', arg: 'none', key: 'verbose' },
  { short: 'm', long: 'mode', arg: 'required', key: 'unsupported' },
  { short: 'Z', arg: 'none', key: 'unsupported' },
  { long: 'context', arg: 'optional', key: 'unsupported' },
  { long: 'help', arg: 'none', key: 'help' },
  { long: 'version', arg: 'none', key: 'version' },
];

export async function mkdir(ctx: Ctx, argv: string[]): Promise<number> {
  const parsed = getoptOrTry(ctx, 'mkdir', argv.slice(1), MKDIR_OPTS, { permute: true });
  if (!parsed) return 1;
  let parents = false, verbose = false;
  for (const { key, name } of parsed.opts) {
    if (key === 'help') { ctx.out(MKDIR_USAGE); return 0; }
    if (key === 'version') { ctx.out('mkdir (GNU coreutils) 9.1\n'); return 0; }
    if (key === 'unsupported') { ctx.err(`mkdir: ${name} is not supported in this shell's world (every directory is made with mode 0777)\n`); return 1; }
    if (key === 'parents') parents = true;
    if (key === 'verbose') verbose = true;
  }
  if (parsed.rest.length === 0) {
    ctx.err("mkdir: missing operand\nTry 'mkdir --help' for more information.\n");
    return 1;
  }
  if (!hasMounts(ctx)) {
    ctx.err("mkdir: this shell's world has no files to make directories in (a session without mounts)\n");
    return 1;
  }
  let status = 0;
  for (const dir of parsed.rest) {
    const problem = worldPathProblem(ctx, dir);
    if (problem) { ctx.err(`mkdir: cannot create directory ‘${dir}’: ${problem}\n`); status = 1; continue; }
    // the path as typed (a relative one from the working directory); -p: each missing
    // ancestor first (EEXIST is fine for them and for the directory itself)
    const path = callPath(dir);
    const lead = path.startsWith('/') ? '/' : '';
    const comps = path === '/' ? [] : path.slice(lead.length).split('/');
    const todo = parents ? comps.map((_, i) => `${lead}${comps.slice(0, i + 1).join('/')}`) : [path];
    for (const p of todo) {
      const r = await ctx.rt.run({ by: ctx.proc, op: 'mkdir', path: p }, { decisive: true });
      if ('dead' in r) throw new ProcessGone(ctx.proc);
      if ('err' in r) {
        if (parents && r.err === 'EEXIST') continue;
        ctx.err(`mkdir: cannot create directory ‘${p === path ? dir : p}’: ${strerror(r.err)}\n`);
        status = 1;
        break;
      }
      if (verbose) ctx.out(`mkdir: created directory '${p === path ? dir : p}'\n`);
    }
  }
  return status;
}

// ---- the tools' --help, as util-linux 2.38.1 and coreutils 9.1 print it -----------------------

const MOUNT_USAGE = `
Usage:
 mount [-lhV]
 mount -a [options]
 mount [options] [--source] <source> | [--target] <directory>
 mount [options] <source> <directory>
 mount <operation> <mountpoint> [<target>]

Mount a filesystem.

Options:
 -a, --all               mount all filesystems mentioned in fstab
 -c, --no-canonicalize   don't canonicalize paths
 -f, --fake              dry run; skip the mount(2) syscall
 -F, --fork              fork off for each device (use with -a)
 -T, --fstab <path>      alternative file to /etc/fstab
 -i, --internal-only     don't call the mount.<type> helpers
 -l, --show-labels       show also filesystem labels
 -m, --mkdir[=<mode>]    alias to '-o X-mount.mkdir[=<mode>]'
 -n, --no-mtab           don't write to /etc/mtab
     --options-mode <mode>
                         what to do with options loaded from fstab
     --options-source <source>
                         mount options source
     --options-source-force
                         force use of options from fstab/mtab
 -o, --options <list>    comma-separated list of mount options
 -O, --test-opts <list>  limit the set of filesystems (use with -a)
 -r, --read-only         mount the filesystem read-only (same as -o ro)
 -t, --types <list>      limit the set of filesystem types
     --source <src>      explicitly specifies source (path, label, uuid)
     --target <target>   explicitly specifies mountpoint
     --target-prefix <path>
                         specifies path used for all mountpoints
 -v, --verbose           say what is being done
 -w, --rw, --read-write  mount the filesystem read-write (default)
 -N, --namespace <ns>    perform mount in another namespace

 -h, --help              display this help
 -V, --version           display version

Source:
 -L, --label <label>     synonym for LABEL=<label>
 -U, --uuid <uuid>       synonym for UUID=<uuid>
 LABEL=<label>           specifies device by filesystem label
 UUID=<uuid>             specifies device by filesystem UUID
 PARTLABEL=<label>       specifies device by partition label
 PARTUUID=<uuid>         specifies device by partition UUID
 ID=<id>                 specifies device by udev hardware ID
 <device>                specifies device by path
 <directory>             mountpoint for bind mounts (see --bind/rbind)
 <file>                  regular file for loopdev setup

Operations:
 -B, --bind              mount a subtree somewhere else (same as -o bind)
 -M, --move              move a subtree to some other place
 -R, --rbind             mount a subtree and all submounts somewhere else
 --make-shared           mark a subtree as shared
 --make-slave            mark a subtree as slave
 --make-private          mark a subtree as private
 --make-unbindable       mark a subtree as unbindable
 --make-rshared          recursively mark a whole subtree as shared
 --make-rslave           recursively mark a whole subtree as slave
 --make-rprivate         recursively mark a whole subtree as private
 --make-runbindable      recursively mark a whole subtree as unbindable

For more details see mount(8).
`;

const UMOUNT_USAGE = `
Usage:
 umount [-hV]
 umount -a [options]
 umount [options] <source> | <directory>

Unmount filesystems.

Options:
 -a, --all               unmount all filesystems
 -A, --all-targets       unmount all mountpoints for the given device in the
                           current namespace
 -c, --no-canonicalize   don't canonicalize paths
 -d, --detach-loop       if mounted loop device, also free this loop device
     --fake              dry run; skip the umount(2) syscall
 -f, --force             force unmount (in case of an unreachable NFS system)
 -i, --internal-only     don't call the umount.<type> helpers
 -n, --no-mtab           don't write to /etc/mtab
 -l, --lazy              detach the filesystem now, clean up things later
 -O, --test-opts <list>  limit the set of filesystems (use with -a)
 -R, --recursive         recursively unmount a target with all its children
 -r, --read-only         in case unmounting fails, try to remount read-only
 -t, --types <list>      limit the set of filesystem types
 -v, --verbose           say what is being done
 -q, --quiet             suppress 'not mounted' error messages
 -N, --namespace <ns>    perform umount in another namespace

 -h, --help              display this help
 -V, --version           display version

For more details see umount(8).
`;
const FINDMNT_USAGE = `
Usage:
 findmnt [options]
 findmnt [options] <device> | <mountpoint>
 findmnt [options] <device> <mountpoint>
 findmnt [options] [--source <device>] [--target <path> | --mountpoint <dir>]

Find a (mounted) filesystem.

Options:
 -s, --fstab            search in static table of filesystems
 -m, --mtab             search in table of mounted filesystems
                          (includes user space mount options)
 -k, --kernel           search in kernel table of mounted
                          filesystems (default)

 -p, --poll[=<list>]    monitor changes in table of mounted filesystems
 -w, --timeout <num>    upper limit in milliseconds that --poll will block

 -A, --all              disable all built-in filters, print all filesystems
 -a, --ascii            use ASCII chars for tree formatting
 -b, --bytes            print sizes in bytes rather than in human readable format
 -C, --nocanonicalize   don't canonicalize when comparing paths
 -c, --canonicalize     canonicalize printed paths
 -D, --df               imitate the output of df(1)
 -d, --direction <word> direction of search, 'forward' or 'backward'
 -e, --evaluate         convert tags (LABEL,UUID,PARTUUID,PARTLABEL) 
                          to device names
 -F, --tab-file <path>  alternative file for -s, -m or -k options
 -f, --first-only       print the first found filesystem only
 -i, --invert           invert the sense of matching
 -J, --json             use JSON output format
 -l, --list             use list format output
 -N, --task <tid>       use alternative namespace (/proc/<tid>/mountinfo file)
 -n, --noheadings       don't print column headings
 -O, --options <list>   limit the set of filesystems by mount options
 -o, --output <list>    the output columns to be shown
     --output-all       output all available columns
 -P, --pairs            use key="value" output format
     --pseudo           print only pseudo-filesystems
     --shadowed         print only filesystems over-mounted by another filesystem
 -R, --submounts        print all submounts for the matching filesystems
 -r, --raw              use raw output format
     --real             print only real filesystems
 -S, --source <string>  the device to mount (by name, maj:min, 
                          LABEL=, UUID=, PARTUUID=, PARTLABEL=)
 -T, --target <path>    the path to the filesystem to use
     --tree             enable tree format output if possible
 -M, --mountpoint <dir> the mountpoint directory
 -t, --types <list>     limit the set of filesystems by FS types
 -U, --uniq             ignore filesystems with duplicate target
 -u, --notruncate       don't truncate text in columns
 -v, --nofsroot         don't print [/dir] for bind or btrfs mounts
 -y, --shell            use column names to be usable as shell variable identifiers

 -x, --verify           verify mount table content (default is fstab)
     --verbose          print more details
     --vfs-all          print all VFS options

 -h, --help             display this help
 -V, --version          display version

Available output columns:
      ACTION  action detected by --poll
       AVAIL  filesystem size available
        FREQ  dump(8) period in days [fstab only]
      FSROOT  filesystem root
      FSTYPE  filesystem type
  FS-OPTIONS  FS specific mount options
          ID  mount ID
       LABEL  filesystem label
     MAJ:MIN  major:minor device number
 OLD-OPTIONS  old mount options saved by --poll
  OLD-TARGET  old mountpoint saved by --poll
     OPTIONS  all mount options
  OPT-FIELDS  optional mount fields
      PARENT  mount parent ID
   PARTLABEL  partition label
    PARTUUID  partition UUID
      PASSNO  pass number on parallel fsck(8) [fstab only]
 PROPAGATION  VFS propagation flags
        SIZE  filesystem size
      SOURCE  source device
     SOURCES  all possible source devices
      TARGET  mountpoint
         TID  task ID
        USED  filesystem size used
        USE%  filesystem use percentage
        UUID  filesystem UUID
 VFS-OPTIONS  VFS specific mount options

For more details see findmnt(8).
`;
const MKDIR_USAGE = `Usage: mkdir [OPTION]... DIRECTORY...
Create the DIRECTORY(ies), if they do not already exist.

Mandatory arguments to long options are mandatory for short options too.
  -m, --mode=MODE   set file mode (as in chmod), not a=rwx - umask
  -p, --parents     no error if existing, make parent directories as needed,
                    with their file modes unaffected by any -m option.
  -v, --verbose     print a message for each created directory
  -Z                   set SELinux security context of each created directory
                         to the default type
      --context[=CTX]  like -Z, or if CTX is specified then set the SELinux
                         or SMACK security context to CTX
      --help        display this help and exit
      --version     output version information and exit

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/mkdir>
or available locally via: info '(coreutils) mkdir invocation'
`;
