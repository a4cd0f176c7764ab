// Validation of a trace (TRACE.md, "A trace that is itself wrong is not run"): zod checks
// the shape of each part; the label rules, which a schema cannot express, are written out
// below. The first problem found, in document order, becomes a TraceError whose message is
// one line naming where and what: `steps[3].flags[1]: unknown flag 'CLONE_NEWFOO'`.
//
// Static only: a label whose defining step fails at run time is still defined here, and
// everything that is well-formed but fails (a 65-byte hostname, unshare([CLONE_PARENT]),
// a list nstype on a namespace fd) reaches the backend and gets the kernel's answer.

import { z } from 'zod';
import { JsonSyntaxError, parseJson } from './json.js';
import { pathProblem } from './paths.js';
import {
  CAPS, CLONE_FLAGS, CLONE_NEW, CRED_OPS, DEFAULT_SETUP, FSTYPES, IOCTL_REQUESTS, MAP_FILES, MOUNT_OPS, MS_FLAGS,
  NS_FILES, OPS, PRCTL_OPTIONS, SECUREBITS, SIGNALS, UMOUNT_FLAGS,
  type LabelKind, type Op, type Step, type Trace,
} from './types.js';

/** A trace that is itself wrong. `message` is `${where}: ${reason}`, one line. */
export class TraceError extends Error {
  constructor(
    /** Where: `JSON`, `trace`, `nsmodel`, `setup.user`, `steps[3]`, `steps[3].flags[1]`, ... */
    readonly where: string,
    readonly reason: string,
  ) {
    super(`${where}: ${reason}`);
    this.name = 'TraceError';
  }
}

// ---- limits ----------------------------------------------------------------------------

/**
 * The hard limits of a trace (README, "Limits"): a trace over one is refused by validation,
 * before anything runs, with the limit's name. They bound the memory and the output of a run
 * and the host resources of a kernel sandbox. Where the kernel has a limit of its own the
 * trace stays valid and the step gets the kernel's answer: a 65-byte hostname is a runtime
 * EINVAL (__NEW_UTS_LEN is 64), a map write of 4096 bytes or more is EINVAL (one page;
 * test/rules/R69-map-parser writes 4105).
 */
export const LIMITS = {
  /** The JSON text of a trace, in bytes. */
  traceBytes: 32 * 1024 * 1024,
  /** Steps in a trace. */
  steps: 100_000,
  /** Processes a trace makes: its fork and clone steps (p0 not counted), and its thread steps (each a task). */
  processes: 5_000,
  /** Descriptors a trace defines: its open and pidfd_open steps, and ioctls that return one. */
  descriptors: 1_000,
  /**
   * A string of a step (sethostname's and setdomainname's name, write_map's data) or the
   * trace's name, in UTF-8 bytes: two pages, so that the kernel's own limits below it (a
   * 64-byte hostname, a map write under one page) stay runtime errors a trace can test.
   */
  stringBytes: 8_192,
  /** A label, in UTF-8 bytes. */
  labelBytes: 256,
  /**
   * Entries (processes and namespaces) in all the snapshots a run prints: each observe step's
   * and the final one, counted as if no process exited and no namespace was freed. About
   * 300 bytes of JSON each: the output of a run stays under ~75 MB.
   */
  snapshotEntries: 250_000,
} as const;

/** The names by which messages and the README call the limits. */
export const LIMIT_NAMES: Record<keyof typeof LIMITS, string> = {
  traceBytes: 'trace bytes',
  steps: 'steps per trace',
  processes: 'processes per trace',
  descriptors: 'descriptors per trace',
  stringBytes: 'string bytes',
  labelBytes: 'label bytes',
  snapshotEntries: 'snapshot entries',
};

/** `over the limit 'steps per trace' (100000): ...` */
export function overLimit(limit: keyof typeof LIMITS, detail: string): string {
  return `over the limit '${LIMIT_NAMES[limit]}' (${LIMITS[limit]}): ${detail}`;
}

/**
 * A trace from JSON text (a string is always taken as JSON text) or from an already
 * parsed value; defaults filled in. Throws TraceError.
 */
