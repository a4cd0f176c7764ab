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
  /** The state letter ps shows: R for the reader itself (it runs), S for the others (they wait), Z. */
  stat: string;
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
      stat: zombie ? 'Z' : v.label === ctx.proc ? 'R' : 'S',
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

/** ps -o columns (procps names and aliases): header, width, right-aligned, the cell. */
const PS_COLUMNS: Record<string, { header: string; width: number; right: boolean; cell: (p: PsProc) => string }> = {
  pid: { header: 'PID', width: 7, right: true, cell: (p) => String(p.pid) },
  ppid: { header: 'PPID', width: 7, right: true, cell: (p) => String(p.ppid) },
  comm: { header: 'COMMAND', width: 15, right: false, cell: (p) => (p.zombie ? `${p.comm} <defunct>` : p.comm) },
  ucmd: { header: 'CMD', width: 15, right: false, cell: (p) => p.comm },
  args: { header: 'COMMAND', width: 27, right: false, cell: (p) => p.args },
  cmd: { header: 'CMD', width: 27, right: false, cell: (p) => p.args },
  command: { header: 'COMMAND', width: 27, right: false, cell: (p) => p.args },
  user: { header: 'USER', width: 8, right: false, cell: (p) => userCell(p.uid) },
  uid: { header: 'UID', width: 5, right: true, cell: (p) => String(p.uid) },
  euid: { header: 'EUID', width: 5, right: true, cell: (p) => String(p.uid) },
  tty: { header: 'TT', width: 8, right: false, cell: (p) => p.tty },
  tname: { header: 'TTY', width: 8, right: false, cell: (p) => p.tty },
  stat: { header: 'STAT', width: 4, right: false, cell: (p) => p.stat },
  s: { header: 'S', width: 1, right: false, cell: (p) => p.stat[0] },
  time: { header: 'TIME', width: 8, right: true, cell: () => '00:00:00' },
};

function userCell(uid: number): string {
  const user = userName(uid) ?? String(uid);
  return user.length > 8 ? `${user.slice(0, 7)}+` : user;
}

