// The live diagram: the world of the shell's session, read from the backend's view (the same
// ShellView the shell's programs read), drawn as SVG. Processes are a tree (d3-hierarchy
// orders it and gives each its depth) with their PID in every PID namespace they see; each
// namespace type is a lane, each namespace a column in its lane with its members on a line;
// a bar of colour names the owner user namespace. What the last command created or joined is
// marked `new`/`joined` (the page's CSS makes it glow for a moment). No DOM here: the model
// and the SVG text are made in Node by the tests as in the page.

import { hierarchy, type HierarchyNode } from 'd3-hierarchy';
import type { ShellView } from '../trace/backend.js';
import type { NsType, SnapshotProcess } from '../trace/types.js';
import { userName } from '../shell/text.js';

/** The lanes, in the order a reader meets them in the article: user first (it owns the others). */
export const LANES: NsType[] = ['user', 'pid', 'mnt', 'uts', 'ipc', 'net', 'cgroup', 'time'];

export interface DiagramProcess {
  label: string;
  command: string;
  state: string;
  /** PIDs from the initial PID namespace down, with the namespace (inode) each is in. */
  pids: { pid: number; ns: number }[];
  parent: string | null;
  depth: number;
  row: number;
  /** The inode of each namespace it is in (pid: its own; pid/time for children apart when they differ). */
  ns: Partial<Record<NsType, number>>;
  forChildren: Partial<Record<'pid' | 'time', number>>;
  /** The shell reading the next command line. */
  current: boolean;
  /** Lanes where the last command changed its namespace (joined or a new process in another than its parent's). */
  joined: NsType[];
}

export interface DiagramNamespace {
  inode: number;
  type: NsType;
  /** The owner user namespace's inode (null: the initial user namespace has none). */
  owner: number | null;
  /** The parent's inode (PID and user namespaces nest). */
  parent: number | null;
  level: number;
  members: string[];
  /** Processes that will be born into it (pid_for_children, time_for_children). */
  childrenOf: string[];
  /** Created by the last command. */
  isNew: boolean;
  /** What `lsns -t TYPE` prints for it, as root of the initial namespaces sees it. */
  lsns: string;
}

export interface Diagram {
  processes: DiagramProcess[];
  namespaces: DiagramNamespace[];
}

/** What the diagram remembers of the world before the last command, to mark what changed. */
export interface DiagramMemory {
  inodes: Set<number>;
  ns: Map<string, Partial<Record<NsType, number>>>;
}

export function remember(d: Diagram): DiagramMemory {
  return { inodes: new Set(d.namespaces.map((n) => n.inode)), ns: new Map(d.processes.map((p) => [p.label, { ...p.ns }])) };
}

const ROOT = '\u0000root';

