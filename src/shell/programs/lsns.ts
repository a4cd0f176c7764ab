// lsns(8) as util-linux 2.38.1 lists namespaces: it reads the processes of its /proc (in PID
// order), the namespace links of each one it may look at, and prints one line per namespace,
// sorted by inode number, each with its lowest PID's user and command — by default as a tree
// of processes (a line under the line of its process's parent).
//
// Whether lsns may look at a process is the kernel's answer: one `open` of its user
// namespace link (proc_ns_get_link() checks ptrace access the same for every link); a link
// the kernel would not give (a zombie's) is left out, as lsns leaves out ENOENT.

import type { Ctx } from '../runtime.js';
import { formatJsonTable, formatTable, userName, type Column, type Row } from '../text.js';
import { comm, procNsOf, readNsLink } from './proc.js';
import { getoptOrTry, type OptSpec } from './getopt.js';
import type { NsFile, NsType } from '../../trace/types.js';

/** lsns's order of namespace types (LSNS_ID_*). */
const LSNS_TYPES: NsType[] = ['mnt', 'net', 'pid', 'uts', 'ipc', 'user', 'cgroup', 'time'];

interface LsProc {
  label: string;
  pid: number;
  ppid: number;
  uid: number;
  ns: Partial<Record<NsType, number>>;
  parent?: LsProc;
  outline?: Row;
  command: string;
}

interface LsNs {
  id: number;
  type: NsType;
  procs: LsProc[];
  proc?: LsProc;
  pns: number;
  ons: number;
}

/** lsns's columns, each declared once: alignment, width hint, JSON type, help and its cell (infos[] of lsns.c). */
export const COLUMNS: Record<string, {
  right?: boolean; hint: number; json: 'number' | 'string'; help: string;
  cell: (ns: LsNs, proc: LsProc | undefined) => string | null;
}> = {
  NS: { right: true, hint: 10, json: 'number', help: 'namespace identifier (inode number)', cell: (ns) => String(ns.id) },
  TYPE: { hint: 5, json: 'string', help: 'kind of namespace', cell: (ns) => ns.type },
  PATH: { hint: 0, json: 'string', help: 'path to the namespace', cell: (ns, p) => (p ? `/proc/${p.pid}/ns/${ns.type}` : null) },
  NPROCS: { right: true, hint: 5, json: 'number', help: 'number of processes in the namespace', cell: (ns) => String(ns.procs.length) },
  PID: { right: true, hint: 5, json: 'number', help: 'lowest PID in the namespace', cell: (_, p) => (p ? String(p.pid) : null) },
  PPID: { right: true, hint: 5, json: 'number', help: 'PPID of the PID', cell: (_, p) => (p ? String(p.ppid) : null) },
  COMMAND: { hint: 0, json: 'string', help: 'command line of the PID', cell: (_, p) => (p ? p.command : null) },
  UID: { right: true, hint: 0, json: 'number', help: 'UID of the PID', cell: (_, p) => String(p?.uid ?? 0) },
  USER: { hint: 0, json: 'string', help: 'username of the PID', cell: (_, p) => userName(p?.uid ?? 0) ?? String(p?.uid ?? 0) },
  NETNSID: {
    right: true, hint: 0, json: 'string', help: 'namespace ID as used by network subsystem',
    cell: (ns, p) => (p && ns.type === 'net' ? 'unassigned' : null),
  },
  NSFS: { hint: 0, json: 'string', help: 'nsfs mountpoint (usually used network subsystem)', cell: () => null },
  PNS: { right: true, hint: 10, json: 'number', help: 'parent namespace identifier (inode number)', cell: (ns) => String(ns.pns) },
  ONS: { right: true, hint: 10, json: 'number', help: 'owner namespace identifier (inode number)', cell: (ns) => String(ns.ons) },
};

const HELP = `
Usage:
 lsns [options] [<namespace>]

List system namespaces.

Options:
 -J, --json             use JSON output format
 -l, --list             use list format output
 -n, --noheadings       don't print headings
 -o, --output <list>    define which output columns to use
     --output-all       output all columns
 -p, --task <pid>       print process namespaces
 -r, --raw              use the raw output format
 -u, --notruncate       don't truncate text in columns
 -W, --nowrap           don't use multi-line representation
 -t, --type <name>      namespace type (mnt, net, ipc, user, pid, uts, cgroup, time)
 -T, --tree <rel>       use tree format (parent, owner, or process)

 -h, --help             display this help
 -V, --version          display version

Available output columns:
${Object.entries(COLUMNS).map(([name, c]) => `${name.padStart(12)}  ${c.help}\n`).join('')}
For more details see lsns(8).
`;

