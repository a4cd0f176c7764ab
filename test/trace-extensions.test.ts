// The trace format's extensions (docs/TRACE-EXTENSIONS.md) under random traces: the model
// never traps on them, and — where the kernel backend runs — it agrees with the kernel.
// Their one-behaviour rule traces are in test/rules/ (EXT-*, R58-kill-*, R62-mount-proc-*).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbTrace } from '../src/gen/index.js';
import { ModelBackend } from '../src/model/backend.js';
import { diffTrace, formatDivergence } from '../src/diff/index.js';
import { runTrace } from '../src/trace/backend.js';
import { validateTrace } from '../src/trace/validate.js';
import { describeKernel, useKernelBackend } from './helpers/kernel.js';

const EXT_OPS = new Set(['mount_proc', 'set_pdeathsig', 'kill']);

describe('extension ops on the model', () => {
  it('arbTrace gives them only when asked (a seed gives the traces it always gave)', () => {
    const plain = fc.sample(arbTrace(), { seed: 7, numRuns: 300 });
    expect(plain.flatMap((t) => t.steps).some((s) => EXT_OPS.has(s.op) || (s.op === 'exec' && s.argv))).toBe(false);
    const ext = fc.sample(arbTrace({ extensions: true }), { seed: 7, numRuns: 300 }).flatMap((t) => t.steps);
    for (const op of EXT_OPS) expect(ext.some((s) => s.op === op)).toBe(true);
    expect(ext.some((s) => s.op === 'exec' && s.argv)).toBe(true);
  });

  it('never traps, and every generated trace is valid', async () => {
    await fc.assert(fc.asyncProperty(arbTrace({ extensions: true, maxSteps: 16 }), async (t) => {
      validateTrace(JSON.parse(JSON.stringify(t)));
      const out = await runTrace(new ModelBackend(), t);
      expect(out.results).toHaveLength(t.steps.length);
    }), { numRuns: 2000, seed: 11 });
  });
});

describeKernel('extension ops: the model against the kernel', () => {
  const kernel = useKernelBackend();
  it('random traces with them agree (400 traces)', async () => {
    const seed = Number(process.env.NSMODEL_SEED ?? 23);
    await fc.assert(fc.asyncProperty(arbTrace({ extensions: true, maxSteps: 12 }), async (t) => {
      const r = await diffTrace(t, new ModelBackend(), kernel(), { localize: false });
      if (!r.agree) throw new Error(formatDivergence(t, r.divergence!));
    }), { numRuns: 400, seed });
  }, 120_000);
});

describeKernel('mount_proc and the host', () => {
  const kernel = useKernelBackend();
  it('mounts a procfs in the sandbox\'s mount namespaces, never in the host\'s', async () => {
    const { readFileSync } = await import('node:fs');
    const procMounts = (pid: number | 'self') => readFileSync(`/proc/${pid}/mountinfo`, 'utf8')
      .split('\n').filter((l) => / \/proc .* - proc /.test(l)).length;
    const before = readFileSync('/proc/self/mountinfo', 'utf8');
    const k = kernel();
    await k.start({ user: 'root', hostname: 'box' });
    try {
      const results = await k.run([
        { by: 'p0', op: 'mount_proc' },
        { by: 'p0', op: 'fork', as: 'a' },
        { by: 'a', op: 'unshare', flags: ['CLONE_NEWPID', 'CLONE_NEWNS'] },
        { by: 'a', op: 'fork', as: 'b' },
        { by: 'b', op: 'mount_proc' },
      ]);
      expect(results).toEqual([{ ok: true }, { ok: true, value: 2 }, { ok: true }, { ok: true, value: 3 }, { ok: true }]);
      const [, p0, , b] = await k.hostPids();
      // the machine's /proc and the new one in the sandbox's namespace; one more in b's
      expect(procMounts(p0)).toBe(2);
      expect(procMounts(b)).toBe(3);
      expect(procMounts('self')).toBe(before.split('\n').filter((l) => / \/proc .* - proc /.test(l)).length);
      // b's /proc shows its own PID namespace; the view reads that from the kernel
      const v = await k.view();
      expect(v.processes.b.procPidNs).toBe(v.snapshot.processes.find((p) => p.name === 'b')!.ns.pid);
      expect(v.processes.p0.procPidNs).toBe('pid:0');
    } finally {
      await k.close();
    }
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).toBe(before);
  });
});
