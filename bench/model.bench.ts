// The model's speed (issue 2, "Speed"):
//   - steps/s on bench/fixtures/random-10000.json: the wasm `run` alone (the steps inside the
//     model) and end to end through ModelBackend.runSync (encoding the steps, decoding the
//     results and snapshots), each with the trace's `observe` steps and without them;
//   - a fresh model instance (new ModelBackend + startSync: instantiate + start);
//   - `nsmodel --version` with the compiled bin (dist/src/cli/main.js).
//
//   npx tsx bench/model.bench.ts [--runs N] [--quick]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ModelBackend } from '../src/model/backend.js';
import type { ModelExports } from '../src/model/wasm.js';
import type { Step, Trace } from '../src/trace/types.js';
import { arg, describeMachine, fixture, flag, machine, mapStats, record, ROOT, si, spread, stats, timeSync, type Stats, invocation } from './lib.js';

const quick = flag('quick');
const runs = Number(arg('runs', quick ? '5' : '25'));

/** The model's wasm exports behind a backend (a private field: benchmarks only). */
function wasmOf(m: ModelBackend): ModelExports {
  return (m as unknown as { wasm: ModelExports }).wasm;
}

/**
 * The backend every run uses: each run is a new world (startSync), in the instance of the run
 * before — as runTrace() gives it, since a closed ModelBackend returns its instance to a pool.
 */
const shared = new ModelBackend();

/** Milliseconds of the wasm `run` call alone, in a new world, for `steps` (encoded by runSync as usual). */
function wasmRunMs(trace: Trace, steps: readonly Step[]): number {
  const m = shared;
  m.startSync(trace.setup);
  const w = wasmOf(m);
  const run = w.run;
  let ms = 0;
  w.run = (n: number) => {
    const t0 = performance.now();
    const r = run.call(w, n);
    ms = performance.now() - t0;
    return r;
  };
  try {
    m.runSync(steps);
  } finally {
    w.run = run;
  }
  return ms;
}

/** Milliseconds of runSync (encode + wasm run + decode), in a new world (start not counted). */
function runSyncMs(trace: Trace, steps: readonly Step[]): number {
  const m = shared;
  m.startSync(trace.setup);
  const t0 = performance.now();
  m.runSync(steps);
  return performance.now() - t0;
}

function repeat(fn: () => number, n: number, warmup = 3): Stats {
  for (let i = 0; i < warmup; i++) fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(fn());
  return stats(out);
}

export function benchModel(): Record<string, unknown> {
  const trace = fixture<Trace>('random-10000.json');
  const all = trace.steps;
  const noObserve = all.filter((s) => s.op !== 'observe');
  const perSecond = (n: number) => (ms: number) => (n * 1000) / ms;
  const figures: Record<string, unknown> = {};
  const line = (what: string, s: Stats, steps: number) => {
    const sps = mapStats(s, perSecond(steps));
    console.log(`${what.padEnd(44)} ${spread(sps, (x) => `${si(x)}`)} steps/s   [${s.median.toFixed(2)} ms per ${steps} steps]`);
    return { steps, msPerTrace: s, stepsPerSecond: sps };
  };

  console.log(`model: ${all.length} steps (${all.length - noObserve.length} observe), ${runs} runs each, fresh world per run`);
  figures.wasmRunWithObserve = line('wasm run, with observe', repeat(() => wasmRunMs(trace, all), runs), all.length);
  figures.wasmRunNoObserve = line('wasm run, without observe', repeat(() => wasmRunMs(trace, noObserve), runs), noObserve.length);
  figures.runSyncWithObserve = line('runSync end to end, with observe', repeat(() => runSyncMs(trace, all), runs), all.length);
  figures.runSyncNoObserve = line('runSync end to end, without observe', repeat(() => runSyncMs(trace, noObserve), runs), noObserve.length);

  // a fresh instance: batches of 200, per instance
  const batch = 200;
  const fresh = timeSync(() => {
    for (let i = 0; i < batch; i++) new ModelBackend().startSync(trace.setup);
  }, quick ? 5 : 25, 3);
  const perInstance = mapStats(fresh, (ms) => ms / batch);
  console.log(`${'fresh instance (instantiate + start)'.padEnd(44)} ${spread(perInstance, (x) => `${(x * 1000).toFixed(1)} µs`)}`);
  figures.freshInstanceMs = perInstance;
  // a new world in a used instance: what runTrace() costs before its first step
  const reused = timeSync(() => {
    for (let i = 0; i < batch; i++) shared.startSync(trace.setup);
  }, quick ? 5 : 25, 3);
  const perWorld = mapStats(reused, (ms) => ms / batch);
  console.log(`${'new world in a used instance (start)'.padEnd(44)} ${spread(perWorld, (x) => `${(x * 1000).toFixed(1)} µs`)}`);
  figures.newWorldMs = perWorld;

  // nsmodel --version with the compiled bin
  const bin = join(ROOT, 'dist', 'src', 'cli', 'main.js');
  if (existsSync(bin)) {
    const version = [] as number[];
    const n = quick ? 5 : 30;
    for (let i = 0; i < n + 3; i++) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [bin, '--version'], { stdio: ['ignore', 'pipe', 'pipe'] });
      const ms = performance.now() - t0;
      if (r.status !== 0) throw new Error(`nsmodel --version failed: ${r.stderr}`);
      if (i >= 3) version.push(ms);
    }
    const v = stats(version);
    console.log(`${'nsmodel --version (node dist/src/cli/main.js)'.padEnd(44)} ${spread(v, (x) => `${x.toFixed(1)} ms`)}`);
    figures.versionMs = v;
  } else {
    console.log(`nsmodel --version: skipped, ${bin} is not built (npm run build)`);
  }
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const m = machine();
  console.log(describeMachine(m));
  const figures = benchModel();
  const file = record('model', m, invocation('model.bench.ts'), figures);
  console.log(`${describeMachine(m)}\nwritten: ${file}`);
}