/** The diagram of a view; `prev` marks what changed since; `reader` is the shell reading the next line. */
export function buildDiagram(v: ShellView, opts: { argvOf?: (label: string) => string[] | undefined; reader?: string; prev?: DiagramMemory } = {}): Diagram {
  const procs = v.snapshot.processes;
  const byName = new Map(procs.map((p) => [p.name, p]));
  const ino = (id: string | null) => (id === null ? undefined : v.inodes[id]);
  const parentOf = (p: SnapshotProcess) => {
    const parent = v.processes[p.name]?.parent ?? null;
    return parent !== null && byName.has(parent) ? parent : null;
  };
  const nsById = new Map(v.snapshot.namespaces.map((n) => [n.id, n]));
  // the PID namespaces from the initial one down to p's own
  const pidChain = (p: SnapshotProcess): number[] => {
    const chain: number[] = [];
    for (let id = p.ns.pid; id !== null; id = nsById.get(id)?.parent ?? null) chain.unshift(v.inodes[id] ?? 0);
    return chain;
  };

  const root = hierarchy<{ name: string; p?: SnapshotProcess }>({ name: ROOT }, (d) =>
    procs.filter((p) => (d.name === ROOT ? parentOf(p) === null : parentOf(p) === d.name)).map((p) => ({ name: p.name, p })),
  );
  const out: DiagramProcess[] = [];
  root.eachBefore((node: HierarchyNode<{ name: string; p?: SnapshotProcess }>) => {
    const p = node.data.p;
    if (!p) return;
    const vp = v.processes[p.name];
    const command = (vp?.cmdline?.length ? vp.cmdline : opts.argvOf?.(p.name) ?? [p.name]).join(' ');
    const chain = pidChain(p);
    const ns: Partial<Record<NsType, number>> = {};
    for (const t of LANES) {
      const i = ino(p.ns[t]);
      if (i !== undefined) ns[t] = i;
    }
    const forChildren: DiagramProcess['forChildren'] = {};
    const pfc = ino(p.ns.pid_for_children);
    if (pfc !== undefined && pfc !== ns.pid) forChildren.pid = pfc;
    const tfc = ino(p.ns.time_for_children);
    if (tfc !== undefined && tfc !== ns.time) forChildren.time = tfc;
    const parent = parentOf(p);
    const before = opts.prev?.ns.get(p.name);
    const parentNs = parent ? out.find((q) => q.label === parent)?.ns : undefined;
    const joined = opts.prev
      ? LANES.filter((t) => ns[t] !== undefined && (before ? before[t] !== ns[t] : parentNs !== undefined && parentNs[t] !== ns[t]))
      : [];
    out.push({
      label: p.name, command, state: p.state, parent,
      pids: p.nspid.map((pid, i) => ({ pid, ns: chain[i] ?? 0 })),
      depth: node.depth - 1, row: out.length, ns, forChildren,
      current: p.name === opts.reader, joined,
    });
  });

  const namespaces: DiagramNamespace[] = v.snapshot.namespaces.map((n) => {
    const inode = v.inodes[n.id] ?? 0;
    const members = out.filter((p) => p.ns[n.type] === inode && p.state === 'running').map((p) => p.label);
    const childrenOf = out.filter((p) => (n.type === 'pid' || n.type === 'time') && p.forChildren[n.type] === inode).map((p) => p.label);
    return {
      inode, type: n.type, level: n.level,
      owner: n.owner === null ? null : v.inodes[n.owner] ?? null,
      parent: n.parent === null ? null : v.inodes[n.parent] ?? null,
      members, childrenOf,
      isNew: opts.prev !== undefined && !opts.prev.inodes.has(inode),
      lsns: lsnsLine(n.type, inode, members.map((m) => byName.get(m)!), out),
    };
  });
  namespaces.sort((a, b) => LANES.indexOf(a.type) - LANES.indexOf(b.type) || a.inode - b.inode);
  return { processes: out, namespaces };
}

/** lsns's default columns for one namespace (lsns -t TYPE, one line): its members as the initial PID namespace numbers them. */
function lsnsLine(type: NsType, inode: number, members: SnapshotProcess[], procs: DiagramProcess[]): string {
  if (members.length === 0) return '(no process is in it: lsns lists it only when a descriptor or a mount holds it)';
  const first = members.reduce((a, b) => (b.nspid[0] < a.nspid[0] ? b : a));
  const cmd = procs.find((p) => p.label === first.name)?.command ?? '';
  const user = userName(first.uid) ?? String(first.uid);
  const pid = String(first.nspid[0]);
  const tw = Math.max(4, type.length), pw = Math.max(3, pid.length), uw = Math.max(4, user.length);
  // net adds NETNSID and NSFS (none assigned, none bound: the model has neither)
  const netHead = type === 'net' ? `${'NETNSID'.padStart(10)} NSFS ` : '';
  const netRow = type === 'net' ? `${'unassigned'.padStart(10)}      ` : '';
  return `${'NS'.padStart(10)} ${'TYPE'.padEnd(tw)} NPROCS ${'PID'.padStart(pw)} ${'USER'.padEnd(uw)} ${netHead}COMMAND\n`
    + `${String(inode).padStart(10)} ${type.padEnd(tw)} ${String(members.length).padStart(6)} ${pid.padStart(pw)} ${user.padEnd(uw)} ${netRow}${cmd}`;
}

