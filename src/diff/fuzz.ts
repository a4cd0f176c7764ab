// The fuzz runner: random traces (src/gen's arbTrace) on the model and on the kernel; a
// divergence is shrunk by fast-check to a minimal trace and written out as a trace file.
//
// How a run goes:
//   - search: `jobs` fast-check runs side by side (a kernel backend each; on 2 cores two
//     sandboxes in flight nearly double the throughput), worker w of round r with seed
//     seed + r*jobs + w. Each stops at its first failing trace without shrinking
//     (endOnFailure) and the others stop with it. The budget is shared: --runs counts traces,
//     --seconds stops starting new ones (fast-check's interruptAfterTimeLimit).
//   - shrink: the failing trace is replayed from its seed and fast-check path and shrunk
//     (bounded by shrinkSeconds), then steps are removed one at a time while the trace stays
//     valid and still fails (fast-check keeps an array's tail when it shortens it, so a step
//     after the failing one could survive). If the replay agrees, the kernel did not do the same thing
//     twice: the unshrunk trace is reported, marked not reproduced.
//   - then, while the budget lasts and fewer than maxDivergences were found, a new round.
//     A shrunk trace seen before (same hash) is not reported twice.
//
// A failing trace is a divergence, or a trace on which a backend threw (a crash of the kernel
// agent, say): both are reported, the second with its error.

import { closeSync, constants, lstatSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import fc from 'fast-check';
import { arbTrace } from '../gen/index.js';
import { BackendUnavailable, type Backend } from '../trace/backend.js';
import type { NsType, Setup, Trace } from '../trace/types.js';
import { validateTrace } from '../trace/validate.js';
import { modelOracle } from '../model/oracle.js';
import { ModelBackend } from '../model/backend.js';
import { KernelBackend } from '../kernel/backend.js';
import { diffTrace, release, type DiffResult, type Divergence } from './diff.js';
import { fileTimestamp, formatTrace, traceHash } from './files.js';

export interface FuzzOptions {
  /** Traces to run at most (searching; shrinking not counted). Default: 100 when `seconds` is not given either. */
  runs?: number;
  /** Stop starting new traces after this many seconds. */
  seconds?: number;
  /** The seed of the run (default: random); printed so that a run replays (with the same `jobs`). */
  seed?: number;
  /** Only these namespace types (arbTrace's `types`). */
  types?: readonly NsType[];
  /** Steps per trace at most (default 10), and at least (default 1). */
  maxSteps?: number;
  minSteps?: number;
  /** Fix the setup's user (default: both). */
  user?: Setup['user'];
  /** Also the ops of the trace-format extensions (default true); false keeps to trace format v1. */
  extensions?: boolean;
  /** Also traces with setup.mounts and mount ops (default: as `extensions`); `'only'`: nothing else. */
  mounts?: boolean | 'only';
  /** Kernel backends working side by side (default: the number of CPUs, at most 4). */
  jobs?: number;
  /** Stop after this many distinct divergences (default 1). */
  maxDivergences?: number;
  /** Time for shrinking each divergence, in seconds (default 60). */
  shrinkSeconds?: number;
  /** Write each shrunk divergence to this directory as <timestamp>-<hash>.json (default: not written). */
  out?: string;
  /** Backends: a kernel backend per job (default KernelBackend), a model per trace (default ModelBackend). */
  kernel?: () => Backend;
  model?: () => Backend;
  /** Called after every trace searched, and once a divergence is found. */
  onProgress?(p: FuzzProgress): void;
  /**
   * Stop early when this is aborted (SIGINT): start no new trace, cut shrinking short, and
   * return the report of what ran (stoppedBy 'interrupted').
   */
  signal?: AbortSignal;
}

export interface FuzzProgress {
  traces: number;
  divergences: number;
  seconds: number;
  tracesPerSecond: number;
  phase: 'search' | 'shrink';
}

export interface FoundDivergence {
  /** The shrunk trace (the original one when the replay did not fail). */
  trace: Trace;
  /** The trace as first generated. */
  original: Trace;
  /** The divergence of the shrunk trace (of the original when not reproduced); absent for an error. */
  divergence?: Divergence;
  /** The two outputs of that trace (absent for an error). */
  model?: DiffResult['model'];
  kernel?: DiffResult['kernel'];
  /** A backend threw instead of answering (the message). */
  error?: string;
  /** Whether replaying the failing trace failed again (false: the kernel did not do the same thing twice). */
  reproduced: boolean;
  /** fast-check's seed and path of the failing trace, and how many shrinking steps succeeded. */
  seed: number;
  path: string;
  shrinks: number;
  /** The file it was written to (with `out`). */
  file?: string;
}

export interface FuzzReport {
  /** Traces run while searching. */
  traces: number;
  divergences: FoundDivergence[];
  /** Traces run while shrinking. */
  shrinkTraces: number;
  /** Seconds searching (shrinking not counted) and traces per second of search. */
  seconds: number;
  tracesPerSecond: number;
  seed: number;
  jobs: number;
  /** Why it stopped. */
  stoppedBy: 'runs' | 'time' | 'divergences' | 'interrupted';
}

class Abort extends Error {}

/** A random seed fast-check accepts and a command line can give back (`--seed N`, N ≥ 0). */
export function randomSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}

