// Kernel replay of a counterexample: the trace runs on a backend (the kernel's), one step at a
// time, and the property's invariant is evaluated on that backend's states — the same
// StateView, built from its canonical snapshots. Broken there too: confirmed. Not broken: the
// model diverges from the kernel somewhere on the way, which is a bug of the model, and the
// first divergence (src/diff) says where.

import { release as osRelease } from 'node:os';
import type { Backend } from '../trace/backend.js';
import type { Result, Trace } from '../trace/types.js';
import { diffTrace, formatDivergence, type Divergence } from '../diff/diff.js';
import { ModelBackend } from '../model/backend.js';
import { violation, type Property } from './property.js';
import { StateView, viewWordsOfSnapshot } from './view.js';
import { Labels } from './actions.js';

export interface KernelReplay {
  outcome: 'confirmed' | 'not-reproduced';
  /** `Linux 6.18` (major.minor of the running kernel). */
  linux: string;
  /** The full release (uname -r). */
  release: string;
  /** Confirmed: the step (counted in the whole trace, prefix included) after which the invariant broke; -1: the world itself. */
  step?: number;
  message?: string;
  /** The kernel's results of every step. */
  results: Result[];
  /** Not reproduced: the first divergence of the model from the kernel, explained. */
  divergence?: Divergence;
  divergenceText?: string;
}

export function linuxName(release = osRelease()): string {
  const m = /^(\d+)\.(\d+)/.exec(release);
  return m ? `Linux ${m[1]}.${m[2]}` : `Linux ${release}`;
}

/**
 * Replay `trace` (the property's prefix followed by the counterexample) on `backend` and
 * evaluate the property on its states. The backend is started and closed here (not disposed).
 */
export async function replayCounterexample(property: Property, trace: Trace, backend: Backend, model?: Backend): Promise<KernelReplay> {
  const release = osRelease();
  const { results, broken } = await evaluateOn(property, trace, backend);
  if (broken) {
    return { outcome: 'confirmed', linux: linuxName(release), release, step: broken.step, message: broken.message, results };
  }
  const diff = await diffTrace(trace, model ?? new ModelBackend(), backend, { localize: true });
  return {
    outcome: 'not-reproduced', linux: linuxName(release), release, results,
    divergence: diff.divergence,
    divergenceText: diff.divergence ? formatDivergence(trace, diff.divergence)
      : 'the model and the kernel agree on every result and on the final state, yet the invariant broke only on the model: the invariant reads something the snapshot does not show',
  };
}

/**
 * Run `trace` (the property's prefix, then steps of its alphabet) on `backend`, evaluating the
 * property on each state after the prefix (and each step's result): the first step where it
 * breaks, if any. The backend is started and closed here.
 */
export async function evaluateOn(property: Property, trace: Trace, backend: Backend): Promise<{ results: Result[]; broken?: { step: number; message: string } }> {
  const labels = new Labels(trace);
  const procIndex = new Map(labels.procs.map((l, i) => [l, i]));
  const prefixLength = property.prefix.length;
  const results: Result[] = [];
  let broken: { step: number; message: string } | undefined;
  await backend.start(trace.setup);
  try {
    const viewOf = async () => new StateView(viewWordsOfSnapshot(await backend.snapshot(), (l) => procIndex.get(l) ?? -1), (i) => labels.procs[i] ?? `#${i}`);
    results.push(...await backend.run(trace.steps.slice(0, prefixLength)));
    if (property.invariant) {
      const bad = violation(property.invariant(await viewOf()));
      if (bad) broken = { step: prefixLength - 1, message: bad };
    }
    for (let i = prefixLength; i < trace.steps.length && !broken; i++) {
      const step = trace.steps[i];
      const [result] = await backend.run([step]);
      results.push(result);
      const view = await viewOf();
      const bad = violation(property.onStep?.({ step, result }, view)) ?? (property.invariant ? violation(property.invariant(view)) : undefined);
      if (bad) broken = { step: i, message: bad };
    }
  } finally {
    await backend.close();
  }
  return { results, broken };
}
