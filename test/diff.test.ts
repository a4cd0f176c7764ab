// diffTrace: agreeing traces agree; a deliberately wrong backend (the model with one result
// or one snapshot altered) is caught, and the divergence names the right step, both results,
// the differing part of the snapshots, and the model's check. Then the fuzz and check runners
// on such backends: they find, shrink and write a divergence; they pass when nothing is wrong.

import { mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffTrace, diffValues, formatDivergence, fuzz, check, formatTrace } from '../src/diff/index.js';
import { ModelBackend } from '../src/model/backend.js';
import { parseTrace } from '../src/trace/validate.js';
import type { Snapshot, Trace } from '../src/trace/types.js';
import { AlteredBackend, sethostnameAlwaysEperm } from './helpers/fake-backends.js';
import { describeKernel, useKernelBackend } from './helpers/kernel.js';

const ROOT = join(import.meta.dirname, '..');
const golden = (name: string): Trace => parseTrace(readFileSync(join(ROOT, 'test', 'golden', `${name}.json`), 'utf8'));
const g3 = golden('g3-dead-pid-namespace');

/** The model's check for step i, from a run of its own. */
async function modelWhy(trace: Trace, i: number) {
  const m = new ModelBackend();
  m.startSync(trace.setup);
  m.runSync(trace.steps);
  return m.why(i);
}

describe('diffTrace on backends that agree', () => {
  it.each(['g1-uts-isolation', 'g2-zombie-and-fd-held-namespace', 'g3-dead-pid-namespace', 'g4-unprivileged-user-namespace'])('%s: the model against itself', async (name) => {
    const d = await diffTrace(golden(name), new ModelBackend(), new AlteredBackend());
    expect(d.agree).toBe(true);
    expect(d.divergence).toBeUndefined();
    expect(d.model).toEqual(d.kernel);
    expect(d.model).toEqual(JSON.parse(readFileSync(join(ROOT, 'test', 'golden', `${name}.expected.json`), 'utf8')));
  });
});

describe('diffTrace on a deliberately wrong backend', () => {
  it('an altered result: the step, both results and the model\'s check', async () => {
    // step 9: x forks into its PID namespace whose init has exited: ENOMEM (alloc_pid)
    const wrong = new AlteredBackend({ result: (_s, i, r) => (i === 9 ? { err: 'EAGAIN' } : r) });
    const d = await diffTrace(g3, new ModelBackend(), wrong);
    expect(d.agree).toBe(false);
    const div = d.divergence!;
    expect(div.at).toBe('step');
    expect(div.step).toBe(9);
    expect(div.stepDef).toEqual(g3.steps[9]);
    expect(div.results).toEqual({ model: { err: 'ENOMEM' }, kernel: { err: 'EAGAIN' } });
    expect(div.why).toEqual(await modelWhy(g3, 9));
    expect(div.why?.check).toBe('alloc_pid');
    expect(div.differences).toEqual([{ path: 'results[9].err', model: 'ENOMEM', kernel: 'EAGAIN' }]);
    const text = formatDivergence(g3, div);
    expect(text.split('\n').slice(0, 4)).toEqual([
      'The model and the kernel differ at step 9 (of 12): {"by": "x", "op": "fork", "as": "d"}',
      '  model:  {"err": "ENOMEM"}',
      '  kernel: {"err": "EAGAIN"}',
      `  model's check: alloc_pid (${div.why!.rule}): ${div.why!.text}`,
    ]);
    expect(text).toContain('The final snapshots agree.');
  });

  it('the first differing step is named, not a later one', async () => {
    const wrong = new AlteredBackend({ result: (_s, i, r) => (i >= 3 ? { dead: true } : r) });
    const d = await diffTrace(g3, new ModelBackend(), wrong);
    expect(d.divergence?.step).toBe(3);
    expect(d.divergence?.results).toEqual({ model: { ok: true, value: 2 }, kernel: { dead: true } });
    expect(d.divergence?.why?.check).toBe('copy_process');
  });

  const initZombie = (s: Snapshot): Snapshot => ({
    ...s, processes: s.processes.map((p) => (p.name === 'init' && p.state === 'exiting' ? { ...p, state: 'zombie' } : p)),
  });

  it('a state difference shows first in an observe step\'s snapshot: that step is named, with the path', async () => {
    const d = await diffTrace(g3, new ModelBackend(), new AlteredBackend({ snapshot: initZombie }));
    const div = d.divergence!;
    expect(div.at).toBe('step');
    expect(div.step).toBe(6);
    expect(g3.steps[6].op).toBe('observe');
    expect(div.differences).toEqual([{ path: 'results[6].value.processes[init].state', model: 'exiting', kernel: 'zombie' }]);
    expect(formatDivergence(g3, div)).toContain('  results[6].value.processes[init].state: model "exiting", kernel "zombie"');
  });

  it('a difference only in the final snapshot: "final snapshot", the path, and (localized) the step after which the states part', async () => {
    const trace = parseTrace(JSON.stringify({
      nsmodel: 1, setup: { hostname: 'host' },
      steps: [{ by: 'p0', op: 'fork', as: 'a' }, { by: 'a', op: 'exit', code: 3 }, { by: 'p0', op: 'getpid' }],
    }));
    const zombieRuns = (s: Snapshot): Snapshot => ({
      ...s, processes: s.processes.map((p) => (p.state === 'zombie' ? { ...p, state: 'running' } : p)),
    });
    const d = await diffTrace(trace, new ModelBackend(), new AlteredBackend({ snapshot: zombieRuns }), { localize: true });
    const div = d.divergence!;
    expect(div.at).toBe('final');
    expect(div.step).toBeUndefined();
    expect(div.differences).toContainEqual({ path: 'final.processes[a].state', model: 'zombie', kernel: 'running' });
    expect(div.state?.step).toBe(1);
    expect(div.state?.stepDef).toEqual(trace.steps[1]);
    expect(div.why).toEqual(await modelWhy(trace, 1));
    const text = formatDivergence(trace, div);
    expect(text).toMatch(/^The model and the kernel agree on the result of every step \(3\), and differ in the final snapshot:\n {2}final\.processes\[a\]\.state: model "zombie", kernel "running"/);
    expect(text).toContain('first differ after step 1: {"by": "a", "op": "exit", "code": 3}');
  });
});

