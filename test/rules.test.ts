// One behaviour per trace (test/rules/*.json, each named for the rule of SEMANTICS.md it
// checks), run on both backends against the output the real kernel gave when it was
// recorded (scripts/record-expected.ts): the model must match it here, the kernel in CI.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelBackend } from '../src/model/backend.js';
import { KernelBackend } from '../src/kernel/backend.js';
import { parseTrace } from '../src/trace/validate.js';
import { runTrace } from '../src/trace/backend.js';
import { describeKernel } from './helpers/kernel.js';

const dir = join(import.meta.dirname, 'rules');
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.json') && !f.endsWith('.expected.json'))
  .map((f) => ({
    file: f,
    trace: parseTrace(readFileSync(join(dir, f), 'utf8')),
    expected: JSON.parse(readFileSync(join(dir, f.replace(/\.json$/, '.expected.json')), 'utf8')),
  }));

describe('rules on the model', () => {
  it('has a rule trace for each behaviour', () => expect(cases.length).toBeGreaterThan(40));
  for (const c of cases) {
    it(`${c.file}: ${c.trace.name}`, async () => {
      expect(await runTrace(new ModelBackend(), c.trace)).toEqual(c.expected);
    });
  }
});

describeKernel('rules on the kernel', () => {
  const kernel = new KernelBackend();
  for (const c of cases) {
    it(`${c.file}: ${c.trace.name}`, async () => {
      expect(await runTrace(kernel, c.trace)).toEqual(c.expected);
    });
  }
});
