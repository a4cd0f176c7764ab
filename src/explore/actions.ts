// The alphabet made concrete: for one state, every step an actor may take, each as the six
// words the model's run() reads (assembly/index.ts dispatch) and — only when a trace is
// printed — as a TRACE.md step with label names.
//
// Labels are positional: the world's labels keep their names and indices (p0 = 0, then each
// `as` of the prefix in order); a process the search makes gets the next index and the name
// `c<index>`, a descriptor `fd<index>`. So a state's labels follow from how many of each
// its path made, and two paths to one state name its objects alike.

import { fdLabels, flagsValue, nstypeValue, processLabels } from '../trace/steps.js';
import {
  IOCTL_REQUESTS, MAP_FILES, NS_FILES, OPS, SIGNALS,
  type NsFile, type Step, type Trace,
} from '../trace/types.js';
import type { Alphabet, Property } from './property.js';
import type { StateView } from './view.js';
import { STEP_WORDS } from './world.js';

const OP = new Map<string, number>(OPS.map((op, i) => [op, i]));
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

/** The words of a step of the world (labels by name). */
export function stepWords(step: Step, procIndex: (l: string) => number, fdIndex: (l: string) => number, strings: Strings): number[] {
  const w = [OP.get(step.op) ?? -1, procIndex(step.by), -1, -1, -1, -1];
  switch (step.op) {
    case 'fork': w[2] = procIndex(step.as); break;
    case 'clone': w[2] = flagsValue(step.flags) | 0; w[3] = procIndex(step.as); break;
    case 'unshare': w[2] = flagsValue(step.flags) | 0; break;
    case 'setns': w[2] = fdIndex(step.fd); w[3] = nstypeValue(step.nstype) | 0; break;
    case 'open': w[2] = procIndex(step.target); w[3] = NS_FILE_INDEX.get(step.ns) ?? -1; w[4] = fdIndex(step.as); break;
    case 'pidfd_open': w[2] = procIndex(step.target); w[3] = fdIndex(step.as); break;
    case 'close': w[2] = fdIndex(step.fd); break;
    case 'ioctl': w[2] = fdIndex(step.fd); w[3] = REQUEST_INDEX.get(step.request) ?? -1; w[4] = step.as === undefined ? -1 : fdIndex(step.as); break;
    case 'exit': w[2] = step.code ?? 0; break;
    case 'sethostname':
    case 'setdomainname': [w[2], w[3]] = strings.offset(step.name); break;
    case 'setuid': w[2] = step.uid | 0; break;
    case 'set_pdeathsig': w[2] = step.signal === 0 ? 0 : SIGNALS[step.signal]; break;
    case 'kill': w[2] = procIndex(step.target); w[3] = step.signal === 0 ? 0 : SIGNALS[step.signal]; break;
    case 'write_map': w[2] = procIndex(step.target); w[3] = MAP_FILE_INDEX.get(step.file) ?? -1; [w[4], w[5]] = strings.offset(step.data); break;
    default: break;
  }
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
        out.push(this.has(0, by, nProcs, -1, -1, -1) ? this.hit : this.intern([0, by, nProcs, -1, -1, -1], 1, (l) => ({ by: name(l), op: 'fork', as: l.proc(nProcs) })));
      }
      if (al.clone && canFork) {
        for (const flags of al.clone) {
          out.push(this.has(1, by, flagsValue(flags) | 0, nProcs, -1, -1) ? this.hit : this.intern([1, by, flagsValue(flags) | 0, nProcs, -1, -1], 1, (l) => ({ by: name(l), op: 'clone', flags: [...flags], as: l.proc(nProcs) })));
        }
      }
      if (al.unshare) {
        for (const flags of al.unshare) {
          out.push(this.has(2, by, flagsValue(flags) | 0, -1, -1, -1) ? this.hit : this.intern([2, by, flagsValue(flags) | 0, -1, -1, -1], 0, (l) => ({ by: name(l), op: 'unshare', flags: [...flags] })));
        }
      }
      if (al.open && canOpen) {
        for (let t = 0; t < n; t++) {
          const target = v.labelIndex(t);
          for (const file of al.open) {
            out.push(this.has(4, by, target, NS_FILE_INDEX.get(file)!, nFds, -1) ? this.hit : this.intern([4, by, target, NS_FILE_INDEX.get(file)!, nFds, -1], 2,
              (l) => ({ by: name(l), op: 'open', target: l.proc(target), ns: file as NsFile, as: l.fd(nFds) })));
          }
        }
      }
      if (al.pidfd_open && canOpen) {
        for (let t = 0; t < n; t++) {
          const target = v.labelIndex(t);
          out.push(this.has(5, by, target, nFds, -1, -1) ? this.hit : this.intern([5, by, target, nFds, -1, -1], 2, (l) => ({ by: name(l), op: 'pidfd_open', target: l.proc(target), as: l.fd(nFds) })));
        }
      }
      if (al.setns || al.close || al.ioctl) {
        for (let k = 0, m = v.fdCount; k < m; k++) {
          const [holder, fd] = v.fd(k);
          if (holder !== by) continue;
          for (const nstype of al.setns ?? []) {
            out.push(this.has(3, by, fd, nstypeValue(nstype) | 0, -1, -1) ? this.hit : this.intern([3, by, fd, nstypeValue(nstype) | 0, -1, -1], 0,
              (l) => ({ by: name(l), op: 'setns', fd: l.fd(fd), nstype: Array.isArray(nstype) ? [...nstype] : nstype })));
          }
          if (al.close) out.push(this.has(6, by, fd, -1, -1, -1) ? this.hit : this.intern([6, by, fd, -1, -1, -1], 0, (l) => ({ by: name(l), op: 'close', fd: l.fd(fd) })));
          for (const request of al.ioctl ?? []) {
            const defines = request === 'NS_GET_USERNS' || request === 'NS_GET_PARENT';
            if (defines && !canOpen) continue;
            out.push(this.has(7, by, fd, REQUEST_INDEX.get(request)!, defines ? nFds : -1, -1) ? this.hit : this.intern([7, by, fd, REQUEST_INDEX.get(request)!, defines ? nFds : -1, -1], defines ? 2 : 0,
              (l) => (defines ? { by: name(l), op: 'ioctl', fd: l.fd(fd), request, as: l.fd(nFds) } : { by: name(l), op: 'ioctl', fd: l.fd(fd), request })));
          }
        }
      }
      if (al.exec) out.push(this.has(8, by, -1, -1, -1, -1) ? this.hit : this.intern([8, by, -1, -1, -1, -1], 0, (l) => ({ by: name(l), op: 'exec' })));
      for (const s of al.sethostname ?? []) {
        const [off, len] = this.strings.offset(s);
        out.push(this.has(11, by, off, len, -1, -1) ? this.hit : this.intern([11, by, off, len, -1, -1], 0, (l) => ({ by: name(l), op: 'sethostname', name: s })));
      }
      for (const s of al.setdomainname ?? []) {
        const [off, len] = this.strings.offset(s);
        out.push(this.has(12, by, off, len, -1, -1) ? this.hit : this.intern([12, by, off, len, -1, -1], 0, (l) => ({ by: name(l), op: 'setdomainname', name: s })));
      }
      if (al.gethostname) out.push(this.has(13, by, -1, -1, -1, -1) ? this.hit : this.intern([13, by, -1, -1, -1, -1], 0, (l) => ({ by: name(l), op: 'gethostname' })));
      if (al.getpid) out.push(this.has(15, by, -1, -1, -1, -1) ? this.hit : this.intern([15, by, -1, -1, -1, -1], 0, (l) => ({ by: name(l), op: 'getpid' })));
      if (al.getppid) out.push(this.has(16, by, -1, -1, -1, -1) ? this.hit : this.intern([16, by, -1, -1, -1, -1], 0, (l) => ({ by: name(l), op: 'getppid' })));
      for (const uid of al.setuid ?? []) out.push(this.has(17, by, uid | 0, -1, -1, -1) ? this.hit : this.intern([17, by, uid | 0, -1, -1, -1], 0, (l) => ({ by: name(l), op: 'setuid', uid })));
      for (const m of al.write_map ?? []) {
        const [off, len] = this.strings.offset(m.data);
        for (let t = 0; t < n; t++) {
          const target = v.labelIndex(t);
          out.push(this.has(18, by, target, MAP_FILE_INDEX.get(m.file)!, off, len) ? this.hit : this.intern([18, by, target, MAP_FILE_INDEX.get(m.file)!, off, len], 0,
            (l) => ({ by: name(l), op: 'write_map', target: l.proc(target), file: m.file, data: m.data })));
        }
      }
      if (al.mount_proc) out.push(this.has(21, by, -1, -1, -1, -1) ? this.hit : this.intern([21, by, -1, -1, -1, -1], 0, (l) => ({ by: name(l), op: 'mount_proc' })));
      for (const sig of al.set_pdeathsig ?? []) {
        out.push(this.has(22, by, sig === 0 ? 0 : SIGNALS[sig], -1, -1, -1) ? this.hit : this.intern([22, by, sig === 0 ? 0 : SIGNALS[sig], -1, -1, -1], 0, (l) => ({ by: name(l), op: 'set_pdeathsig', signal: sig })));
      }
      for (const sig of al.kill ?? []) {
        for (let t = 0; t < n; t++) {
          const target = v.labelIndex(t);
          out.push(this.has(23, by, target, sig === 0 ? 0 : SIGNALS[sig], -1, -1) ? this.hit : this.intern([23, by, target, sig === 0 ? 0 : SIGNALS[sig], -1, -1], 0,
            (l) => ({ by: name(l), op: 'kill', target: l.proc(target), signal: sig })));
        }
      }
      if (al.wait) out.push(this.has(10, by, -1, -1, -1, -1) ? this.hit : this.intern([10, by, -1, -1, -1, -1], 0, (l) => ({ by: name(l), op: 'wait' })));
      if (al.exit) out.push(this.has(9, by, 0, -1, -1, -1) ? this.hit : this.intern([9, by, 0, -1, -1, -1], 0, (l) => ({ by: name(l), op: 'exit', code: 0 })));
    }
  }
}

export { STEP_WORDS };