describe('diffValues', () => {
  it('matches processes by name, so one extra process is one difference', () => {
    const p = (name: string, state = 'running') => ({ name, state, nspid: [1] });
    const diffs = diffValues({ processes: [p('p0'), p('b')] }, { processes: [p('p0'), p('a', 'zombie'), p('b')] }, 'final');
    expect(diffs).toEqual([{ path: 'final.processes[a]', model: undefined, kernel: p('a', 'zombie') }]);
  });

  it('matches namespaces by id; plain lists differ as a whole', () => {
    const ns = (id: string, level: number) => ({ id, type: 'user', owner: null, parent: null, level });
    expect(diffValues({ namespaces: [ns('user:0', 0), ns('user:1', 1)], nspid: [3, 1] }, { namespaces: [ns('user:0', 0), ns('user:1', 2)], nspid: [3] }, 'x'))
      .toEqual([{ path: 'x.namespaces[user:1].level', model: 1, kernel: 2 }, { path: 'x.nspid', model: [3, 1], kernel: [3] }]);
  });

  it('results of different kinds', () => {
    expect(diffValues({ ok: true }, { err: 'EPERM' }, 'results[0]')).toEqual([
      { path: 'results[0].ok', model: true, kernel: undefined },
      { path: 'results[0].err', model: undefined, kernel: 'EPERM' },
    ]);
  });
});

describe('fuzz on fake backends', () => {
  it('nothing wrong: runs exactly --runs traces, no divergence', async () => {
    const report = await fuzz({ runs: 150, seed: 7, jobs: 2, kernel: () => new AlteredBackend() });
    expect(report.traces).toBe(150);
    expect(report.divergences).toEqual([]);
    expect(report.seed).toBe(7);
    expect(report.stoppedBy).toBe('runs');
  });

  it('a wrong kernel: the divergence is found, shrunk to one step, written as a trace file that replays', async () => {
    const out = mkdtempSync(join(tmpdir(), 'nsmodel-fuzz-'));
    const report = await fuzz({ runs: 2000, seed: 11, jobs: 2, kernel: () => new AlteredBackend(sethostnameAlwaysEperm), out });
    expect(report.divergences).toHaveLength(1);
    const d = report.divergences[0];
    expect(d.reproduced).toBe(true);
    expect(d.trace.steps).toHaveLength(1);
    expect(d.trace.steps[0]).toMatchObject({ by: 'p0', op: 'sethostname' });
    expect(d.divergence?.results).toEqual({ model: { ok: true }, kernel: { err: 'EPERM' } });
    expect(d.divergence?.why?.check).toBeTruthy();
    expect(readdirSync(out)).toEqual([d.file!.slice(out.length + 1)]);
    expect(d.file).toMatch(/\/\d{8}T\d{6}Z-[0-9a-f]{10}\.json$/);
    const written = parseTrace(readFileSync(d.file!, 'utf8'));
    expect(written.steps).toEqual(d.trace.steps);
    const again = await diffTrace(written, new ModelBackend(), new AlteredBackend(sethostnameAlwaysEperm));
    expect(again.divergence?.step).toBe(0);
  });

  it('the same seed runs the same traces', async () => {
    const seen: string[][] = [[], []];
    for (const k of [0, 1]) {
      await fuzz({ runs: 40, seed: 99, jobs: 1, kernel: () => {
        const b = new AlteredBackend();
        const run = b.run.bind(b);
        b.run = async (steps) => { seen[k].push(JSON.stringify(steps)); return run(steps); };
        return b;
      } });
    }
    expect(seen[0]).toHaveLength(40);
    expect(seen[1]).toEqual(seen[0]);
  });

  it('--max-divergences: keeps searching with new seeds, each distinct trace reported once', async () => {
    const wrong = { result: (step: { op: string }, _i: number, r: object) => (step.op === 'gethostname' || step.op === 'getpid' ? { err: 'EIO' } : r) } as ConstructorParameters<typeof AlteredBackend>[0];
    const report = await fuzz({ runs: 3000, seed: 5, jobs: 2, maxDivergences: 2, kernel: () => new AlteredBackend(wrong) });
    expect(report.divergences.length).toBe(2);
    expect(report.stoppedBy).toBe('divergences');
    const shapes = report.divergences.map((d) => JSON.stringify(d.trace.steps));
    expect(new Set(shapes).size).toBe(2);
  });

  it('a time budget stops the search', async () => {
    const t0 = Date.now();
    const report = await fuzz({ seconds: 0.5, seed: 3, kernel: () => new AlteredBackend() });
    expect(report.stoppedBy).toBe('time');
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(report.traces).toBeGreaterThan(0);
  });
});

