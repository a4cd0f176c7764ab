// The model against the real kernel on random traces: a fast-check property over at least
// 300 traces per run (bounded in time), the seed printed so that a failure replays:
//   NSMODEL_SEED=<seed> npx vitest run test/differential
// and every trace of sim/traces agreeing on both backends.

import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { arbTrace, diffTrace, formatDivergence, formatTrace, fuzz, ModelBackend, parseTrace } from '../src/index.js';
import { traceFiles } from '../src/diff/files.js';
import { describeKernel, useKernelBackend } from './helpers/kernel.js';

const RUNS = 400;
const TIME_LIMIT_MS = 50_000;
const seed = process.env.NSMODEL_SEED ? Number(process.env.NSMODEL_SEED) : Math.floor(Math.random() * 0x7fffffff);

describeKernel('model vs kernel on random traces', () => {
  const kernel = useKernelBackend();

  it(`agree on at least 300 random traces (fast-check; seed printed)`, async () => {
    console.log(`differential: seed ${seed} (replay: NSMODEL_SEED=${seed} npx vitest run test/differential)`);
    let runs = 0;
    await fc.assert(fc.asyncProperty(arbTrace({ maxSteps: 10 }), async (trace) => {
      runs++;
      const d = await diffTrace(trace, new ModelBackend(), kernel());
      if (!d.agree) throw new Error(`${formatDivergence(trace, d.divergence!)}\nThe trace:\n${formatTrace(trace)}`);
    }), { seed, numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false });
    expect(runs).toBeGreaterThanOrEqual(300);
  }, 70_000);

  it('the fuzz runner agrees too (300 traces, 2 sandboxes side by side)', async () => {
    const report = await fuzz({ runs: 300, seed, jobs: 2 });
    const d = report.divergences[0];
    expect(d ? `${d.divergence ? formatDivergence(d.trace, d.divergence) : d.error}\n${formatTrace(d.trace)}` : '').toBe('');
    expect(report.traces).toBe(300);
  }, 70_000);

  const simTraces = traceFiles(join(import.meta.dirname, '..', 'sim', 'traces'));
  it.skipIf(simTraces.length === 0)(`every trace of sim/traces agrees (${simTraces.length})`, async () => {
    for (const file of simTraces) {
      const trace = parseTrace(readFileSync(file, 'utf8'));
      const d = await diffTrace(trace, new ModelBackend(), kernel(), { localize: true });
      expect(d.agree ? '' : `${file}\n${formatDivergence(trace, d.divergence!)}`).toBe('');
    }
  });
});