/**
 * Default number of kernel backends side by side: twice the CPUs, at most 4. A trace's time
 * is mostly the kernel's (sandbox creation and teardown, the agents' system calls) and the
 * harness waiting on pipes, so two sandboxes per CPU keep the CPUs busy (measured on 2 CPUs:
 * 1 job ~250 traces/s, 2 ~490, 4 ~550).
 */
export function defaultJobs(): number {
  return Math.min(4, 2 * Math.max(1, availableParallelism()));
}

type Outcome = { ok: true } | { ok: false; diff?: DiffResult; error?: Error };

export async function fuzz(options: FuzzOptions = {}): Promise<FuzzReport> {
  const seed = options.seed ?? randomSeed();
  const jobs = Math.max(1, options.jobs ?? defaultJobs());
  const maxDivergences = Math.max(1, options.maxDivergences ?? 1);
  const limitRuns = options.runs ?? (options.seconds === undefined ? 100 : Infinity);
  const deadline = options.seconds === undefined ? Infinity : Date.now() + options.seconds * 1000;
  // the model as oracle: generated steps are made by processes that can act
  const arb = arbTrace({
    maxSteps: options.maxSteps ?? 10, minSteps: options.minSteps, types: options.types, user: options.user,
    extensions: options.extensions ?? true, mounts: options.mounts ?? options.extensions ?? true, oracle: modelOracle,
  });
  const makeModel = options.model ?? (() => new ModelBackend());
  const makeKernel = options.kernel ?? (() => new KernelBackend());
  const kernels: Backend[] = [];
  const kernelOf = (w: number) => (kernels[w] ??= makeKernel());

  const found: FoundDivergence[] = [];
  const hashes = new Set<string>();
  let traces = 0;
  let shrinkTraces = 0;
  let searchMs = 0;
  let stoppedBy: FuzzReport['stoppedBy'] = 'runs';
  const progress = (phase: FuzzProgress['phase'], since: number) => {
    if (!options.onProgress) return;
    const ms = searchMs + (phase === 'search' ? Date.now() - since : 0);
    options.onProgress({ traces, divergences: found.length, seconds: ms / 1000, tracesPerSecond: ms > 0 ? (traces * 1000) / ms : 0, phase });
  };

  const attempt = async (trace: Trace, kernel: Backend): Promise<Outcome> => {
    try {
      const diff = await diffTrace(trace, makeModel(), kernel);
      return diff.agree ? { ok: true } : { ok: false, diff };
    } catch (e) {
      if (e instanceof BackendUnavailable || (e as Error)?.name === 'BackendUnavailable') throw e;
      return { ok: false, error: e instanceof Error ? e : new Error(String(e)) };
    }
  };

  try {
    for (let round = 0; ; round++) {
      if (options.signal?.aborted) { stoppedBy = 'interrupted'; break; }
      if (found.length >= maxDivergences) { stoppedBy = 'divergences'; break; }
      if (traces >= limitRuns) { stoppedBy = 'runs'; break; }
      if (Date.now() >= deadline) { stoppedBy = 'time'; break; }

      // ---- search: `jobs` fast-check runs side by side, all stopping at the first failure
      let stop = false;
      let unavailable: unknown;
      const roundStart = Date.now();
      const remaining = limitRuns - traces;
      const failures: { seed: number; path: string; trace: Trace; outcome: Outcome }[] = [];
      const workers = Array.from({ length: jobs }, async (_, w) => {
        const wseed = (seed + round * jobs + w) % 0x7fffffff;
        const share = remaining === Infinity ? Number.MAX_SAFE_INTEGER : Math.floor(remaining / jobs) + (w < remaining % jobs ? 1 : 0);
        if (share <= 0) return;
        let last: { trace: Trace; outcome: Outcome } | undefined;
        const result = await fc.check(fc.asyncProperty(arb, async (trace) => {
          if (stop) throw new Abort('stopped');
          // let timers and signal handlers run now and then, even when the backends answer
          // without I/O (a model standing in for the kernel): an interrupt must be seen
          if (traces % 32 === 31) await new Promise<void>((resolve) => setImmediate(resolve));
          if (options.signal?.aborted) throw new Abort('interrupted');
          if (traces >= limitRuns) throw new Abort('runs');
          traces++;
          let outcome: Outcome;
          try {
            outcome = await attempt(trace, kernelOf(w));
          } catch (e) {
            unavailable = e;
            stop = true;
            throw new Abort('unavailable');
          }
          progress('search', roundStart);
          if (outcome.ok) return true;
          // a terminal's Ctrl-C reaches the kernel agents too (one process group): a backend
          // that failed once the run was interrupted is the interruption, not a divergence
          if (outcome.error && options.signal?.aborted) throw new Abort('interrupted');
          stop = true;
          last = { trace, outcome };
          return false;
        }), {
          seed: wseed, numRuns: share, endOnFailure: true,
          ...(deadline === Infinity ? {} : { interruptAfterTimeLimit: Math.max(1, deadline - Date.now()) }),
        });
        if (result.failed && !(result.errorInstance instanceof Abort) && last && result.counterexamplePath) {
          failures.push({ seed: wseed, path: result.counterexamplePath, ...last });
        }
      });
      await Promise.all(workers);
      searchMs += Date.now() - roundStart;
      if (unavailable) throw unavailable;
      if (failures.length === 0) {
        stoppedBy = options.signal?.aborted ? 'interrupted' : Date.now() >= deadline ? 'time' : 'runs';
        break;
      }

      // ---- shrink each failure found in this round
      for (const f of failures) {
        if (found.length >= maxDivergences) break;
        progress('shrink', 0);
        const d = await shrink(f, arb, attempt, kernelOf(0), options.shrinkSeconds ?? 60, () => { shrinkTraces++; }, options.signal);
        const hash = traceHash(d.trace);
        if (hashes.has(hash)) continue;
        hashes.add(hash);
        if (options.out) d.file = writeDivergence(options.out, d, hash);
        found.push(d);
        progress('shrink', 0);
      }
    }
  } finally {
    await Promise.all(kernels.map(release));
  }
  return {
    traces, divergences: found, shrinkTraces, seconds: searchMs / 1000,
    tracesPerSecond: searchMs > 0 ? (traces * 1000) / searchMs : 0, seed, jobs, stoppedBy,
  };
}

