// What an isolation property is (issue 10): a world (setup + prefix of steps), the actors, the
// alphabet of ops they may use with finite argument domains, and an invariant over each
// reached state (a StateView) and over each step's result. `defineProperty` checks a
// definition once, so that a bad property is one clear message (exit status 2) and never a
// crash in the middle of a search.

import { validateTrace, TraceError } from '../trace/validate.js';
import { processLabels } from '../trace/steps.js';
import {
  CLONE_FLAGS, CLONE_NEW, IOCTL_REQUESTS, MAP_FILES, NS_FILES, SIGNALS,
  type CloneFlag, type IoctlRequest, type MapFile, type NsFile, type NsFlag, type Result, type Setup,
  type SignalName, type Step, type Trace,
  type MountArgs, MOUNT_OPS,
} from '../trace/types.js';
import type { StateView } from './view.js';

/**
 * The ops the actors may use, each with a finite domain of arguments. Targets (`open`,
 * `kill`, `write_map`, `pidfd_open`) range over every process of the state that is not yet
 * reaped — the world's (host) processes and the actors' alike; descriptors (`setns`, `close`,
 * `ioctl`) over the descriptors the actor holds.
 */
export interface Alphabet {
  fork?: boolean;
  /** clone3 with each of these flag sets. */
  clone?: CloneFlag[][];
  /** unshare with each of these flag sets. */
  unshare?: CloneFlag[][];
  /** open /proc/<target>/ns/<file> for each of these files. */
  open?: NsFile[];
  /** setns on each held namespace descriptor with each of these nstypes. */
  setns?: (0 | NsFlag | NsFlag[])[];
  close?: boolean;
  ioctl?: IoctlRequest[];
  pidfd_open?: boolean;
  exec?: boolean;
  exit?: boolean;
  wait?: boolean;
  sethostname?: string[];
  setdomainname?: string[];
  gethostname?: boolean;
  getpid?: boolean;
  getppid?: boolean;
  setuid?: number[];
  write_map?: { file: MapFile; data: string }[];
  kill?: (SignalName | 0)[];
  mount_proc?: boolean;
  set_pdeathsig?: (SignalName | 0)[];
  /** The mount ops (docs/TRACE-EXTENSIONS.md, "Mounts"): each of these steps, without `by`. */
  mounts?: MountAlphabetStep[];
}

/** A mount op's step without its actor. */
export type MountAlphabetStep = MountArgs;

/** One step the search took, with its result, as `onStep` sees it. */
export interface StepOutcome {
  step: Step;
  result: Result;
}

/**
 * What an invariant returns: nothing, `true` or `null` when the state is fine; a sentence
 * saying what went wrong (or `false`) when it breaks the property.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: an invariant written as `(s) => { if (...) return '...'; }` returns void
export type Verdict = string | boolean | null | undefined | void;

export interface PropertyDefinition {
  /** A name: letters, digits and dashes (the file name of its counterexample). */
  name: string;
  /** One line: the question the property answers. */
  title: string;
  /** One paragraph printed with the verdict: the world, the invariant, and why the answer is what it is. */
  explanation: string;
  setup?: Partial<Setup>;
  /** The steps that build the starting situation (TRACE.md steps). */
  prefix: Step[];
  /** The labels of the processes that may act; every process they create acts too. */
  actors: string[];
  alphabet: Alphabet;
  /** At most this many processes made by the search (default 3) and descriptors opened (default 4). */
  limits?: { processes?: number; fds?: number };
  /** Over each reached state (the world's too). */
  invariant?: (state: StateView) => Verdict;
  /** Over each step the search takes, with the state after it. */
  onStep?: (outcome: StepOutcome, state: StateView) => Verdict;
  /** The default depth bound (steps after the prefix); default 6. */
  depth?: number;
  /** The answer recorded on Linux (tests hold the explorer to it). */
  expect?: { verdict: 'holds' | 'broken'; depth?: number };
}

/** A checked property. */
export interface Property extends Required<Pick<PropertyDefinition, 'name' | 'title' | 'explanation' | 'prefix' | 'actors' | 'alphabet'>> {
  setup: Setup;
  limits: { processes: number; fds: number };
  invariant?: PropertyDefinition['invariant'];
  onStep?: PropertyDefinition['onStep'];
  depth: number;
  expect?: PropertyDefinition['expect'];
  /** The prefix as a trace (validated). */
  world: Trace;
  readonly __property: true;
}

