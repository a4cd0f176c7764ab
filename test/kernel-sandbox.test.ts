// The kernel backend's sandbox under hostile or oversized traces (issue 7): every reproducer
// of the audit as a test. The escape through a reused host PID is in
// kernel-host-safety.test.ts (it needs the host to itself).

import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { diffTrace } from '../src/diff/diff.js';
import { defaultAgentPath, KernelBackend, kernelAvailable } from '../src/kernel/backend.js';
import { BackendUnavailable, RunAborted } from '../src/trace/backend.js';
import type { Step, Trace } from '../src/trace/types.js';
import { TraceError } from '../src/trace/validate.js';
import { describeKernel, useKernelBackend } from './helpers/kernel.js';

const trace = (steps: Step[]): Trace => ({ nsmodel: 1, setup: { user: 'root', hostname: 'box' }, steps });

/** p0 forks c0..c{n-1}; with `chain`, each child forks the next. */
function forks(n: number, chain = false, first = 'p0'): Step[] {
  const steps: Step[] = [];
  for (let k = 0; k < n; k++) steps.push({ by: chain && k > 0 ? `c${k - 1}` : first, op: 'fork', as: `c${k}` });
  return steps;
}

/** The host PIDs of traced processes still there (the supervisor's is the first of hostPids()). */
async function tracedPids(backend: KernelBackend): Promise<number[]> {
  return (await backend.hostPids()).slice(1);
}

describeKernel('the kernel backend under hostile traces', () => {
  const kernel = useKernelBackend();

  it('70 forks by one process: every child is followed (no use-after-free in make_child)', async () => {
    const t = trace([...forks(70), { by: 'c63', op: 'getppid' }, { by: 'c69', op: 'getpid' }]);
    const d = await diffTrace(t, undefined, kernel());
    expect(d.divergence).toBeUndefined();
    expect(d.kernel.results.slice(-2)).toEqual([{ ok: true, value: 1 }, { ok: true, value: 71 }]);
    expect(d.kernel.final.processes.length).toBe(71);
  });

  it('a process with 1,000 descriptors forks: the child still holds the 1,000th', async () => {
    const steps: Step[] = [];
    for (let k = 0; k < 1000; k++) steps.push({ by: 'p0', op: 'open', target: 'p0', ns: 'uts', as: `f${k}` });
    steps.push({ by: 'p0', op: 'fork', as: 'b' }, { by: 'b', op: 'ioctl', fd: 'f999', request: 'NS_GET_NSTYPE' });
    const d = await diffTrace(trace(steps), undefined, kernel());
    expect(d.divergence).toBeUndefined();
    expect(d.kernel.results.at(-1)).toEqual({ ok: true, value: 'CLONE_NEWUTS' });
  });

  it('5,000 forks and 5,000 kills agree with the model', { timeout: 120_000 }, async () => {
    const steps: Step[] = forks(5000);
    for (let k = 0; k < 5000; k += 7) steps.push({ by: 'p0', op: 'kill', target: `c${k}`, signal: 'SIGKILL' });
    steps.push({ by: 'p0', op: 'wait' });
    const d = await diffTrace(trace(steps), undefined, kernel());
    expect(d.divergence).toBeUndefined();
  });

  it('a chain deeper than the fork-depth limit is refused before any of it runs', async () => {
    const backend = kernel();
    await backend.start({ user: 'root', hostname: 'box' });
    await expect(backend.run(forks(501, true))).rejects.toThrow(TraceError);
    await expect(backend.run(forks(501, true))).rejects.toThrow(/steps\[500\].*limit: fork depth/);
    expect(await tracedPids(backend)).toHaveLength(1); // p0 alone: nothing ran
    // an exec starts the count again
    const steps = [...forks(300, true), { by: 'c299', op: 'exec' } as Step, ...forks(300, true, 'c299').map((s, k) => ({ ...s, as: `d${k}`, by: k === 0 ? 'c299' : `d${k - 1}` }))];
    expect(await backend.run(steps)).toHaveLength(601);
    await backend.close();
  });

  it('more namespaces than the limit are refused before any of them is made', async () => {
    const backend = new KernelBackend({ limits: { namespaces: 5 } });
    try {
      await backend.start({ user: 'root', hostname: 'box' });
      await backend.run([{ by: 'p0', op: 'unshare', flags: ['CLONE_NEWUTS', 'CLONE_NEWNET'] }]);
      const before = await backend.identity('p0', 'net');
      const steps: Step[] = [{ by: 'p0', op: 'unshare', flags: ['CLONE_NEWNET'] }, { by: 'p0', op: 'clone', flags: ['CLONE_NEWIPC', 'CLONE_NEWNET', 'CLONE_NEWUTS'], as: 'c' }];
      await expect(backend.run(steps)).rejects.toThrow(/^steps\[2\]: .*limit: namespaces/);
      expect(await backend.identity('p0', 'net')).toEqual(before); // the first unshare of the batch did not run
    } finally {
      await backend.dispose();
    }
  });

  it('a 500-deep chain in a nested PID namespace: its init exits, and the model agrees', { timeout: 60_000 }, async () => {
    const steps: Step[] = [{ by: 'p0', op: 'unshare', flags: ['CLONE_NEWPID'] }, { by: 'p0', op: 'fork', as: 'i' }, ...forks(499, true, 'i'), { by: 'i', op: 'exit' }, { by: 'p0', op: 'open', target: 'c498', ns: 'uts', as: 'f' }];
    const d = await diffTrace(trace(steps), undefined, kernel());
    expect(d.divergence).toBeUndefined();
    expect(d.kernel.results.at(-1)).toEqual({ err: 'ENOENT' });
  });

  it('a processes limit ends the run with its name, and the sandbox with it', async () => {
    const backend = new KernelBackend({ limits: { processes: 10 } });
    try {
      await backend.start({ user: 'root', hostname: 'box' });
      const err = await backend.run(forks(20)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RunAborted);
      expect((err as RunAborted).step).toBe(9);
      expect((err as Error).message).toMatch(/^steps\[9\]: limit: processes \(at most 10 /);
      expect(await tracedPids(backend)).toEqual([]);
    } finally {
      await backend.dispose();
    }
  });

  it('a kernel that does not settle in time ends the run (never "going on")', async () => {
    const backend = new KernelBackend({ limits: { settleMs: 1 } });
    try {
      await backend.start({ user: 'root', hostname: 'box' });
      const steps: Step[] = [{ by: 'p0', op: 'unshare', flags: ['CLONE_NEWPID'] }, { by: 'p0', op: 'fork', as: 'i' }, ...forks(400, true, 'i'), { by: 'i', op: 'exit' }, { by: 'p0', op: 'getpid' }];
      const err = await backend.run(steps).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RunAborted);
      expect((err as Error).message).toMatch(/^steps\[402\]: limit: settling/);
      expect(await tracedPids(backend)).toEqual([]);
    } finally {
      await backend.dispose();
    }
  });

  it('a request over the time limit ends the supervisor and its sandbox', async () => {
    const backend = new KernelBackend({ limits: { requestMs: 30 } });
    try {
      await backend.start({ user: 'root', hostname: 'box' });
      const err = await backend.run(forks(400, true)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RunAborted);
      expect((err as Error).message).toMatch(/limit: time/);
      expect(await backend.hostPids()).toEqual([]); // no supervisor any more
    } finally {
      await backend.dispose();
    }
  });
});

