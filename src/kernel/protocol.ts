// The text protocol between KernelBackend and the supervisor (src/kernel/agent/supervisor.c
// documents the C side). One line per request or answer, tokens separated by spaces,
// strings as 'x' + their UTF-8 bytes in hex, labels as indices handed out here in the order
// the trace defines them (p0 is process 0; -1 names a label that does not exist, which the
// supervisor answers as the kernel would: `dead` for an actor, EBADF for a descriptor).

import { canonicalize, type RawMount, type RawNamespace, type RawProcess, type RawSnapshot } from '../trace/canonical.js';
import { Labels, StepArgs } from '../trace/labels.js';
import {
  FSTYPES, MS_FLAGS, NS_FILES, NS_TYPES, UMOUNT_FLAGS,
  type NsFile, type SnapshotFsType, type NsType, type ProcState, type Result, type Snapshot, type SnapshotCreds, type Step,
} from '../trace/types.js';

const STATES = new Set<ProcState>(['running', 'zombie', 'exiting']);
const TYPES = new Set<string>(NS_TYPES);

const decoder = new TextDecoder();

/** A string argument: 'x' and the hex of its UTF-8 bytes. */
export function hexString(s: string): string {
  return `x${Buffer.from(s, 'utf8').toString('hex')}`;
}

function unhex(token: string): string {
  if (!token.startsWith('x')) throw new ProtocolError(`expected a string, got '${token}'`);
  return decoder.decode(Buffer.from(token.slice(1), 'hex'));
}

/** The supervisor said something this side does not understand: a bug, not bad input. */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(`kernel agent protocol: ${message}`);
    this.name = 'ProtocolError';
  }
}

export { Labels };

const args = new StepArgs();

/**
 * The supervisor's line for one step: the op, then the arguments of src/trace/labels.ts
 * (labels the step defines are defined there, before the step runs), a string as hex.
 */
export function encodeStep(step: Step, labels: Labels): string {
  const mount = encodeMountStep(step, labels);
  if (mount !== null) return mount;
  const a = args.encode(step, labels);
  let line = `${step.op} ${a.by}`;
  for (let i = 0; i < a.count; i++) line += ` ${a.nums[i]}`;
  return a.str === undefined ? line : `${line} ${hexString(a.str)}`;
}

/**
 * The mount ops (docs/TRACE-EXTENSIONS.md, "Mounts"), whose paths are strings (supervisor.c):
 * `mkdir BY xPATH`, `mount BY FLAGS xTARGET xSOURCE xFSTYPE` (an empty fstype: NULL),
 * `umount BY FLAGS xTARGET`, `pivot_root BY xNEW_ROOT xPUT_OLD`, `readdir BY xPATH`, `chdir BY xPATH`,
 * `chroot BY xPATH`, `getcwd BY`; null for
 * another op.
 */
function encodeMountStep(step: Step, labels: Labels): string | null {
  const by = labels.proc(step.by);
  switch (step.op) {
    case 'mkdir':
    case 'readdir':
    case 'chdir':
    case 'chroot':
      return `${step.op} ${by} ${hexString(step.path)}`;
    case 'mount': {
      const flags = step.flags.reduce((v, f) => v | MS_FLAGS[f], 0);
      const source = step.source ?? step.fstype ?? 'none';
      return `mount ${by} ${flags} ${hexString(step.target)} ${hexString(source)} ${hexString(step.fstype ?? '')}`;
    }
    case 'umount': {
      const flags = (step.flags ?? []).reduce((v, f) => v | UMOUNT_FLAGS[f], 0);
      return `umount ${by} ${flags} ${hexString(step.target)}`;
    }
    case 'pivot_root':
      return `pivot_root ${by} ${hexString(step.new_root)} ${hexString(step.put_old)}`;
    case 'getcwd':
      return `getcwd ${by}`;
    default:
      return null;
  }
}

/** Reads answer lines in order. */
export class LineReader {
  private i = 0;
  constructor(private readonly lines: readonly string[]) {}

