// nsmodel run and diff on long traces (issue 9 item 3, issue 7 item 6): the steps go to the
// backends in chunks — at most 4096 steps, and observes whose snapshots hold about 2,000
// entries in all — so that a run holds one chunk's results at a time, never the whole
// output; run's output is still exactly formatOutput's text. In process, the backends
// recording the batches they are given.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { formatOutput } from '../src/trace/format.js';
import { runTrace } from '../src/trace/backend.js';
import { parseTrace } from '../src/trace/validate.js';
import { ModelBackend } from '../src/model/backend.js';
import { CHUNK_ENTRIES, DIFF_CHUNK } from '../src/diff/diff.js';
import type { Step } from '../src/trace/types.js';
import { runMain } from './cli-helpers.js';

const batches = vi.hoisted(() => ({ model: [] as number[][], kernel: [] as number[][] }));

// every backend the commands make records its batches: [steps, observes] per run() call
vi.mock('../src/model/backend.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/model/backend.js')>();
  class ModelBackend extends real.ModelBackend {
    override async run(steps: readonly Step[]) {
      batches.model.push([steps.length, steps.filter((s) => s.op === 'observe').length]);
      return super.run(steps);
    }
  }
  return { ...real, ModelBackend };
});
vi.mock('../src/kernel/backend.js', async () => {
  const { AlteredBackend } = await import('./helpers/fake-backends.js');
  class KernelBackend extends AlteredBackend {
    override readonly name = 'kernel';
    constructor() { super({}); }
    override async run(steps: readonly Step[]) {
      batches.kernel.push([steps.length, steps.filter((s) => s.op === 'observe').length]);
      return super.run(steps);
    }
  }
  return { KernelBackend, kernelAvailable: () => ({ ok: true }) };
});

const dir = mkdtempSync(join(tmpdir(), 'nsmodel-stream-'));
const write = (name: string, steps: unknown[]) => {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ nsmodel: 1, steps }));
  return file;
};
const forks = (n: number) => Array.from({ length: n }, (_, i) => ({ by: 'p0', op: 'fork', as: `c${i}` }));
const many = (n: number, op: string) => Array.from({ length: n }, () => ({ by: 'p0', op }));
// 10,001 steps; and 99 processes with 2,313 observes (snapshots of 108 entries: ~250,000 in all)
const LONG = write('long.json', [...forks(3), ...many(9998, 'getpid')]);
const HEAVY = write('heavy.json', [...forks(99), ...many(2313, 'observe')]);

/** The output formatOutput gives for the trace (the model, in one batch). */
async function whole(file: string, pretty = false): Promise<string> {
  const { readFileSync } = await import('node:fs');
  return `${formatOutput(await runTrace(new ModelBackend(), parseTrace(readFileSync(file, 'utf8'))), { pretty })}\n`;
}

describe('nsmodel run: in chunks, the same text', () => {
  it.each([[LONG, false], [HEAVY, false], [HEAVY, true]])('%s (pretty %s)', async (file, pretty) => {
    const expected = await whole(file, pretty);
    batches.model = [];
    const r = await runMain(['run', file, ...(pretty ? ['--pretty'] : [])]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(expected);
    expect(batches.model.length).toBeGreaterThan(2);
    for (const [steps, observes] of batches.model) {
      expect(steps).toBeLessThanOrEqual(DIFF_CHUNK);
      expect(observes * 108).toBeLessThanOrEqual(CHUNK_ENTRIES + 108);
    }
    expect(batches.model.reduce((a, [n]) => a + n, 0)).toBe(file === LONG ? 10_001 : 2412);
  });
});

describe('nsmodel diff: in chunks on both backends', () => {
  it.each([LONG, HEAVY])('%s', async (file) => {
    batches.model = [];
    batches.kernel = [];
    const r = await runMain(['diff', file]);
    expect(r).toEqual({ status: 0, stderr: '', stdout: `The model and the kernel agree: the same ${file === LONG ? '10001' : '2412'} results and the same final snapshot.\n` });
    for (const side of [batches.model, batches.kernel]) {
      expect(side.length).toBeGreaterThan(2);
      for (const [steps, observes] of side) {
        expect(steps).toBeLessThanOrEqual(DIFF_CHUNK);
        expect(observes * 108).toBeLessThanOrEqual(CHUNK_ENTRIES + 108);
      }
    }
    expect(batches.kernel.reduce((a, [n]) => a + n, 0)).toBe(file === LONG ? 10_001 : 2412);
  });
});