// ---- drawing ------------------------------------------------------------------------------

const ROW = 30;
const TOP = 128;
const INDENT = 18;
const PROC_W = 250;
const COL = 24;
const LANE_GAP = 12;
const LANE_MIN = 50;
/** Owner colours: each at least 3:1 against white (WCAG 1.4.11 for graphics). */
const OWNER_COLOURS = ['#1a5fb4', '#c01c28', '#26803a', '#8f3f9f', '#a05a00', '#00707a'];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function nsName(type: string, inode: number): string {
  return `${type}:[${inode}]`;
}

/** The text a box shows when hovered or focused. */
export function tipOf(d: Diagram, what: DiagramNamespace | DiagramProcess): string {
  if ('inode' in what) {
    const n = what;
    const lines = [nsName(n.type, n.inode), `inode ${n.inode}`];
    lines.push(n.owner === null ? 'owner: none (the initial user namespace)' : `owner: ${nsName('user', n.owner)}`);
    if (n.type === 'pid' || n.type === 'user') lines.push(n.parent === null ? 'parent: none (the initial one)' : `parent: ${nsName(n.type, n.parent)} (level ${n.level})`);
    lines.push(`processes: ${n.members.map((m) => procText(d, m)).join(', ') || 'none'}`);
    if (n.childrenOf.length) lines.push(`for the children of: ${n.childrenOf.map((m) => procText(d, m)).join(', ')}`);
    lines.push('', 'lsns:', n.lsns);
    return lines.join('\n');
  }
  const p = what;
  const lines = [`${p.command}${p.state === 'running' ? '' : ` (${p.state})`}`];
  lines.push(...p.pids.map((x, i) => `PID ${x.pid} in ${nsName('pid', x.ns)}${i === 0 ? ' (the initial one)' : ''}`));
  lines.push(...LANES.filter((t) => p.ns[t] !== undefined).map((t) => `${t.padEnd(6)} ${nsName(t, p.ns[t]!)}`));
  if (p.forChildren.pid) lines.push(`pid_for_children ${nsName('pid', p.forChildren.pid)}`);
  if (p.forChildren.time) lines.push(`time_for_children ${nsName('time', p.forChildren.time)}`);
  return lines.join('\n');
}

function procText(d: Diagram, label: string): string {
  const p = d.processes.find((q) => q.label === label);
  return p ? `${p.command.split(' ')[0]} (PID ${p.pids[0]?.pid})` : label;
}

export interface Svg {
  svg: string;
  width: number;
  height: number;
  /** Tooltip text by element id. */
  tips: Record<string, string>;
}

