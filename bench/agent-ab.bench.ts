// This agent against the agent of an earlier revision on the same 400 traces of 10 steps
// (bench/fixtures/random-10x400.json), pass after pass, A B A B, so that the machine's load
// hits both alike: µs per step of run(). For a change to the agent, the ratio is the figure
// to quote; the absolute numbers move with the machine.
//
//   npx tsx bench/agent-ab.bench.ts [--old REV] [--passes N]
// Needs root. Writes bench/results/agent-ab.json.
import { KernelBackend, kernelAvailable } from '../src/kernel/backend.js';
import type { Trace } from '../src/trace/types.js';
import { arg, describeMachine, fixture, invocation, machine, record, stats } from './lib.js';
import { buildOldAgent } from './settle.bench.js';

const oldRev = arg('old', 'c8f15ef')!;
const passes = Number(arg('passes', '4'));

const available = kernelAvailable();
if (!available.ok) {
  console.log(`skipped: ${available.reason}`);
  process.exit(0);
}
const traces = fixture<Trace[]>('random-10x400.json');
const backends: Record<string, KernelBackend> = { new: new KernelBackend(), old: new KernelBackend({ agentPath: buildOldAgent(oldRev) }) };
const perStep: Record<string, number[]> = { new: [], old: [] };
const m = machine();
console.log(`== agent A/B  (${describeMachine(m)})`);
try {
  for (let pass = 0; pass < passes; pass++) {
    for (const [name, backend] of Object.entries(backends)) {
      let steps = 0;
      let ms = 0;
      for (const trace of traces) {
        await backend.start(trace.setup);
        const t0 = performance.now();
        await backend.run(trace.steps);
        ms += performance.now() - t0;
        steps += trace.steps.length;
        await backend.close();
      }
      perStep[name].push((ms * 1000) / steps);
    }
  }
} finally {
  for (const b of Object.values(backends)) await b.dispose();
}
const ratios = perStep.new.map((x, i) => x / perStep.old[i]);
const figures = { oldRevision: oldRev, usPerStep: { new: stats(perStep.new), old: stats(perStep.old) }, newOverOld: stats(ratios) };
console.log(`new ${figures.usPerStep.new.median.toFixed(1)} µs/step, old ${figures.usPerStep.old.median.toFixed(1)} µs/step, new/old ${figures.newOverOld.median.toFixed(2)} (pass by pass)`);
console.log(record('agent-ab', m, invocation('agent-ab.bench.ts'), figures));
