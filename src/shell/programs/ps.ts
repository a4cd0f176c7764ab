// ps (procps-ng 4.0) and pstree (psmisc 23.6): the processes of the reader's /proc, numbered
// as its PID namespace numbers them. Times, terminals and CPU figures are the world's fixed
// display values (the kernel's are never compared); PIDs, parents, users and command lines
// come from the backend.

import type { Ctx } from '../runtime.js';
import { userName } from '../text.js';
import { comm, procNsOf, WORLD_TIME } from './proc.js';

interface PsProc {
  label: string;
  pid: number;
  ppid: number;
  uid: number;
  tty: string;
  comm: string;
  args: string;
  zombie: boolean;
}

async function readProcs(ctx: Ctx): Promise<PsProc[]> {
  const s = ctx.rt.session;
  const ns = await procNsOf(ctx);
  const me = (await s.process(ctx.proc))!;
  const out: PsProc[] = [];
  for (const v of await s.visible(ns)) {
    const argv = v.p.cmdline ?? s.argvOf(v.label) ?? null;
    const name = comm(s.argvOf(v.label) ?? argv);
    const zombie = v.p.snap.state !== 'running';
    out.push({
      label: v.label,
      pid: v.pid,
      ppid: v.p.parent ? await s.pidIn(v.p.parent, ns) : 0,
      uid: await s.idIn(v.p.snap.uid, me.snap.ns.user),
      tty: ctx.rt.onTerminal(v.label) ? 'pts/0' : '?',
      comm: name,
      args: zombie ? `[${name}] <defunct>` : (argv && argv.length ? argv.join(' ') : `[${name}]`),
      zombie,
    });
  }
  return out;
}

const PS_USAGE = `
Usage:
 ps [options]

 Try 'ps --help <simple|list|output|threads|misc|all>'
  or 'ps --help <s|l|o|t|m|a>'
 for additional help text.

For more details see ps(1).
`;

/** ps [-e|-A] [-f] [-p PID] [--forest]. */
export async function ps(ctx: Ctx, argv: string[]): Promise<number> {
  let all = false, full = false, forest = false;
  let pids: number[] | undefined;
  const args = argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--forest') { forest = true; continue; }
    if (a === '--help') { ctx.out(PS_USAGE); return 0; }
    if (a === '-p' || a === '--pid') {
      const v = args[++i];
      if (!v || !/^\d+(,\d+)*$/.test(v)) { ctx.err(`error: process ID list syntax error\n${PS_USAGE}`); return 1; }
      pids = v.split(',').map(Number);
      continue;
    }
    if (/^-[eAfH]+$/.test(a)) {
      if (/[eA]/.test(a)) all = true;
      if (a.includes('f')) full = true;
      if (a.includes('H')) forest = true;
      continue;
    }
    ctx.err(`error: this shell's ps knows -e, -A, -f, -p PID and --forest (not '${a}')\n${PS_USAGE}`);
    return 1;
  }
  const procs = await readProcs(ctx);
  const s = ctx.rt.session;
  const me = (await s.process(ctx.proc))!;
  const myUid = await s.idIn(me.snap.uid, me.snap.ns.user);
  const myTty = ctx.rt.onTerminal(ctx.proc) ? 'pts/0' : '?';
  let selected = procs.filter((p) => (pids ? pids.includes(p.pid) : all || (p.uid === myUid && p.tty === myTty)));
  if (forest) selected = forestOrder(selected);
  const depth = forest ? forestDepths(selected) : new Map<PsProc, number>();
  const cmd = (p: PsProc, text: string) => {
    const d = depth.get(p) ?? 0;
    return d > 0 ? `${'    '.repeat(d - 1)} \\_ ${text}` : text;
  };
  const lines: string[] = [];
  if (full) {
    lines.push('UID          PID    PPID  C STIME TTY          TIME CMD');
    for (const p of selected) {
      const user = userName(p.uid) ?? String(p.uid);
      const u = user.length > 8 ? `${user.slice(0, 7)}+` : user;
      lines.push(`${u.padEnd(8)} ${String(p.pid).padStart(7)} ${String(p.ppid).padStart(7)}  0 ${WORLD_TIME.hhmm} ${p.tty.padEnd(8)} 00:00:00 ${cmd(p, p.args)}`);
    }
  } else {
    lines.push('    PID TTY          TIME CMD');
    for (const p of selected) {
      lines.push(`${String(p.pid).padStart(7)} ${p.tty.padEnd(8)} 00:00:00 ${cmd(p, p.zombie ? `${p.comm} <defunct>` : p.comm)}`);
    }
  }
  ctx.out(lines.map((l) => `${l}\n`).join(''));
  return selected.length > 0 ? 0 : 1;
}

