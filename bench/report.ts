// The results table of bench/README.md, from bench/results/*.json (what the last runs wrote).
//
//   npx tsx bench/report.ts
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH, describeMachine, type Machine, type Stats } from './lib.js';

interface Results { machine: Machine; command: string; figures: Record<string, any> }

function load(name: string): Results | undefined {
  const file = join(BENCH, 'results', `${name}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Results) : undefined;
}

const M = (x: number) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)} k` : x.toFixed(0));
const range = (s: Stats, f: (x: number) => string) => `**${f(s.median)}** (${f(s.min)}–${f(s.max)}, n=${s.n})`;
const rows: string[] = [];
const row = (what: string, goal: string, measured: string, verdict: string, command: string) =>
  rows.push(`| ${what} | ${goal} | ${measured} | ${verdict} | \`${command}\` |`);
const machines: string[] = [];

const model = load('model');
if (model) {
  const f = model.figures;
  machines.push(`model: ${describeMachine(model.machine)}`);
  const sps = (k: string) => f[k].stepsPerSecond as Stats;
  const verdict = (s: Stats, goal: number) => (s.median >= goal ? 'met' : `missed (${(goal / s.median).toFixed(0)}× short)`);
  row('model, wasm `run` alone, random-10000 (with its 113 `observe` steps)', '≥ 20 M steps/s', `${range(sps('wasmRunWithObserve'), M)} steps/s`, verdict(sps('wasmRunWithObserve'), 20e6), 'npx tsx bench/model.bench.ts');
  row('model, wasm `run` alone, random-10000 without `observe` (9,887 steps)', '≥ 20 M steps/s', `${range(sps('wasmRunNoObserve'), M)} steps/s`, verdict(sps('wasmRunNoObserve'), 20e6), 'npx tsx bench/model.bench.ts');
  row('model, `runSync` end to end (encode + run + decode), with `observe`', '≥ 20 M steps/s', `${range(sps('runSyncWithObserve'), M)} steps/s`, verdict(sps('runSyncWithObserve'), 20e6), 'npx tsx bench/model.bench.ts');
  row('model, `runSync` end to end, without `observe`', '≥ 20 M steps/s', `${range(sps('runSyncNoObserve'), M)} steps/s`, verdict(sps('runSyncNoObserve'), 20e6), 'npx tsx bench/model.bench.ts');
  const fi = f.freshInstanceMs as Stats;
  row('model, fresh instance (`new ModelBackend().startSync()`: instantiate + start)', '≤ 0.2 ms', `${range(fi, (x) => `${(x * 1000).toFixed(0)} µs`)}`, fi.median <= 0.2 ? 'met' : 'missed', 'npx tsx bench/model.bench.ts');
  const nw = f.newWorldMs as Stats | undefined;
  if (nw) row('model, a new world in a used instance (`startSync()` again: what `runTrace` pays)', '—', `${range(nw, (x) => `${(x * 1000).toFixed(1)} µs`)}`, '', 'npx tsx bench/model.bench.ts');
  if (f.versionMs) {
    const v = f.versionMs as Stats;
    row('`nsmodel --version` (node dist/src/cli/main.js, wall time of the process)', '≤ 100 ms', `${range(v, (x) => `${x.toFixed(0)} ms`)}`, v.median <= 100 ? 'met' : 'missed', 'npx tsx bench/model.bench.ts');
  }
}

const cg = load('model-callgrind');
if (cg) {
  const f = cg.figures;
  machines.push(`callgrind: ${describeMachine(cg.machine)}`);
  row('model, instructions per step (callgrind): wasm `run` / `runSync`, without `observe`', '—', `${(f.wasmRun_noObserve / 9887).toFixed(0)} / ${(f.runSync_noObserve / 9887).toFixed(0)}`, 'repeatable', 'npx tsx bench/model-callgrind.ts');
  row('model, instructions per step (callgrind): wasm `run` / `runSync`, with `observe`', '—', `${(f.wasmRun_withObserve / 10000).toFixed(0)} / ${(f.runSync_withObserve / 10000).toFixed(0)}`, 'repeatable', 'npx tsx bench/model-callgrind.ts');
  row('model, instructions per fresh instance (callgrind)', '—', `${(f.freshInstance / 1e6).toFixed(2)} M`, 'repeatable', 'npx tsx bench/model-callgrind.ts');
}

const kernel = load('kernel');
if (kernel?.figures.small) {
  const f = kernel.figures;
  machines.push(`kernel: ${describeMachine(kernel.machine)}`);
  const s = f.small;
  const us = (x: number) => `${x.toFixed(0)} µs`;
  row('kernel backend, `run()` per step, 400 traces of 10 steps (one batch each)', '—', `${range(s.runUsPerStep, us)}`, '', 'npx tsx bench/kernel.bench.ts');
  row('C floor per step of the same steps (nsbench: the calls + one round trip)', '—', `**${s.floorUsPerStep.toFixed(0)} µs**`, '', 'npx tsx bench/kernel.bench.ts');
  row('kernel backend / C floor, 10-step traces', '≤ 1.5×', `**${s.ratio.toFixed(2)}×**`, s.ratio <= 1.5 ? 'met' : 'missed', 'npx tsx bench/kernel.bench.ts');
  for (const key of ['big1000', 'big10000']) {
    const b = f[key];
    if (!b) continue;
    row(`kernel backend / C floor, random-10000 first ${b.steps} steps (one batch)`, '≤ 1.5×', `${range(b.runUsPerStep, us)} vs ${b.floorUsPerStep.toFixed(0)} µs: **${b.ratio.toFixed(2)}×**`, b.ratio <= 1.5 ? 'met' : 'missed', 'npx tsx bench/kernel.bench.ts');
  }
  const nb = Object.fromEntries((f.nsbench as { name: string; ns: number; min: number; max: number }[]).map((x) => [x.name, x]));
  const c = (n: string) => (nb[n] ? `${(nb[n].ns / 1000).toFixed(1)} µs (${(nb[n].min / 1000).toFixed(1)}–${(nb[n].max / 1000).toFixed(1)})` : '?');
  row('SOCK_SEQPACKET round trip, both ends on one CPU / unpinned', '—', `${c('rt_seqpacket_samecpu')} / ${c('rt_seqpacket')}`, '', 'npx tsx bench/kernel.bench.ts');
}

const pinned = load('kernel-pinned');
if (pinned?.figures.small) {
  const s = pinned.figures.small;
  machines.push(`kernel, pinned: ${describeMachine(pinned.machine)} (\`${pinned.command}\`)`);
  row('kernel backend `run()` per step, 10-step traces, everything on one CPU (`taskset -c 0`)', '—', `${range(s.runUsPerStep, (x) => `${x.toFixed(0)} µs`)} vs floor ${s.floorUsPerStep.toFixed(0)} µs: **${s.ratio.toFixed(2)}×**`, s.ratio <= 1.5 ? 'met' : 'missed', 'taskset -c 0 npx tsx bench/kernel.bench.ts --tag pinned --big-runs 1');
}

const diff = load('diff');
if (diff) {
  const f = diff.figures;
  machines.push(`diff: ${describeMachine(diff.machine)}`);
  for (const jobs of [1, 2, 4]) {
    const d = f[`diffTrace_jobs${jobs}`];
    if (!d) continue;
    row(`differential: diffTrace over the 400 10-step traces, ${jobs} kernel backend${jobs > 1 ? 's side by side' : ''}`, '≥ 300 traces/s', `${range(d.tracesPerSecond, (x) => x.toFixed(0))} traces/s`, d.tracesPerSecond.median >= 300 ? 'met' : 'missed', 'npx tsx bench/diff.bench.ts');
  }
  if (f.fuzz) row(`differential: the fuzz runner (\`fuzz({runs: ${f.fuzz.runs}})\`, ${f.fuzz.jobs} jobs, its own ≤10-step traces)`, '≥ 300 traces/s', `${range(f.fuzz.tracesPerSecond, (x) => x.toFixed(0))} traces/s`, f.fuzz.tracesPerSecond.median >= 300 ? 'met' : 'missed', 'npx tsx bench/diff.bench.ts');
  const mt = f.modelMsPerTrace as Stats;
  row('model, per 10-step trace (a new world: start, runSync, snapshotSync)', '—', `${range(mt, (x) => `${(x * 1000).toFixed(0)} µs`)}`, '', 'npx tsx bench/diff.bench.ts');
  if (f.kernelMsPerTrace) {
    const kt = f.kernelMsPerTrace as Stats;
    row('kernel, per 10-step trace (start, run, snapshot, close; warm supervisor)', '—', `${range(kt, (x) => `${x.toFixed(2)} ms`)}`, '', 'npx tsx bench/diff.bench.ts');
    row('model vs kernel, whole 10-step traces', '≥ 1,000×', `**${f.modelVsKernel.toFixed(0)}×**`, f.modelVsKernel >= 1000 ? 'met' : 'missed', 'npx tsx bench/diff.bench.ts');
    row('model vs kernel, the steps alone (kernel `run()` vs model `runSync` / wasm `run`)', '≥ 1,000×', `**${f.modelVsKernelSteps.runSync.toFixed(0)}× / ${f.modelVsKernelSteps.wasmRun.toFixed(0)}×**`, f.modelVsKernelSteps.wasmRun >= 1000 ? 'met (wasm run)' : 'missed', 'npx tsx bench/diff.bench.ts');
  }
}

// `nsmodel check` on the shipped suite (issue 9 item 4): before (one trace after another) and after
const check = load('check');
if (check) {
  // --compare: the code before, its passes interleaved with these (same load)
  const before = check.figures.before ? { figures: check.figures.before as Record<string, any> } : undefined;
  machines.push(`check: ${describeMachine(check.machine)} (\`${check.command}\`${before ? ': "before" is the code of the --compare copy, interleaved' : ''})`);
  const was = (key: string, f: (s: Stats) => string) => (before?.figures[key] ? `before ${f(before.figures[key].rate as Stats)} → ` : '');
  const tps = (s: Stats) => `${s.median.toFixed(0)}`;
  for (const jobs of [1, 2, 4]) {
    const c = check.figures[`jobs${jobs}`];
    if (!c) continue;
    row(`\`nsmodel check\`'s suite (${c.tests} traces), check() in process, ${jobs} kernel backend${jobs > 1 ? 's side by side' : ''}`, '≥ 200 traces/s', `${was(`jobs${jobs}`, tps)}${range(c.rate, (x) => x.toFixed(0))} traces/s`, c.rate.median >= 200 ? 'met' : 'missed', 'npx tsx bench/check.bench.ts');
  }
  const c = check.figures.cli;
  if (c) row(`\`nsmodel check --seconds 0\` (the process, Node's start included; default jobs)`, '≥ 200 traces/s', `${was('cli', tps)}${range(c.rate, (x) => x.toFixed(0))} traces/s`, c.rate.median >= 200 ? 'met' : 'missed', 'npx tsx bench/check.bench.ts');
}

// memory of run and diff on long traces (issue 9 item 3): before → after, largest resident set
const memory = load('memory');
if (memory) {
  const before = load('memory-before');
  machines.push(`memory: ${describeMachine(memory.machine)}`);
  if (before) machines.push(`memory, before: ${describeMachine(before.machine)} (\`${before.command}\`, the build before the change)`);
  type M = { rssMB: number; seconds: number; status: number };
  const cell = (key: string, what: string) => {
    const a = memory.figures[key]?.[what] as M | undefined;
    const b = before?.figures[key]?.[what] as M | undefined;
    if (!a) return '';
    return `${b ? `${b.rssMB} MB, ${b.seconds} s → ` : ''}**${a.rssMB} MB**, ${a.seconds} s`;
  };
  for (const key of Object.keys(memory.figures).filter((k) => k.startsWith('steps'))) {
    const n = Number(key.slice(5)).toLocaleString('en');
    row(`memory, a ${n}-step trace (small live world): parse alone / \`run\` / \`diff\``, 'follows the live world', `${cell(key, 'parse')} / ${cell(key, 'run')} / ${cell(key, 'diff')}`, '', 'npx tsx bench/memory.bench.ts');
  }
  if (memory.figures.observeHeavy) row('memory, 99 processes + 2,313 observes (~250,000 snapshot entries, ~75 MB of output): parse / `run` / `diff`', 'follows the live world', `${cell('observeHeavy', 'parse')} / ${cell('observeHeavy', 'run')} / ${cell('observeHeavy', 'diff')}`, '', 'npx tsx bench/memory.bench.ts');
  const amp = memory.figures.amplify as M | undefined;
  if (amp) row('500 forks + 5,000 observes (issue 7: 79 s, 2.6 GB, exit 70)', 'refused, exit 2', `exit ${amp.status} in ${amp.seconds} s, ${amp.rssMB} MB`, amp.status === 2 ? 'met' : 'missed', 'npx tsx bench/memory.bench.ts');
}

console.log('| what | goal | measured: median (min–max, runs) | | command |');
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(r);
console.log();
for (const m of machines) console.log(`- ${m}`);