export function parseTrace(input: unknown): Trace {
  if (typeof input !== 'string') return validateTrace(input);
  if (input.length > LIMITS.traceBytes || Buffer.byteLength(input, 'utf8') > LIMITS.traceBytes) {
    throw new TraceError('trace', overLimit('traceBytes', `this one has ${Buffer.byteLength(input, 'utf8')} bytes`));
  }
  let value: unknown;
  try {
    value = parseJson(input.startsWith('\uFEFF') ? input.slice(1) : input);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new TraceError('JSON', e.message);
    throw e;
  }
  return validateTrace(value);
}

/** Validate a parsed trace and fill the defaults of `setup`. Throws TraceError. */
export function validateTrace(value: unknown): Trace {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TraceError('trace', 'must be a JSON object');
  }
  const steps0 = (value as { steps?: unknown }).steps;
  if (Array.isArray(steps0) && steps0.length > LIMITS.steps) {
    throw new TraceError('steps', overLimit('steps', `this trace has ${steps0.length} steps`));
  }
  const top = check(traceSchema, value, []);
  const rawSteps = top.steps;
  const labels = new LabelTable(rawSteps);
  const counts = new LimitCounter();
  const steps: Step[] = [];
  for (let i = 0; i < rawSteps.length; i++) {
    const step = checkStep(rawSteps[i], i);
    labels.check(step, i);
    counts.count(step, i);
    steps.push(step);
  }
  counts.final();
  const setup = { ...DEFAULT_SETUP, ...top.setup } as Trace['setup'];
  // credentials in snapshots: said explicitly, so that every backend sees it in the setup
  if (setup.creds === undefined && showsCreds(setup, steps)) setup.creds = true;
  // a root of its own, and mounts in snapshots: likewise said explicitly
  const mountOp = steps.findIndex((s) => (MOUNT_OPS as readonly string[]).includes(s.op));
  if (mountOp >= 0) {
    if (setup.mounts === false) {
      throw new TraceError(`steps[${mountOp}].op`, `'${steps[mountOp].op}' needs the trace's own root: setup.mounts must not be false`);
    }
    setup.mounts = true;
  }
  const trace: Trace = {
    nsmodel: 1,
    ...(top.name === undefined ? {} : { name: top.name }),
    setup,
    steps,
  };
  return trace;
}

// ---- messages --------------------------------------------------------------------------

const MISSING = '\u0000missing';

/** A value from the trace, quoted for a one-line message. */
export function quote(s: string): string {
  const shown = s.length > 40 ? `${s.slice(0, 40)}…` : s;
  return `'${JSON.stringify(shown).slice(1, -1).replace(/\\"/g, '"')}'`;
}

const CLONE_VM_MESSAGE = "CLONE_VM is not part of trace format v1 (a thread is made with the 'thread' op)";

function flagProblem(input: unknown): string | undefined {
  if (input === undefined) return undefined;
  if (typeof input !== 'string') return 'must be a flag name (a string)';
  if (input === 'CLONE_VM') return CLONE_VM_MESSAGE;
  return `unknown flag ${quote(input)}`;
}

function nsFlagProblem(input: unknown): string | null {
  if (typeof input !== 'string') return 'must be a CLONE_NEW* flag name (a string)';
  if (Object.hasOwn(CLONE_NEW, input)) return null;
  if (Object.hasOwn(CLONE_FLAGS, input)) return `${quote(input)} is not a namespace flag (CLONE_NEW*)`;
  return flagProblem(input)!;
}

const oneOf = (names: readonly string[]) => `one of ${names.join(', ')}`;

// ---- shapes ----------------------------------------------------------------------------

/** A schema's message for a present value of the wrong type or range (a missing one falls through). */
const when = (message: string) => ({
  error: (iss: { input?: unknown }) => (iss.input === undefined ? undefined : message),
});
const enumOf = (what: string, names: readonly [string, ...string[]]) => z.enum(names, {
  error: (iss) => iss.input === undefined ? undefined
    : typeof iss.input === 'string' ? `unknown ${what} ${quote(iss.input)} (${oneOf(names)})`
    : `must be a string (${oneOf(names)})`,
});
const integer = (max: number) => {
  const m = `must be an integer from 0 to ${max}`;
  return z.number(when(m)).int(m).min(0, m).max(max, m);
};

