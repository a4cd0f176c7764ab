// Memory of `nsmodel run` and `nsmodel diff` on long traces (issue 9 item 3): the largest
// resident set (`/usr/bin/time -f %M`) of the command as installed, on traces of 10,000 to
// 100,000 steps (the 'steps per trace' limit) whose live world stays small (p0 and at most
// one child; forks that exit and are reaped, hostnames set and read). Memory that follows the
// live world grows with the trace only by what holding the parsed trace takes; the figure
// "parse" is that alone (node: read, parseTrace). Also the issue-7 trace (500 forks, 5,000
// observes): its status and time (refused up front now; before, 79 s, 2.6 GB, exit 70), and
// an observe-heavy trace within the limits (~75 MB of output).
//
//   npx tsx bench/memory.bench.ts [--bin dist/src/cli/main.js] [--tag before] [--quick]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { kernelAvailable } from '../src/kernel/backend.js';
import { arg, describeMachine, flag, invocation, machine, record, ROOT } from './lib.js';

const bin = resolve(arg('bin', join(ROOT, 'dist', 'src', 'cli', 'main.js'))!);
const sizes = flag('quick') ? [10_000, 100_000] : [10_000, 25_000, 50_000, 100_000];
const dir = mkdtempSync(join(tmpdir(), 'nsmodel-membench-'));

/** A valid trace of about `n` steps with a small live world. */
function longTrace(n: number): string {
  const steps: unknown[] = [{ by: 'p0', op: 'unshare', flags: ['CLONE_NEWUTS'] }];
  let k = 0;
  while (steps.length < n - 4) {
    const i = steps.length;
    if (i % 50 === 0 && k < 4000) {
      const c = `c${k++}`;
      steps.push({ by: 'p0', op: 'fork', as: c }, { by: c, op: 'sethostname', name: `h${i}` }, { by: c, op: 'exit', code: 0 }, { by: 'p0', op: 'wait' });
    } else if (i % 5 === 0) steps.push({ by: 'p0', op: 'gethostname' });
    else if (i % 5 === 1) steps.push({ by: 'p0', op: 'sethostname', name: `host-${i}` });
    else steps.push({ by: 'p0', op: 'getpid' });
  }
  steps.push({ by: 'p0', op: 'observe' });
  return JSON.stringify({ nsmodel: 1, name: `long ${n}`, steps });
}

/** Largest resident set (MB), wall seconds and status of `node args`. */
function measure(args: string[]): { rssMB: number; seconds: number; status: number | null } {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  const seconds = (performance.now() - t0) / 1000;
  const kb = Number(r.stderr.trim().split('\n').pop());
  return { rssMB: Math.round(kb / 1024), seconds: Math.round(seconds * 100) / 100, status: r.status };
}

const m = machine();
const kernel = kernelAvailable();
const parseOnly = join(dir, 'parse.mjs');
writeFileSync(parseOnly, `import { readFileSync } from 'node:fs';\nconst { parseTrace } = await import(${JSON.stringify(join(bin, '..', '..', 'trace', 'validate.js'))});\nparseTrace(readFileSync(process.argv[2], 'utf8'));\n`);
const figures: Record<string, unknown> = { bin };
for (const n of sizes) {
  const file = join(dir, `long-${n}.json`);
  writeFileSync(file, longTrace(n));
  const row: Record<string, unknown> = { parse: measure([parseOnly, file]), run: measure([bin, 'run', file]) };
  if (kernel.ok) row.diff = measure([bin, 'diff', file]);
  figures[`steps${n}`] = row;
  console.log(`${n} steps: ${Object.entries(row).map(([k, v]) => `${k} ${(v as { rssMB: number }).rssMB} MB ${(v as { seconds: number }).seconds} s (exit ${(v as { status: number }).status})`).join(', ')}`);
}
// Within the limits but observe-heavy: 99 live processes and 2,313 observes (249,912 snapshot
// entries, just under the limit; ~75 MB of output): the output streamed, not held.
const heavy = join(dir, 'observe-heavy.json');
writeFileSync(heavy, JSON.stringify({ nsmodel: 1, steps: [
  ...Array.from({ length: 99 }, (_, i) => ({ by: 'p0', op: 'fork', as: `c${i}` })),
  ...Array.from({ length: 2313 }, () => ({ by: 'p0', op: 'observe' })),
] }));
figures.observeHeavy = { parse: measure([parseOnly, heavy]), run: measure([bin, 'run', heavy]), ...(kernel.ok ? { diff: measure([bin, 'diff', heavy]) } : {}) };
console.log(`99 processes + 2,313 observes: ${JSON.stringify(figures.observeHeavy)}`);

const amp = join(dir, 'amplify.json');
writeFileSync(amp, JSON.stringify({ nsmodel: 1, steps: [
  ...Array.from({ length: 500 }, (_, i) => ({ by: 'p0', op: 'fork', as: `c${i}` })),
  ...Array.from({ length: 5000 }, () => ({ by: 'p0', op: 'observe' })),
] }));
if (!flag('skip-amplify')) {
  figures.amplify = measure([bin, 'run', amp]);
  console.log(`500 forks + 5,000 observes, run: ${JSON.stringify(figures.amplify)}`);
}
if (!kernel.ok) console.log(`(diff skipped: ${kernel.reason})`);
console.log(describeMachine(m));
console.log(record('memory', m, invocation('memory.bench.ts'), figures));