/** getopt_long "Jlp:o:nruhVt:T::W" and lsns's long options. */
const LSNS_OPTS: OptSpec[] = [
  { short: 'J', long: 'json', arg: 'none', key: 'json' },
  { short: 'l', long: 'list', arg: 'none', key: 'list' },
  { short: 'n', long: 'noheadings', arg: 'none', key: 'noheadings' },
  { short: 'o', long: 'output', arg: 'required', key: 'output' },
  { long: 'output-all', arg: 'none', key: 'output-all' },
  { short: 'p', long: 'task', arg: 'required', key: 'task' },
  { short: 'r', long: 'raw', arg: 'none', key: 'raw' },
  { short: 'u', long: 'notruncate', arg: 'none', key: 'ignored' },
  { short: 'W', long: 'nowrap', arg: 'none', key: 'ignored' },
  { short: 't', long: 'type', arg: 'required', key: 'type' },
  { short: 'T', long: 'tree', arg: 'optional', key: 'tree' },
  { short: 'h', long: 'help', arg: 'none', key: 'help' },
  { short: 'V', long: 'version', arg: 'none', key: 'version' },
];

type Tree = 'none' | 'process' | 'owner' | 'parent';

interface LsnsOptions {
  json: boolean;
  list: boolean;
  noHeadings: boolean;
  raw: boolean;
  tree: Tree;
  columns: string[];
  /** The types lsns reads, in its order. */
  readTypes: NsType[];
  fltrPid: number;
  fltrNs: number;
}

export async function lsns(ctx: Ctx, argv: string[]): Promise<number> {
  const o = parseOptions(ctx, argv);
  if (typeof o === 'number') return o;
  const procs = await readProcs(ctx, o.readTypes);
  const needRelated = o.tree === 'owner' || o.tree === 'parent' || o.columns.includes('PNS') || o.columns.includes('ONS');
  const namespaces = await readNamespaces(ctx, procs, o.readTypes, needRelated);
  const roots = lines(o, namespaces);
  if (typeof roots === 'string') { ctx.err(roots); return 1; }
  // no namespace to list (lsns -p 999): lsns prints nothing, not even the headings
  if (roots.length > 0) print(ctx, o, roots);
  return 0;
}

/** getopt_long and lsns's checks of its options: the options, or the status to exit with. */
function parseOptions(ctx: Ctx, argv: string[]): LsnsOptions | number {
  const o: LsnsOptions = {
    json: false, list: false, noHeadings: false, raw: false, tree: 'none', columns: [], readTypes: LSNS_TYPES, fltrPid: 0, fltrNs: 0,
  };
  let outarg: string | undefined;
  let outputAll = false;
  const types = new Set<NsType>();
  // lsns's getopt_long permutes: options may follow the namespace argument
  const parsed = getoptOrTry(ctx, 'lsns', argv.slice(1), LSNS_OPTS, { permute: true });
  if (!parsed) return 1;
  const positional = parsed.rest;
  for (const { key, value } of parsed.opts) {
    switch (key) {
      case 'json': o.json = true; break;
      case 'list': o.list = true; break;
      case 'noheadings': o.noHeadings = true; break;
      case 'raw': o.raw = true; break;
      case 'output-all': outputAll = true; break;
      case 'help': ctx.out(HELP); return 0;
      case 'version': ctx.out('lsns from util-linux 2.38.1\n'); return 0;
      case 'output': outarg = value; break;
      case 'task':
        if (!/^\d+$/.test(value!)) { ctx.err(`lsns: invalid PID argument: '${value}'\n`); return 1; }
        o.fltrPid = Number(value);
        break;
      case 'type':
        if (!LSNS_TYPES.includes(value as NsType)) { ctx.err(`lsns: unknown namespace type: ${value}\n`); return 1; }
        types.add(value as NsType);
        break;
      case 'tree': {
        const v = value?.replace(/^=/, '');
        if (v === undefined || v === 'owner') o.tree = 'owner';
        else if (v === 'parent') o.tree = 'parent';
        else if (v === 'process') o.tree = 'process';
        else { ctx.err(`lsns: unknown tree type: ${v}\n`); return 1; }
        break;
      }
    }
  }
  if (o.json && o.raw) { ctx.err('lsns: mutually exclusive arguments: --json --raw\n'); return 1; }
  if (o.list && o.tree !== 'none') { ctx.err('lsns: mutually exclusive arguments: --list --tree\n'); return 1; }
  if (types.size) o.readTypes = LSNS_TYPES.filter((t) => types.has(t));

  if (outputAll) o.columns = Object.keys(COLUMNS);
  if (positional.length > 0) {
    if (o.fltrPid) { ctx.err('lsns: --task is mutually exclusive with <namespace>\n'); return 1; }
    if (!/^\d+$/.test(positional[0])) { ctx.err(`lsns: invalid namespace argument: '${positional[0]}'\n`); return 1; }
    o.fltrNs = Number(positional[0]);
    if (o.tree === 'none' && !o.list) o.tree = 'process';
    if (o.columns.length === 0) o.columns = ['PID', 'PPID', 'USER', 'COMMAND'];
  }
  if (o.columns.length === 0) {
    o.columns = ['NS', 'TYPE', 'NPROCS', 'PID', 'USER'];
    if (types.has('net')) o.columns.push('NETNSID', 'NSFS');
    o.columns.push('COMMAND');
    if (o.tree === 'none' && !o.list) o.tree = 'process';
  }
  if (outarg !== undefined) {
    const extra = outarg.replace(/^\+/, '').split(',');
    if (!outarg.startsWith('+')) o.columns = [];
    for (const c of extra) {
      const key = c.toUpperCase();
      if (!COLUMNS[key]) { ctx.err(`lsns: unknown column: ${c}\n`); return 1; }
      o.columns.push(key);
    }
  }
  return o;
}

