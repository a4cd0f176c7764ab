// The golden traces (test/golden, copied from shared/golden: exact outputs of Linux 6.18)
// on the real kernel: each gives its .expected.json, and the same bytes run after run.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runTrace } from '../src/trace/backend.js';
import { formatOutput } from '../src/trace/format.js';
import { parseTrace } from '../src/trace/validate.js';
import { describeKernel, useKernelBackend } from './helpers/kernel.js';

const dir = join(import.meta.dirname, 'golden');
const traces = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.endsWith('.expected.json')).sort();

function golden(file: string) {
  return {
    trace: parseTrace(readFileSync(join(dir, file), 'utf8')),
    expected: JSON.parse(readFileSync(join(dir, file.replace(/\.json$/, '.expected.json')), 'utf8')) as unknown,
  };
}

describeKernel('golden traces on the kernel backend', () => {
  const backend = useKernelBackend();

  it('has the four golden traces', () => {
    expect(traces.length).toBeGreaterThanOrEqual(4);
  });

  for (const file of traces) {
    it(`${file} gives its .expected.json`, async () => {
      const { trace, expected } = golden(file);
      const out = await runTrace(backend(), trace);
      expect(JSON.parse(JSON.stringify(out))).toEqual(expected);
    });
  }

  it('the same trace run 10 times gives the same bytes', async () => {
    for (const file of traces) {
      const { trace } = golden(file);
      const first = formatOutput(await runTrace(backend(), trace));
      for (let i = 1; i < 10; i++) {
        expect(formatOutput(await runTrace(backend(), trace))).toBe(first);
      }
    }
  });
});
