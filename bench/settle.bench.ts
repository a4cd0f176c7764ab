// What a step that ends or reaps a process costs as the sandbox fills (issue 7, item 4):
// with N live processes, 150 rounds of (fork x, kill x, wait) — every kill and every wait that
// reaps makes the supervisor settle — timed per step, for N = 10 ... 3,000. Two agents side by
// side in one run, round after round (A B A B ...), so the machine's drift hits both alike:
//   new  build/nsagent (settles only what the step can have changed)
//   old  the agent of `--old REV` (default c8f15ef, before issue 7: every settle reread every
//        process), built here into build/nsagent-old from that revision's sources.
//
//   npx tsx bench/settle.bench.ts [--quick] [--old REV] [--reps N]
// Needs root (the kernel backend). Writes bench/results/settle.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KernelBackend, kernelAvailable } from '../src/kernel/backend.js';
import type { Step } from '../src/trace/types.js';
import { arg, describeMachine, flag, invocation, machine, record, ROOT, stats, type Stats } from './lib.js';

const quick = flag('quick');
const oldRev = arg('old', 'c8f15ef')!;
const reps = Number(arg('reps', quick ? '1' : '3'));
const SIZES = quick ? [10, 400] : [10, 100, 400, 1000, 3000];
const ROUNDS = 150;

/** The agent of revision `rev`, compiled as scripts/build.mjs compiles it. */
export function buildOldAgent(rev: string): string {
  const out = join(ROOT, 'build', 'nsagent-old');
  const src = mkdtempSync(join(tmpdir(), 'nsagent-old-'));
  try {
    const ls = spawnSync('git', ['-C', ROOT, 'ls-tree', '--name-only', `${rev}:src/kernel/agent`], { encoding: 'utf8' });
    if (ls.status !== 0) throw new Error(`git ls-tree ${rev}: ${ls.stderr.trim()}`);
    for (const f of ls.stdout.split('\n').filter(Boolean)) {
      const show = spawnSync('git', ['-C', ROOT, 'show', `${rev}:src/kernel/agent/${f}`], { encoding: 'buffer', maxBuffer: 1 << 24 });
      writeFileSync(join(src, f), show.stdout);
    }
    mkdirSync(join(ROOT, 'build'), { recursive: true });
    const files = ls.stdout.split('\n').filter((f) => f.endsWith('.c')).map((f) => join(src, f));
    const base = ['-O2', '-std=gnu11', '-o', out, ...files];
    let r = spawnSync(process.env.CC || 'cc', ['-static', ...base], { stdio: 'ignore' });
    if (r.status !== 0) r = spawnSync(process.env.CC || 'cc', base, { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`cannot compile the agent of ${rev}`);
  } finally {
    rmSync(src, { recursive: true, force: true });
  }
  return out;
}

/** µs per step of the measured part, with `live` processes alive besides p0. */
async function perStep(backend: KernelBackend, live: number): Promise<number> {
  await backend.start({ user: 'root', hostname: 'bench' });
  const fill: Step[] = [];
  for (let k = 0; k < live; k++) fill.push({ by: 'p0', op: 'fork', as: `l${k}` });
  await backend.run(fill);
  const steps: Step[] = [];
  for (let k = 0; k < ROUNDS; k++) {
    steps.push({ by: 'p0', op: 'fork', as: `x${k}` }, { by: 'p0', op: 'kill', target: `x${k}`, signal: 'SIGKILL' }, { by: 'p0', op: 'wait' });
  }
  const t0 = performance.now();
  await backend.run(steps);
  const us = ((performance.now() - t0) * 1000) / steps.length;
  await backend.close();
  return us;
}

export async function benchSettle(): Promise<Record<string, unknown> | null> {
  const available = kernelAvailable();
  if (!available.ok) {
    console.log(`skipped: ${available.reason}`);
    return null;
  }
  const agents = { new: undefined as string | undefined, old: existsSync(join(ROOT, '.git')) ? buildOldAgent(oldRev) : undefined };
  if (!agents.old) console.log(`no git checkout here: only the current agent is measured`);
  const backends = Object.fromEntries(
    Object.entries(agents).filter(([name, path]) => name === 'new' || path).map(([name, path]) => [name, new KernelBackend({ agentPath: path })]),
  );
  const rows: Record<string, Record<string, Stats>> = {};
  try {
    for (const live of SIZES) {
      const samples: Record<string, number[]> = {};
      for (let r = 0; r < reps; r++) {
        for (const [name, backend] of Object.entries(backends)) (samples[name] ??= []).push(await perStep(backend, live));
      }
      rows[live] = Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, stats(s)]));
      console.log(`${String(live).padStart(5)} live: ${Object.entries(rows[live]).map(([n, s]) => `${n} ${s.median.toFixed(1)} µs/step`).join(', ')}`);
    }
  } finally {
    for (const b of Object.values(backends)) await b.dispose();
  }
  const ratio = (name: string) => Object.fromEntries(SIZES.map((n) => [n, rows[n][name] ? rows[n][name].median / rows[SIZES[0]][name].median : null]));
  return { rounds: ROUNDS, oldRevision: oldRev, usPerStep: rows, costVs10Live: { new: ratio('new'), old: ratio('old') } };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const m = machine();
  console.log(`== settle  (${describeMachine(m)})`);
  const figures = await benchSettle();
  if (figures) console.log(record('settle', m, invocation('settle.bench.ts'), figures));
}
