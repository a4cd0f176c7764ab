// Mounts (issue 12): what the mount ops cost on each backend, and against the raw system calls.
//   1. The model on random traces with mounts (the fuzzer's generator, `mounts: 'only'`, 20
//      steps, a fixed seed): traces/s and steps/s of one reused instance, snapshots included.
//   2. The kernel backend (root) on the first of the same traces: traces/s and µs per step.
//   3. The kernel backend on a trace that only mounts a tmpfs and unmounts it, 200 times: µs per
//      step against the C floor of such a step (bench/c/nsbench.c's mount_umount_tmpfs, half of
//      it, plus one supervisor <-> agent round trip on one CPU, rt_seqpacket_samecpu).
// Writes bench/results/mounts.json.
//
//   npx tsx bench/mounts.bench.ts [--quick]
import fc from 'fast-check';
import { arbTrace } from '../src/gen/index.js';
import { KernelBackend, kernelAvailable } from '../src/kernel/backend.js';
import { ModelBackend } from '../src/model/backend.js';
import type { Step, Trace } from '../src/trace/types.js';
import { runNsbench } from './kernel.bench.js';
import { describeMachine, flag, invocation, machine, record, stats } from './lib.js';

const quick = flag('quick');
const figures: Record<string, unknown> = {};
const m = machine();
console.log(describeMachine(m));

const traces: Trace[] = fc.sample(arbTrace({ extensions: true, mounts: 'only', minSteps: 20, maxSteps: 20 }), { seed: 12, numRuns: quick ? 300 : 2000 });
const steps = traces.reduce((n, t) => n + t.steps.length, 0);

// 1. the model
{
  const model = new ModelBackend();
  const rates: number[] = [];
  for (let pass = 0; pass < (quick ? 2 : 5); pass++) {
    const t0 = performance.now();
    for (const t of traces) {
      model.startSync(t.setup);
      model.runSync(t.steps);
      model.snapshotSync();
    }
    rates.push(traces.length / ((performance.now() - t0) / 1000));
  }
  const s = stats(rates);
  figures.model = { traces: traces.length, stepsPerTrace: 20, tracesPerSecond: s, stepsPerSecond: s.median * (steps / traces.length) };
  console.log(`model: ${traces.length} mount traces of 20 steps: ${Math.round(s.median)} traces/s, ${Math.round(s.median * 20)} steps/s (median of ${rates.length} passes)`);
}

const k = kernelAvailable();
if (!k.ok) {
  figures.kernel = { skipped: k.reason };
  console.log(`kernel: skipped: ${k.reason}`);
} else {
  // 2. the kernel backend on the same traces
  const n = quick ? 50 : 300;
  const kernel = new KernelBackend();
  const t0 = performance.now();
  for (const t of traces.slice(0, n)) {
    await kernel.start(t.setup);
    await kernel.run(t.steps);
    await kernel.snapshot();
    await kernel.close();
  }
  const secs = (performance.now() - t0) / 1000;
  figures.kernel = { traces: n, tracesPerSecond: n / secs, microsecondsPerStep: (secs * 1e6) / (n * 20) };
  console.log(`kernel: ${n} of them: ${(n / secs).toFixed(1)} traces/s, ${((secs * 1e6) / (n * 20)).toFixed(0)} µs a step (sandbox start and snapshot included)`);

  // 3. mount + umount, 200 times, against the C floor
  const cycle: Step[] = [{ by: 'p0', op: 'mkdir', path: '/m' }];
  for (let i = 0; i < 200; i++) {
    cycle.push({ by: 'p0', op: 'mount', fstype: 'tmpfs', target: '/m', flags: [] }, { by: 'p0', op: 'umount', target: '/m' });
  }
  const perStep: number[] = [];
  for (let pass = 0; pass < (quick ? 2 : 5); pass++) {
    await kernel.start({ user: 'root', hostname: 'bench', mounts: true });
    await kernel.run([cycle[0]]); // mkdir /m, not timed
    const c1 = performance.now();
    const results = await kernel.run(cycle.slice(1));
    perStep.push(((performance.now() - c1) * 1000) / (cycle.length - 1));
    const failed = results.find((r) => !('ok' in r));
    if (failed) throw new Error(`a mount/umount step failed on the kernel: ${JSON.stringify(failed)}`);
    await kernel.close();
  }
  const step = stats(perStep);
  const c = runNsbench(quick);
  if (!c.ok) {
    figures.mountCycle = { microsecondsPerStep: step, floor: { skipped: c.reason } };
    console.log(`mount/umount steps: ${step.median.toFixed(1)} µs a step; C floor skipped: ${c.reason}`);
  } else {
    const ns = (name: string) => c.figures.find((f) => f.name === name)?.ns;
    const pair = ns('mount_umount_tmpfs');
    const rt = ns('rt_seqpacket_samecpu');
    const raw = Object.fromEntries(['mount_umount_tmpfs', 'bind_umount', 'make_shared_private', 'mkdir_rmdir', 'readdir', 'mountinfo_read', 'rt_seqpacket_samecpu']
      .map((x) => [x, ns(x)]));
    if (pair === undefined || rt === undefined) throw new Error('nsbench gave no mount_umount_tmpfs or rt_seqpacket_samecpu figure');
    const floorUs = (pair / 2 + rt) / 1000;
    figures.mountCycle = { microsecondsPerStep: step, floorMicroseconds: floorUs, ratioToFloor: step.median / floorUs, rawNanoseconds: raw, nsbench: c.how };
    console.log(`mount/umount steps: ${step.median.toFixed(1)} µs a step; C floor ${floorUs.toFixed(1)} µs (mount+umount ${(pair / 1000).toFixed(1)} µs a pair, round trip ${(rt / 1000).toFixed(1)} µs): ${(step.median / floorUs).toFixed(2)}x`);
    console.log(`raw, ns a pair: ${Object.entries(raw).map(([x, v]) => `${x} ${v?.toFixed(0)}`).join(', ')}`);
  }
}

console.log(`written: ${record('mounts', m, invocation('bench/mounts.bench.ts'), figures)}`);
