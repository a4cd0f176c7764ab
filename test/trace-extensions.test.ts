// The trace format's extensions (docs/TRACE-EXTENSIONS.md) under random traces: the model
// never traps on them, and — where the kernel backend runs — it agrees with the kernel.
// Their one-behaviour rule traces are in test/rules/ (EXT-*, R58-kill-*, R62-mount-proc-*).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbTrace } from '../src/gen/index.js';
import { ModelBackend } from '../src/model/backend.js';
import { diffTrace, formatDivergence } from '../src/diff/index.js';
import { runTrace } from '../src/trace/backend.js';
import { validateTrace } from '../src/trace/validate.js';
import { describeKernel, useKernelBackend } from './helpers/kernel.js';

const EXT_OPS = new Set(['mount_proc', 'set_pdeathsig', 'kill']);

describe('extension ops on the model', () => {
  it('arbTrace gives them only when asked (a seed gives the traces it always gave)', () => {
    const plain = fc.sample(arbTrace(), { seed: 7, numRuns: 300 });
    expect(plain.flatMap((t) => t.steps).some((s) => EXT_OPS.has(s.op) || (s.op === 'exec' && s.argv))).toBe(false);
    const ext = fc.sample(arbTrace({ extensions: true }), { seed: 7, numRuns: 300 }).flatMap((t) => t.steps);
    for (const op of EXT_OPS) expect(ext.some((s) => s.op === op)).toBe(true);
    expect(ext.some((s) => s.op === 'exec' && s.argv)).toBe(true);
  });

  it('never traps, and every generated trace is valid', async () => {
    await fc.assert(fc.asyncProperty(arbTrace({ extensions: true, maxSteps: 16 }), async (t) => {
      validateTrace(JSON.parse(JSON.stringify(t)));
      const out = await runTrace(new ModelBackend(), t);
      expect(out.results).toHaveLength(t.steps.length);
    }), { numRuns: 2000, seed: 11 });
  });
});

describeKernel('extension ops: the model against the kernel', () => {
  const kernel = useKernelBackend();
  it('random traces with them agree (400 traces)', async () => {
    const seed = Number(process.env.NSMODEL_SEED ?? 23);
    await fc.assert(fc.asyncProperty(arbTrace({ extensions: true, maxSteps: 12 }), async (t) => {
      const r = await diffTrace(t, new ModelBackend(), kernel(), { localize: false });
      if (!r.agree) throw new Error(formatDivergence(t, r.divergence!));
    }), { numRuns: 400, seed });
  }, 120_000);
});
