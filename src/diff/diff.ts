// diffTrace: one trace on two backends (the model and the kernel, by default), and the first
// place where they part, explained: the step, both results, the part of both snapshots that
// differs (a small structural diff of the canonical JSON), and the model's check that gave
// the model's answer.
//
// The first observable difference is the first step whose results differ (an `observe`
// step's result is a snapshot, so a state difference shows there first); when every result
// agrees, the final snapshot. With `localize`, a final-snapshot-only divergence is pinned to
// the step after which the two worlds first differ, by running the trace again one step at a
// time with a snapshot after each.

import type { Backend, Why } from '../trace/backend.js';
import { sameOutput } from '../trace/format.js';
import { isSnapshotValue, type Result, type RunOutput, type Snapshot, type Step, type Trace } from '../trace/types.js';
import { ModelBackend } from '../model/backend.js';
import { KernelBackend } from '../kernel/backend.js';

/** One difference of the two sides' canonical JSON; `undefined` means the side has nothing there. */
export interface Difference {
  /** Where, e.g. `final.processes[c1].state`, `results[3].err`, `final.namespaces[user:1]`. */
  path: string;
  model?: unknown;
  kernel?: unknown;
}

export interface Divergence {
  /** `step`: the results of step `step` differ; `final`: every result agrees, the final snapshot does not. */
  at: 'step' | 'final';
  /** The index of the first step whose results differ (at === 'step'). */
  step?: number;
  /** That step, as the trace has it. */
  stepDef?: Step;
  /** Both results of that step (at === 'step'). */
  results?: { model: Result; kernel: Result };
  /** What differs: in that step's result (`results[i]...`), then in the final snapshot (`final...`). */
  differences: Difference[];
  /** The model's check that gave the model's answer at `step` (or, for a final divergence, at `state.step`). */
  why?: Why;
  /**
   * With `localize`: the first step after which the two worlds' snapshots differ, when the
   * step-by-step run found one; `null` when that run agreed throughout (a sign that the
   * kernel did not do the same thing twice).
   */
  state?: { step: number; stepDef: Step; differences: Difference[]; why?: Why } | null;
}

export interface DiffResult {
  agree: boolean;
  model: RunOutput;
  kernel: RunOutput;
  divergence?: Divergence;
}

export interface DiffOptions {
  /** For a divergence only in the final snapshot, find the step after which the states part (one more run of each side). */
  localize?: boolean;
}

/**
 * Run `trace` on `model` and on `kernel` and compare. By default a fresh ModelBackend, and
 * a KernelBackend made for this call and disposed after it: when diffing many traces, make
 * one KernelBackend and pass it (its supervisor process is reused across traces).
 */
export async function diffTrace(trace: Trace, model?: Backend, kernel?: Backend, options: DiffOptions = {}): Promise<DiffResult> {
  const m = model ?? new ModelBackend();
  let own: KernelBackend | undefined;
  const k = kernel ?? (own = new KernelBackend());
  try {
    // The model stays open until its check has been asked for (why() needs its instance).
    const mo = await runOpen(m, trace);
    try {
      const ko = await runTrace2(k, trace);
      const divergence = findDivergence(trace, mo, ko, m);
      if (!divergence) return { agree: true, model: mo, kernel: ko };
      if (options.localize && divergence.at === 'final') {
        divergence.state = await localize(trace, m, k);
        if (divergence.state) divergence.why = divergence.state.why;
      }
      return { agree: false, model: mo, kernel: ko, divergence };
    } finally {
      await m.close();
    }
  } finally {
    if (own) await release(own);
  }
}

/** Steps sent to each backend at a time by diffTraceStreaming (and `nsmodel run`), at most. */
export const DIFF_CHUNK = 4096;
/** Snapshot entries (processes and namespaces) in a chunk's observe results, about, at most. */
export const CHUNK_ENTRIES = 2_000;

/**
 * Where the next chunk of `steps` from `from` ends (exclusive): at most DIFF_CHUNK steps, and
 * only as many observe steps as keep their snapshots near CHUNK_ENTRIES entries in all (at
 * least one), each estimated as `snapshotSize` (the last snapshot's entries) plus the
 * processes and namespaces the chunk's steps may have made before it. So a chunk's results
 * stay small whatever the trace: a long trace's run holds one chunk's results at a time.
 */
