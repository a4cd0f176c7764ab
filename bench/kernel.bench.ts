// The kernel backend's cost per step against the C floor (issue 3, "Speed"):
//   1. bench/c/nsbench.c, compiled here with `cc -O2` (not part of npm install), run in a
//      throwaway sandbox of fresh namespaces: the raw cost of each system call an agent or the
//      supervisor makes, and of a supervisor <-> agent round trip (SOCK_SEQPACKET);
//   2. KernelBackend on bench/fixtures/random-10x400.json (400 traces of 10 steps) and on
//      bench/fixtures/random-10000.json: time per step of run() (one batch per trace), and the
//      C floor of the same steps (bench/ccost.ts); goal: at most 1.5x the floor.
// Part 1 runs as root or wherever `unshare -U -r` works; part 2 needs root (skipped with the
// reason otherwise).
//
//   npx tsx bench/kernel.bench.ts [--quick] [--passes N] [--big-runs N]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { KernelBackend, kernelAvailable } from '../src/kernel/backend.js';
import { ModelBackend } from '../src/model/backend.js';
import { sameOutput } from '../src/trace/format.js';
import type { Result, Trace } from '../src/trace/types.js';
import { cFloor, type CCosts } from './ccost.js';
import { arg, BENCH, describeMachine, fixture, flag, isRoot, machine, record, ROOT, spread, stats, type Stats, invocation } from './lib.js';

const quick = flag('quick');
const passes = Number(arg('passes', quick ? '2' : '5'));
const bigRuns = Number(arg('big-runs', quick ? '0' : '3'));

export const SANDBOX = ['--fork', '--pid', '--mount-proc', '--uts', '--ipc', '--net', '--mount', '--cgroup', '--time', '--propagation', 'private'];