/** read_processes(): the processes of the reader's /proc, in PID order, with the namespaces it may see. */
async function readProcs(ctx: Ctx, readTypes: NsType[]): Promise<LsProc[]> {
  const s = ctx.rt.session;
  const me = (await s.process(ctx.proc))!;
  const procNs = await procNsOf(ctx);
  const procs: LsProc[] = [];
  for (const v of await s.visible(procNs)) {
    const p = v.p;
    const ppid = p.parent ? await s.pidIn(p.parent, procNs) : 0;
    const uid = await s.idIn(p.snap.uid, me.snap.ns.user);
    const cmdline = p.cmdline ?? [];
    const lp: LsProc = {
      label: v.label, pid: v.pid, ppid, uid, ns: {},
      command: cmdline.length ? cmdline.join(' ') : comm(p.cmdline ?? s.argvOf(v.label) ?? null),
    };
    // may we look at it? (the kernel's answer; the same for every link of the process)
    const access = await readNsLink(ctx, v.label, 'user', false);
    if (!('err' in access && access.err === 'EACCES')) {
      for (const t of readTypes) {
        const id = p.snap.ns[t as NsFile];
        if (id !== null) lp.ns[t] = await s.inodeOf(id);
      }
    }
    procs.push(lp);
  }
  return procs;
}

/** The namespaces of the processes, each with its processes and its lowest PID, sorted by inode number. */
async function readNamespaces(ctx: Ctx, procs: LsProc[], readTypes: NsType[], needRelated: boolean): Promise<Map<number, LsNs>> {
  const byIno = new Map<number, LsNs>();
  for (const proc of procs) {
    for (const t of readTypes) {
      const ino = proc.ns[t];
      if (ino === undefined) continue;
      let ns = byIno.get(ino);
      if (!ns) {
        ns = { id: ino, type: t, procs: [], pns: 0, ons: 0 };
        if (needRelated) [ns.pns, ns.ons] = await related(ctx, proc.label, t);
        byIno.set(ino, ns);
      }
      for (const x of procs) {
        if (x.pid === proc.ppid) proc.parent = x;
        else if (x.ppid === proc.pid) x.parent = proc;
      }
      ns.procs.push(proc);
      if (!ns.proc || ns.proc.pid > proc.pid) ns.proc = proc;
    }
  }
  return new Map([...byIno].sort((a, b) => a[0] - b[0]));
}

