// The alphabet made concrete: for one state, every step an actor may take, each as the six
// words the model's run() reads (assembly/index.ts dispatch) and — only when a trace is
// printed — as a TRACE.md step with label names.
//
// Labels are positional: the world's labels keep their names and indices (p0 = 0, then each
// `as` of the prefix in order); a process the search makes gets the next index and the name
// `c<index>`, a descriptor `fd<index>`. So a state's labels follow from how many of each
// its path made, and two paths to one state name its objects alike.

import { StepArgs, type Labels as TraceLabels } from '../trace/labels.js';
import { fdLabels, flagsValue, nstypeValue, processLabels } from '../trace/steps.js';
import {
  IOCTL_REQUESTS, MAP_FILES, NS_FILES, OPS, SIGNALS,
  type NsFile, type Op, type Step, type Trace,
} from '../trace/types.js';
import type { Alphabet, Property } from './property.js';
import type { StateView } from './view.js';
import { STEP_WORDS } from './world.js';

/** The op codes of the model (src/trace/types.ts OPS: the index of the op). */
const op = (name: Op): number => OPS.indexOf(name);
const OP_CLONE = op('clone');
const OP_CLOSE = op('close');
const OP_EXEC = op('exec');
const OP_EXIT = op('exit');
const OP_FORK = op('fork');
const OP_GETHOSTNAME = op('gethostname');
const OP_GETPID = op('getpid');
const OP_GETPPID = op('getppid');
const OP_IOCTL = op('ioctl');
const OP_KILL = op('kill');
const OP_MOUNT_PROC = op('mount_proc');
const OP_OPEN = op('open');
const OP_PIDFD_OPEN = op('pidfd_open');
const OP_SETDOMAINNAME = op('setdomainname');
const OP_SETHOSTNAME = op('sethostname');
const OP_SETNS = op('setns');
const OP_SETUID = op('setuid');
const OP_SET_PDEATHSIG = op('set_pdeathsig');
const OP_UNSHARE = op('unshare');
const OP_WAIT = op('wait');
const OP_WRITE_MAP = op('write_map');
const NS_FILE_INDEX = new Map<string, number>(NS_FILES.map((f, i) => [f, i]));
const REQUEST_INDEX = new Map<string, number>(IOCTL_REQUESTS.map((r, i) => [r, i]));
const MAP_FILE_INDEX = new Map<string, number>(MAP_FILES.map((f, i) => [f, i]));

/** One concrete step: its words, and how to name it. */
export interface Action {
  words: Int32Array;
  /** The step with label names (made when asked for). */
  step(labels: Labels): Step;
  /** Defines a process label (1), a descriptor label (2), or nothing (0). */
  defines: 0 | 1 | 2;
}

/** Label names by index, for the world's labels and the ones the search makes. */
export class Labels {
  readonly procs: string[];
  readonly fds: string[];
  private readonly taken: Set<string>;

  constructor(world: Trace) {
    this.procs = processLabels(world);
    this.fds = fdLabels(world);
    this.taken = new Set([...this.procs, ...this.fds]);
  }

  proc(i: number): string {
    while (this.procs.length <= i) this.procs.push(this.fresh('c', this.procs.length));
    return this.procs[i];
  }

  fd(i: number): string {
    while (this.fds.length <= i) this.fds.push(this.fresh('fd', this.fds.length));
    return this.fds[i];
  }

  private fresh(base: string, i: number): string {
    let name = `${base}${i}`;
    while (this.taken.has(name)) name += '_';
    this.taken.add(name);
    return name;
  }
}

/** The strings of the alphabet and of the world, laid out once in the model's strings area. */
export class Strings {
  private bytes: number[] = [];
  private at = new Map<string, number>();
  private readonly enc = new TextEncoder();

  private cache = new Map<string, [number, number]>();

  offset(s: string): [number, number] {
    const hit = this.cache.get(s);
    if (hit) return hit;
    const r = this.place(s);
    this.cache.set(s, r);
    return r;
  }

  private place(s: string): [number, number] {
    let off = this.at.get(s);
    const b = this.enc.encode(s);
    if (off === undefined) {
      off = this.bytes.length;
      this.bytes.push(...b);
      this.at.set(s, off);
    }
    return [off, b.length];
  }

