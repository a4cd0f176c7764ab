// /proc as a process sees it: its mount namespace's procfs shows one PID namespace (R62),
// `self` is the reader's own PID there. The verdict on opening a namespace file — EACCES,
// ENOENT — is the backend's (an `open` step); which PIDs exist is the view's.

import type { NsFile } from '../../trace/types.js';
import { NS_FILES } from '../../trace/types.js';
import { pathProblem } from '../../trace/paths.js';
import { ProcessGone, type Ctx } from '../runtime.js';
import { absPath, callPath } from './mounts.js';
import type { ShownProcess } from '../session.js';

export type ProcTarget = { label: string; pid: number; p: ShownProcess } | { err: 'ENOENT' };

/** The PID namespace the reader's /proc shows. */
export async function procNsOf(ctx: Ctx): Promise<string | null> {
  return (await ctx.rt.session.process(ctx.proc))?.procPidNs ?? null;
}

/** What `/proc/<name>` names for the reader: `self`, `thread-self` or a PID. */
export async function procTarget(ctx: Ctx, name: string): Promise<ProcTarget> {
  const s = ctx.rt.session;
  const ns = await procNsOf(ctx);
  let label: string | undefined;
  if (name === 'self' || name === 'thread-self') {
    label = (await s.pidIn(ctx.proc, ns)) > 0 ? ctx.proc : undefined;
  } else if (/^\d+$/.test(name)) {
    label = await s.byPid(Number(name), ns);
  }
  if (!label) return { err: 'ENOENT' };
  return { label, pid: await s.pidIn(label, ns), p: (await s.process(label))! };
}

/** A /proc path split: /proc/<who>/<rest>. */
export function splitProcPath(path: string): { who: string; rest: string } | null {
  const m = /^\/proc\/([^/]+)(?:\/(.*?))?\/?$/.exec(path.replace(/\/+/g, '/'));
  return m ? { who: m[1], rest: m[2] ?? '' } : null;
}

export function isNsFile(name: string): name is NsFile {
  return (NS_FILES as readonly string[]).includes(name);
}

/**
 * readlink() of /proc/<target>/ns/<file>: the kernel decides whether the reader may (an `open`
 * step, closed again: proc_ns_get_link() makes the same checks as readlink); the link text
 * is `type:[inode]`.
 */
export async function readNsLink(ctx: Ctx, target: string, file: NsFile, decisive = true): Promise<{ text: string } | { err: string }> {
  const rt = ctx.rt;
  const fd = rt.session.label('fd');
  const r = await rt.run({ by: ctx.proc, op: 'open', target, ns: file, as: fd }, { decisive });
  if ('err' in r) return { err: r.err };
  if ('dead' in r) return { err: 'ENOENT' };
  await rt.run({ by: ctx.proc, op: 'close', fd });
  const inode = await rt.session.inode(target, file);
  const type = file === 'pid_for_children' ? 'pid' : file === 'time_for_children' ? 'time' : file;
  return { text: `${type}:[${inode}]` };
}

