// The explorer's speed (issue 10): distinct states per second on every built-in property
// (BFS to its default depth), the depth BFS reaches in 10 s, and the time to the first
// counterexample of seed-nsenter in-process, the world's construction included. Writes
// bench/results/explore.json; bench/README.md has the table and what limits the figures.
//
//   npx tsx bench/explore.bench.ts [--quick] [--seconds S]
import { BUILTIN_PROPERTIES } from '../sim/properties/index.js';
import { Explorer } from '../src/explore/search.js';
import { explore, loadProperty } from '../src/explore/index.js';
import { arg, describeMachine, flag, invocation, machine, record, stats, timeSync } from './lib.js';

export async function benchExplore(): Promise<Record<string, unknown>> {
  const quick = flag('quick');
  const budget = Number(arg('seconds', quick ? '2' : '10'));
  const figures: Record<string, unknown> = {};

  // time to the first counterexample of seed-nsenter: a cold first run (wasm compiled), then warm ones
  const seed = BUILTIN_PROPERTIES.find((p) => p.name === 'seed-nsenter')!;
  const t0 = performance.now();
  const first = new Explorer(seed).run();
  const cold = performance.now() - t0;
  const warm = timeSync(() => { new Explorer(seed).run(); }, quick ? 5 : 30);
  figures.seedNsenterFirstCounterexample = { depth: first.depth, states: first.states, coldMs: cold, warmMs: warm };
  console.log(`seed-nsenter: counterexample of ${first.depth} steps; cold ${cold.toFixed(1)} ms, warm median ${warm.median.toFixed(2)} ms (world + search)`);

  const perProperty: Record<string, unknown> = {};
  for (const p of BUILTIN_PROPERTIES) {
    // wall-clock rates, and rates per second of this process's CPU time (the machine is shared:
    // CPU time is what another process's load does not take from the figure)
    const runs: { r: ReturnType<Explorer['run']>; cpu: number }[] = [];
    for (let i = 0; i < (quick ? 1 : 3); i++) {
      const c0 = process.cpuUsage();
      const r = new Explorer(p).run();
      const c = process.cpuUsage(c0);
      runs.push({ r, cpu: (c.user + c.system) / 1e6 });
    }
    const r = runs[0].r;
    const sps = stats(runs.map((x) => x.r.statesPerSecond));
    const tps = stats(runs.map((x) => x.r.transitions / x.r.seconds));
    const spcs = stats(runs.map((x) => x.r.states / x.cpu));
    // the depth reached in `budget` seconds (holds: deeper and deeper; broken: where it breaks)
    const deep = new Explorer(p).run({ depth: 60, seconds: budget });
    perProperty[p.name] = {
      verdict: r.verdict, depth: r.depth, states: r.states, transitions: r.transitions,
      statesPerSecond: sps, transitionsPerSecond: tps, statesPerCpuSecond: spcs,
      inBudget: { seconds: budget, verdict: deep.verdict, depth: deep.depth, complete: deep.complete, exhaustedAt: deep.exhaustedAt, states: deep.states, statesPerSecond: deep.statesPerSecond },
    };
    const reach = deep.verdict === 'broken' ? `broken at depth ${deep.depth}`
      : deep.exhaustedAt !== undefined ? `state space exhausted at depth ${deep.exhaustedAt} (${deep.states} states)` : `depth ${deep.depth} complete, ${deep.states} states`;
    console.log(`${p.name.padEnd(24)} ${r.verdict.padEnd(6)} depth ${String(r.depth).padEnd(2)} ${String(r.states).padStart(8)} states  ${Math.round(sps.median).toString().padStart(7)} states/s  ${Math.round(tps.median).toString().padStart(7)} transitions/s  (${Math.round(spcs.median).toString().padStart(7)} states per CPU s) | in ${budget} s: ${reach}`);
  }
  figures.properties = perProperty;

  // two worker threads (--jobs 2) on the largest property: the states are the shards' sum
  const big = await loadProperty('unprivileged-hostname');
  const c0 = process.cpuUsage();
  const two = await explore(big, { jobs: 2, kernel: false });
  const c = process.cpuUsage(c0);
  figures.jobs2 = { property: big.name, states: two.states, seconds: two.seconds, statesPerSecond: two.statesPerSecond, processCpuSeconds: (c.user + c.system) / 1e6 };
  console.log(`--jobs 2, ${big.name}: ${two.states} states (the shards' sum) in ${two.seconds.toFixed(2)} s, ${Math.round(two.statesPerSecond)} states/s`);
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('explore.bench.ts')) {
  const m = machine();
  console.log(`== explore  (${describeMachine(m)})`);
  const file = record('explore', m, invocation('explore.bench.ts'), await benchExplore());
  console.log(`results: ${file}`);
}
