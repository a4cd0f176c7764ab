// The compact typed state view an invariant reads: the processes and namespaces of one state,
// as fixed-width i32 records filled inside the model (assembly/explore.ts exploreView) — or,
// for the kernel's states during replay, built here from a canonical snapshot in the same
// layout. No JSON is decoded per state; strings are decoded only when asked for.

import { NS_FILES, NS_TYPES, type NsFile, type NsType, type ProcState, type Snapshot } from '../trace/types.js';

export const VIEW_PROC_WORDS = 15;
export const VIEW_NS_WORDS = 7;
const STATES: ProcState[] = ['running', 'exiting', 'zombie'];
const FILE_INDEX: Record<NsFile, number> = Object.fromEntries(NS_FILES.map((f, i) => [f, i])) as Record<NsFile, number>;
const decoder = new TextDecoder();

/**
 * One state, as an invariant sees it. Processes are numbered 0..processCount-1 in label order
 * (reaped ones are gone); namespaces 0..namespaceCount-1, numbered within this state only —
 * compare namespaces of one state, never numbers across states. -1 means none/null.
 */
export class StateView {
  private words: Int32Array;
  private labelName: (index: number) => string;
  private nProcs = 0;
  private fdBase = 0;
  private nFds = 0;
  private nsBase = 0;
  private nNs = 0;

  constructor(words: Int32Array, labelName: (index: number) => string) {
    this.words = words;
    this.labelName = labelName;
    this.reset(words);
  }

  /** Point the view at another state's words (the explorer reuses one view). */
  reset(words: Int32Array): void {
    this.words = words;
    this.nProcs = words[0];
    this.fdBase = 1 + this.nProcs * VIEW_PROC_WORDS;
    this.nFds = words[this.fdBase];
    const nsCountAt = this.fdBase + 1 + this.nFds * 3;
    this.nNs = words[nsCountAt];
    this.nsBase = nsCountAt + 1;
  }

  get processCount(): number { return this.nProcs; }
  get namespaceCount(): number { return this.nNs; }

  private p(i: number): number { return 1 + i * VIEW_PROC_WORDS; }
  private n(i: number): number { return this.nsBase + i * VIEW_NS_WORDS; }

  /** The label index of process i (the trace's order of definition). */
  labelIndex(i: number): number { return this.words[this.p(i)]; }
  /** The label of process i. */
  label(i: number): string { return this.labelName(this.words[this.p(i)]); }
  /** The process with that label, or -1 (never made, or reaped). */
  index(label: string): number {
    // a few processes: a scan is cheaper than a map made per state
    for (let i = 0; i < this.nProcs; i++) if (this.labelName(this.words[1 + i * VIEW_PROC_WORDS]) === label) return i;
    return -1;
  }
  state(i: number): ProcState { return STATES[this.words[this.p(i) + 1]] ?? 'running'; }
  running(i: number): boolean { return this.words[this.p(i) + 1] === 0; }
  /** The real uid as the initial user namespace sees it. */
  uid(i: number): number { return this.words[this.p(i) + 2] >>> 0; }
  /** The depth of the process's PID namespace (0: the trace's initial one). */
  pidLevel(i: number): number { return this.words[this.p(i) + 3]; }
  /** The PID in its own PID namespace. */
  pid(i: number): number { return this.words[this.p(i) + 4]; }
  /** The namespace of a namespace file of process i, or -1 (null: a zombie's, a pending pid_for_children). */
  ns(i: number, file: NsFile): number { return this.words[this.p(i) + 5 + FILE_INDEX[file]]; }
  /** `ns` by label; -1 when the process is gone. */
  nsOf(label: string, file: NsFile): number {
    const i = this.index(label);
    return i < 0 ? -1 : this.ns(i, file);
  }

  /** Namespace descriptors held by running processes: [holder process label index, fd label index, namespace]. */
  get fdCount(): number { return this.nFds; }
  fd(k: number): [number, number, number] {
    const b = this.fdBase + 1 + k * 3;
    return [this.words[b], this.words[b + 1], this.words[b + 2]];
  }

