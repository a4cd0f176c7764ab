// The conformance suite: every trace file of the suite on this kernel, plus a bounded fuzz.
//
//   - a trace with a sibling `.expected.json` (the output recorded on Linux 6.18): the kernel
//     must give exactly that, and so must the model;
//   - a trace without one: the model and the kernel must agree (diffTrace);
//   - the fuzz: random traces for a while (fuzz()), no divergence.
//
// A trace that needs a namespace type this kernel lacks (or unprivileged user namespaces
// where they are not allowed) is skipped. Each failure carries what was expected (the model's
// answer, or the recorded one), what the kernel did, and the model's check (its rule).

import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, isAbsolute, join, relative } from 'node:path';
import type { Backend, Why } from '../trace/backend.js';
import { BackendUnavailable } from '../trace/backend.js';
import type { Result, RunOutput, Step, Trace } from '../trace/types.js';
import { parseTrace } from '../trace/validate.js';
import { packageRoot, packageVersion } from '../paths.js';
import { ModelBackend } from '../model/backend.js';
import { KernelBackend, kernelAvailable } from '../kernel/backend.js';
import { diffTrace, findDivergence, release, formatDivergence, type Difference, type Divergence } from './diff.js';
import { kernelFeatures, missingFeature, type KernelFeatures } from './features.js';
import { shortPath, traceFiles } from './files.js';
import { fuzz, randomSeed, summary, type FoundDivergence, type FuzzOptions } from './fuzz.js';

/** The trace directories of the default suite, relative to the package. */
export const SUITE_DIRS = ['sim/traces', 'test/golden', 'test/rules'];

export interface CheckOptions {
  /** Trace files or directories (default: SUITE_DIRS of the package). */
  paths?: string[];
  /** The fuzz's time budget in seconds (default 20); with `runs`, whichever ends first. 0 and no runs: no fuzz. */
  seconds?: number;
  runs?: number;
  seed?: number;
  /** Kernel sandboxes side by side, for the suite's traces (default suiteJobs()) and for the random ones (default defaultJobs()). */
  jobs?: number;
  maxSteps?: number;
  types?: FuzzOptions['types'];
  /** Where the fuzz writes a shrunk divergence (default: not written; the failure carries the trace). */
  out?: string;
  kernel?: () => Backend;
  model?: () => Backend;
  /**
   * The release the model answers as (`--kernel-version`, as the model backends given in
   * `model` were made): a trace's recording for that release (recordedOutputFile()) replaces
   * its `.expected.json` where there is one.
   */
  kernelVersion?: string;
  /** Called with the number of tests before the first runs, then with each test as it ends. */
  onPlan?(count: number, features: KernelFeatures): void;
  onTest?(test: CheckTest): void;
  onFuzzProgress?: FuzzOptions['onProgress'];
  /** Tests run after the trace files and before the fuzz (inside a target: the kernel probe). */
  extra?: { name: string; suite: string; run: () => Promise<Omit<CheckTest, 'id' | 'name' | 'suite' | 'file' | 'seconds'>> }[];
  /** Why the kernel backend cannot observe traces on this kernel: each trace and the fuzz are skipped with it. */
  blocked?: string;
}

export interface CheckFailure {
  /** divergence: model and kernel differ; kernel-vs-recorded / model-vs-recorded: a side differs from the `.expected.json`; error: a backend or the trace failed. */
  kind: 'divergence' | 'kernel-vs-recorded' | 'model-vs-recorded' | 'error';
  /** One line. */
  message: string;
  /** `step 3` or `final snapshot`. */
  where?: string;
  step?: number;
  stepDef?: Step;
  /** Which side `expected` and `actual` come from. */
  expectedFrom?: 'model' | 'recorded';
  actualFrom?: 'kernel' | 'model';
  /** The step's two results (for a step), or null for a final-snapshot difference (see differences). */
  expected?: Result | null;
  actual?: Result | null;
  /** The model's check that gave its answer there. */
  rule?: Why;
  differences?: { path: string; expected?: unknown; actual?: unknown }[];
  /** The failing trace (the fuzz's shrunk one), and the file it was written to. */
  trace?: Trace;
  file?: string;
  /** The failure for people, several lines. */
  detail: string;
}

