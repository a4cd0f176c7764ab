// `nsmodel check` throughput on the shipped suite (issue 9 item 4): the suite's trace files
// (sim/traces, test/golden, test/rules; no random traces), as traces per second:
//   - check() in process, with --jobs 1, 2 and 4 kernel backends side by side (the default is
//     defaultJobs(): twice the CPUs, at most 4), wall time of the whole call;
//   - the command as installed (`node dist/src/cli/main.js check --seconds 0`), wall time of
//     the process (Node's start and the model's wasm included).
// Goal: ≥ 200 traces/s for the shipped suite on 2 cores. Needs root (the kernel backend);
// skipped with the reason otherwise.
//
// --compare DIR: also the code in DIR (a copy of an older commit, with its own dist/: e.g.
// `git archive c8f15ef | tar -x -C DIR`, node_modules and build/ linked or copied, `tsc`),
// its passes interleaved with this code's, so that both see the same load on a shared
// machine; recorded as figures.before.
//
//   npx tsx bench/check.bench.ts [--quick] [--passes N] [--compare DIR] [--tag X]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { kernelAvailable } from '../src/kernel/backend.js';
import { check as checkHere } from '../src/diff/check.js';
import { arg, describeMachine, flag, invocation, machine, record, ROOT, spread, stats } from './lib.js';

const quick = flag('quick');
const passes = Number(arg('passes', quick ? '2' : '5'));

type Check = typeof checkHere;
const compare = arg('compare');
const checkBefore: Check | undefined = compare ? ((await import(resolve(compare, 'src', 'diff', 'check.ts'))) as { check: Check }).check : undefined;

/** check() over the suite, `passes` times: traces/s of each (wall time of the call). */
async function inProcess(check: Check, jobs: number, rates: number[]): Promise<{ tests: number; fail: number }> {
  const t0 = performance.now();
  const report = await check({ seconds: 0, jobs });
  const ms = performance.now() - t0;
  rates.push((report.tests.length * 1000) / ms);
  return { tests: report.tests.length, fail: report.totals.fail };
}

function cliOnce(root: string, rates: number[], secs: number[]): number {
  const bin = join(root, 'dist', 'src', 'cli', 'main.js');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: npm run build`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [bin, 'check', '--seconds', '0', '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`nsmodel check exited ${r.status}: ${r.stderr}`);
  const tests = (JSON.parse(r.stdout) as { tests: unknown[] }).tests.length;
  rates.push((tests * 1000) / ms);
  secs.push(ms / 1000);
  return tests;
}

const available = kernelAvailable();
if (!available.ok) {
  console.log(`check bench skipped: ${available.reason}`);
} else {
  const m = machine();
  const sides: [string, Check, string][] = [['after', checkHere, ROOT], ...(checkBefore ? [['before', checkBefore, resolve(compare!)] as [string, Check, string]] : [])];
  const figures: Record<string, Record<string, unknown>> = { after: {}, before: {} };
  for (const jobs of [1, 2, 4]) {
    const rates: Record<string, number[]> = { after: [], before: [] };
    let info = { tests: 0, fail: 0 };
    for (const [, c] of sides) await c({ seconds: 0, jobs }); // warm
    for (let i = 0; i < passes; i++) for (const [name, c] of sides) info = await inProcess(c, jobs, rates[name]);
    for (const [name] of sides) {
      figures[name][`jobs${jobs}`] = { rate: stats(rates[name]), tests: info.tests, fail: info.fail };
      console.log(`${name}: check(), ${info.tests} traces, ${jobs} job${jobs === 1 ? '' : 's'}: ${spread(stats(rates[name]), (x) => x.toFixed(0))} traces/s`);
    }
  }
  const rates: Record<string, number[]> = { after: [], before: [] };
  const secs: Record<string, number[]> = { after: [], before: [] };
  let tests = 0;
  for (let i = 0; i < passes; i++) for (const [name, , root] of sides) tests = cliOnce(root, rates[name], secs[name]);
  for (const [name] of sides) {
    figures[name].cli = { rate: stats(rates[name]), seconds: stats(secs[name]), tests };
    console.log(`${name}: nsmodel check --seconds 0 (the process): ${spread(stats(rates[name]), (x) => x.toFixed(0))} traces/s, ${spread(stats(secs[name]), (x) => `${x.toFixed(2)} s`)}`);
  }
  console.log(describeMachine(m));
  console.log(record('check', m, invocation('check.bench.ts'), { ...figures.after, ...(checkBefore ? { before: figures.before } : {}) }));
}