/** ps: procps's -e -A -f -p PID --forest -H -o LIST, and BSD a u x (ps aux). */
export async function ps(ctx: Ctx, argv: string[]): Promise<number> {
  let all = false, full = false, forest = false, bsdA = false, bsdX = false, bsdU = false;
  let pids: number[] | undefined;
  let format: string[] | undefined;
  const args = argv.slice(1);
  const bad = (msg: string) => { ctx.err(`error: ${msg}\n${PS_USAGE}`); return 1; };
  const takeFormat = (v: string | undefined): boolean => {
    if (!v) return false;
    const cols = v.split(/[,\s]+/).filter(Boolean).map((c) => c.replace(/=.*/, '').toLowerCase());
    for (const c of cols) if (!PS_COLUMNS[c]) { ctx.err(`error: unknown user-defined format specifier "${c}"\n${PS_USAGE}`); return false; }
    (format ??= []).push(...cols);
    return true;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--forest') { forest = true; continue; }
    if (a === '--help') { ctx.out(PS_USAGE); return 0; }
    if (a === '-p' || a === '--pid' || a === 'p') {
      const v = args[++i];
      if (!v || !/^\d+(,\d+)*$/.test(v)) return bad('process ID list syntax error');
      pids = v.split(',').map(Number);
      continue;
    }
    if (a === '-o' || a === '--format' || a === 'o') { if (!takeFormat(args[++i])) return 1; continue; }
    if (/^-o./.test(a)) { if (!takeFormat(a.slice(2))) return 1; continue; }
    if (/^-[eAfH]+o$/.test(a)) {
      if (/[eA]/.test(a)) all = true;
      if (a.includes('f')) full = true;
      if (a.includes('H')) forest = true;
      if (!takeFormat(args[++i])) return 1;
      continue;
    }
    if (/^-[eAfH]+$/.test(a)) {
      if (/[eA]/.test(a)) all = true;
      if (a.includes('f')) full = true;
      if (a.includes('H')) forest = true;
      continue;
    }
    if (/^[aux]+$/.test(a)) {
      bsdA ||= a.includes('a'); bsdX ||= a.includes('x'); bsdU ||= a.includes('u');
      continue;
    }
    return bad(`this shell's ps knows -e, -A, -f, -H, -p PID, -o LIST, --forest and a, u, x (not '${a}')`);
  }
  const procs = await readProcs(ctx);
  const s = ctx.rt.session;
  const me = (await s.process(ctx.proc))!;
  const myUid = await s.idIn(me.snap.uid, me.snap.ns.user);
  const myTty = ctx.rt.onTerminal(ctx.proc) ? 'pts/0' : '?';
  const bsd = bsdA || bsdX || bsdU;
  let selected = procs.filter((p) => {
    if (pids) return pids.includes(p.pid);
    if (all) return true;
    if (bsd) {
      // a: every process with a terminal; x: the user's without one too; both: all
      if (bsdA && bsdX) return true;
      if (bsdA) return p.tty !== '?';
      if (bsdX) return p.uid === myUid;
      return p.uid === myUid && p.tty !== '?';
    }
    return p.uid === myUid && p.tty === myTty;
  });
  if (forest) selected = forestOrder(selected);
  const depth = forest ? forestDepths(selected) : new Map<PsProc, number>();
  const cmd = (p: PsProc, text: string) => {
    const d = depth.get(p) ?? 0;
    return d > 0 ? `${'    '.repeat(d - 1)} \\_ ${text}` : text;
  };
  const lines: string[] = [];
  if (format) {
    const cols = format.map((c) => PS_COLUMNS[c]);
    const row = (cells: string[]) => cells.map((c, i) => {
      const last = i === cells.length - 1;
      if (cols[i].right) return c.padStart(cols[i].width);
      return last ? c : c.padEnd(cols[i].width);
    }).join(' ');
    lines.push(row(cols.map((c) => c.header)));
    for (const p of selected) lines.push(row(cols.map((c) => c.cell(p))));
  } else if (bsdU) {
    lines.push('USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND');
    for (const p of selected) {
      lines.push(`${userCell(p.uid).padEnd(8)} ${String(p.pid).padStart(7)}  0.0  0.0      0     0 ${p.tty.padEnd(8)} ${p.stat.padEnd(4)} ${WORLD_TIME.hhmm}   0:00 ${cmd(p, p.args)}`);
    }
  } else if (bsd) {
    lines.push('    PID TTY      STAT   TIME COMMAND');
    for (const p of selected) lines.push(`${String(p.pid).padStart(7)} ${p.tty.padEnd(8)} ${p.stat.padEnd(6)} 0:00 ${cmd(p, p.args)}`);
  } else if (full) {
    lines.push('UID          PID    PPID  C STIME TTY          TIME CMD');
    for (const p of selected) {
      lines.push(`${userCell(p.uid).padEnd(8)} ${String(p.pid).padStart(7)} ${String(p.ppid).padStart(7)}  0 ${WORLD_TIME.hhmm} ${p.tty.padEnd(8)} 00:00:00 ${cmd(p, p.args)}`);
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

/** pstree [-p] [PID]: the process tree from PID 1 of the reader's /proc, drawn as on a C.UTF-8 terminal (───, ─┬─, ├─, └─, │). */
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
    if (kids.length === 1) return [`${head}───${kids[0][0]}`, ...kids[0].slice(1).map((l) => `${pad}   ${l}`)];
    const out: string[] = [];
    kids.forEach((k, i) => {
      const last = i === kids.length - 1;
      const conn = i === 0 ? '─┬─' : last ? ' └─' : ' ├─';
      out.push(`${i === 0 ? head : pad}${conn}${k[0]}`);
      for (const l of k.slice(1)) out.push(`${pad}${last ? '   ' : ' │ '}${l}`);
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
