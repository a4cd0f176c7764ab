// ModelBackend: the kernel model (assembly/, compiled to wasm) behind the Backend interface.
// A batch of steps is encoded into the model's memory and crosses the JS/wasm boundary once;
// results, strings and snapshots come back through the model's output area.

import type { Backend, NsIdentity, ShellView, ViewProcess, ViewUserNs, Why } from '../trace/backend.js';
import { canonicalize, canonicalizeWithIds, type RawMount, type RawNamespace, type RawProcess, type RawSnapshot } from '../trace/canonical.js';
import { NS_FILES, NS_TYPES, type NsFile, type SnapshotFsType, type NsFlag, type ProcState, type Result, type Setup, type Snapshot, type Step } from '../trace/types.js';
import { capMask, Labels, StepArgs } from '../trace/labels.js';
import { releaseInstance, takeInstance, type ModelExports } from './wasm.js';
import { parseKernelVersion } from './kernel-version.js';

const STEP_WORDS = 6;
const RESULT_WORDS = 4;
// result kinds (assembly/index.ts)
const R_OK = 0, R_INT = 1, R_STR = 2, R_SNAP = 3, R_ERR = 4, R_DEAD = 5, R_FLAG = 6, R_UINT = 7, R_LIST = 8;
/** Super block types by the model's number (assembly/mnt/dir.ts). */
const FS_NAMES: SnapshotFsType[] = ['tmpfs', 'proc', 'rootfs'];
// MNT_* flags (assembly/mnt/mount.ts)
const MNT_NOSUID = 0x01, MNT_NODEV = 0x02, MNT_NOEXEC = 0x04, MNT_READONLY = 0x40;

const NS_FILE_INDEX = new Map<string, number>(NS_FILES.map((f, i) => [f, i]));
/** Task states by the model's number (assembly/task.ts). */
const STATES: ProcState[] = ['running', 'exiting', 'zombie'];

/** Linux's errno names by number (the ones the model returns, and a few more). */
const ERRNO_NAMES: Record<number, string> = {
  1: 'EPERM', 2: 'ENOENT', 3: 'ESRCH', 4: 'EINTR', 9: 'EBADF', 10: 'ECHILD', 11: 'EAGAIN', 12: 'ENOMEM',
  13: 'EACCES', 14: 'EFAULT', 16: 'EBUSY', 17: 'EEXIST', 19: 'ENODEV', 20: 'ENOTDIR', 22: 'EINVAL', 25: 'ENOTTY',
  28: 'ENOSPC', 30: 'EROFS', 40: 'ELOOP', 75: 'EOVERFLOW', 87: 'EUSERS',
};
export function errnoName(n: number): string {
  return ERRNO_NAMES[n] ?? `E${n}`;
}

const FLAG_NAMES = new Map<number, NsFlag>([
  [0x02000000, 'CLONE_NEWCGROUP'], [0x08000000, 'CLONE_NEWIPC'], [0x40000000, 'CLONE_NEWNET'],
  [0x00020000, 'CLONE_NEWNS'], [0x20000000, 'CLONE_NEWPID'], [0x00000080, 'CLONE_NEWTIME'],
  [0x10000000, 'CLONE_NEWUSER'], [0x04000000, 'CLONE_NEWUTS'],
]);

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What the model says of one namespace besides its canonical view: its inode number. */
export interface ModelNamespace extends RawNamespace { inode: number }

/** What startWorld() needs of a model instance (the explorer's raw instance has it too). */
export interface WorldStarter {
  memory: WebAssembly.Memory;
  reserveStrings(bytes: number): number;
  setStartCaps(lo: number, hi: number): void;
  setStartMounts(on: number): void;
  start(unprivileged: number, off: number, len: number): void;
  /** The release the next world answers as (assembly/version.ts); absent: the newest. */
  setStartKernel?(release: number): void;
}