/** The comm of a process (/proc/<pid>/comm): its program's file name, as exec set it. */
export function comm(cmdline: string[] | null, fallback = 'nsagent'): string {
  const a0 = cmdline && cmdline.length > 0 ? cmdline[0] : fallback;
  return a0.replace(/^-/, '').replace(/.*\//, '').slice(0, 15) || fallback;
}

/** A fixed clock for the world's display (ps STIME, ls dates): the kernel's are not compared. */
export const WORLD_TIME = { hhmm: '10:00', lsDate: 'Jun  1 10:00' };

/** The files this world's /proc/<pid>/ has (what `cat` and `ls` can read there). */
export const PROC_PID_FILES = ['cmdline', 'comm', 'gid_map', 'mountinfo', 'mounts', 'ns', 'setgroups', 'status', 'uid_map'];

/**
 * The names in a directory as the reader's readdir() lists them, for the directories this
 * world has (/proc, /proc/<pid>, /proc/<pid>/ns; the directories of its programs' files and
 * the login's home); null for any other path.
 */
export async function listDir(ctx: Ctx, path: string): Promise<string[] | null> {
  // the path as typed (a relative one is the kernel's to look up from the working
  // directory); its absolute spelling says whether it names one of /proc's pseudo-files
  const typed = callPath(path);
  const clean = absPath(ctx, typed);
  // a world with mounts (setup.mounts): the directories are the trace's, read with readdir steps
  if (ctx.rt.session.trace.setup.mounts && !clean.startsWith('/proc/')) {
    if (pathProblem(typed) !== null) return null;
    const r = await ctx.rt.run({ by: ctx.proc, op: 'readdir', path: typed });
    if ('dead' in r) throw new ProcessGone(ctx.proc);
    if ('err' in r) return null;
    if (r.value !== 'proc') return Array.isArray(r.value) ? r.value : [];
    // a procfs: the processes of the PID namespace the reader's /proc shows (a procfs mounted
    // elsewhere is shown as the reader's /proc: the snapshot does not say whose PIDs it has)
    const pids = (await ctx.rt.session.visible(await procNsOf(ctx))).map((v) => String(v.pid));
    return [...pids, 'self', 'thread-self'];
  }
  if (clean !== '/proc' && !clean.startsWith('/proc/')) {
    // the rest of this world: the programs' files and the login's home, nothing else
    const files = [...new Set([...ctx.rt.programs.values()].map((e) => e.path))];
    if (ctx.rt.env.HOME) files.push(`${ctx.rt.env.HOME}/`);
    files.push('/proc/');
    const prefix = clean === '/' ? '/' : `${clean}/`;
    const names = new Set<string>();
    for (const f of files) if (f.startsWith(prefix) && f.length > prefix.length) names.add(f.slice(prefix.length).split('/')[0]);
    return names.size > 0 || files.some((f) => f === prefix) ? [...names].sort() : null;
  }
  if (clean === '/proc') {
    const pids = (await ctx.rt.session.visible(await procNsOf(ctx))).map((v) => String(v.pid));
    return [...pids, 'self', 'thread-self'];
  }
  const parts = splitProcPath(clean);
  if (!parts) return null;
  const target = await procTarget(ctx, parts.who);
  if ('err' in target) return null;
  if (parts.rest === '') return PROC_PID_FILES.slice();
  if (parts.rest === 'ns') return [...NS_FILES];
  return null;
}

/**
 * Pathname expansion of a pattern (one RegExp per component; an absolute path's first is the
 * empty one before its `/`): the matches, sorted as C.UTF-8 sorts. A relative pattern is
 * read from the working directory (readdir of `.`), as bash reads it.
 */
export async function globPaths(ctx: Ctx, comps: RegExp[], literal: string): Promise<string[]> {
  const relative = !literal.startsWith('/');
  // a path so far: '' is the start ('/' or '.')
  let paths = [''];
  const texts = literal.split('/');
  const dirOf = (p: string) => (p === '' ? (relative ? '.' : '/') : p);
  const join = (p: string, n: string) => (p === '' && relative ? n : `${p}/${n}`);
  for (let k = relative ? 0 : 1; k < comps.length; k++) {
    const re = comps[k];
    const lit = texts[k];
    const next: string[] = [];
    const isGlob = !/^\^(?:[^[\]*?\\]|\\.)*\$$/.test(re.source);
    for (const p of paths) {
      if (!isGlob) { next.push(join(p, lit)); continue; }
      const names = await listDir(ctx, dirOf(p));
      for (const n of names ?? []) if (re.test(n) && !(n.startsWith('.') && !re.source.startsWith('^\\.'))) next.push(join(p, n));
    }
    paths = next;
  }
  // only paths that exist: a literal last component must be there too
  const out: string[] = [];
  for (const p of paths) {
    const slash = p.lastIndexOf('/');
    const dir = slash < 0 ? '.' : p.slice(0, slash) || '/';
    const names = await listDir(ctx, dir);
    if (names?.includes(p.slice(slash + 1))) out.push(p);
  }
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
