// The explorer's mutation check (issue 10): a model built with a check deliberately skipped
// (--use NSMODEL_MUTANT_NO_PIDNS_ANCESTOR=1 drops pidns_install()'s ancestor check in setns;
// never the shipped wasm) must let `no-ancestor-pidns` break within depth 4, and the kernel
// replay must then say "NOT reproduced" and point at the setns step.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './cli-helpers.js';
import { describeKernel, useKernelBackend } from './helpers/kernel.js';

const mutant = join(mkdtempSync(join(tmpdir(), 'nsmodel-mutant-')), 'mutant.wasm');
// before anything loads the model: every ModelBackend of this file runs the mutant
process.env.NSMODEL_WASM = mutant;

beforeAll(() => {
  execFileSync(join(ROOT, 'node_modules', '.bin', 'asc'), [
    'assembly/index.ts', '--target', 'release', '--use', 'NSMODEL_MUTANT_NO_PIDNS_ANCESTOR=1', '-o', mutant, '--textFile', `${mutant}.wat`,
  ], { cwd: ROOT, stdio: 'pipe' });
}, 120_000);
afterAll(() => rmSync(dirname(mutant), { recursive: true, force: true }));

const load = async () => {
  const { explore, BUILTIN_PROPERTIES } = await import('../src/explore/index.js');
  return { explore, p: BUILTIN_PROPERTIES.find((q) => q.name === 'no-ancestor-pidns')! };
};

describe('explore: mutation check', () => {
  it('the shipped model holds no-ancestor-pidns; the mutant breaks it within depth 4', async () => {
    const { explore, p } = await load();
    const { Explorer } = await import('../src/explore/search.js');
    expect(new Explorer(p, join(ROOT, 'build', 'nsmodel.wasm')).run({ depth: 4 }).verdict).toBe('holds');
    const r = await explore(p, { depth: 4, kernel: false });
    expect(r.verdict).toBe('broken');
    expect(r.depth).toBeLessThanOrEqual(4);
    expect(r.counterexample!.steps.some((s) => s.op === 'setns')).toBe(true);
  });
});

describeKernel('explore: mutation check on the kernel', () => {
  const kernel = useKernelBackend();
  it('the mutant\'s counterexample is NOT reproduced on Linux: the divergence is the setns', async () => {
    const { explore, p } = await load();
    const r = await explore(p, { depth: 4, kernel: true, kernelBackend: kernel() });
    expect(r.verdict).toBe('broken');
    expect(r.kernel).toBe('not-reproduced');
    const d = r.kernelReplay!.divergence!;
    expect(d.at).toBe('step');
    expect(r.counterexample!.steps[d.step!]).toMatchObject({ op: 'setns' });
    expect(d.results).toEqual({ model: { ok: true }, kernel: { err: 'EINVAL' } });
    const { formatReport } = await import('../src/explore/format.js');
    expect(formatReport(r)).toMatch(/NOT reproduced on Linux \d+\.\d+.*: the model diverges at step \d/);
  });
});
