// `--kernel-version`: the model answers as an older Linux where Linux changed behaviour
// (assembly/version.ts). Each recording under test/rules-X.Y/ was made on Linux X.Y booted
// under QEMU (test/rules-6.1/README.md); the model with kernelVersion X.Y must give exactly
// that, each error from the check that makes it there, and without it still the 6.18 recording.

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
/** The recordings of other releases: test/rules-X.Y/<trace path>.expected.json. */
const versions = readdirSync(join(root, 'test')).filter((d) => /^rules-\d+\.\d+$/.test(d)).map((d) => d.slice('rules-'.length));
const recorded = (version: string) =>
  readdirSync(join(root, 'test', `rules-${version}`), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.expected.json')).sort();

/** The check (and rule) of each step a release's recording answers with an error, where it is not the 6.18 one. */
const CHECKS: Record<string, Record<string, Record<string, string>>> = {
  '6.1': {
    'test/rules/R26-time-for-children-and-exec.json': { '2': 'copy_process R90' },
    'sim/traces/time/threads-and-setns.json': { '3': 'copy_process R90' },
  },
  '6.12': {
    'test/rules/R42-pidfd-setns-checks.json': { '10': 'pidfd_ioctl R83' },
    'test/rules/R47-multithreaded-setns.json': { '22': 'mntns_install R48' },
    'test/rules/R48-pidfd-setns-mnt-shared-fs.json': { '3': 'mntns_install R48', '8': 'mntns_install R48' },
  },
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

describe.each(versions)('the model as Linux %s', (version) => {
  const dir = join(root, 'test', `rules-${version}`);
  it('has recordings', () => {
    expect(recorded(version).length).toBeGreaterThanOrEqual(2);
  });
  for (const rec of recorded(version)) {
    const traceFile = rec.replace(/\.expected\.json$/, '.json');
    const trace = parseTrace(readFileSync(join(root, traceFile), 'utf8'));
    const onIt = JSON.parse(readFileSync(join(dir, rec), 'utf8'));
    const on618 = JSON.parse(readFileSync(join(root, traceFile.replace(/\.json$/, '.expected.json')), 'utf8'));
    it(`${traceFile}: gives the ${version} recording with --kernel-version ${version}, the 6.18 one without`, () => {
      expect(onIt).not.toEqual(on618); // a recording here is one where Linux changed
      const asIt = runModel(trace, version);
      expect(asIt.output).toEqual(onIt);
      for (const [step, check] of Object.entries(CHECKS[version]?.[traceFile] ?? {})) expect(asIt.whys[step]).toBe(check);
      expect(runModel(trace).output).toEqual(on618);
      expect(runModel(trace, '6.18').output).toEqual(on618);
    });
  }
});

describe('the recordings check uses', () => {
  it('has those of 6.1 and 6.12', () => {
    expect(versions.sort()).toEqual(['6.1', '6.12']);
  });
  it('check holds a trace to its 6.1 recording with --kernel-version 6.1, else to its .expected.json', () => {
    const file = join(root, 'test', 'rules', 'R26-time-for-children-and-exec.json');
    const sibling = file.replace(/\.json$/, '.expected.json');
    expect(recordedOutputFile(file, root, '6.1')).toBe(join(dir61, 'test', 'rules', 'R26-time-for-children-and-exec.expected.json'));
    expect(recordedOutputFile(file, root)).toBe(sibling);
    expect(recordedOutputFile(file, root, '6.12')).toBe(sibling);
    expect(recordedOutputFile(file, root, '6.18')).toBe(sibling);
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

describe("check's hint after a failure on an older kernel", () => {
  it('names --kernel-version for a kernel the model knows, older than 6.18, when none was given', async () => {
    const { kernelVersionHint } = await import('../src/cli/check.js');
    expect(kernelVersionHint('6.1.0-57-amd64', undefined)).toBe(
      'the model follows Linux 6.18; this kernel is 6.1: --kernel-version 6.1 makes it answer as 6.1 where Linux changed',
    );
    expect(kernelVersionHint('6.1.0-57-amd64', '6.1')).toBeUndefined();
    expect(kernelVersionHint('6.18.44-fc-v857', undefined)).toBeUndefined();
    expect(kernelVersionHint('7.2.0', undefined)).toBeUndefined();
    expect(kernelVersionHint('5.10.0', undefined)).toBeUndefined();
  });
});