/**
 * A new world in the instance `w`, as `setup` says: its hostname, p0's capabilities
 * (`setup.caps`), its user, and the Linux release it answers as (`kernel`, from
 * parseKernelVersion(); default the newest). The one way a world is started, by the backend
 * and the explorer.
 */
export function startWorld(w: WorldStarter, setup: Setup, kernel?: number): void {
  const name = encoder.encode(setup.hostname);
  const ptr = w.reserveStrings(name.length);
  new Uint8Array(w.memory.buffer, ptr, name.length).set(name);
  if (setup.caps) {
    const m = capMask(setup.caps);
    w.setStartCaps(Number(m & 0xffffffffn) | 0, Number(m >> 32n) | 0);
  }
  if (setup.mounts) w.setStartMounts(1);
  if (kernel !== undefined) w.setStartKernel?.(kernel);
  w.start(setup.user === 'unprivileged' ? 1 : 0, 0, name.length);
}

export interface ModelBackendOptions {
  /** `--kernel-version`: the Linux release the model answers as ("6.1"); default the newest it follows (6.18). */
  kernelVersion?: string;
}

export class ModelBackend implements Backend {
  readonly name = 'model';
  private wasm: ModelExports | undefined;
  /** Process labels and descriptor labels, by index in definition order. */
  private labels = new Labels();
  private readonly args = new StepArgs();
  /** The step words of a batch, before they go into the model's memory. */
  private scratch = new Int32Array(64 * STEP_WORDS);
  private whys: number[] = [];
  private showCreds = false;
  private showMounts = false;
  /** Command lines by process label (display only): set by `exec` with argv, copied by fork/clone. */
  private cmdlines = new Map<string, string[]>();
  private static whyCache = new Map<number, Why | undefined>();
  /** The release the model answers as (parseKernelVersion's number), or undefined: the newest. */
  readonly kernelVersion: number | undefined;

  /** Throws an Error (one sentence) for a kernelVersion that is not X.Y or one the model does not know. */
  constructor(options: ModelBackendOptions = {}) {
    this.kernelVersion = options.kernelVersion === undefined ? undefined : parseKernelVersion(options.kernelVersion);
  }

  async start(setup: Setup): Promise<void> {
    this.startSync(setup);
  }

  /** start() without a promise, for callers that run many traces (fuzzing, benchmarks). */
  startSync(setup: Setup): void {
    // a new world in the same instance (start() empties its heap), or one from the pool
    const w = this.wasm ?? takeInstance();
    this.wasm = w;
    this.labels = new Labels();
    this.whys = [];
    this.cmdlines = new Map();
    this.showCreds = setup.creds === true;
    this.showMounts = setup.mounts === true;
    startWorld(w, setup, this.kernelVersion);
  }

  async run(steps: readonly Step[]): Promise<Result[]> {
    return this.runSync(steps);
  }

  runSync(steps: readonly Step[]): Result[] {
    const w = this.instance();
    const n = steps.length;
    // each step: op, by, its numbers (src/trace/labels.ts), a string as (offset, length) in the
    // strings area, -1 for the rest; into a scratch first, since the strings area is reserved
    // before the steps
    if (this.scratch.length < n * STEP_WORDS) this.scratch = new Int32Array(n * STEP_WORDS * 2);
    const words = this.scratch;
    const strings: Uint8Array[] = [];
    let stringBytes = 0;
    const args = this.args;
    for (let i = 0; i < n; i++) {
      let k = i * STEP_WORDS;
      const end = k + STEP_WORDS;
      args.encode(steps[i], this.labels);
      words[k++] = args.op;
      words[k++] = args.by;
      for (let j = 0; j < args.count; j++) words[k++] = args.nums[j];
      if (args.str !== undefined) {
        const b = encoder.encode(args.str);
        strings.push(b);
        words[k++] = stringBytes;
        words[k++] = b.length;
        stringBytes += b.length;
      }
      while (k < end) words[k++] = -1;
    }
    const strPtr = w.reserveStrings(stringBytes);
    const stepPtr = w.reserveSteps(n);
    const mem = w.memory.buffer;
    const strView = new Uint8Array(mem, strPtr, stringBytes);
    let off = 0;
    for (const b of strings) {
      strView.set(b, off);
      off += b.length;
    }
    new Int32Array(mem, stepPtr, n * STEP_WORDS).set(words.subarray(0, n * STEP_WORDS));
    w.run(n);
    const mem2 = w.memory.buffer;
    const res = new Int32Array(mem2, w.resultsPointer(), n * RESULT_WORDS);
    const out = new DataView(mem2, w.outPointer(), w.outLength());
    const results: Result[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const r = i * RESULT_WORDS;
      const kind = res[r], value = res[r + 1];
      this.whys.push(res[r + 3]);
      results[i] = kind === R_SNAP ? { ok: true, value: canonicalize(this.decodeSnapshot(out, value).raw) } : decodeResult(kind, value, out);
      this.noteCmdline(steps[i], results[i]);
    }
    return results;
  }