export function chunkEnd(steps: readonly Step[], from: number, snapshotSize: number): number {
  const end = Math.min(steps.length, from + DIFF_CHUNK);
  let made = 0;
  let entries = 0;
  let observes = 0;
  for (let i = from; i < end; i++) {
    const step = steps[i];
    if (step.op === 'fork' || step.op === 'clone') made++;
    if (step.op === 'clone' || step.op === 'unshare') made += step.flags.length;
    if (step.op === 'observe') {
      entries += snapshotSize + made;
      if (observes++ > 0 && entries > CHUNK_ENTRIES) return i;
    }
  }
  return end;
}

/** The entries of the last snapshot among `results` (an observe's), or `previous` when there is none. */
export function lastSnapshotSize(results: readonly Result[], previous: number): number {
  for (let j = results.length - 1; j >= 0; j--) {
    const r = results[j] as { value?: unknown };
    const v = r.value as Snapshot | undefined;
    if (v && typeof v === 'object' && Array.isArray(v.processes) && Array.isArray(v.namespaces)) return v.processes.length + v.namespaces.length;
  }
  return previous;
}

/**
 * diffTrace without the two outputs: the steps go to both backends DIFF_CHUNK at a time and
 * each chunk's results are compared and dropped, so that memory follows the live world and
 * not the trace's length (`nsmodel diff` on a long trace). The same agreement and the same
 * divergence as diffTrace (the first differing step, with the final snapshot's differences;
 * or the final snapshot alone, localized on request). Both backends are closed after.
 */
export async function diffTraceStreaming(trace: Trace, model: Backend, kernel: Backend, options: DiffOptions = {}): Promise<{ agree: boolean; divergence?: Divergence }> {
  let first: Divergence | undefined;
  let finalDiffs: Difference[];
  await model.start(trace.setup);
  try {
    await kernel.start(trace.setup);
    try {
      const steps = trace.steps;
      let size = 9;
      for (let i = 0, end = 0; i < steps.length; i = end) {
        end = chunkEnd(steps, i, size);
        const chunk = steps.slice(i, end);
        const ra = await model.run(chunk);
        const rb = await kernel.run(chunk);
        size = lastSnapshotSize(ra, size);
        if (first) continue;
        for (let j = 0; j < Math.max(ra.length, rb.length); j++) {
          if (sameOutput(ra[j], rb[j])) continue;
          const k = i + j;
          first = {
            at: 'step', step: k, stepDef: steps[k], results: { model: ra[j], kernel: rb[j] },
            differences: diffValues(ra[j], rb[j], `results[${k}]`), why: model.why?.(k),
          };
          break;
        }
      }
      finalDiffs = diffValues(await model.snapshot(), await kernel.snapshot(), 'final');
    } finally {
      await kernel.close();
    }
    if (first) {
      first.differences.push(...finalDiffs);
      return { agree: false, divergence: first };
    }
    if (finalDiffs.length === 0) return { agree: true };
    const divergence: Divergence = { at: 'final', differences: finalDiffs };
    if (options.localize) {
      divergence.state = await localize(trace, model, kernel);
      if (divergence.state) divergence.why = divergence.state.why;
    }
    return { agree: false, divergence };
  } finally {
    await model.close();
  }
}

/** End a backend made for a run: a kernel backend's supervisor too (dispose), any other's close(). */
export async function release(backend: Backend): Promise<void> {
  await (backend.dispose ? backend.dispose() : backend.close());
}

/** The divergence of two outputs of `trace`, or undefined when they agree. `model` (still started) gives the checks. */
export function findDivergence(trace: Trace, mo: RunOutput, ko: RunOutput, model?: Backend): Divergence | undefined {
  const n = Math.max(mo.results.length, ko.results.length);
  const finalDiffs = diffValues(mo.final, ko.final, 'final');
  for (let i = 0; i < n; i++) {
    const a = mo.results[i];
    const b = ko.results[i];
    if (sameOutput(a, b)) continue;
    return {
      at: 'step', step: i, stepDef: trace.steps[i], results: { model: a, kernel: b },
      differences: [...diffValues(a, b, `results[${i}]`), ...finalDiffs],
      why: model?.why?.(i),
    };
  }
  if (finalDiffs.length === 0) return undefined;
  return { at: 'final', differences: finalDiffs };
}

/** Start, run every step, snapshot; the backend is left open. */
async function runOpen(backend: Backend, trace: Trace): Promise<RunOutput> {
  await backend.start(trace.setup);
  const results = await backend.run(trace.steps);
  const final = await backend.snapshot();
  return { results, final };
}