/** A property that cannot be searched: one line naming the field and why (exit status 2). */
export class PropertyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PropertyError';
  }
}

const ALPHABET_KEYS = new Set([
  'fork', 'clone', 'unshare', 'open', 'setns', 'close', 'ioctl', 'pidfd_open', 'exec', 'exit', 'wait',
  'sethostname', 'setdomainname', 'gethostname', 'getpid', 'getppid', 'setuid', 'write_map', 'kill',
  'mount_proc', 'set_pdeathsig', 'mounts',
]);

/** Check a property definition and give the property the explorer runs. Throws PropertyError. */
export function defineProperty(def: PropertyDefinition): Property {
  const d = def as Partial<PropertyDefinition> | null;
  const where = (field: string) => `property '${typeof d?.name === 'string' ? d.name : '?'}': ${field}`;
  if (!d || typeof d !== 'object') throw new PropertyError('a property is an object (defineProperty({...}))');
  if (typeof d.name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(d.name)) {
    throw new PropertyError(`${where('name')}: letters, digits, '.', '_' and '-', not ${JSON.stringify(d.name)}`);
  }
  for (const f of ['title', 'explanation'] as const) {
    if (typeof d[f] !== 'string' || d[f]!.trim() === '') throw new PropertyError(`${where(f)}: a non-empty string`);
  }
  if (!Array.isArray(d.prefix)) throw new PropertyError(`${where('prefix')}: a list of steps`);
  let world: Trace;
  try {
    world = validateTrace({ nsmodel: 1, name: d.name, setup: d.setup ?? {}, steps: d.prefix });
  } catch (e) {
    if (e instanceof TraceError) throw new PropertyError(`${where('prefix')}: ${e.message.replace(/^steps/, 'prefix')}`);
    throw e;
  }
  const procs = new Set(processLabels(world));
  if (!Array.isArray(d.actors) || d.actors.length === 0) throw new PropertyError(`${where('actors')}: a non-empty list of process labels`);
  d.actors.forEach((a, i) => {
    if (!procs.has(a)) throw new PropertyError(`${where(`actors[${i}]`)}: '${a}' is not a process of the world (p0 or a label the prefix makes)`);
  });
  const al = d.alphabet;
  if (!al || typeof al !== 'object') throw new PropertyError(`${where('alphabet')}: an object of ops`);
  for (const k of Object.keys(al)) if (!ALPHABET_KEYS.has(k)) throw new PropertyError(`${where(`alphabet.${k}`)}: not an op the explorer can use (${[...ALPHABET_KEYS].join(', ')})`);
  const flagSets = (k: 'clone' | 'unshare') => {
    const v = al[k];
    if (v === undefined) return;
    if (!Array.isArray(v)) throw new PropertyError(`${where(`alphabet.${k}`)}: a list of flag lists`);
    v.forEach((set, i) => {
      if (!Array.isArray(set)) throw new PropertyError(`${where(`alphabet.${k}[${i}]`)}: a list of flag names`);
      set.forEach((f, j) => {
        if (!Object.hasOwn(CLONE_FLAGS, f)) throw new PropertyError(`${where(`alphabet.${k}[${i}][${j}]`)}: unknown flag '${f}'`);
      });
    });
  };
  flagSets('clone');
  flagSets('unshare');
  const list = <T>(k: keyof Alphabet, ok: (x: unknown) => boolean, what: string) => {
    const v = al[k] as unknown;
    if (v === undefined) return;
    if (!Array.isArray(v)) throw new PropertyError(`${where(`alphabet.${k}`)}: a list of ${what}`);
    v.forEach((x, i) => { if (!ok(x)) throw new PropertyError(`${where(`alphabet.${k}[${i}]`)}: not ${what}: ${JSON.stringify(x)}`); });
    return v as T[];
  };
  list('open', (x) => (NS_FILES as readonly unknown[]).includes(x), 'a namespace file');
  list('setns', (x) => x === 0 || (typeof x === 'string' && Object.hasOwn(CLONE_NEW, x))
    || (Array.isArray(x) && x.length > 0 && x.every((f) => Object.hasOwn(CLONE_NEW, f))), 'an nstype (0, a CLONE_NEW* name or a list of them)');
  list('ioctl', (x) => (IOCTL_REQUESTS as readonly unknown[]).includes(x), 'an ioctl request');
  list('sethostname', (x) => typeof x === 'string', 'a string');
  list('setdomainname', (x) => typeof x === 'string', 'a string');
  list('setuid', (x) => Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 4294967295, 'a uid');
  list('write_map', (x) => !!x && typeof x === 'object' && (MAP_FILES as readonly unknown[]).includes((x as { file: unknown }).file)
    && typeof (x as { data: unknown }).data === 'string', 'a {file, data}');
  list('kill', (x) => x === 0 || (typeof x === 'string' && Object.hasOwn(SIGNALS, x)), 'a signal');
  list('set_pdeathsig', (x) => x === 0 || (typeof x === 'string' && Object.hasOwn(SIGNALS, x)), 'a signal');
  if (al.mounts !== undefined) {
    if (!Array.isArray(al.mounts)) throw new PropertyError(`${where('alphabet.mounts')}: a list of mount steps without 'by'`);
    al.mounts.forEach((m, i) => {
      const op = (m as { op?: unknown } | null)?.op;
      if (!(MOUNT_OPS as readonly unknown[]).includes(op)) throw new PropertyError(`${where(`alphabet.mounts[${i}]`)}: not a mount op (${MOUNT_OPS.join(', ')})`);
      try {
        validateTrace({ nsmodel: 1, setup: { mounts: true }, steps: [{ by: 'p0', ...m }] });
      } catch (e) {
        if (e instanceof TraceError) throw new PropertyError(`${where(`alphabet.mounts[${i}]`)}: ${e.message.replace(/^steps\[0\]\.?/, '')}`);
        throw e;
      }
    });
  }
  for (const k of ['fork', 'close', 'pidfd_open', 'exec', 'exit', 'wait', 'gethostname', 'getpid', 'getppid', 'mount_proc'] as const) {
    if (al[k] !== undefined && typeof al[k] !== 'boolean') throw new PropertyError(`${where(`alphabet.${k}`)}: true or false`);
  }
  if (d.invariant !== undefined && typeof d.invariant !== 'function') throw new PropertyError(`${where('invariant')}: a function (state) => verdict`);
  if (d.onStep !== undefined && typeof d.onStep !== 'function') throw new PropertyError(`${where('onStep')}: a function (outcome, state) => verdict`);
  if (!d.invariant && !d.onStep) throw new PropertyError(`${where('invariant')}: a property needs an invariant or an onStep check`);
  const limits = { processes: d.limits?.processes ?? 3, fds: d.limits?.fds ?? 4 };
  for (const [k, v] of Object.entries(limits)) {
    if (!Number.isInteger(v) || v < 0 || v > 64) throw new PropertyError(`${where(`limits.${k}`)}: an integer from 0 to 64`);
  }
  const depth = d.depth ?? 6;
  if (!Number.isInteger(depth) || depth < 0 || depth > 60) throw new PropertyError(`${where('depth')}: an integer from 0 to 60`);
  if (d.expect !== undefined && d.expect.verdict !== 'holds' && d.expect.verdict !== 'broken') {
    throw new PropertyError(`${where('expect.verdict')}: 'holds' or 'broken'`);
  }
  // an invariant that throws is a bad property (status 2, one line), not a crash of the search
  const guard = <A extends unknown[]>(what: string, f: ((...a: A) => Verdict) | undefined) => f && ((...a: A): Verdict => {
    try {
      return f(...a);
    } catch (e) {
      throw new PropertyError(`${where(what)}: threw: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    }
  });
  return {
    name: d.name, title: d.title!, explanation: d.explanation!, setup: world.setup, prefix: world.steps, actors: d.actors,
    alphabet: al, limits, invariant: guard('invariant', d.invariant), onStep: guard('onStep', d.onStep), depth, expect: d.expect, world,
    __property: true,
  };
}

/** Is `x` a property made by defineProperty? */
export function isProperty(x: unknown): x is Property {
  return !!x && typeof x === 'object' && (x as { __property?: unknown }).__property === true;
}

/** The verdict function's answer as a message, or undefined when the state is fine. */
export function violation(v: Verdict): string | undefined {
  if (v === undefined || v === null || v === true) return undefined;
  if (v === false) return 'the invariant is false';
  return String(v);
}
