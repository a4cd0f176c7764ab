// Differential speed (issue 3, "Speed"), on this machine's cores:
//   - diffTrace over bench/fixtures/random-10x400.json (400 traces of 10 steps): one kernel
//     backend in sequence, and `jobs` kernel backends side by side (as the fuzz runner does);
//   - the fuzz runner itself (fuzz({ runs, seed }), its own random traces of at most 10 steps
//     and its default jobs), traces/s as it reports them;
//   - model vs kernel on the same traces: runTrace (start, run, snapshot, close) on each.
// Goals: ≥ 300 differential traces/s; the model ≥ 1,000× faster than the kernel.
// The kernel parts need root (skipped with the reason otherwise).
//
//   npx tsx bench/diff.bench.ts [--quick] [--passes N]
import { availableParallelism } from 'node:os';
import { KernelBackend, kernelAvailable } from '../src/kernel/backend.js';
import { ModelBackend } from '../src/model/backend.js';
import { diffTrace, release } from '../src/diff/diff.js';
import { fuzz, defaultJobs } from '../src/diff/fuzz.js';
import { runTrace } from '../src/trace/backend.js';
import type { Trace } from '../src/trace/types.js';
import { arg, describeMachine, fixture, flag, machine, mapStats, record, spread, stats, type Stats } from './lib.js';

const quick = flag('quick');
const passes = Number(arg('passes', quick ? '2' : '5'));

/** Traces/s of diffTrace over `traces` with `jobs` kernel backends working side by side. */
async function diffRate(traces: Trace[], jobs: number): Promise<{ perSecond: number; disagree: number }> {
  const kernels = Array.from({ length: jobs }, () => new KernelBackend());
  let next = 0, disagree = 0;
  // warm: each supervisor started, a few traces each
  await Promise.all(kernels.map(async (k, w) => { for (let i = 0; i < 3; i++) await diffTrace(traces[w * 3 + i], new ModelBackend(), k); }));
  const t0 = performance.now();
  await Promise.all(kernels.map(async (k) => {
    for (;;) {
      const i = next++;
      if (i >= traces.length) return;
      const d = await diffTrace(traces[i], new ModelBackend(), k);
      if (!d.agree) disagree++;
    }
  }));
  const ms = performance.now() - t0;
  await Promise.all(kernels.map(release));
  return { perSecond: (traces.length * 1000) / ms, disagree };
}

export async function benchDiff(): Promise<Record<string, unknown>> {
  const figures: Record<string, unknown> = {};
  const traces = fixture<Trace[]>('random-10x400.json');

  // the model alone on the same traces (no kernel needed)
  const modelMs = async () => {
    const t0 = performance.now();
    for (const t of traces) await runTrace(new ModelBackend(), t);
    return (performance.now() - t0) / traces.length;
  };
  await modelMs();
  const mRuns: number[] = [];
  for (let p = 0; p < passes * 2; p++) mRuns.push(await modelMs());
  const model = stats(mRuns);
  console.log(`model, runTrace per 10-step trace (fresh ModelBackend each)   ${spread(model, (x) => `${(x * 1000).toFixed(1)} µs`)}`);
  figures.modelMsPerTrace = model;

  const available = kernelAvailable();
  if (!available.ok) {
    console.log(`kernel parts skipped: ${available.reason}`);
    figures.kernel = { skipped: available.reason };
    return figures;
  }

  // the kernel alone on the same traces
  const k = new KernelBackend();
  for (const t of traces.slice(0, 20)) await runTrace(k, t);
  const kRuns: number[] = [];
  for (let p = 0; p < passes; p++) {
    const t0 = performance.now();
    for (const t of traces) await runTrace(k, t);
    kRuns.push((performance.now() - t0) / traces.length);
  }
  await k.dispose();
  const kernel = stats(kRuns);
  console.log(`kernel, runTrace per 10-step trace (one warm supervisor)       ${spread(kernel, (x) => `${x.toFixed(2)} ms`)}`);
  console.log(`model vs kernel: ${(kernel.median / model.median).toFixed(0)}× faster (goal ≥ 1,000×)`);
  figures.kernelMsPerTrace = kernel;
  figures.modelVsKernel = kernel.median / model.median;

  // diffTrace, sequential and side by side
  const jobsList = [...new Set([1, availableParallelism(), defaultJobs()])];
  for (const jobs of jobsList) {
    const rates: number[] = [];
    let disagree = 0;
    for (let p = 0; p < passes; p++) {
      const r = await diffRate(traces, jobs);
      rates.push(r.perSecond);
      disagree += r.disagree;
    }
    const s = stats(rates);
    console.log(`diffTrace, ${jobs} kernel backend${jobs > 1 ? 's side by side' : ''}: ${spread(s, (x) => `${x.toFixed(0)}`)} traces/s${disagree ? ` (${disagree} disagreements!)` : ''}`);
    figures[`diffTrace_jobs${jobs}`] = { tracesPerSecond: s, disagree };
  }

  // the fuzz runner as users run it
  const fuzzRates: number[] = [];
  const runs = quick ? 200 : 600;
  for (let p = 0; p < passes; p++) {
    const report = await fuzz({ runs, seed: 1000 + p, shrinkSeconds: 1 });
    fuzzRates.push(report.tracesPerSecond);
    if (report.divergences.length) console.log(`  (fuzz found ${report.divergences.length} divergence(s) with seed ${1000 + p})`);
  }
  const fz = stats(fuzzRates);
  console.log(`fuzz runner, --runs ${runs}, jobs ${defaultJobs()}: ${spread(fz, (x) => `${x.toFixed(0)}`)} traces/s (goal ≥ 300)`);
  figures.fuzz = { runs, jobs: defaultJobs(), tracesPerSecond: fz };
  return figures;
}

export function toRate(s: Stats): Stats {
  return mapStats(s, (ms) => 1000 / ms);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const m = machine();
  console.log(describeMachine(m));
  const figures = await benchDiff();
  const file = record('diff', m, 'npx tsx bench/diff.bench.ts', figures);
  console.log(`${describeMachine(m)}\nwritten: ${file}`);
}