const signalNames = Object.keys(SIGNALS) as [string, ...string[]];
const signal = z.union([z.literal(0), z.enum(signalNames)], {
  error: (iss) => iss.input === undefined ? undefined
    : typeof iss.input === 'string' ? `unknown signal ${quote(iss.input)} (0 or ${signalNames.join(', ')})`
    : `must be 0 or a signal name (${signalNames.join(', ')})`,
});
/** A capability by name (the 41 of Linux 6.18). */
const capName = z.enum(CAPS as unknown as [string, ...string[]], {
  error: (iss) => iss.input === undefined ? undefined
    : typeof iss.input === 'string' ? `unknown capability ${quote(iss.input)} (Linux 6.18 has CAP_CHOWN ... CAP_CHECKPOINT_RESTORE, e.g. CAP_SYS_ADMIN)`
    : 'must be a capability name (a string such as CAP_SYS_ADMIN)',
});
const capList = z.array(capName, when('must be a list of capability names'));
/** A uid/gid of setresuid/setresgid: -1 leaves it; (uid_t)-1 itself is no id. */
const resId = (() => {
  const m = 'must be -1 (leave it) or an id from 0 to 4294967294';
  return z.number(when(m)).int(m).min(-1, m).max(4294967294, m);
})();
/** A supplementary group: an id from 0 to 4294967294. */
const groupId = integer(4294967294);
/** NGROUPS_MAX */
export const NGROUPS_MAX = 65536;
const securebit = enumOf('securebit', SECUREBITS as unknown as [string, ...string[]]);

/** The most bytes an exec's argv may take, with a NUL after each string (docs/TRACE-EXTENSIONS.md). */
export const ARGV_MAX_BYTES = 4096;
/** exec's argv: a non-empty list of strings, none with a NUL byte (execve cannot pass one). */
const argv = z.array(z.string(when('must be a string')).refine((s) => !s.includes('\u0000'), 'must not contain a NUL byte'),
  when('must be a list of strings')).min(1, 'must not be empty (argv[0] is the program name)')
  .refine((a) => a.reduce((n, s) => n + Buffer.byteLength(s, 'utf8') + 1, 0) <= ARGV_MAX_BYTES,
    `must take at most ${ARGV_MAX_BYTES} bytes (a NUL after each string)`);

/** At most LIMITS[limit] UTF-8 bytes (the message names the limit). */
const bytesAtMost = (limit: 'stringBytes' | 'labelBytes') => (s: string, ctx: z.RefinementCtx) => {
  if (s.length * 3 <= LIMITS[limit]) return; // surely within (UTF-16 unit -> at most 3 bytes)
  const n = Buffer.byteLength(s, 'utf8');
  if (n > LIMITS[limit]) ctx.addIssue({ code: 'custom', message: overLimit(limit, `this one has ${n} bytes`) });
};
const label = z.string(when('must be a label (a string)')).min(1, 'must be a label (a non-empty string)').superRefine(bytesAtMost('labelBytes'));
/** A string of a step: at most LIMITS.stringBytes (the kernel's own, shorter limits are runtime errors). */
const text = z.string(when('must be a string')).superRefine(bytesAtMost('stringBytes'));
const flagNames = Object.keys(CLONE_FLAGS) as [string, ...string[]];
const flags = z.array(z.enum(flagNames, { error: (iss) => flagProblem(iss.input) }), when('must be a list of flag names'));
const nstype = z.unknown().superRefine((v, ctx) => {
  const problem = (message: string, path: number[] = []) => ctx.addIssue({ code: 'custom', message, path });
  if (v === undefined) return problem(MISSING);
  if (v === 0) return;
  if (typeof v === 'string') {
    const p = nsFlagProblem(v);
    if (p) problem(p);
  } else if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const p = nsFlagProblem(v[i]);
      if (p) return problem(p, [i]);
    }
  } else {
    problem('must be 0, a CLONE_NEW* flag name or a list of them');
  }
});