  next(): string {
    if (this.i >= this.lines.length) throw new ProtocolError('answer ended early');
    return this.lines[this.i++];
  }
}

/** One step's result. */
export function decodeResult(first: string, rest: LineReader, labels: Labels, creds = false, mounts = false): Result {
  const t = first.split(' ');
  switch (t[0]) {
    case 'ok':
      if (t.length === 1) return { ok: true };
      if (t[1] === 'i') return { ok: true, value: Number(t[2]) };
      if (t[1] === 's') return { ok: true, value: unhex(t[2]) };
      if (t[1] === 'l') return { ok: true, value: unhex(t[2]).split('\0').slice(0, -1) };
      break;
    case 'err':
      return { err: t[1] };
    case 'dead':
      return { dead: true };
    case 'snap':
      return { ok: true, value: decodeSnapshot(rest, labels, creds, mounts) };
    case 'bad':
      throw new ProtocolError(`the supervisor rejected a step: ${first.slice(4)}`);
  }
  throw new ProtocolError(`unexpected answer '${first}'`);
}

function nsKey(token: string): string | null {
  return token === '-' ? null : token;
}

function decodeProcess(t: string[], labels: Labels): RawProcess {
  const name = labels.procs[Number(t[1])];
  const state = t[2] as ProcState;
  if (name === undefined || !STATES.has(state) || t.length !== 7 + NS_FILES.length) {
    throw new ProtocolError(`bad process line '${t.join(' ')}'`);
  }
  const ns = {} as Record<NsFile, string | null>;
  NS_FILES.forEach((f, i) => { ns[f] = nsKey(t[7 + i]); });
  return {
    name, state, uid: Number(t[3]),
    nspid: t[4] === '' ? [] : t[4].split(',').map(Number),
    hostname: t[5] === '-' ? null : unhex(t[5]),
    domainname: t[6] === '-' ? null : unhex(t[6]),
    ns,
  };
}

/** A snapshot block, after its "snap" line: lines P, C, F, N, R, M up to ".". */
export function decodeSnapshot(lines: LineReader, labels: Labels, creds = false, mounts = false): Snapshot {
  return canonicalize(decodeRawSnapshot(lines, labels, creds, mounts));
}

const FS = new Set<string>([...FSTYPES, 'rootfs']);
const MOUNT_OPTIONS = ['nosuid', 'nodev', 'noexec'];