describe('check on fake backends', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nsmodel-check-'));
  const g1 = readFileSync(join(ROOT, 'test', 'golden', 'g1-uts-isolation.json'), 'utf8');
  const g1expected = JSON.parse(readFileSync(join(ROOT, 'test', 'golden', 'g1-uts-isolation.expected.json'), 'utf8'));
  writeFileSync(join(dir, 'a.json'), g1);
  writeFileSync(join(dir, 'a.expected.json'), JSON.stringify(g1expected));
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'b.json'), formatTrace(g3));

  it('everything agrees: pass, one test per trace (expected files are not traces)', async () => {
    const report = await check({ paths: [dir], seconds: 0, kernel: () => new AlteredBackend() });
    expect(report.tests.map((t) => [t.name.replace(/^.*nsmodel-check-[^/]*\//, ''), t.status])).toEqual([['a', 'pass'], ['sub/b', 'pass']]);
    expect(report.totals).toEqual({ pass: 2, fail: 0, skip: 0 });
  });

  it('a kernel that differs: from the recorded output (a.json), from the model (b.json); failures carry expected, actual and the rule', async () => {
    const report = await check({ paths: [dir], seconds: 0, kernel: () => new AlteredBackend(sethostnameAlwaysEperm) });
    const [a, b] = report.tests;
    expect(a.status).toBe('fail');
    expect(a.failure).toMatchObject({
      kind: 'kernel-vs-recorded', where: 'step 2', step: 2, expectedFrom: 'recorded', actualFrom: 'kernel',
      expected: { ok: true }, actual: { err: 'EPERM' },
    });
    expect(a.failure?.rule?.check).toBeTruthy();
    expect(b.status).toBe('pass'); // g3 has no sethostname
    expect(report.totals).toEqual({ pass: 1, fail: 1, skip: 0 });
  });

  it('the bounded fuzz is one more test, failing with the shrunk trace', async () => {
    const report = await check({ paths: [join(dir, 'sub')], runs: 500, seed: 1, kernel: () => new AlteredBackend(sethostnameAlwaysEperm) });
    const fuzzTest = report.tests.at(-1)!;
    expect(fuzzTest.name).toBe('fuzz');
    expect(fuzzTest.status).toBe('fail');
    expect(fuzzTest.failure).toMatchObject({ kind: 'divergence', expectedFrom: 'model', actualFrom: 'kernel', expected: { ok: true }, actual: { err: 'EPERM' } });
    // shrunk to the sethostname and at most what it needs (an unprivileged setup's unshare of a user namespace)
    expect(fuzzTest.failure?.trace?.steps.length).toBeLessThanOrEqual(2);
    expect(fuzzTest.failure?.trace?.steps.at(-1)?.op).toBe('sethostname');
    expect(report.fuzz?.seed).toBe(1);
  });
});

describeKernel('diffTrace on the real kernel', () => {
  const kernel = useKernelBackend();
  it.each(['g1-uts-isolation', 'g2-zombie-and-fd-held-namespace', 'g3-dead-pid-namespace', 'g4-unprivileged-user-namespace'])('%s agrees', async (name) => {
    const d = await diffTrace(golden(name), new ModelBackend(), kernel());
    expect(d.divergence).toBeUndefined();
    expect(d.agree).toBe(true);
  });

  it('with no backends given, makes and ends its own', async () => {
    expect((await diffTrace(golden('g1-uts-isolation'))).agree).toBe(true);
  });
});