  get blob(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/**
 * The words of a step of the world (labels by name), encoded as the model backend encodes it
 * (src/trace/labels.ts StepArgs: op, by, its numbers, a string as offset and length in the
 * explorer's strings, -1 for the rest) — one encoding, so that every op of the trace format,
 * the credential ops too, means in the explorer what it means in `nsmodel run`.
 */
export function stepWords(step: Step, procIndex: (l: string) => number, fdIndex: (l: string) => number, strings: Strings): number[] {
  // the world's labels are numbered already (in the prefix's order): "defining" one finds it
  const labels = { proc: procIndex, fd: fdIndex, defineProc: procIndex, defineFd: fdIndex } as unknown as TraceLabels;
  const args = new StepArgs().encode(step, labels);
  const w = [args.op, args.by, ...args.nums.slice(0, args.count)];
  if (args.str !== undefined) w.push(...strings.offset(args.str));
  while (w.length < STEP_WORDS) w.push(-1);
  return w;
}

/**
 * The action table of a search: every concrete action is made once and numbered, so a path
 * is a list of small integers. Enumeration order is fixed (actors in label order; ops in the
 * order of Alphabet's fields below; arguments in the order the property lists them), which
 * makes breadth-first search find the first shortest counterexample in that order.
 */
export class ActionTable {
  readonly actions: Action[] = [];
  private readonly index = new Map<number, number[]>();
  private readonly actors: Set<number>;
  readonly worldProcs: number;
  readonly worldFds: number;
  private readonly al: Alphabet;

  constructor(readonly property: Property, readonly labels: Labels, readonly strings: Strings) {
    this.worldProcs = labels.procs.length;
    this.worldFds = labels.fds.length;
    this.actors = new Set(property.actors.map((a) => labels.procs.indexOf(a)));
    this.al = property.alphabet;
    // every string of the alphabet has its place before the world is saved
    for (const s of this.al.sethostname ?? []) strings.offset(s);
    for (const s of this.al.setdomainname ?? []) strings.offset(s);
    for (const m of this.al.write_map ?? []) strings.offset(m.data);
    // the mount steps' strings (paths) go in now, with the world's
    for (const m of this.al.mounts ?? []) stepWords({ by: 'p0', ...m } as Step, () => 0, () => -1, strings);
  }

  /** The id of the action with these words, if it was made already (then in `hit`). */
  private hit = -1;
  private has(w0: number, w1: number, w2: number, w3: number, w4: number, w5: number): boolean {
    let h = 0x811c9dc5;
    h = Math.imul(h ^ w0, 0x01000193); h = Math.imul(h ^ w1, 0x01000193); h = Math.imul(h ^ w2, 0x01000193);
    h = Math.imul(h ^ w3, 0x01000193); h = Math.imul(h ^ w4, 0x01000193); h = Math.imul(h ^ w5, 0x01000193);
    const bucket = this.index.get(h);
    if (bucket) {
      for (let i = 0; i < bucket.length; i++) {
        const w = this.actions[bucket[i]].words;
        if (w[0] === w0 && w[1] === w1 && w[2] === w2 && w[3] === w3 && w[4] === w4 && w[5] === w5) { this.hit = bucket[i]; return true; }
      }
    }
    return false;
  }

  private intern(words: number[], defines: 0 | 1 | 2, make: (l: Labels) => Step): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < STEP_WORDS; i++) h = Math.imul(h ^ words[i], 0x01000193);
    let bucket = this.index.get(h);
    if (bucket) {
      for (const id of bucket) {
        const w = this.actions[id].words;
        if (w[0] === words[0] && w[1] === words[1] && w[2] === words[2] && w[3] === words[3] && w[4] === words[4] && w[5] === words[5]) return id;
      }
    } else {
      bucket = [];
      this.index.set(h, bucket);
    }
    const id = this.actions.length;
    this.actions.push({ words: Int32Array.from(words), defines, step: make });
    bucket.push(id);
    return id;
  }

  isActor(label: number): boolean {
    return label >= this.worldProcs || this.actors.has(label);
  }