/** Replay a failure from its seed and path and let fast-check shrink it. */
async function shrink(
  f: { seed: number; path: string; trace: Trace; outcome: Outcome },
  arb: fc.Arbitrary<Trace>,
  attempt: (trace: Trace, kernel: Backend) => Promise<Outcome>,
  kernel: Backend,
  seconds: number,
  counted: () => void,
  signal?: AbortSignal,
): Promise<FoundDivergence> {
  let last: { trace: Trace; outcome: Outcome } | undefined;
  const result = await fc.check(fc.asyncProperty(arb, async (trace) => {
    // interrupted: every candidate left "passes", so fast-check keeps the smallest failing one so far
    if (signal?.aborted) return true;
    counted();
    const outcome = await attempt(trace, kernel);
    if (outcome.ok) return true;
    last = { trace, outcome };
    return false;
  }), { seed: f.seed, path: f.path, endOnFailure: false, interruptAfterTimeLimit: Math.max(1, seconds * 1000) });
  const reproduced = result.failed && last !== undefined;
  let { trace, outcome } = reproduced && last ? last : f;
  let shrinks = reproduced ? result.numShrinks : 0;
  if (reproduced) {
    // fast-check's array shrinking keeps an array's tail when it shortens it, so a step
    // after the failing one can survive ([fail, x] -> [x] passes). Remove steps one at a
    // time, as long as the trace stays valid and still fails.
    const deadline = Date.now() + seconds * 1000;
    for (let j = trace.steps.length - 1; j >= 0 && trace.steps.length > 1 && Date.now() < deadline && !signal?.aborted; j--) {
      const candidate: Trace = { ...trace, steps: trace.steps.filter((_, i) => i !== j) };
      try {
        validateTrace(candidate);
      } catch {
        continue;
      }
      counted();
      const o = await attempt(candidate, kernel);
      if (!o.ok) {
        trace = candidate;
        outcome = o;
        shrinks++;
        j = trace.steps.length; // start again from the end
      }
    }
  }
  const base = { original: f.trace, reproduced, seed: f.seed, path: result.counterexamplePath ?? f.path, shrinks };
  if (outcome.ok) return { ...base, trace, error: 'internal: a passing trace was recorded as failing' };
  if (outcome.error) return { ...base, trace: named(trace, `fuzz (seed ${f.seed}): a backend failed: ${outcome.error.message.split('\n')[0]}`), error: outcome.error.message };
  const diff = outcome.diff!;
  return {
    ...base, trace: named(trace, `fuzz (seed ${f.seed}): ${summary(diff.divergence!)}`),
    divergence: diff.divergence, model: diff.model, kernel: diff.kernel,
  };
}