  /** What a successful step does to command lines (display only). */
  private noteCmdline(step: Step, result: Result): void {
    if (!('ok' in result)) return;
    if (step.op === 'fork' || step.op === 'clone') {
      const parent = this.cmdlines.get(step.by);
      if (parent) this.cmdlines.set(step.as, parent);
    } else if (step.op === 'exec' && step.argv) {
      this.cmdlines.set(step.by, step.argv.slice());
    }
  }

  /** The world now, for the teaching shell: inode numbers, parents, command lines, /proc's PID namespace. */
  async view(): Promise<ShellView> {
    const w = this.instance();
    const { raw, inodes } = this.rawSnapshot();
    const { snapshot, ids } = canonicalizeWithIds(raw);
    const inodeById: Record<string, number> = {};
    for (const [key, id] of ids) inodeById[id] = inodes.get(key) ?? 0;
    // a PID namespace named the way the kernel backend names it: only as the namespace some
    // process of the trace is seen in (ShellView's contract)
    const nsById = new Map(snapshot.namespaces.map((n) => [n.id, n]));
    const seen = new Set<string>();
    for (const p of snapshot.processes) {
      for (let id = p.ns.pid; id !== null; id = nsById.get(id)?.parent ?? null) seen.add(id);
    }
    const processes: Record<string, ViewProcess> = {};
    for (const p of snapshot.processes) {
      const label = this.labels.proc(p.name);
      const parent = w.processParent(label);
      const procNs = w.processProcNs(label);
      const procId = procNs < 0 ? undefined : ids.get(String(procNs));
      const cmdline = this.cmdlines.get(p.name);
      processes[p.name] = {
        parent: parent < 0 ? null : this.labels.procs[parent] ?? null,
        cmdline: cmdline === undefined ? null : p.state === 'running' ? cmdline.slice() : [],
        procPidNs: procId !== undefined && seen.has(procId) ? procId : null,
      };
    }
    const userNs: Record<string, ViewUserNs> = {};
    const fds: Record<string, string> = {};
    for (const [key, id] of ids) {
      const text = w.__getString(w.userNsMaps(Number(key)));
      if (text) userNs[id] = parseUserNsMaps(text);
    }
    for (const fd of raw.fds) {
      const id = ids.get(fd.ns);
      if (id !== undefined) fds[fd.label] = id;
    }
    return { snapshot, inodes: inodeById, processes, userNs, fds };
  }

  async snapshot(): Promise<Snapshot> {
    return canonicalize(this.rawSnapshot().raw);
  }

  snapshotSync(): Snapshot {
    return canonicalize(this.rawSnapshot().raw);
  }

  /** The model's view before canonical numbering, with each namespace's inode number. */
  rawSnapshot(): { raw: RawSnapshot; inodes: Map<string, number> } {
    const w = this.instance();
    w.snapshot();
    const out = new DataView(w.memory.buffer, w.outPointer(), w.outLength());
    return this.decodeSnapshot(out, 0);
  }