/** The diagram as an SVG document (text): focusable boxes with ids, tooltips beside. */
export function renderSvg(d: Diagram): Svg {
  const tips: Record<string, string> = {};
  const parts: string[] = [];
  const userColour = new Map<number, string>();
  d.namespaces.filter((n) => n.type === 'user').forEach((n, i) => {
    userColour.set(n.inode, OWNER_COLOURS[i % OWNER_COLOURS.length]);
  });
  const rowY = (row: number) => TOP + row * ROW + ROW / 2;
  const height = TOP + Math.max(1, d.processes.length) * ROW + 12;

  // processes: the tree's elbows, then the rows
  parts.push('<g class="procs">');
  for (const p of d.processes) {
    const y = rowY(p.row);
    const x = 8 + p.depth * INDENT;
    if (p.parent !== null) {
      const parent = d.processes.find((q) => q.label === p.parent)!;
      const px = 8 + parent.depth * INDENT + 6;
      parts.push(`<path class="edge" d="M${px},${rowY(parent.row) + 8} V${y} H${x}"/>`);
    }
    const id = `proc-${p.label}`;
    tips[id] = tipOf(d, p);
    const pids = p.pids.map((q) => q.pid).join(' · ');
    const cls = ['proc', p.current ? 'current' : '', p.state !== 'running' ? 'gone' : '', p.joined.length ? 'joined' : ''].filter(Boolean).join(' ');
    parts.push(`<g class="${cls}" id="${esc(id)}" tabindex="0" role="listitem" aria-label="${esc(`${p.command}, PID ${pids}${p.current ? ', the shell you type in' : ''}`)}">`);
    parts.push(`<rect x="${x}" y="${y - 11}" width="${PROC_W - x - 4}" height="22" rx="4"/>`);
    parts.push(`<text x="${x + 6}" y="${y + 4}"><tspan class="pid">${esc(pids)}</tspan> ${esc(truncate(p.command, Math.floor((PROC_W - x - 70) / 7)))}${p.current ? ' ◀' : ''}</text>`);
    parts.push('</g>');
  }
  parts.push('</g>');

  // lanes of namespaces
  let x = PROC_W + 8;
  parts.push('<g class="lanes">');
  for (const lane of LANES) {
    const ns = d.namespaces.filter((n) => n.type === lane);
    if (ns.length === 0) continue;
    const w = Math.max(ns.length * COL, LANE_MIN);
    const x0 = x + (w - ns.length * COL) / 2;
    parts.push(`<rect class="lane" x="${x - 4}" y="4" width="${w + 8}" height="${height - 8}" rx="6"/>`);
    parts.push(`<text class="lane-name" x="${x + w / 2}" y="20" text-anchor="middle">${lane}</text>`);
    ns.forEach((n, i) => {
      const cx = x0 + i * COL + COL / 2;
      const id = `ns-${n.inode}`;
      tips[id] = tipOf(d, n);
      const rows = d.processes.filter((p) => p.ns[lane] === n.inode).map((p) => p.row);
      const childRows = d.processes.filter((p) => (lane === 'pid' || lane === 'time') && p.forChildren[lane] === n.inode).map((p) => p.row);
      const all = [...rows, ...childRows];
      const colour = n.owner === null ? (lane === 'user' ? userColour.get(n.inode) : '#5e5c64') : userColour.get(n.owner) ?? '#5e5c64';
      parts.push(`<g class="ns${n.isNew ? ' new' : ''}" id="${esc(id)}" tabindex="0" role="listitem" aria-label="${esc(`${nsName(n.type, n.inode)}, ${n.members.length} processes${n.isNew ? ', new' : ''}`)}">`);
      parts.push(`<rect class="head" x="${cx - COL / 2 + 2}" y="28" width="${COL - 4}" height="${TOP - 36}" rx="3"/>`);
      parts.push(`<rect class="owner" x="${cx - COL / 2 + 2}" y="${TOP - 12}" width="${COL - 4}" height="4" fill="${colour}"/>`);
      if (lane === 'user') parts.push(`<rect class="self" x="${cx - COL / 2 + 2}" y="28" width="${COL - 4}" height="5" fill="${userColour.get(n.inode)}"/>`);
      parts.push(`<text class="ino" transform="translate(${cx + 4},${TOP - 16}) rotate(-90)">${n.inode}</text>`);
      if (all.length) parts.push(`<line class="bus" x1="${cx}" y1="${TOP - 8}" x2="${cx}" y2="${rowY(Math.max(...all))}"/>`);
      for (const p of d.processes) {
        const y = rowY(p.row);
        if (p.ns[lane] === n.inode) parts.push(`<circle class="dot${p.joined.includes(lane) ? ' joined' : ''}${p.state !== 'running' ? ' gone' : ''}" cx="${cx}" cy="${y}" r="5"/>`);
        else if ((lane === 'pid' || lane === 'time') && p.forChildren[lane] === n.inode) parts.push(`<circle class="dot forchildren" cx="${cx}" cy="${y}" r="4.5"/>`);
      }
      parts.push('</g>');
    });
    x += w + LANE_GAP;
  }
  parts.push('</g>');
  const width = x;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" class="diagram" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="group" aria-label="Processes and their namespaces">`
    + `<text class="lane-name" x="8" y="20">processes (PIDs, command)</text>`
    + `<g role="list">${parts.join('')}</g></svg>`;
  return { svg, width, height, tips };
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, Math.max(1, n - 1))}…`;
}