/** procps's forest: children under their parent; children of PID 1 (and orphans) start trees. */
function forestOrder(procs: PsProc[]): PsProc[] {
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const isRoot = (p: PsProc) => p.ppid <= 1 || !byPid.has(p.ppid);
  const out: PsProc[] = [];
  const visit = (p: PsProc) => {
    out.push(p);
    for (const c of procs.filter((q) => q.ppid === p.pid && !isRoot(q))) visit(c);
  };
  for (const p of procs.filter(isRoot)) visit(p);
  return out;
}

function forestDepths(procs: PsProc[]): Map<PsProc, number> {
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const depth = new Map<PsProc, number>();
  for (const p of procs) {
    let d = 0;
    for (let q = p; q.ppid > 1 && byPid.has(q.ppid); q = byPid.get(q.ppid)!) d++;
    depth.set(p, d);
  }
  return depth;
}

/** pstree [-p] [PID]: the process tree from PID 1 of the reader's /proc (ASCII lines). */
export async function pstree(ctx: Ctx, argv: string[]): Promise<number> {
  let showPids = false;
  let root: number | undefined;
  for (const a of argv.slice(1)) {
    if (a === '-p' || a === '--show-pids') showPids = true;
    else if (/^\d+$/.test(a)) root = Number(a);
    else {
      ctx.err(`pstree: this shell's pstree takes only -p and a PID (not '${a}')\n`);
      return 1;
    }
  }
  const procs = await readProcs(ctx);
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const children = (p: PsProc) => procs.filter((q) => q.ppid === p.pid && q.pid !== p.pid);
  const start = root !== undefined ? byPid.get(root) : byPid.get(1) ?? procs.find((p) => !byPid.has(p.ppid));
  if (!start) return 1;
  const name = (p: PsProc) => (showPids ? `${p.comm}(${p.pid})` : p.comm);
  const render = (p: PsProc): string[] => {
    const head = name(p);
    let kids = children(p).map(render);
    if (!showPids) kids = mergeLeaves(kids);
    if (kids.length === 0) return [head];
    const pad = ' '.repeat(head.length);
    if (kids.length === 1) return [`${head}---${kids[0][0]}`, ...kids[0].slice(1).map((l) => `${pad}   ${l}`)];
    const out: string[] = [];
    kids.forEach((k, i) => {
      const last = i === kids.length - 1;
      const conn = i === 0 ? '-+-' : last ? ' `-' : ' |-';
      out.push(`${i === 0 ? head : pad}${conn}${k[0]}`);
      for (const l of k.slice(1)) out.push(`${pad}${last ? '   ' : ' | '}${l}`);
    });
    return out;
  };
  ctx.out(render(start).map((l) => `${l}\n`).join(''));
  return 0;
}

/** pstree merges identical leaves: 2*[sleep]. */
function mergeLeaves(kids: string[][]): string[][] {
  const out: string[][] = [];
  const counts = new Map<string, number>();
  for (const k of kids) if (k.length === 1) counts.set(k[0], (counts.get(k[0]) ?? 0) + 1);
  const done = new Set<string>();
  for (const k of kids) {
    if (k.length === 1 && (counts.get(k[0]) ?? 0) > 1) {
      if (!done.has(k[0])) { out.push([`${counts.get(k[0])}*[${k[0]}]`]); done.add(k[0]); }
    } else out.push(k);
  }
  return out;
}