  nsType(n: number): NsType { return NS_TYPES[this.words[this.n(n)]]; }
  /** The owning user namespace (a user namespace's parent), or -1. */
  owner(n: number): number { return this.words[this.n(n) + 1]; }
  /** A pid or user namespace's parent, or -1. */
  parent(n: number): number { return this.words[this.n(n) + 2]; }
  /** Nesting depth of a pid or user namespace (0: the trace's initial one). */
  level(n: number): number { return this.words[this.n(n) + 3]; }
  /** Is `n` the same as `ancestor` or below it (by parent links)? */
  isAncestor(ancestor: number, n: number): boolean {
    for (let x = n; x >= 0; x = this.parent(x)) if (x === ancestor) return true;
    return false;
  }
  hostname(n: number): string | null { return this.str(this.words[this.n(n) + 4]); }
  domainname(n: number): string | null { return this.str(this.words[this.n(n) + 5]); }
  /** A mount namespace's mounts as its snapshot lists them (setup.mounts), or -1 (not shown, or no process in it). */
  mountCount(n: number): number { return this.words[this.n(n) + 6]; }
  /** The mounts of the mount namespace process `label` is in, or -1. */
  mountCountOf(label: string): number {
    const m = this.nsOf(label, 'mnt');
    return m < 0 ? -1 : this.mountCount(m);
  }
  /** The hostname process `label` sees, or null (gone, or a zombie). */
  hostnameOf(label: string): string | null {
    const u = this.nsOf(label, 'uts');
    return u < 0 ? null : this.hostname(u);
  }

  private str(off: number): string | null {
    if (off < 0) return null;
    const len = this.words[off];
    const bytes = new Uint8Array(len);
    for (let i = 0; i < len; i++) bytes[i] = (this.words[off + 1 + (i >> 2)] >>> ((i & 3) * 8)) & 0xff;
    return decoder.decode(bytes);
  }
}

/**
 * The view's words of a canonical snapshot (the kernel's states during replay): the same
 * layout as the model's. `labelIndex` maps a process's label to its index; a snapshot has no
 * descriptor holders, so the view's descriptor list is empty.
 */
export function viewWordsOfSnapshot(s: Snapshot, labelIndex: (label: string) => number): Int32Array {
  const ids = new Map<string, number>(s.namespaces.map((n, i) => [n.id, i]));
  const id = (x: string | null): number => (x === null ? -1 : ids.get(x) ?? -1);
  const words: number[] = [s.processes.length];
  for (const p of s.processes) {
    words.push(labelIndex(p.name), STATES.indexOf(p.state), p.uid | 0, p.nspid.length - 1, p.nspid[p.nspid.length - 1] ?? 0);
    for (const f of NS_FILES) words.push(id(p.ns[f]));
  }
  words.push(0);
  words.push(s.namespaces.length);
  const nsBase = words.length;
  for (const n of s.namespaces) words.push(NS_TYPES.indexOf(n.type), id(n.owner), id(n.parent), n.level, -1, -1, n.mounts ? n.mounts.length : -1);
  // hostnames: a UTS namespace's names are those of any process in it
  const enc = new TextEncoder();
  const put = (str: string): number => {
    const at = words.length;
    const b = enc.encode(str);
    words.push(b.length);
    for (let i = 0; i < b.length; i += 4) words.push(b[i] | ((b[i + 1] ?? 0) << 8) | ((b[i + 2] ?? 0) << 16) | ((b[i + 3] ?? 0) << 24));
    return at;
  };
  const done = new Set<number>();
  for (const p of s.processes) {
    const u = id(p.ns.uts);
    if (u < 0 || done.has(u) || p.hostname === null) continue;
    done.add(u);
    words[nsBase + u * VIEW_NS_WORDS + 4] = put(p.hostname);
    words[nsBase + u * VIEW_NS_WORDS + 5] = put(p.domainname ?? '');
  }
  return Int32Array.from(words);
}