const path = z.string(when('must be a path (a string)')).superRefine((p, ctx) => {
  const problem = pathProblem(p);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const msFlagNames = Object.keys(MS_FLAGS) as [string, ...string[]];
const msFlags = z.array(z.enum(msFlagNames, {
  error: (iss) => iss.input === undefined ? undefined
    : typeof iss.input === 'string' ? `unknown mount flag ${quote(iss.input)} (${oneOf(msFlagNames)})`
    : 'must be a mount flag name (a string)',
}), when('must be a list of mount flag names'));
const umountFlags = z.array(enumOf('umount flag', Object.keys(UMOUNT_FLAGS) as [string, ...string[]]), when('must be a list of umount flag names'));

/** The fields of each op besides `by` and `op` (TRACE.md's table). */
const opFields: Record<Op, z.ZodRawShape> = {
  fork: { as: label },
  clone: { flags, as: label },
  unshare: { flags },
  setns: { fd: label, nstype },
  open: { target: label, ns: enumOf('namespace file', NS_FILES), as: label },
  pidfd_open: { target: label, as: label },
  close: { fd: label },
  ioctl: { fd: label, request: enumOf('ioctl request', IOCTL_REQUESTS), as: label.optional() },
  exec: { argv: argv.optional() },
  exit: { code: integer(255).optional() },
  wait: {},
  sethostname: { name: text },
  setdomainname: { name: text },
  gethostname: {},
  getdomainname: {},
  getpid: {},
  getppid: {},
  setuid: { uid: integer(4294967295) },
  write_map: { target: label, file: enumOf('map file', MAP_FILES), data: text },
  thread: {},
  observe: {},
  mount_proc: {},
  set_pdeathsig: { signal },
  kill: { target: label, signal },
  setresuid: { ruid: resId.optional(), euid: resId.optional(), suid: resId.optional() },
  setresgid: { rgid: resId.optional(), egid: resId.optional(), sgid: resId.optional() },
  setgroups: { groups: z.array(groupId, when('must be a list of gids')).max(NGROUPS_MAX, `must hold at most ${NGROUPS_MAX} gids (NGROUPS_MAX)`) },
  capset: { effective: capList, permitted: capList, inheritable: capList },
  prctl: {
    option: enumOf('prctl option', PRCTL_OPTIONS as unknown as [string, ...string[]]),
    cap: capName.optional(),
    value: z.union([z.literal(0), z.literal(1)], when('must be 0 or 1')).optional(),
    bits: z.array(securebit, when('must be a list of securebit names')).optional(),
  },
  mkdir: { path },
  mount: { target: path, flags: msFlags, fstype: enumOf('filesystem type', FSTYPES).optional(), source: path.optional() },
  umount: { target: path, flags: umountFlags.optional() },
  pivot_root: { new_root: path, put_old: path },
  readdir: { path },
  chdir: { path },
  chroot: { path },
  getcwd: {},
};

const stepSchemas = new Map<string, z.ZodType>(
  OPS.map((op) => [op, z.strictObject({ by: label, op: z.literal(op), ...opFields[op] })]),
);

/** The initial hostname must be one the kernel can set: at most 64 bytes (__NEW_UTS_LEN). */
const setupHostname = text.refine((h) => Buffer.byteLength(h, 'utf8') <= 64, {
  message: 'must be at most 64 bytes (a hostname the kernel can set)',
});

const setupSchema = z.strictObject({
  user: z.enum(['root', 'unprivileged'], when("must be 'root' or 'unprivileged'")).optional(),
  hostname: setupHostname.optional(),
  caps: capList.optional(),
  creds: z.boolean(when('must be true or false')).optional(),
  mounts: z.boolean(when('must be true or false')).optional(),
}, when('must be an object'));

const traceSchema = z.strictObject({
  nsmodel: z.literal(1, when('must be 1')),
  name: text.optional(),
  setup: setupSchema.optional(),
  steps: z.array(z.unknown(), when('must be a list of steps')),
});

function checkStep(raw: unknown, i: number): Step {
  const at = `steps[${i}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new TraceError(at, 'must be an object');
  const op = (raw as { op?: unknown }).op;
  if (op === undefined) throw new TraceError(at, "missing field 'op'");
  if (typeof op !== 'string') throw new TraceError(`${at}.op`, 'must be an op name (a string)');
  const schema = stepSchemas.get(op);
  if (!schema) throw new TraceError(`${at}.op`, `unknown op ${quote(op)}`);
  const step = check(schema, raw, ['steps', i]) as Step;
  if (step.op === 'ioctl') {
    const returnsFd = step.request === 'NS_GET_USERNS' || step.request === 'NS_GET_PARENT';
    if (returnsFd && step.as === undefined) throw new TraceError(at, "missing field 'as'");
    if (!returnsFd && step.as !== undefined) {
      throw new TraceError(`${at}.as`, `${step.request} does not return a descriptor (only NS_GET_USERNS and NS_GET_PARENT take 'as')`);
    }
  }
  if (step.op === 'prctl') {
    const takes: Record<string, 'cap' | 'value' | 'bits' | null> = {
      PR_CAPBSET_DROP: 'cap', PR_CAP_AMBIENT_RAISE: 'cap', PR_CAP_AMBIENT_LOWER: 'cap', PR_CAP_AMBIENT_CLEAR_ALL: null,
      PR_SET_KEEPCAPS: 'value', PR_SET_SECUREBITS: 'bits', PR_SET_NO_NEW_PRIVS: null, PR_SET_DUMPABLE: 'value',
    };
    const want = takes[step.option];
    for (const f of ['cap', 'value', 'bits'] as const) {
      if (f === want && step[f] === undefined) throw new TraceError(at, `missing field '${f}' (${step.option} takes it)`);
      if (f !== want && step[f] !== undefined) throw new TraceError(`${at}.${f}`, `${step.option} takes no '${f}'`);
    }
  }
  return step;
}

/** Does the trace show credentials in its snapshots: setup.creds, else setup.caps or a credential op. */
export function showsCreds(setup: { caps?: unknown; creds?: boolean }, steps: readonly { op: string }[]): boolean {
  if (setup.creds !== undefined) return setup.creds;
  return setup.caps !== undefined || steps.some((s) => (CRED_OPS as readonly string[]).includes(s.op));
}

type Path = (string | number)[];

function formatPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const k of path) s += typeof k === 'number' ? `[${k}]` : s === '' ? String(k) : `.${String(k)}`;
  return s === '' ? 'trace' : s;
}

/** Parse with zod; the first problem (an unknown field before anything else) as a TraceError. */
function check<T>(schema: z.ZodType<T>, value: unknown, base: Path): T {
  const r = schema.safeParse(value, {
    error: (iss) => (iss.input === undefined ? MISSING : undefined),
  });
  if (r.success) return r.data;
  const issues = r.error.issues;
  const iss = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0];
  const path = [...base, ...iss.path];
  if (iss.code === 'unrecognized_keys') throw new TraceError(formatPath(path), `unknown field ${quote(iss.keys[0])}`);
  if (iss.message === MISSING) {
    if (typeof path[path.length - 1] === 'number') throw new TraceError(formatPath(path), 'missing value');
    throw new TraceError(formatPath(path.slice(0, -1)), `missing field ${quote(String(path[path.length - 1]))}`);
  }
  throw new TraceError(formatPath(path), iss.message);
}

// ---- counted limits --------------------------------------------------------------------

/** The limits counted over the steps: processes, descriptors, and the snapshots' entries. */
class LimitCounter {
  private processes = 0;
  private tasks = 0;
  private descriptors = 0;
  /** Namespaces that may exist (the 8 initial ones and one per CLONE_NEW* flag of a clone or unshare). */
  private namespaces = 8;
  /** Entries of the snapshots so far (observe steps). */
  private entries = 0;

  count(step: Step, i: number): void {
    switch (step.op) {
      case 'fork':
      case 'clone':
      case 'thread':
        if (step.op !== 'thread') this.processes++;
        if (++this.tasks > LIMITS.processes) {
          throw new TraceError(step.op === 'thread' ? `steps[${i}]` : `steps[${i}].as`, overLimit('processes', `this is process or thread number ${this.tasks} of the trace`));
        }
        break;
      case 'open':
      case 'pidfd_open':
      case 'ioctl':
        if (step.op === 'ioctl' && step.as === undefined) break;
        if (++this.descriptors > LIMITS.descriptors) {
          throw new TraceError(`steps[${i}].as`, overLimit('descriptors', `this is descriptor number ${this.descriptors} of the trace`));
        }
        break;
      case 'observe':
        this.entries += 1 + this.processes + this.namespaces;
        if (this.entries > LIMITS.snapshotEntries) throw new TraceError(`steps[${i}]`, this.snapshotMessage());
        break;
      default:
        break;
    }
    if (step.op === 'clone' || step.op === 'unshare') {
      for (const f of step.flags) if (Object.hasOwn(CLONE_NEW, f)) this.namespaces++;
    }
  }

  /** The final snapshot counts too. */
  final(): void {
    this.entries += 1 + this.processes + this.namespaces;
    if (this.entries > LIMITS.snapshotEntries) throw new TraceError('steps', this.snapshotMessage());
  }

  private snapshotMessage(): string {
    return overLimit('snapshotEntries', `the snapshots of the observe steps and the final one could hold ${this.entries} processes and namespaces (counted as if none ended); observe less often, or with fewer processes`);
  }
}

// ---- labels ----------------------------------------------------------------------------

const KIND_NAME: Record<LabelKind, string> = { process: 'a process', fd: 'a descriptor' };

/** The label rules: defined once, before use, and used as the kind it was defined as. */
class LabelTable {
  private readonly defined = new Map<string, { kind: LabelKind; at: number }>([['p0', { kind: 'process', at: -1 }]]);
  /** Where each label is first defined anywhere in the trace, for "used before it is defined". */
  private readonly firstDefinition = new Map<string, number>();

  constructor(rawSteps: readonly unknown[]) {
    rawSteps.forEach((s, i) => {
      const as = typeof s === 'object' && s !== null ? (s as { as?: unknown }).as : undefined;
      if (typeof as === 'string' && !this.firstDefinition.has(as)) this.firstDefinition.set(as, i);
    });
  }

  check(step: Step, i: number): void {
    this.use(step.by, 'process', i, 'by');
    switch (step.op) {
      case 'fork':
      case 'clone':
        return this.define(step.as, 'process', i);
      case 'setns':
      case 'close':
        return this.use(step.fd, 'fd', i, 'fd');
      case 'open':
      case 'pidfd_open':
        this.use(step.target, 'process', i, 'target');
        return this.define(step.as, 'fd', i);
      case 'ioctl':
        this.use(step.fd, 'fd', i, 'fd');
        if (step.as !== undefined) this.define(step.as, 'fd', i);
        return;
      case 'write_map':
      case 'kill':
        return this.use(step.target, 'process', i, 'target');
      default:
        return;
    }
  }

  private use(label: string, kind: LabelKind, i: number, field: string): void {
    const at = `steps[${i}].${field}`;
    const def = this.defined.get(label);
    if (!def) {
      const later = this.firstDefinition.get(label);
      if (later !== undefined && later >= i) {
        throw new TraceError(at, `label ${quote(label)} is used before it is defined (at steps[${later}])`);
      }
      throw new TraceError(at, `unknown label ${quote(label)}`);
    }
    if (def.kind !== kind) throw new TraceError(at, `${quote(label)} is ${KIND_NAME[def.kind]}, not ${KIND_NAME[kind]}`);
  }

  private define(label: string, kind: LabelKind, i: number): void {
    const first = this.defined.get(label);
    if (first) {
      const where = first.at < 0 ? 'p0 is the first process, defined by the trace itself' : `first at steps[${first.at}]`;
      throw new TraceError(`steps[${i}].as`, `label ${quote(label)} is defined twice (${where})`);
    }
    this.defined.set(label, { kind, at: i });
  }
}