  async identity(process: string, file: NsFile): Promise<NsIdentity | null> {
    const w = this.instance();
    const label = this.labels.proc(process);
    const fi = NS_FILE_INDEX.get(file);
    if (label < 0 || fi === undefined) return null;
    const inode = Number(w.identity(label, fi));
    if (inode < 0) return null;
    const type = file === 'pid_for_children' ? 'pid' : file === 'time_for_children' ? 'time' : file;
    return { type, inode };
  }

  /** Can the process act (it was made, and it is running)? */
  isRunning(process: string): boolean {
    const label = this.labels.proc(process);
    return label >= 0 && this.instance().processState(label) === 0;
  }

  why(index: number): Why | undefined {
    const code = this.whys[index];
    if (code === undefined || code === 0) return undefined;
    let w = ModelBackend.whyCache.get(code);
    if (!ModelBackend.whyCache.has(code)) {
      const info = this.instance().__getString(this.instance().why_info(code));
      const [check, rule, text] = info.split('|');
      w = check ? { check, rule: rule || undefined, text: text || undefined } : undefined;
      ModelBackend.whyCache.set(code, w);
    }
    return w;
  }

  /** The invariants of the model's mount trees and propagation graph: "" when they hold (tests). */
  mountInvariant(): string {
    const w = this.instance();
    return w.__getString(w.checkMounts());
  }

  async close(): Promise<void> {
    this.closeSync();
  }

  /** Give the instance back to the pool (its next start() makes a new world in it). */
  closeSync(): void {
    if (this.wasm) releaseInstance(this.wasm);
    this.wasm = undefined;
  }

  private instance(): ModelExports {
    if (!this.wasm) throw new Error('ModelBackend: start() first');
    return this.wasm;
  }

  private decodeSnapshot(out: DataView, offset: number): { raw: RawSnapshot; inodes: Map<string, number> } {
    let p = offset;
    const i32 = (): number => { const v = out.getInt32(p, true); p += 4; return v; };
    const str = (): string | null => {
      const s = readString(out, p);
      p = s.next;
      return s.text;
    };
    const key = (id: number): string | null => (id < 0 ? null : String(id));
    const processes: RawProcess[] = [];
    const nProcs = i32();
    for (let i = 0; i < nProcs; i++) {
      const label = i32();
      const state = STATES[i32()] ?? 'running';
      const uid = i32() >>> 0;
      const nspid: number[] = [];
      const levels = i32();
      for (let l = 0; l < levels; l++) nspid.push(i32());
      const hostname = str();
      const domainname = str();
      const ns = {} as Record<NsFile, string | null>;
      for (const f of NS_FILES) ns[f] = key(i32());
      const ids = [i32() >>> 0, i32() >>> 0, i32() >>> 0, i32() >>> 0, i32() >>> 0, i32() >>> 0, i32() >>> 0, i32() >>> 0];
      const groups: number[] = [];
      for (let g = i32(); g > 0; g--) groups.push(i32() >>> 0);
      const set = (): string => {
        const lo = i32() >>> 0, hi = i32() >>> 0;
        return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
      };
      const CapInh = set(), CapPrm = set(), CapEff = set(), CapBnd = set(), CapAmb = set();
      const NoNewPrivs = i32() ? 1 : 0;
      processes.push({
        name: this.labels.procs[label] ?? `#${label}`,
        state, nspid, uid, hostname, domainname, ns,
        ...(this.showCreds ? {
          creds: { uid: ids.slice(0, 4), gid: ids.slice(4), groups, CapInh, CapPrm, CapEff, CapBnd, CapAmb, NoNewPrivs },
        } : {}),
      });
    }
    const fds: { label: string; ns: string }[] = [];
    const nFds = i32();
    for (let i = 0; i < nFds; i++) {
      const label = i32();
      const id = i32();
      fds.push({ label: this.labels.fds[label] ?? `#${label}`, ns: String(id) });
    }
    const namespaces = new Map<string, RawNamespace>();
    const inodes = new Map<string, number>();
    const nNs = i32();
    for (let i = 0; i < nNs; i++) {
      const id = i32(), type = i32(), owner = i32(), parent = i32(), level = i32(), inode = i32() >>> 0;
      namespaces.set(String(id), { type: NS_TYPES[type], owner: key(owner), parent: key(parent), level });
      inodes.set(String(id), inode);
    }
    if (this.showMounts) {
      // each mnt namespace's mounts, in the order of the list above (assembly/snapshot.ts)
      for (const ns of namespaces.values()) {
        if (ns.type !== 'mnt') continue;
        const n = i32();
        if (n < 0) { ns.mounts = null; continue; }
        const mounts: RawMount[] = [];
        for (let j = 0; j < n; j++) {
          const id = i32(), parent = i32();
          const mountpoint = str() ?? '/', root = str() ?? '/';
          const fs = i32(), sb = i32(), flags = i32(), sbRo = i32();
          const shared = i32(), master = i32(), from = i32(), unbindable = i32();
          const options = [flags & MNT_READONLY ? 'ro' : 'rw'];
          if (flags & MNT_NOSUID) options.push('nosuid');
          if (flags & MNT_NODEV) options.push('nodev');
          if (flags & MNT_NOEXEC) options.push('noexec');
          mounts.push({
            id, parent: parent < 0 ? null : parent, mountpoint, root, sb: String(sb), fstype: FS_NAMES[fs] ?? 'tmpfs',
            options, super: sbRo ? 'ro' : 'rw', shared: shared || null, master: master || null,
            propagateFrom: from || null, unbindable: unbindable !== 0,
          });
        }
        ns.mounts = mounts;
      }
    }
    return { raw: { processes, fds, namespaces }, inodes };
  }
}