/** Compile bench/c/nsbench.c into build/nsbench when it is missing or older than the source. */
export function compileNsbench(): string {
  const src = join(BENCH, 'c', 'nsbench.c');
  const out = join(ROOT, 'build', 'nsbench');
  if (!existsSync(out) || statSync(out).mtimeMs < statSync(src).mtimeMs) {
    mkdirSync(join(ROOT, 'build'), { recursive: true });
    const cc = process.env.CC || 'cc';
    // linked as the agent is (scripts/build.mjs: static where the C library allows), so that its
    // exec costs what the agent's does
    const base = ['-O2', '-Wall', '-Wextra', '-std=gnu11', '-o', out, src];
    let r = spawnSync(cc, ['-static', ...base], { stdio: ['ignore', 'ignore', 'ignore'] });
    if (r.status !== 0) r = spawnSync(cc, base, { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.error || r.status !== 0) throw new Error(`${cc} failed to compile ${src}`);
  }
  return out;
}

export interface CFigure { name: string; ns: number; min: number; max: number; reps: number; iters: number }

/** Run nsbench in a sandbox; its figures, or the reason it could not run. */
export function runNsbench(quickRun: boolean): { ok: true; figures: CFigure[]; how: string } | { ok: false; reason: string } {
  let bin: string;
  try {
    bin = compileNsbench();
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  const args = [...(isRoot() ? [] : ['-U', '-r']), ...SANDBOX, bin, ...(quickRun ? ['--quick'] : [])];
  const r = spawnSync('unshare', args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.error) return { ok: false, reason: `cannot run unshare: ${r.error.message}` };
  if (r.status !== 0) return { ok: false, reason: `unshare ${args.join(' ')} failed (status ${r.status}): ${r.stderr.trim().split('\n').pop()}` };
  const figures = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as CFigure);
  return { ok: true, figures, how: `unshare ${args.join(' ')}` };
}

function costs(figures: CFigure[]): CCosts {
  return Object.fromEntries(figures.map((f) => [f.name, f.ns]));
}

/** The model's results of a trace (the floor charges steps by them). */
function modelResults(trace: Trace): Result[] {
  const m = new ModelBackend();
  m.startSync(trace.setup);
  return m.runSync(trace.steps);
}

interface KernelRuns {
  /** 10-step traces: µs per step of run(), per pass; ms per trace and its parts, per pass. */
  perStep: number[];
  perTrace: number[];
  parts: Record<string, number[]>;
  mismatches: number;
  /** One step at a time (the 10-step traces again): µs of each single-step run(), by op and outcome. */
  single: Record<string, number[]>;
  /** The 10,000-step trace and its first 1,000 steps: µs per step of one run() per run. */
  big: { steps: number; us: number[]; agree: boolean }[];
}

/** The outcome class of a result, for the single-step table. */
function outcome(r: Result): string {
  return 'dead' in r ? 'dead' : 'err' in r ? 'err' : 'ok';
}

async function measureKernel(traces: Trace[], results: Result[][], big: Trace, bigResults: Result[]): Promise<KernelRuns> {
  const k = new KernelBackend();
  const out: KernelRuns = { perStep: [], perTrace: [], parts: { start: [], run: [], snapshot: [], close: [] }, mismatches: 0, single: {}, big: [] };
  const steps = traces.reduce((a, t) => a + t.steps.length, 0);
  for (const t of traces.slice(0, 20)) { await k.start(t.setup); await k.run(t.steps); await k.snapshot(); await k.close(); }
  for (let p = 0; p < passes; p++) {
    const sum = { start: 0, run: 0, snapshot: 0, close: 0 };
    for (let i = 0; i < traces.length; i++) {
      const t = traces[i];
      const t0 = performance.now();
      await k.start(t.setup);
      const t1 = performance.now();
      const r = await k.run(t.steps);
      const t2 = performance.now();
      await k.snapshot();
      const t3 = performance.now();
      await k.close();
      const t4 = performance.now();
      sum.start += t1 - t0; sum.run += t2 - t1; sum.snapshot += t3 - t2; sum.close += t4 - t3;
      if (p === 0 && !sameOutput(r, results[i])) out.mismatches++;
    }
    out.perStep.push((sum.run * 1000) / steps);
    out.perTrace.push((sum.start + sum.run + sum.snapshot + sum.close) / traces.length);
    for (const key of Object.keys(sum) as (keyof typeof sum)[]) out.parts[key].push(sum[key] / traces.length);
  }
  // one step per request: what each op costs the backend
  for (let i = 0; i < traces.length; i++) {
    const t = traces[i];
    await k.start(t.setup);
    for (let j = 0; j < t.steps.length; j++) {
      const t0 = performance.now();
      const [r] = await k.run([t.steps[j]]);
      const us = (performance.now() - t0) * 1000;
      const key = `${t.steps[j].op} ${outcome(r)}`;
      (out.single[key] ??= []).push(us);
    }
    await k.close();
  }
  for (const n of [1000, big.steps.length]) {
    const runsHere = n === 1000 ? Math.max(1, bigRuns) : bigRuns;
    if (runsHere === 0) continue;
    const stepsN = big.steps.slice(0, n);
    const us: number[] = [];
    let agree = true;
    for (let i = 0; i < runsHere; i++) {
      await k.start(big.setup);
      const t0 = performance.now();
      const r = await k.run(stepsN);
      us.push(((performance.now() - t0) * 1000) / n);
      await k.close();
      if (!sameOutput(r, bigResults.slice(0, n))) agree = false;
    }
    out.big.push({ steps: n, us, agree });
  }
  await k.dispose();
  return out;
}

export async function benchKernel(): Promise<Record<string, unknown>> {
  const figures: Record<string, unknown> = {};
  const traces = fixture<Trace[]>('random-10x400.json');
  const results = traces.map(modelResults);
  const big = fixture<Trace>('random-10000.json');
  const bigResults = modelResults(big);

  // the kernel backend first: nsbench leaves network namespaces whose teardown the kernel
  // finishes in the background for a while after it
  const available = kernelAvailable();
  let kr: KernelRuns | undefined;
  if (available.ok) {
    console.log(`kernel backend: ${traces.length} traces of 10 steps × ${passes} passes, one step at a time once, the 10,000-step trace × ${bigRuns} ...`);
    kr = await measureKernel(traces, results, big, bigResults);
  } else {
    console.log(`kernel backend: skipped: ${available.reason}`);
    figures.kernel = { skipped: available.reason };
  }

  console.log('C microbenchmark (bench/c/nsbench.c), ns per operation, median of reps:');
  const c = runNsbench(quick);
  if (!c.ok) {
    console.log(`  skipped: ${c.reason}`);
    figures.nsbench = { skipped: c.reason };
    return figures;
  }
  console.log(`  (${c.how})`);
  for (const f of c.figures) console.log(`  ${f.name.padEnd(24)} ${(f.ns / 1000).toFixed(2).padStart(9)} µs  (min ${(f.min / 1000).toFixed(2)}, max ${(f.max / 1000).toFixed(2)}, ${f.reps}×${f.iters})`);
  figures.nsbench = c.figures;
  const cc = costs(c.figures);
  if (!kr) return figures;

  // ---- 400 traces of 10 steps
  let floorNs = 0, steps = 0;
  const floorByOp: Record<string, number> = {};
  for (let i = 0; i < traces.length; i++) {
    const f = cFloor(traces[i].steps, results[i], cc);
    floorNs += f.total;
    steps += traces[i].steps.length;
    for (const [op, ns] of Object.entries(f.byOp)) floorByOp[op] = (floorByOp[op] ?? 0) + ns;
  }
  const floorPerStep = floorNs / steps / 1000;
  const ps = stats(kr.perStep);
  console.log(`kernel backend, ${traces.length} traces of 10 steps, ${passes} passes (model and kernel results differ on ${kr.mismatches} traces):`);
  console.log(`  run() per step            ${spread(ps, (x) => `${x.toFixed(1)} µs`)}`);
  console.log(`  C floor per step          ${floorPerStep.toFixed(1)} µs   -> ratio ${(ps.median / floorPerStep).toFixed(2)}× (goal ≤ 1.5×)`);
  const partStats = Object.fromEntries(Object.entries(kr.parts).map(([key, v]) => [key, stats(v)])) as Record<string, Stats>;
  console.log(`  per trace                 ${spread(stats(kr.perTrace), (x) => `${x.toFixed(2)} ms`)}`);
  console.log(`    start ${partStats.start.median.toFixed(2)} ms, run ${partStats.run.median.toFixed(2)} ms, snapshot ${partStats.snapshot.median.toFixed(2)} ms, close ${partStats.close.median.toFixed(2)} ms (medians)`);
  console.log(`  floor by op (µs per trace): ${Object.entries(floorByOp).sort((a, b) => b[1] - a[1]).map(([op, ns]) => `${op} ${(ns / traces.length / 1000).toFixed(1)}`).join(', ')}`);

  // one step per request, by op and outcome: the backend's time against the floor of that step
  const single: Record<string, { n: number; medianUs: number; floorUs: number }> = {};
  const floorOf = (key: string): number => {
    // the floor of one such step, averaged over the steps that had this op and outcome
    let ns = 0, n = 0;
    for (let i = 0; i < traces.length; i++) {
      for (let j = 0; j < traces[i].steps.length; j++) {
        if (`${traces[i].steps[j].op} ${outcome(results[i][j])}` !== key) continue;
        ns += cFloor(traces[i].steps.slice(j, j + 1), [results[i][j]], cc).total;
        n++;
      }
    }
    return n ? ns / n / 1000 : 0;
  };
  console.log('  one step per run() call (includes the Node <-> supervisor request), by op and outcome:');
  console.log(`    ${'op outcome'.padEnd(22)} ${'n'.padStart(5)} ${'median µs'.padStart(10)} ${'floor µs'.padStart(9)}`);
  for (const [key, v] of Object.entries(kr.single).sort((a, b) => stats(b[1]).median * b[1].length - stats(a[1]).median * a[1].length)) {
    const s = stats(v);
    const fl = floorOf(key);
    single[key] = { n: v.length, medianUs: s.median, floorUs: fl };
    console.log(`    ${key.padEnd(22)} ${String(v.length).padStart(5)} ${s.median.toFixed(1).padStart(10)} ${fl.toFixed(1).padStart(9)}`);
  }
  figures.small = {
    traces: traces.length, steps, passes, mismatches: kr.mismatches,
    runUsPerStep: ps, floorUsPerStep: floorPerStep, ratio: ps.median / floorPerStep,
    msPerTrace: stats(kr.perTrace), partsMsPerTrace: partStats,
    floorUsPerTraceByOp: Object.fromEntries(Object.entries(floorByOp).map(([op, ns]) => [op, ns / traces.length / 1000])),
    singleStep: single,
  };

  // ---- the 10,000-step trace (and its first 1,000 steps)
  for (const b of kr.big) {
    const floor = cFloor(big.steps.slice(0, b.steps), bigResults.slice(0, b.steps), cc);
    const s = stats(b.us);
    const fl = floor.total / b.steps / 1000;
    console.log(`kernel backend, random-10000.json first ${b.steps} steps (one batch), ${b.us.length} runs${b.agree ? '' : ' (results differ from the model!)'}:`);
    console.log(`  run() per step            ${spread(s, (x) => `${x.toFixed(1)} µs`)}`);
    console.log(`  C floor per step          ${fl.toFixed(1)} µs   -> ratio ${(s.median / fl).toFixed(2)}×`);
    console.log(`  floor by op (ms): ${Object.entries(floor.byOp).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([op, ns]) => `${op} ${(ns / 1e6).toFixed(1)}`).join(', ')}`);
    figures[`big${b.steps}`] = { steps: b.steps, runs: b.us.length, agree: b.agree, runUsPerStep: s, floorUsPerStep: fl, ratio: s.median / fl, floorMsByOp: Object.fromEntries(Object.entries(floor.byOp).map(([op, ns]) => [op, ns / 1e6])) };
  }
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const m = machine();
  console.log(describeMachine(m));
  const figures = await benchKernel();
  const file = record('kernel', m, invocation('kernel.bench.ts'), figures);
  console.log(`${describeMachine(m)}\nwritten: ${file}`);
}
