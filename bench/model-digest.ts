// Everything the model says about many random traces, as one digest: to check that a change
// made for speed changes no output (the model is deterministic). For each trace: every
// step's result and why code, the final canonical snapshot, and the raw inode numbers.
//
//   npx tsx bench/model-digest.ts [--traces N] [--out FILE]      (NSMODEL_WASM=... for another build)
// Run it before and after a change to assembly/; the digests (and --out files) must be equal.
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { arbTrace } from '../src/gen/index.js';
import { ModelBackend } from '../src/model/backend.js';
import { modelOracle } from '../src/model/oracle.js';
import type { Trace } from '../src/trace/types.js';
import { arg, fixture } from './lib.js';

const n = Number(arg('traces', '4000'));
const out = arg('out');
const reuse = process.argv.includes('--reuse');

const sets: { name: string; traces: Trace[] }[] = [
  // fuzz-like: any process may act, dead ones included
  { name: 'short, no oracle', traces: fc.sample(arbTrace({ maxSteps: 12 }), { numRuns: n, seed: 1 }) },
  { name: 'short, oracle', traces: fc.sample(arbTrace({ maxSteps: 12, oracle: modelOracle }), { numRuns: n, seed: 2 }) },
  { name: 'long, oracle', traces: fc.sample(arbTrace({ minSteps: 100, maxSteps: 400, oracle: modelOracle }), { numRuns: Math.max(1, n / 20), seed: 3 }) },
  { name: 'long, no oracle', traces: fc.sample(arbTrace({ minSteps: 100, maxSteps: 400 }), { numRuns: Math.max(1, n / 20), seed: 4 }) },
  { name: 'unprivileged', traces: fc.sample(arbTrace({ maxSteps: 30, user: 'unprivileged', oracle: modelOracle }), { numRuns: Math.max(1, n / 4), seed: 5 }) },
  { name: 'fixtures', traces: [fixture<Trace>('random-10000.json'), ...fixture<Trace[]>('random-10x400.json')] },
];

const all = createHash('sha256');
const lines: string[] = [];
for (const set of sets) {
  const h = createHash('sha256');
  const reused = new ModelBackend();
  for (const t of set.traces) {
    // --reuse: one backend, one wasm instance, a new world per trace
    const m = reuse ? reused : new ModelBackend();
    m.startSync(t.setup);
    // in two batches, so that the batch boundary is exercised too
    const cut = Math.floor(t.steps.length / 2);
    const results = [...m.runSync(t.steps.slice(0, cut)), ...m.runSync(t.steps.slice(cut))];
    const whys = t.steps.map((_, i) => m.why(i));
    const raw = m.rawSnapshot();
    const line = JSON.stringify({ results, whys, final: m.snapshotSync(), inodes: [...raw.inodes] });
    h.update(line);
    all.update(line);
    if (out) lines.push(line);
  }
  console.log(`${set.name.padEnd(18)} ${String(set.traces.length).padStart(6)} traces  ${h.digest('hex').slice(0, 16)}`);
}
console.log(`digest ${all.digest('hex')}`);
if (out) writeFileSync(out, `${lines.join('\n')}\n`);