/** A string of the model's output area: its length word, then its bytes (padded to 4). */
function readString(out: DataView, p: number): { text: string | null; next: number } {
  const len = out.getInt32(p, true);
  if (len < 0) return { text: null, next: p + 4 };
  const bytes = new Uint8Array(out.buffer, out.byteOffset + p + 4, len);
  return { text: decoder.decode(bytes), next: p + 4 + ((len + 3) & ~3) };
}

/**
 * A step's result from its result words (kind, value) and the out buffer, for every kind but
 * a snapshot (R_SNAP: `{ok: true}` here; the backend decodes it).
 */
export function decodeResult(kind: number, value: number, out: DataView): Result {
  switch (kind) {
    case R_OK: return { ok: true };
    case R_INT: return { ok: true, value };
    case R_UINT: return { ok: true, value: value >>> 0 };
    case R_FLAG: return { ok: true, value: FLAG_NAMES.get(value >>> 0) ?? String(value) };
    case R_STR: return { ok: true, value: readString(out, value).text ?? '' };
    case R_LIST: return { ok: true, value: readList(out, value) };
    case R_SNAP: return { ok: true };
    case R_ERR: return { err: errnoName(value) };
    case R_DEAD: return { dead: true };
    default: return { err: `E?${kind}` };
  }
}

/** readdir's names: their count, then each string. */
function readList(out: DataView, p: number): string[] {
  const n = out.getInt32(p, true);
  p += 4;
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    const s = readString(out, p);
    names.push(s.text ?? '');
    p = s.next;
  }
  return names;
}

/** userNsMaps()'s text: "f l c f l c|f l c|allow". */
function parseUserNsMaps(text: string): ViewUserNs {
  const [u, g, sg] = text.split('|');
  const extents = (t: string): [number, number, number][] => {
    const n = t.split(' ').filter(Boolean).map(Number);
    const out: [number, number, number][] = [];
    for (let i = 0; i + 2 < n.length; i += 3) out.push([n[i], n[i + 1], n[i + 2]]);
    return out;
  };
  return { uidMap: extents(u), gidMap: extents(g), setgroups: sg === 'deny' ? 'deny' : 'allow' };
}