/** Start, run, snapshot, close. */
async function runTrace2(backend: Backend, trace: Trace): Promise<RunOutput> {
  try {
    return await runOpen(backend, trace);
  } finally {
    await backend.close();
  }
}

/** Run both sides one step at a time with a snapshot after each: the first step after which they differ. */
async function localize(trace: Trace, model: Backend, kernel: Backend): Promise<Divergence['state']> {
  // `model` is still open from the first run; start() makes a fresh world.
  await model.start(trace.setup);
  await kernel.start(trace.setup);
  try {
    for (let i = 0; i < trace.steps.length; i++) {
      const step = trace.steps[i];
      const [ra] = await model.run([step]);
      const [rb] = await kernel.run([step]);
      const sa = await model.snapshot();
      const sb = await kernel.snapshot();
      const differences = [...diffValues(ra, rb, `results[${i}]`), ...diffValues(sa, sb, `after[${i}]`)];
      if (differences.length > 0) return { step: i, stepDef: step, differences, why: model.why?.(i) };
    }
    return null;
  } finally {
    await kernel.close();
  }
}

// ---- structural diff ---------------------------------------------------------------------

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPrimitive = (v: unknown) => v === null || typeof v !== 'object';

/** A key of a keyed list in a path: plain when it is a simple word, JSON-quoted otherwise. */
function keyPath(path: string, key: string): string {
  return /^[\w:.-]+$/.test(key) ? `${path}[${key}]` : `${path}[${JSON.stringify(key)}]`;
}

/**
 * The differences of two canonical JSON values, as paths. Lists of processes are matched by
 * `name` and lists of namespaces by `id` (so that one extra process does not make every later
 * one differ); lists of plain values (an `nspid`) differ as a whole; other lists by index.
 */
export function diffValues(a: unknown, b: unknown, path: string, out: Difference[] = []): Difference[] {
  if (sameOutput(a, b)) return out;
  if (Array.isArray(a) && Array.isArray(b)) {
    const key = listKey(a, b);
    if (key) {
      const index = (list: unknown[]) => new Map(list.map((x) => [String((x as Record<string, unknown>)[key]), x]));
      const ia = index(a);
      const ib = index(b);
      const keys = [...ia.keys()];
      for (const k of ib.keys()) if (!ia.has(k)) keys.push(k);
      for (const k of keys) diffValues(ia.get(k), ib.get(k), keyPath(path, k), out);
      return out;
    }
    if (a.every(isPrimitive) && b.every(isPrimitive)) {
      out.push({ path, model: a, kernel: b });
      return out;
    }
    for (let i = 0; i < Math.max(a.length, b.length); i++) diffValues(a[i], b[i], `${path}[${i}]`, out);
    return out;
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a).filter((k) => a[k] !== undefined);
    for (const k of Object.keys(b)) if (b[k] !== undefined && !keys.includes(k)) keys.push(k);
    for (const k of keys) diffValues(a[k], b[k], `${path}.${k}`, out);
    return out;
  }
  out.push({ path, model: a, kernel: b });
  return out;
}

/** `name` for lists of processes, `id` for lists of namespaces: each item an object with a unique string there. */
function listKey(a: unknown[], b: unknown[]): 'name' | 'id' | undefined {
  for (const key of ['name', 'id'] as const) {
    const ok = (list: unknown[]) => {
      const seen = new Set<string>();
      for (const x of list) {
        if (!isObject(x) || typeof x[key] !== 'string' || seen.has(x[key] as string)) return false;
        seen.add(x[key] as string);
      }
      return true;
    };
    if ((a.length > 0 || b.length > 0) && ok(a) && ok(b)) return key;
  }
  return undefined;
}

// ---- printing ------------------------------------------------------------------------------

/** JSON on one line in the golden files' style (", ", ": "); a snapshot inside a result is shortened to SNAPSHOT. */
export function show(v: unknown, depth = 0): string {
  if (v === undefined) return '(absent)';
  if (Array.isArray(v)) return `[${v.map((x) => show(x, depth + 1)).join(', ')}]`;
  if (isObject(v)) {
    if (depth > 0 && Array.isArray(v.processes) && Array.isArray(v.namespaces)) return 'SNAPSHOT';
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}: ${show(x, depth + 1)}`).join(', ')}}`;
  }
  return JSON.stringify(v);
}

