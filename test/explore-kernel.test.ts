// nsmodel explore on the real kernel: every built-in counterexample replays on Linux and the
// kernel's states break the property too ("confirmed"). Skipped with the reason printed where
// the kernel backend cannot run (unless NSMODEL_REQUIRE_KERNEL=1), as every kernel test.
import { expect, it } from 'vitest';
import { BUILTIN_PROPERTIES, explore } from '../src/explore/index.js';
import { describeKernel, useKernelBackend } from './helpers/kernel.js';
import { nsmodel } from './cli-helpers.js';

describeKernel('explore: counterexamples confirmed on the kernel', () => {
  const kernel = useKernelBackend();
  for (const p of BUILTIN_PROPERTIES.filter((q) => q.expect!.verdict === 'broken')) {
    it(`${p.name}: broken, and Linux agrees`, async () => {
      const r = await explore(p, { kernel: true, kernelBackend: kernel() });
      expect(r.verdict).toBe('broken');
      expect(r.kernel).toBe('confirmed');
      expect(r.kernelReplay!.step).toBe(r.counterexample!.steps.length - 1);
      // the kernel's results are the model's, step for step
      expect(r.kernelReplay!.results).toEqual(r.steps!.map((s) => s.result));
    });
  }

  it('`nsmodel explore seed-nsenter` prints the three steps and "confirmed on Linux 6.18", exit 1', async () => {
    const r = await nsmodel(['explore', 'seed-nsenter']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/1 +sh +open p0 uts as fd0 +ok/);
    expect(r.stdout).toMatch(/2 +sh +setns fd0 0 +ok/);
    expect(r.stdout).toMatch(/3 +sh +sethostname "evil" +ok/);
    expect(r.stdout).toMatch(/confirmed on Linux \d+\.\d+/);
  });
});

describeKernel('explore: the "holds" answers against the kernel, on a sample of the searched states', () => {
  const kernel = useKernelBackend();
  for (const p of BUILTIN_PROPERTIES.filter((q) => q.expect!.verdict === 'holds')) {
    it(`${p.name}: 16 random paths of ${p.depth} steps — the kernel agrees with the model and keeps the invariant`, async () => {
      const { Explorer } = await import('../src/explore/search.js');
      const { evaluateOn } = await import('../src/explore/replay.js');
      const { diffTrace } = await import('../src/diff/diff.js');
      const { formatDivergence } = await import('../src/diff/diff.js');
      for (const path of new Explorer(p).samplePaths(16, p.depth, 2026)) {
        const trace = { nsmodel: 1 as const, name: p.name, setup: p.setup, steps: [...p.prefix, ...path] };
        const onKernel = await evaluateOn(p, trace, kernel());
        expect(onKernel.broken, JSON.stringify(path)).toBeUndefined();
        const d = await diffTrace(trace, undefined, kernel());
        expect(d.agree, d.divergence ? formatDivergence(trace, d.divergence) : '').toBe(true);
      }
    });
  }
});