export interface CheckTest {
  /** 1-based. */
  id: number;
  /** e.g. `test/golden/g1-uts-isolation`, `fuzz`. */
  name: string;
  /** The directory of the trace (`test/golden`), or `fuzz`. */
  suite: string;
  file?: string;
  status: 'pass' | 'fail' | 'skip';
  seconds: number;
  /** Why it was skipped. */
  reason?: string;
  /** One line about a passing test (the fuzz's count). */
  note?: string;
  failure?: CheckFailure;
  /** On a target (`check --target`): the profile's entry this failure is known by (not a failure then). */
  known?: { id: string; reason: string; source: string };
}

export interface CheckReport {
  nsmodel: string;
  features: KernelFeatures;
  tests: CheckTest[];
  /** On a target, `fail` counts the new failures only and `known` the known divergences. */
  totals: { pass: number; fail: number; skip: number; known?: number };
  /** The fuzz's seed and traces (when it ran). */
  fuzz?: { seed: number; traces: number; tracesPerSecond: number; jobs: number };
  seconds: number;
  /** The target the suite ran on (`check --target`; absent for the host). */
  target?: CheckTarget;
}

/** The target of a `check --target` report, and its failures against the target's profile. */
export interface CheckTarget {
  /** `runsc`, `kernel:/path/to/vmlinuz`. */
  name: string;
  /** The kernel release the target reports (`uname -r` inside it). */
  release: string;
  /** The profile of known divergences (a path), or null when the target has none. */
  profile: string | null;
  known: number;
  new: number;
  /** Entries that no longer diverge (failures with --strict). */
  stale: { id: string; test: string; reason: string; source: string; why: string }[];
  /** Entries whose tests did not run. */
  unchecked: number;
  strict: boolean;
}

interface Planned {
  name: string;
  suite: string;
  file?: string;
  /** A trace file's test runs on the kernel backend it is given (one of `jobs`); the fuzz makes its own. */
  run: (kernel: Backend) => Promise<Omit<CheckTest, 'id' | 'name' | 'suite' | 'file' | 'seconds'>>;
}

/**
 * Default kernel backends side by side for the suite's trace files: one per CPU, at most 4.
 * The fuzz's default is twice that (its traces are short; the harness waits on pipes), but the
 * suite's traces are longer and a cold process pays each extra supervisor's start: measured on
 * 2 CPUs (bench/check.bench.ts), 2 jobs ~400-420 traces/s, 4 jobs ~350.
 */
export function suiteJobs(): number {
  return Math.min(4, Math.max(1, availableParallelism()));
}