/** mountinfo's octal escapes (\040 for a space...) undone. */
function mountinfoPath(token: string): string {
  return unhex(token).replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/**
 * An M line (observe.c): one line of mountinfo,
 * `M <ns> <id> <parent> <major:minor> x<root> x<mountpoint> <options> <optional fields|-> <fstype> <super options>`.
 */
function decodeMount(t: string[], line: string): RawMount {
  if (t.length !== 11 || !FS.has(t[9])) throw new ProtocolError(`bad mount line '${line}'`);
  const opts = t[7].split(',');
  const fields = t[8] === '-' ? [] : t[8].split(',');
  const field = (tag: string): number | null => {
    const f = fields.find((x) => x.startsWith(`${tag}:`));
    return f === undefined ? null : Number(f.slice(tag.length + 1));
  };
  return {
    id: Number(t[2]), parent: Number(t[3]), sb: t[4], root: mountinfoPath(t[5]), mountpoint: mountinfoPath(t[6]),
    fstype: t[9] as SnapshotFsType,
    options: [opts.includes('ro') ? 'ro' : 'rw', ...MOUNT_OPTIONS.filter((o) => opts.includes(o))],
    super: t[10].split(',')[0] === 'ro' ? 'ro' : 'rw',
    shared: field('shared'), master: field('master'), propagateFrom: field('propagate_from'),
    unbindable: fields.includes('unbindable'),
  };
}

/**
 * A snapshot block as the kernel's raw view (namespaces keyed by inode number). With `mounts`
 * (setup.mounts), every mount namespace has its mounts: the M lines read in the first running
 * process in it (after its R line; none when that process's root was detached), or null when
 * none runs there.
 */
export function decodeRawSnapshot(lines: LineReader, labels: Labels, creds = false, mounts = false): RawSnapshot {
  const raw: RawSnapshot & { namespaces: Map<string, RawNamespace> } = {
    processes: [], fds: [], namespaces: new Map(),
  };
  const mountLines = new Map<string, RawMount[]>();
  for (let line = lines.next(); line !== '.'; line = lines.next()) {
    const t = line.split(' ');
    if (t[0] === 'P') {
      raw.processes.push(decodeProcess(t, labels));
    } else if (t[0] === 'C') {
      // credentials (docs/TRACE-EXTENSIONS.md): kept when the trace shows them
      const p = raw.processes[raw.processes.length - 1];
      if (!p || labels.procs[Number(t[1])] !== p.name || t.length !== 11) throw new ProtocolError(`bad credentials line '${line}'`);
      if (creds) p.creds = decodeCreds(t);
    } else if (t[0] === 'F') {
      const label = labels.fds[Number(t[1])];
      if (label === undefined) throw new ProtocolError(`bad descriptor line '${line}'`);
      raw.fds.push({ label, ns: t[2] });
    } else if (t[0] === 'N' && TYPES.has(t[2])) {
      raw.namespaces.set(t[1], { type: t[2] as NsType, owner: nsKey(t[3]), parent: nsKey(t[4]), level: Number(t[5]) });
    } else if (t[0] === 'R' && t.length === 2) {
      mountLines.set(t[1], []);
    } else if (t[0] === 'M') {
      const list = mountLines.get(t[1]);
      if (!list) throw new ProtocolError(`mount line before its namespace's R line: '${line}'`);
      list.push(decodeMount(t, line));
    } else {
      throw new ProtocolError(`bad snapshot line '${line}'`);
    }
  }
  if (mounts) {
    for (const [key, ns] of raw.namespaces) if (ns.type === 'mnt') ns.mounts = mountLines.get(key) ?? null;
  }
  return raw;
}

function decodeCreds(t: string[]): SnapshotCreds {
  const ids = (s: string): number[] => s.split(',').map(Number);
  return {
    uid: ids(t[2]), gid: ids(t[3]), groups: t[4] === '-' ? [] : ids(t[4]),
    CapInh: t[5], CapPrm: t[6], CapEff: t[7], CapBnd: t[8], CapAmb: t[9], NoNewPrivs: t[10] === '1' ? 1 : 0,
  };
}

/** One process of the shell's view (view.c): labels as indices, the witness of its /proc. */
export interface RawViewProcess {
  parent: string | null;
  cmdline: string[] | null;
  /** A process /proc shows, and the level of /proc's PID namespace on its way up. */
  proc: { witness: string; level: number } | null;
  /** Its user namespace's uid_map, gid_map and setgroups as read (the "m" line), if given. */
  maps?: { uidMap: string; gidMap: string; setgroups: string };
}

/** The view block: "v" lines up to ".". */
export function decodeView(lines: LineReader, labels: Labels): Map<string, RawViewProcess> {
  const out = new Map<string, RawViewProcess>();
  for (let line = lines.next(); line !== '.'; line = lines.next()) {
    const t = line.split(' ');
    const name = labels.procs[Number(t[1])];
    if (t[0] === 'm' && t.length === 5 && name !== undefined && out.has(name)) {
      out.get(name)!.maps = { uidMap: unhex(t[2]), gidMap: unhex(t[3]), setgroups: unhex(t[4]).trim() };
      continue;
    }
    if (t[0] !== 'v' || t.length !== 6 || name === undefined) throw new ProtocolError(`bad view line '${line}'`);
    const label = (token: string): string | null => (token === '-' ? null : labels.procs[Number(token)] ?? null);
    let cmdline: string[] | null = null;
    if (t[3] !== '-') {
      const text = unhex(t[3]);
      cmdline = text === '' ? [] : text.replace(/\0$/, '').split('\0');
    }
    const witness = label(t[4]);
    out.set(name, {
      parent: label(t[2]),
      cmdline,
      proc: witness === null ? null : { witness, level: Number(t[5]) },
    });
  }
  return out;
}
