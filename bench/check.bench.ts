// `nsmodel check` throughput on the shipped suite (issue 9 item 4): the suite's trace files
// (sim/traces, test/golden, test/rules; no random traces), as traces per second:
//   - check() in process, with --jobs 1, 2 and 4 kernel backends side by side (the default is
//     defaultJobs(): twice the CPUs, at most 4), wall time of the whole call;
//   - the command as installed (`node dist/src/cli/main.js check --seconds 0`), wall time of
//     the process (Node's start and the model's wasm included).
// Goal: ≥ 200 traces/s for the shipped suite on 2 cores. Needs root (the kernel backend);
// skipped with the reason otherwise.
//
//   npx tsx bench/check.bench.ts [--quick] [--passes N] [--tag before]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { kernelAvailable } from '../src/kernel/backend.js';
import { check } from '../src/diff/check.js';
import { arg, describeMachine, flag, invocation, machine, record, ROOT, spread, stats, type Stats } from './lib.js';

const quick = flag('quick');
const passes = Number(arg('passes', quick ? '2' : '5'));

async function inProcess(jobs: number): Promise<{ rate: Stats; tests: number; fail: number }> {
  const rates: number[] = [];
  let tests = 0;
  let fail = 0;
  await check({ seconds: 0, jobs }); // warm: the model's wasm compiled, the agents' pages cached
  for (let i = 0; i < passes; i++) {
    const t0 = performance.now();
    const report = await check({ seconds: 0, jobs });
    const ms = performance.now() - t0;
    tests = report.tests.length;
    fail = report.totals.fail;
    rates.push((tests * 1000) / ms);
  }
  return { rate: stats(rates), tests, fail };
}

function cli(): { rate: Stats; seconds: Stats; tests: number } | undefined {
  const bin = join(ROOT, 'dist', 'src', 'cli', 'main.js');
  if (!existsSync(bin)) {
    console.log(`(the command: ${bin} is missing; npm run build)`);
    return undefined;
  }
  const rates: number[] = [];
  const secs: number[] = [];
  let tests = 0;
  for (let i = 0; i < passes; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [bin, 'check', '--seconds', '0', '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`nsmodel check exited ${r.status}: ${r.stderr}`);
    tests = (JSON.parse(r.stdout) as { tests: unknown[] }).tests.length;
    rates.push((tests * 1000) / ms);
    secs.push(ms / 1000);
  }
  return { rate: stats(rates), seconds: stats(secs), tests };
}

const available = kernelAvailable();
if (!available.ok) {
  console.log(`check bench skipped: ${available.reason}`);
} else {
  const m = machine();
  const figures: Record<string, unknown> = {};
  for (const jobs of [1, 2, 4]) {
    const r = await inProcess(jobs);
    figures[`jobs${jobs}`] = r;
    console.log(`check(), ${r.tests} traces, ${jobs} job${jobs === 1 ? '' : 's'}: ${spread(r.rate, (x) => x.toFixed(0))} traces/s${r.fail ? ` (${r.fail} failed!)` : ''}`);
  }
  const c = cli();
  if (c) {
    figures.cli = c;
    console.log(`nsmodel check --seconds 0 (the process): ${spread(c.rate, (x) => x.toFixed(0))} traces/s, ${spread(c.seconds, (x) => `${x.toFixed(2)} s`)}`);
  }
  console.log(describeMachine(m));
  console.log(record('check', m, invocation('check.bench.ts'), figures));
}