/** Run the conformance suite. Throws BackendUnavailable when the kernel backend cannot run here (and none was given). */
export async function check(options: CheckOptions = {}): Promise<CheckReport> {
  if (!options.kernel && !options.blocked) {
    const available = kernelAvailable();
    if (!available.ok) throw new BackendUnavailable(available.reason);
  }
  const t0 = Date.now();
  const root = packageRoot();
  const features = kernelFeatures();
  const makeModel = options.model ?? (() => new ModelBackend());
  const makeKernel = options.kernel ?? (() => new KernelBackend());
  const jobs = Math.max(1, options.jobs ?? suiteJobs());
  const base = options.paths ? process.cwd() : root;
  const paths = options.paths ?? SUITE_DIRS.map((d) => join(root, d));
  const planned: Planned[] = [];
  for (const p of paths) {
    for (const file of traceFiles(p)) {
      const rel = shortPath(file, base);
      const blocked = options.blocked;
      planned.push({
        name: rel.replace(/\.json$/, ''), suite: dirname(rel), file,
        run: blocked ? async () => ({ status: 'skip', reason: blocked }) : (kernel) => checkFile(file, features, makeModel, kernel, recordedOutputFile(file, root, options.kernelVersion)),
      });
    }
  }
  for (const x of options.extra ?? []) planned.push({ name: x.name, suite: x.suite, run: x.run });
  const seconds = options.seconds ?? (options.runs === undefined ? 20 : undefined);
  const seed = options.seed ?? randomSeed();
  let fuzzInfo: CheckReport['fuzz'];
  if (((seconds ?? 0) > 0 || (options.runs ?? 0) > 0) && options.blocked) {
    const blocked = options.blocked;
    planned.push({ name: 'fuzz', suite: 'fuzz', run: async () => ({ status: 'skip', reason: blocked }) });
  } else if ((seconds ?? 0) > 0 || (options.runs ?? 0) > 0) {
    planned.push({
      name: `fuzz`, suite: 'fuzz',
      run: async () => {
        const report = await fuzz({
          seconds, runs: options.runs, seed, jobs: options.jobs, maxSteps: options.maxSteps, types: options.types,
          out: options.out, kernel: options.kernel, model: options.model, onProgress: options.onFuzzProgress,
        });
        fuzzInfo = { seed, traces: report.traces, tracesPerSecond: report.tracesPerSecond, jobs: report.jobs };
        const note = `${report.traces} random traces (seed ${seed}, ${report.tracesPerSecond.toFixed(0)} traces/s)`;
        const d = report.divergences[0];
        if (!d) return { status: 'pass', note };
        return { status: 'fail', note, failure: fuzzFailure(d) };
      },
    });
  }
  options.onPlan?.(planned.length, features);

  // The trace files on `jobs` kernel backends side by side (each its own sandbox per trace),
  // as the fuzz does; each test is reported in the plan's order as soon as it and all before
  // it have ended (KTAP is written as the tests run). Then the fuzz, which runs its own jobs.
  const tests: CheckTest[] = [];
  const done: (CheckTest | undefined)[] = new Array(planned.length);
  let reported = 0;
  const runOne = async (i: number, kernel: Backend) => {
    const p = planned[i];
    const start = Date.now();
    let outcome: Awaited<ReturnType<Planned['run']>>;
    try {
      outcome = await p.run(kernel);
    } catch (e) {
      if (e instanceof BackendUnavailable) throw e;
      const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
      outcome = { status: 'fail', failure: { kind: 'error', message, detail: message } };
    }
    done[i] = { id: i + 1, name: p.name, suite: p.suite, ...(p.file ? { file: p.file } : {}), ...outcome, seconds: (Date.now() - start) / 1000 };
    while (reported < planned.length && done[reported]) {
      const t = done[reported++]!;
      tests.push(t);
      options.onTest?.(t);
    }
  };
  const files = planned.filter((p) => p.file !== undefined).length;
  const kernels: Backend[] = [];
  if (options.blocked) {
    // no kernel backend: the trace files are skipped one after the other
    for (let i = 0; i < files; i++) await runOne(i, undefined as unknown as Backend);
  } else try {
    let next = 0;
    let failed: unknown;
    await Promise.all(Array.from({ length: Math.min(jobs, files) }, async (_, w) => {
      const kernel = (kernels[w] = makeKernel());
      while (failed === undefined) {
        const i = next++;
        if (i >= files) return;
        try {
          await runOne(i, kernel);
        } catch (e) {
          failed ??= e;
        }
      }
    }));
    if (failed !== undefined) throw failed;
  } finally {
    await Promise.all(kernels.map(release));
  }
  for (let i = files; i < planned.length; i++) await runOne(i, undefined as unknown as Backend);
  const count = (s: CheckTest['status']) => tests.filter((t) => t.status === s).length;
  return {
    nsmodel: packageVersion(), features, tests,
    totals: { pass: count('pass'), fail: count('fail'), skip: count('skip') },
    ...(fuzzInfo ? { fuzz: fuzzInfo } : {}),
    seconds: (Date.now() - t0) / 1000,
  };
}

/**
 * The recorded output a trace is held to: for `--kernel-version X.Y` (other than the newest),
 * its recording on that kernel, test/rules-X.Y/<its path in the package>.expected.json, if
 * there is one (Linux changed what it gives); else its sibling `.expected.json` (recorded on
 * 6.18), which the other releases give too.
 */
export function recordedOutputFile(file: string, root: string, kernelVersion?: string): string {
  const sibling = file.replace(/\.json$/, '.expected.json');
  if (kernelVersion === undefined) return sibling;
  const rel = relative(root, file);
  if (rel.startsWith('..') || isAbsolute(rel)) return sibling;
  const m = /^(\d+)\.(\d+)/.exec(kernelVersion);
  if (!m) return sibling;
  const versioned = join(root, 'test', `rules-${Number(m[1])}.${Number(m[2])}`, rel.replace(/\.json$/, '.expected.json'));
  return existsSync(versioned) ? versioned : sibling;
}