describeKernel('the kernel agent binary', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('is refused when group or others could have written it, or its directory', async () => {
    const dir = mkdtempSync(join(process.cwd(), 'tmp-agent-'));
    dirs.push(dir);
    chmodSync(dir, 0o755);
    const agent = join(dir, 'nsagent');
    copyFileSync(defaultAgentPath(), agent);
    chmodSync(agent, 0o775);
    expect(kernelAvailable({ agentPath: agent })).toEqual({ ok: false, reason: expect.stringMatching(/writable by group or others \(mode 775\)/) });
    await expect(new KernelBackend({ agentPath: agent }).start({ user: 'root', hostname: 'h' })).rejects.toThrow(BackendUnavailable);
    chmodSync(agent, 0o755);
    chmodSync(dir, 0o777);
    expect(kernelAvailable({ agentPath: agent })).toEqual({ ok: false, reason: expect.stringMatching(/directory .* writable by group or others/) });
    chmodSync(dir, 0o755);
    expect(kernelAvailable({ agentPath: agent })).toEqual({ ok: true });
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    expect(kernelAvailable({ agentPath: join(sub, 'nsagent') }).ok).toBe(false);
  });

  it('started by hand without a control socket, exits 2 with a message (never waits)', () => {
    for (const args of [['agent', '5000', 'exec'], ['agent', 'x', 'p0'], ['agent', '3', 'exec'], ['bogus']]) {
      const r = spawnSync(defaultAgentPath(), args, { encoding: 'utf8', timeout: 5000 });
      expect(r.status, `nsagent ${args.join(' ')}`).toBe(2);
      expect(r.stderr).toMatch(/usage: nsagent supervisor/);
    }
    const env = spawnSync(defaultAgentPath(), ['x'], { encoding: 'utf8', timeout: 5000, env: { NSAGENT_CTL: '9999' } });
    expect(env.status).toBe(2);
    expect(env.stderr).toMatch(/'9999' is not a control socket/);
  });
});