function named(trace: Trace, name: string): Trace {
  return { nsmodel: 1, name, setup: trace.setup, steps: trace.steps };
}

/** A divergence in a few words, for a trace's name: `step 3 clone: model dead, kernel EINVAL`. */
export function summary(d: Divergence, sides: readonly [string, string] = ['model', 'kernel']): string {
  const brief = (r: unknown): string => {
    const o = r as Record<string, unknown> | undefined;
    if (!o) return '(none)';
    if ('dead' in o) return 'dead';
    if ('err' in o) return String(o.err);
    if ('value' in o) return typeof o.value === 'object' && !Array.isArray(o.value) ? 'a snapshot' : `ok ${JSON.stringify(o.value)}`;
    return 'ok';
  };
  if (d.at === 'step' && d.results) {
    const same = brief(d.results.model) === brief(d.results.kernel);
    return `step ${d.step} ${d.stepDef?.op}: ${sides[0]} ${brief(d.results.model)}, ${sides[1]} ${brief(d.results.kernel)}${same && d.differences[0] ? ` (${d.differences[0].path})` : ''}`;
  }
  const first = d.differences[0];
  return `final snapshot${first ? `: ${first.path}` : ''}`;
}

/**
 * Why divergences cannot be written to `dir`, or undefined when they can: it must be a
 * directory (or not exist yet, to be made) and not a symbolic link, which could send the
 * files anywhere (issue 7: `./nsmodel-divergences` was followed when it was a link).
 */
export function outDirProblem(dir: string): string | undefined {
  let st;
  try {
    st = lstatSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return (e as Error).message.split('\n')[0];
  }
  if (st.isSymbolicLink()) return 'it is a symbolic link (give the directory itself)';
  if (!st.isDirectory()) return 'it is not a directory';
  return undefined;
}

/** Write a divergence's trace as a new file of `dir`: never through a symbolic link, never over a file. */
function writeDivergence(dir: string, d: FoundDivergence, hash: string): string {
  const problem = outDirProblem(dir);
  if (problem) throw new Error(`cannot write to '${dir}': ${problem}`);
  mkdirSync(dir, { recursive: true });
  const again = outDirProblem(dir);
  if (again) throw new Error(`cannot write to '${dir}': ${again}`);
  const file = join(dir, `${fileTimestamp()}-${hash}.json`);
  const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  try {
    writeSync(fd, formatTrace(d.trace));
  } finally {
    closeSync(fd);
  }
  return file;
}