async function checkFile(file: string, features: KernelFeatures, makeModel: () => Backend, kernel: Backend, expectedFile: string) {
  let trace: Trace;
  try {
    trace = parseTrace(readFileSync(file, 'utf8'));
  } catch (e) {
    const message = `not a valid trace: ${(e as Error).message.split('\n')[0]}`;
    return { status: 'fail' as const, failure: { kind: 'error' as const, message, detail: message } };
  }
  const missing = missingFeature(trace, features);
  if (missing) return { status: 'skip' as const, reason: missing };
  const model = makeModel();
  const diff = await diffTrace(trace, model, kernel, { localize: true });
  if (!existsSync(expectedFile)) {
    if (diff.agree) return { status: 'pass' as const };
    return { status: 'fail' as const, failure: divergenceFailure(trace, diff.divergence!, 'divergence') };
  }
  const recorded = JSON.parse(readFileSync(expectedFile, 'utf8')) as RunOutput;
  if (!findDivergence(trace, recorded, diff.kernel) && !findDivergence(trace, recorded, diff.model)) return { status: 'pass' as const };
  // a failure: the model's checks, for its rule: one more run of the model (cheap)
  const whyModel = makeModel();
  await whyModel.start(trace.setup);
  await whyModel.run(trace.steps);
  try {
    const kernelVsRecorded = findDivergence(trace, recorded, diff.kernel, whyModel);
    const modelVsRecorded = findDivergence(trace, recorded, diff.model, whyModel);
    if (kernelVsRecorded) {
      const failure = divergenceFailure(trace, kernelVsRecorded, 'kernel-vs-recorded');
      if (modelVsRecorded) {
        const also = diff.agree ? 'the model gives what the kernel gives' : `the model differs from it too (at ${modelVsRecorded.at === 'step' ? `step ${modelVsRecorded.step}` : 'the final snapshot'}), and from the kernel`;
        failure.message += `; ${also}`;
        failure.detail += `\nAlso: ${also}.`;
      }
      return { status: 'fail' as const, failure };
    }
    if (modelVsRecorded) return { status: 'fail' as const, failure: divergenceFailure(trace, modelVsRecorded, 'model-vs-recorded') };
    return { status: 'pass' as const };
  } finally {
    await whyModel.close();
  }
}

const SIDES = {
  'divergence': ['model', 'kernel'],
  'kernel-vs-recorded': ['recorded', 'kernel'],
  'model-vs-recorded': ['recorded', 'model'],
} as const;

function divergenceFailure(trace: Trace, d: Divergence, kind: keyof typeof SIDES): CheckFailure {
  const [expectedFrom, actualFrom] = SIDES[kind];
  const where = d.at === 'step' ? `step ${d.step}` : 'final snapshot';
  const rule = d.why;
  const differences = d.differences.map((x: Difference) => ({ path: x.path, expected: x.model, actual: x.kernel }));
  const message = kind === 'divergence'
    ? `the model and the kernel differ at ${where}: ${summary(d)}`
    : `the ${actualFrom} differs from the recorded output at ${where}: ${summary(d, [expectedFrom, actualFrom])}`;
  const detail = formatDivergence(trace, d, [expectedFrom, actualFrom]);
  return {
    kind, message, where, ...(d.step !== undefined ? { step: d.step, stepDef: d.stepDef } : {}),
    expectedFrom, actualFrom,
    expected: d.results ? d.results.model : null, actual: d.results ? d.results.kernel : null,
    ...(rule ? { rule } : {}), differences, detail,
  };
}

function fuzzFailure(d: FoundDivergence): CheckFailure {
  const replay = d.file ? `\nReplay: nsmodel diff ${d.file}` : '';
  const trace = `\nThe trace${d.reproduced ? ` (shrunk ${d.shrinks} times)` : ' (not reproduced when replayed: the kernel may not do the same thing every time)'}:\n${JSON.stringify(d.trace)}`;
  if (!d.divergence) {
    const message = `a backend failed on a random trace: ${d.error?.split('\n')[0]}`;
    return { kind: 'error', message, trace: d.trace, ...(d.file ? { file: d.file } : {}), detail: `${message}${trace}${replay}` };
  }
  const f = divergenceFailure(d.trace, d.divergence, 'divergence');
  return { ...f, trace: d.trace, ...(d.file ? { file: d.file } : {}), detail: `${f.detail}${trace}${replay}` };
}
