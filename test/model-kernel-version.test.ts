// `--kernel-version`: the model answers as an older Linux where Linux changed behaviour
// (assembly/version.ts). Each trace under test/rules-6.1/ was recorded on Linux 6.1 booted under
// QEMU (test/rules-6.1/README.md); the model with kernelVersion 6.1 must give exactly that,
// each error from the check that makes it on 6.1, and without it still the 6.18 recording.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelBackend } from '../src/model/backend.js';
import { kernelVersionName, parseKernelVersion } from '../src/model/kernel-version.js';
import { parseTrace } from '../src/trace/validate.js';
import { recordedOutputFile } from '../src/diff/check.js';
import { runMain } from './cli-helpers.js';

const root = join(import.meta.dirname, '..');
const dir61 = join(root, 'test', 'rules-6.1');
const recorded61 = readdirSync(dir61, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.expected.json')).sort();

/** The check (and rule) of each step the 6.1 recordings answer with an error, where it is not the 6.18 one. */
const CHECKS_61: Record<string, Record<string, string>> = {
  'test/rules/R26-time-for-children-and-exec.json': { '2': 'copy_process R90' },
  'sim/traces/time/threads-and-setns.json': { '3': 'copy_process R90' },
};

function runModel(trace: ReturnType<typeof parseTrace>, kernelVersion?: string) {
  const model = new ModelBackend({ kernelVersion });
  model.startSync(trace.setup);
  const results = model.runSync(trace.steps);
  const final = model.snapshotSync();
  const whys: Record<string, string> = {};
  results.forEach((r, i) => {
    if ('err' in r) whys[String(i)] = `${model.why(i)?.check} ${model.why(i)?.rule}`;
  });
  model.closeSync();
  return { output: { results, final }, whys };
}

describe('the model as Linux 6.1', () => {
  it('has the 6.1 recordings', () => {
    expect(recorded61.length).toBeGreaterThanOrEqual(5);
  });
  for (const rec of recorded61) {
    const traceFile = rec.replace(/\.expected\.json$/, '.json');
    const trace = parseTrace(readFileSync(join(root, traceFile), 'utf8'));
    const on61 = JSON.parse(readFileSync(join(dir61, rec), 'utf8'));
    const on618 = JSON.parse(readFileSync(join(root, traceFile.replace(/\.json$/, '.expected.json')), 'utf8'));
    it(`${traceFile}: gives the 6.1 recording with --kernel-version 6.1, the 6.18 one without`, () => {
      expect(on61).not.toEqual(on618); // a recording here is one where Linux changed
      const as61 = runModel(trace, '6.1');
      expect(as61.output).toEqual(on61);
      for (const [step, check] of Object.entries(CHECKS_61[traceFile] ?? {})) expect(as61.whys[step]).toBe(check);
      expect(runModel(trace).output).toEqual(on618);
      expect(runModel(trace, '6.18').output).toEqual(on618);
    });
  }
  it('check holds a trace to its 6.1 recording with --kernel-version 6.1, else to its .expected.json', () => {
    const file = join(root, 'test', 'rules', 'R26-time-for-children-and-exec.json');
    const sibling = file.replace(/\.json$/, '.expected.json');
    expect(recordedOutputFile(file, root, '6.1')).toBe(join(dir61, 'test', 'rules', 'R26-time-for-children-and-exec.expected.json'));
    expect(recordedOutputFile(file, root)).toBe(sibling);
    expect(recordedOutputFile(file, root, '6.12')).toBe(sibling);
    const other = join(root, 'test', 'rules', 'R107-exited-task-keeps-dumpability.json');
    expect(recordedOutputFile(other, root, '6.1')).toBe(other.replace(/\.json$/, '.expected.json'));
  });
});

describe('parseKernelVersion', () => {
  it.each([
    ['6.1', 601],
    ['6.18', 618],
    ['6.12', 612],
    ['6.1.0-57-amd64', 601],
    ['6.12.117+deb12-amd64', 612],
  ])('%s is %d', (text, n) => {
    expect(parseKernelVersion(text)).toBe(n);
    expect(kernelVersionName(n)).toBe(text.split(/[.\-+]/).slice(0, 2).join('.'));
  });
  it.each([
    ['6', "'6' is not a kernel version (X.Y, e.g. 6.1)"],
    ['latest', "'latest' is not a kernel version (X.Y, e.g. 6.1)"],
    ['5.15', 'the model knows Linux 6.1 to 6.18, not 5.15'],
    ['7.0', 'the model knows Linux 6.1 to 6.18, not 7.0'],
  ])('%s is refused', (text, message) => {
    expect(() => parseKernelVersion(text)).toThrow(message);
  });
});

describe('--kernel-version on the command line', () => {
  it('a release the model does not know is a usage error (exit 2), one line', async () => {
    const r = await runMain(['run', join(root, 'test/golden/g1-uts-isolation.json'), '--kernel-version', '5.4']);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('nsmodel: run: --kernel-version: the model knows Linux 6.1 to 6.18, not 5.4');
  });
  it('run --kernel-version 6.1 gives the 6.1 recording', async () => {
    const trace = 'test/rules/R26-time-for-children-and-exec';
    const r = await runMain(['run', join(root, `${trace}.json`), '--kernel-version', '6.1']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(readFileSync(join(dir61, `${trace}.expected.json`), 'utf8')));
  });
});