  /**
   * The actions of a state, in enumeration order, into `out` (cleared). `nProcs`/`nFds`: how
   * many process and descriptor labels the state's path has defined.
   */
  enumerate(v: StateView, nProcs: number, nFds: number, out: number[]): void {
    out.length = 0;
    const al = this.al;
    const canFork = nProcs - this.worldProcs < this.property.limits.processes;
    const canOpen = nFds - this.worldFds < this.property.limits.fds;
    const n = v.processCount;
    for (let i = 0; i < n; i++) {
      if (!v.running(i)) continue;
      const by = v.labelIndex(i);
      if (!this.isActor(by)) continue;
      const name = (l: Labels) => l.proc(by);
      if (al.fork && canFork) {
        out.push(this.has(OP_FORK, by, nProcs, -1, -1, -1) ? this.hit : this.intern([OP_FORK, by, nProcs, -1, -1, -1], 1, (l) => ({ by: name(l), op: 'fork', as: l.proc(nProcs) })));
      }
      if (al.clone && canFork) {
        for (const flags of al.clone) {
          out.push(this.has(OP_CLONE, by, flagsValue(flags) | 0, nProcs, -1, -1) ? this.hit : this.intern([OP_CLONE, by, flagsValue(flags) | 0, nProcs, -1, -1], 1, (l) => ({ by: name(l), op: 'clone', flags: [...flags], as: l.proc(nProcs) })));
        }
      }
      if (al.unshare) {
        for (const flags of al.unshare) {
          out.push(this.has(OP_UNSHARE, by, flagsValue(flags) | 0, -1, -1, -1) ? this.hit : this.intern([OP_UNSHARE, by, flagsValue(flags) | 0, -1, -1, -1], 0, (l) => ({ by: name(l), op: 'unshare', flags: [...flags] })));
        }
      }
      if (al.open && canOpen) {
        for (let t = 0; t < n; t++) {
          const target = v.labelIndex(t);
          for (const file of al.open) {
            out.push(this.has(OP_OPEN, by, target, NS_FILE_INDEX.get(file)!, nFds, -1) ? this.hit : this.intern([OP_OPEN, by, target, NS_FILE_INDEX.get(file)!, nFds, -1], 2,
              (l) => ({ by: name(l), op: 'open', target: l.proc(target), ns: file as NsFile, as: l.fd(nFds) })));
          }
        }
      }
      if (al.pidfd_open && canOpen) {
        for (let t = 0; t < n; t++) {
          const target = v.labelIndex(t);
          out.push(this.has(OP_PIDFD_OPEN, by, target, nFds, -1, -1) ? this.hit : this.intern([OP_PIDFD_OPEN, by, target, nFds, -1, -1], 2, (l) => ({ by: name(l), op: 'pidfd_open', target: l.proc(target), as: l.fd(nFds) })));
        }
      }
      if (al.setns || al.close || al.ioctl) {
        for (let k = 0, m = v.fdCount; k < m; k++) {
          const [holder, fd] = v.fd(k);
          if (holder !== by) continue;
          for (const nstype of al.setns ?? []) {
            out.push(this.has(OP_SETNS, by, fd, nstypeValue(nstype) | 0, -1, -1) ? this.hit : this.intern([OP_SETNS, by, fd, nstypeValue(nstype) | 0, -1, -1], 0,
              (l) => ({ by: name(l), op: 'setns', fd: l.fd(fd), nstype: Array.isArray(nstype) ? [...nstype] : nstype })));
          }
          if (al.close) out.push(this.has(OP_CLOSE, by, fd, -1, -1, -1) ? this.hit : this.intern([OP_CLOSE, by, fd, -1, -1, -1], 0, (l) => ({ by: name(l), op: 'close', fd: l.fd(fd) })));
          for (const request of al.ioctl ?? []) {
            const defines = request === 'NS_GET_USERNS' || request === 'NS_GET_PARENT';
            if (defines && !canOpen) continue;
            out.push(this.has(OP_IOCTL, by, fd, REQUEST_INDEX.get(request)!, defines ? nFds : -1, -1) ? this.hit : this.intern([OP_IOCTL, by, fd, REQUEST_INDEX.get(request)!, defines ? nFds : -1, -1], defines ? 2 : 0,
              (l) => (defines ? { by: name(l), op: 'ioctl', fd: l.fd(fd), request, as: l.fd(nFds) } : { by: name(l), op: 'ioctl', fd: l.fd(fd), request })));
          }
        }
      }
      if (al.exec) out.push(this.has(OP_EXEC, by, -1, -1, -1, -1) ? this.hit : this.intern([OP_EXEC, by, -1, -1, -1, -1], 0, (l) => ({ by: name(l), op: 'exec' })));
      for (const s of al.sethostname ?? []) {
        const [off, len] = this.strings.offset(s);
        out.push(this.has(OP_SETHOSTNAME, by, off, len, -1, -1) ? this.hit : this.intern([OP_SETHOSTNAME, by, off, len, -1, -1], 0, (l) => ({ by: name(l), op: 'sethostname', name: s })));
      }
      for (const s of al.setdomainname ?? []) {
        const [off, len] = this.strings.offset(s);
        out.push(this.has(OP_SETDOMAINNAME, by, off, len, -1, -1) ? this.hit : this.intern([OP_SETDOMAINNAME, by, off, len, -1, -1], 0, (l) => ({ by: name(l), op: 'setdomainname', name: s })));
      }
      if (al.gethostname) out.push(this.has(OP_GETHOSTNAME, by, -1, -1, -1, -1) ? this.hit : this.intern([OP_GETHOSTNAME, by, -1, -1, -1, -1], 0, (l) => ({ by: name(l), op: 'gethostname' })));
      if (al.getpid) out.push(this.has(OP_GETPID, by, -1, -1, -1, -1) ? this.hit : this.intern([OP_GETPID, by, -1, -1, -1, -1], 0, (l) => ({ by: name(l), op: 'getpid' })));
      if (al.getppid) out.push(this.has(OP_GETPPID, by, -1, -1, -1, -1) ? this.hit : this.intern([OP_GETPPID, by, -1, -1, -1, -1], 0, (l) => ({ by: name(l), op: 'getppid' })));
      for (const uid of al.setuid ?? []) out.push(this.has(OP_SETUID, by, uid | 0, -1, -1, -1) ? this.hit : this.intern([OP_SETUID, by, uid | 0, -1, -1, -1], 0, (l) => ({ by: name(l), op: 'setuid', uid })));
      for (const m of al.write_map ?? []) {
        const [off, len] = this.strings.offset(m.data);
        for (let t = 0; t < n; t++) {
          const target = v.labelIndex(t);
          out.push(this.has(OP_WRITE_MAP, by, target, MAP_FILE_INDEX.get(m.file)!, off, len) ? this.hit : this.intern([OP_WRITE_MAP, by, target, MAP_FILE_INDEX.get(m.file)!, off, len], 0,
            (l) => ({ by: name(l), op: 'write_map', target: l.proc(target), file: m.file, data: m.data })));
        }
      }
      if (al.mount_proc) out.push(this.has(OP_MOUNT_PROC, by, -1, -1, -1, -1) ? this.hit : this.intern([OP_MOUNT_PROC, by, -1, -1, -1, -1], 0, (l) => ({ by: name(l), op: 'mount_proc' })));
      for (const sig of al.set_pdeathsig ?? []) {
        out.push(this.has(OP_SET_PDEATHSIG, by, sig === 0 ? 0 : SIGNALS[sig], -1, -1, -1) ? this.hit : this.intern([OP_SET_PDEATHSIG, by, sig === 0 ? 0 : SIGNALS[sig], -1, -1, -1], 0, (l) => ({ by: name(l), op: 'set_pdeathsig', signal: sig })));
      }
      for (const sig of al.kill ?? []) {
        for (let t = 0; t < n; t++) {
          const target = v.labelIndex(t);
          out.push(this.has(OP_KILL, by, target, sig === 0 ? 0 : SIGNALS[sig], -1, -1) ? this.hit : this.intern([OP_KILL, by, target, sig === 0 ? 0 : SIGNALS[sig], -1, -1], 0,
            (l) => ({ by: name(l), op: 'kill', target: l.proc(target), signal: sig })));
        }
      }
      for (const m of al.mounts ?? []) {
        const w = stepWords({ by: 'p0', ...m } as Step, () => by, () => -1, this.strings);
        out.push(this.has(w[0], w[1], w[2], w[3], w[4], w[5]) ? this.hit : this.intern(w, 0, (l) => ({ by: name(l), ...m }) as Step));
      }
      if (al.wait) out.push(this.has(OP_WAIT, by, -1, -1, -1, -1) ? this.hit : this.intern([OP_WAIT, by, -1, -1, -1, -1], 0, (l) => ({ by: name(l), op: 'wait' })));
      if (al.exit) out.push(this.has(OP_EXIT, by, 0, -1, -1, -1) ? this.hit : this.intern([OP_EXIT, by, 0, -1, -1, -1], 0, (l) => ({ by: name(l), op: 'exit', code: 0 })));
    }
  }
}

export { STEP_WORDS };