/** A step in one line, as the trace has it. */
export function showStep(step: Step | undefined): string {
  return step === undefined ? '(no such step)' : show(step);
}

/** The model's check in one line: `copy_process (R39): The child inherits ...`. */
export function showWhy(why: Why | undefined): string {
  if (!why) return '(the model names no check for this step)';
  return `${why.check}${why.rule ? ` (${why.rule})` : ''}${why.text ? `: ${why.text}` : ''}`;
}

/** The differences, one a line: `final.processes[c1].state: model "zombie", kernel "exiting"`. */
export function showDifferences(diffs: readonly Difference[], indent = '  ', limit = 24, sides: Sides = SIDES): string[] {
  const cut = (v: unknown) => {
    const text = show(v);
    return text.length > 160 ? `${text.slice(0, 150)} ...` : text;
  };
  const lines = diffs.slice(0, limit).map((d) => `${indent}${d.path}: ${sides[0]} ${cut(d.model)}, ${sides[1]} ${cut(d.kernel)}`);
  if (diffs.length > limit) lines.push(`${indent}... and ${diffs.length - limit} more`);
  return lines;
}

/** What the two sides of a divergence are called in print (default: the model and the kernel). */
export type Sides = readonly [string, string];
const SIDES: Sides = ['model', 'kernel'];

/** A divergence for people, several lines (no trailing newline). */
export function formatDivergence(trace: Trace, d: Divergence, sides: Sides = SIDES): string {
  const lines: string[] = [];
  const n = trace.steps.length;
  const [a, b] = sides;
  const called = (x: string) => (x === 'recorded' ? 'recorded output' : x);
  const width = Math.max(a.length, b.length) + 1;
  if (d.at === 'step' && d.step !== undefined && d.results) {
    lines.push(`The ${called(a)} and the ${called(b)} differ at step ${d.step} (of ${n}): ${showStep(d.stepDef)}`);
    lines.push(`  ${`${a}:`.padEnd(width)} ${show(d.results.model)}`);
    lines.push(`  ${`${b}:`.padEnd(width)} ${show(d.results.kernel)}`);
    lines.push(`  model's check: ${showWhy(d.why)}`);
    const inResult = d.differences.filter((x) => x.path.startsWith('results['));
    const inFinal = d.differences.filter((x) => x.path.startsWith('final'));
    if (inResult.length > 0 && 'value' in d.results.model && isSnapshotValue(d.results.model.value)) {
      lines.push('In the snapshot of that step:', ...showDifferences(inResult, '  ', 24, sides));
    }
    lines.push(inFinal.length > 0 ? 'In the final snapshot:' : 'The final snapshots agree.', ...showDifferences(inFinal, '  ', 24, sides));
  } else {
    lines.push(`The ${called(a)} and the ${called(b)} agree on the result of every step (${n}), and differ in the final snapshot:`);
    lines.push(...showDifferences(d.differences, '  ', 24, sides));
    if (d.state) {
      lines.push(`Run one step at a time, the two worlds first differ after step ${d.state.step}: ${showStep(d.state.stepDef)}`);
      lines.push(`  model's check: ${showWhy(d.state.why)}`);
      lines.push(...showDifferences(d.state.differences, '  ', 12, sides));
    } else if (d.state === null) {
      lines.push('Run again one step at a time, the two worlds agreed after every step: the kernel may not do the same thing every time (try --repeat).');
    }
  }
  return lines.join('\n');
}

// ---- stability of the kernel --------------------------------------------------------------

export interface Stability {
  /** Every run gave the same output. */
  stable: boolean;
  runs: RunOutput[];
  /** The first run that differs from the first, and how. */
  differing?: { run: number; differences: Difference[] };
}

/** Run `trace` `times` times on `kernel` (each run a fresh sandbox) and compare the outputs with the first. */
export async function repeatKernel(trace: Trace, kernel: Backend, times: number): Promise<Stability> {
  const runs: RunOutput[] = [];
  for (let i = 0; i < times; i++) runs.push(await runTrace2(kernel, trace));
  for (let i = 1; i < runs.length; i++) {
    if (!sameOutput(runs[0], runs[i])) {
      // `model` and `kernel` of these differences are run 1 and run i+1
      return { stable: false, runs, differing: { run: i, differences: diffValues(runs[0], runs[i], 'output') } };
    }
  }
  return { stable: true, runs };
}
