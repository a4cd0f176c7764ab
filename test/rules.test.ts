// Recorded traces, run on both backends against the output the real kernel gave when they
// were recorded (scripts/record-expected.ts): the model must match it here, the kernel in CI.
//  - test/rules/*.json: one behaviour each, named for the rule of SEMANTICS.md it checks;
//  - sim/traces/<type>/*.json: the example traces of the README, a few per namespace type.
// On the model each expected error must also come from the right check: test/rules.checks.json
// names, for every step whose expected result is an error, the model's check and its rule
// (`why`), so that the right errno for the wrong reason fails.

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
/** file -> step index -> "check rule" of each step whose expected result is an error. */
const checks: Record<string, Record<string, string>> = JSON.parse(readFileSync(join(root, 'test/rules.checks.json'), 'utf8'));
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
      const model = new ModelBackend();
      model.startSync(c.trace.setup);
      const results = model.runSync(c.trace.steps);
      expect({ results, final: model.snapshotSync() }).toEqual(c.expected);
      // every expected error, and only those, with the check that made it
      const whys: Record<string, string> = {};
      results.forEach((r, i) => {
        if ('err' in r) whys[String(i)] = `${model.why(i)?.check} ${model.why(i)?.rule}`;
      });
      model.closeSync();
      expect(whys).toEqual(checks[c.file] ?? {});
    });
  }
  it('names a check for no trace that is not there', () => {
    expect(Object.keys(checks).filter((f) => !files.includes(f))).toEqual([]);
  });
});

describeKernel('rules on the kernel', () => {
  const kernel = new KernelBackend();
  for (const c of cases) {
    it(`${c.file}: ${c.trace.name}`, async () => {
      expect(await runTrace(kernel, c.trace)).toEqual(c.expected);
    });
  }
});