/** The table's lines, as trees where asked; a message when the namespace asked for is not there. */
function lines(o: LsnsOptions, byIno: Map<number, LsNs>): Row[] | string {
  const roots: Row[] = [];
  const nsOutline = new Map<LsNs, Row>();
  const { tree } = o;
  const addLine = (ns: LsNs, proc: LsProc | undefined, parentRow: Row | undefined): Row => {
    const row: Row = { cells: o.columns.map((k) => COLUMNS[k].cell(ns, proc)) };
    if (parentRow) (parentRow.children ??= []).push(row);
    else roots.push(row);
    return row;
  };
  if (o.fltrNs) {
    const ns = byIno.get(o.fltrNs);
    if (!ns) return `lsns: not found namespace: ${o.fltrNs}\n`;
    const show = (proc: LsProc) => {
      if (tree === 'process' && proc.parent && !proc.parent.outline && proc.parent.ns[ns.type] === proc.ns[ns.type]) show(proc.parent);
      const parentRow = tree === 'process' && proc.parent ? proc.parent.outline : undefined;
      proc.outline = addLine(ns, proc, parentRow);
    };
    for (const proc of ns.procs) if (!proc.outline) show(proc);
    return roots;
  }
  // the namespace a line hangs under: the ioctls' answers (NS_GET_PARENT, else NS_GET_USERNS)
  const relatedNs = (ns: LsNs): LsNs | undefined => {
    if (tree === 'parent' && ns.pns) return byIno.get(ns.pns);
    if (tree === 'parent' || tree === 'owner') return ns.ons ? byIno.get(ns.ons) : undefined;
    return undefined;
  };
  const show = (ns: LsNs) => {
    let parentRow: Row | undefined;
    if (tree === 'owner' || tree === 'parent') {
      const rel = relatedNs(ns);
      if (rel && !nsOutline.has(rel)) show(rel);
      parentRow = rel ? nsOutline.get(rel) : undefined;
    } else if (tree === 'process') {
      parentRow = ns.proc?.parent?.outline;
    }
    const row = addLine(ns, ns.proc, parentRow);
    if (tree === 'owner' || tree === 'parent') nsOutline.set(ns, row);
    else if (ns.proc) ns.proc.outline = row;
  };
  for (const ns of byIno.values()) {
    if (o.fltrPid && !ns.procs.some((p) => p.pid === o.fltrPid)) continue;
    if (!nsOutline.has(ns)) show(ns);
  }
  return roots;
}

/** The table: JSON, raw, or libsmartcols' columns with the tree drawn. */
function print(ctx: Ctx, o: LsnsOptions, roots: Row[]): void {
  const { columns } = o;
  const treeColumn = o.tree === 'process' ? 'COMMAND' : o.tree === 'owner' || o.tree === 'parent' ? 'NS' : undefined;
  if (o.json) {
    ctx.out(formatJsonTable('namespaces', columns.map((c) => c.toLowerCase()), columns.map((c) => COLUMNS[c].json === 'number'), roots));
  } else if (o.raw) {
    const flat: Row[] = [];
    const walk = (rs: Row[]) => rs.forEach((r) => { flat.push(r); if (r.children) walk(r.children); });
    walk(roots);
    const esc = (v: string | null) => (v ?? '').replace(/[\s\\]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
    if (!o.noHeadings) ctx.out(`${columns.join(' ')}\n`);
    for (const r of flat) ctx.out(`${r.cells.map(esc).join(' ')}\n`);
  } else {
    ctx.out(formatTable(lsnsColumns(columns, treeColumn), roots, { noHeadings: o.noHeadings }));
  }
}

/** The table columns of lsns for these column names, `treeColumn` drawn as the tree. */
export function lsnsColumns(columns: string[], treeColumn?: string): Column[] {
  return columns.map((c) => ({
    header: c,
    right: COLUMNS[c].right && c !== treeColumn,
    tree: c === treeColumn,
    hint: COLUMNS[c].hint,
  }));
}

/**
 * PNS and ONS as lsns gets them: open /proc/<pid>/ns/<type> of the namespace's process, then
 * ioctl(NS_GET_PARENT) (pid and user namespaces) and ioctl(NS_GET_USERNS) — steps on the
 * backend, whose answer (a descriptor, or EPERM for a namespace out of the reader's scope:
 * R76, R79) decides; 0 where it refuses.
 */
async function related(ctx: Ctx, proc: string, type: NsType): Promise<[number, number]> {
  const rt = ctx.rt;
  const s = rt.session;
  const fd = s.label('fd');
  const o = await rt.run({ by: ctx.proc, op: 'open', target: proc, ns: type as NsFile, as: fd });
  if (!('ok' in o)) return [0, 0];
  const ask = async (request: 'NS_GET_PARENT' | 'NS_GET_USERNS'): Promise<number> => {
    const as = s.label('fd');
    const r = await rt.run({ by: ctx.proc, op: 'ioctl', fd, request, as });
    if (!('ok' in r)) return 0;
    const id = await s.fdNamespace(as);
    await rt.run({ by: ctx.proc, op: 'close', fd: as });
    return id === undefined ? 0 : s.inodeOf(id);
  };
  const pns = type === 'pid' || type === 'user' ? await ask('NS_GET_PARENT') : 0;
  const ons = await ask('NS_GET_USERNS');
  await rt.run({ by: ctx.proc, op: 'close', fd });
  return [pns, ons];
}
