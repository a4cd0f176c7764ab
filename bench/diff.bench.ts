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
import { arg, describeMachine, fixture, flag, machine, mapStats, record, spread, stats, type Stats, invocation } from './lib.js';

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

  // the model alone on the same traces (no kernel needed): whole traces, and the run of the
  // steps alone (runSync; the wasm run inside it)
  // one backend: each trace a new world in the instance of the one before (as runTrace()
  // gives it: a closed ModelBackend returns its instance to a pool)
  const m = new ModelBackend();
  m.startSync(traces[0].setup);
  const w = (m as unknown as { wasm: { run(n: number): number } }).wasm;
  const inner = w.run.bind(w);
  let wasm = 0;
  w.run = (n: number) => { const a = performance.now(); const r = inner(n); wasm += performance.now() - a; return r; };
  const modelPass = () => {
    let start = 0, run = 0, snap = 0;
    wasm = 0;
    for (const t of traces) {
      const t0 = performance.now();
      m.startSync(t.setup);
      const t1 = performance.now();
      m.runSync(t.steps);
      const t2 = performance.now();
      m.snapshotSync();
      const t3 = performance.now();
      start += t1 - t0; run += t2 - t1; snap += t3 - t2;
    }
    const n = traces.length;
    return { trace: (start + run + snap) / n, start: start / n, run: run / n, wasm: wasm / n, snapshot: snap / n };
  };
  modelPass();
  const mp: ReturnType<typeof modelPass>[] = [];
  for (let p = 0; p < passes * 4; p++) mp.push(modelPass());
  const mStat = (k: keyof ReturnType<typeof modelPass>) => stats(mp.map((x) => x[k]));
  const model = mStat('trace');
  const us = (x: number) => `${(x * 1000).toFixed(1)} µs`;
  console.log(`model, per 10-step trace (a new world: start, runSync, snapshotSync)   ${spread(model, us)}`);
  console.log(`  start ${us(mStat('start').median)}, runSync ${us(mStat('run').median)} (wasm run ${us(mStat('wasm').median)}), snapshot ${us(mStat('snapshot').median)} (medians)`);
  figures.modelMsPerTrace = model;
  figures.modelPartsMsPerTrace = { start: mStat('start'), runSync: mStat('run'), wasmRun: mStat('wasm'), snapshot: mStat('snapshot') };

  const available = kernelAvailable();
  if (!available.ok) {
    console.log(`kernel parts skipped: ${available.reason}`);
    figures.kernel = { skipped: available.reason };
    return figures;
  }

  // the kernel alone on the same traces (runTrace: start, run, snapshot, close)
  const k = new KernelBackend();
  for (const t of traces.slice(0, 20)) await runTrace(k, t);
  const kRuns: number[] = [], kRun: number[] = [];
  for (let p = 0; p < passes; p++) {
    let run = 0;
    const t0 = performance.now();
    for (const t of traces) {
      await k.start(t.setup);
      const a = performance.now();
      await k.run(t.steps);
      run += performance.now() - a;
      await k.snapshot();
      await k.close();
    }
    kRuns.push((performance.now() - t0) / traces.length);
    kRun.push(run / traces.length);
  }
  await k.dispose();
  const kernel = stats(kRuns);
  const kernelRun = stats(kRun);
  const ratio = kernel.median / model.median;
  console.log(`kernel, per 10-step trace (one warm supervisor: start, run, snapshot, close)   ${spread(kernel, (x) => `${x.toFixed(2)} ms`)}`);
  console.log(`  run ${kernelRun.median.toFixed(2)} ms (median)`);
  console.log(`model vs kernel, whole traces: ${ratio.toFixed(0)}× faster (goal ≥ 1,000×)`);
  console.log(`model vs kernel, the steps alone: runSync ${(kernelRun.median / mStat('run').median).toFixed(0)}×, wasm run ${(kernelRun.median / mStat('wasm').median).toFixed(0)}×`);
  figures.kernelMsPerTrace = kernel;
  figures.kernelRunMsPerTrace = kernelRun;
  figures.modelVsKernel = ratio;
  figures.modelVsKernelSteps = { runSync: kernelRun.median / mStat('run').median, wasmRun: kernelRun.median / mStat('wasm').median };

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
  const file = record('diff', m, invocation('diff.bench.ts'), figures);
  console.log(`${describeMachine(m)}\nwritten: ${file}`);
}
