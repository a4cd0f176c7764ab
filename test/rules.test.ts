// Recorded traces, run on both backends against the output the real kernel gave when they
// were recorded (scripts/record-expected.ts): the model must match it here, the kernel in CI.
//  - test/rules/*.json: one behaviour each, named for the rule of SEMANTICS.md it checks;
//  - sim/traces/<type>/*.json: the example traces of the README, a few per namespace type.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelBackend } from '../src/model/backend.js';
import { KernelBackend } from '../src/kernel/backend.js';
import { parseTrace } from '../src/trace/validate.js';
import { runTrace } from '../src/trace/backend.js';
import { describeKernel } from './helpers/kernel.js';

const root = join(import.meta.dirname, '..');
const files = [
  ...readdirSync(join(root, 'test/rules')).map((f) => `test/rules/${f}`),
  ...readdirSync(join(root, 'sim/traces'), { recursive: true, encoding: 'utf8' }).map((f) => `sim/traces/${f}`),
].filter((f) => f.endsWith('.json') && !f.endsWith('.expected.json')).sort();
const cases = files.map((f) => ({
  file: f,
  trace: parseTrace(readFileSync(join(root, f), 'utf8')),
  expected: JSON.parse(readFileSync(join(root, f.replace(/\.json$/, '.expected.json')), 'utf8')),
}));

describe('rules on the model', () => {
  it('has the rule traces and the examples', () => {
    expect(cases.filter((c) => c.file.startsWith('test/rules/')).length).toBeGreaterThan(40);
    expect(new Set(cases.filter((c) => c.file.startsWith('sim/')).map((c) => c.file.split('/')[2])).size).toBe(8);
  });
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
