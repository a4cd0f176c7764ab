// nsmodel explore (issue 10) on the model: the built-in properties' answers, the property
// checks, the CLI's statuses and its --json line. The kernel's side: explore-kernel.test.ts.
import { describe, expect, it } from 'vitest';
import { BUILTIN_PROPERTIES, defineProperty, explore, PropertyError } from '../src/explore/index.js';
import { Explorer } from '../src/explore/search.js';
import { runTrace } from '../src/trace/backend.js';
import { ModelBackend } from '../src/model/backend.js';
import { nsmodel } from './cli-helpers.js';
import seedNsenter from '../sim/properties/seed-nsenter.js';

describe('explore: the built-in properties on the model', () => {
  it('seed-nsenter is broken in the three steps of the article (open PID 1\'s uts, setns, sethostname)', async () => {
    const r = await explore(seedNsenter, { kernel: false });
    expect(r.verdict).toBe('broken');
    expect(r.depth).toBe(3);
    expect(r.counterexample!.steps.slice(2)).toEqual([
      { by: 'sh', op: 'open', target: 'p0', ns: 'uts', as: 'fd0' },
      { by: 'sh', op: 'setns', fd: 'fd0', nstype: 0 },
      { by: 'sh', op: 'sethostname', name: 'evil' },
    ]);
    expect(r.steps!.map((s) => s.result)).toEqual([{ ok: true, value: 2 }, { ok: true }, { ok: true }, { ok: true }, { ok: true }]);
    expect(r.kernel).toBe('skipped');
  });

  for (const p of BUILTIN_PROPERTIES) {
    it(`${p.name}: ${p.expect!.verdict}${p.expect!.depth !== undefined ? ` at depth ${p.expect!.depth}` : ''}`, () => {
      const r = new Explorer(p).run();
      expect(r.verdict).toBe(p.expect!.verdict);
      expect(r.complete).toBe(true);
      if (p.expect!.depth !== undefined) expect(r.depth).toBe(p.expect!.depth);
    });
  }

  it('a counterexample replays on the model as the search saw it: the invariant breaks at its last step', async () => {
    for (const p of BUILTIN_PROPERTIES.filter((q) => q.expect!.verdict === 'broken')) {
      const r = await explore(p, { kernel: false });
      const out = await runTrace(new ModelBackend(), r.counterexample!);
      expect(out.results).toEqual(r.steps!.map((s) => s.result));
    }
  });

  it('errors in a counterexample carry the model\'s check', async () => {
    const p = defineProperty({
      name: 'need-an-error', title: 't', explanation: 'e', setup: { user: 'unprivileged' },
      prefix: [{ by: 'p0', op: 'fork', as: 'sh' }], actors: ['sh'],
      alphabet: { sethostname: ['x'], getpid: true },
      onStep: ({ step, result }) => !(step.op === 'getpid' && 'ok' in result) || 'getpid ran',
      depth: 2,
    });
    const r = await explore(p, { kernel: false });
    expect(r.verdict).toBe('broken');
    // the search tries sethostname first (EPERM), and getpid
    expect(r.counterexample!.steps.slice(1)).toEqual([{ by: 'sh', op: 'getpid' }]);
    const q = defineProperty({ ...p, name: 'need-an-error-2', onStep: ({ result }) => !('err' in result) || 'an error' });
    const r2 = await explore(q, { kernel: false });
    expect(r2.steps![1].result).toEqual({ err: 'EPERM' });
    expect(r2.steps![1].why?.check).toMatch(/sethostname|ns_capable|capable/);
  });

  it('random walks: the same seed gives the same answer', () => {
    const p = BUILTIN_PROPERTIES.find((q) => q.name === 'rootless-enter')!;
    const a = new Explorer(p).run({ strategy: 'random', seed: 7, depth: 8, seconds: 5 });
    const b = new Explorer(p).run({ strategy: 'random', seed: 7, depth: 8, seconds: 5 });
    expect(a.verdict).toBe('broken');
    expect(a.counterexample!.path).toEqual(b.counterexample!.path);
    expect(a.seed).toBe(7);
  });
});

describe('defineProperty: a bad property is one clear message', () => {
  const base = {
    name: 'x', title: 't', explanation: 'e', prefix: [{ by: 'p0', op: 'fork', as: 'sh' }] as never[],
    actors: ['sh'], alphabet: { fork: true }, invariant: () => true,
  };
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['a name with a space', { name: 'a b' }, /name/],
    ['an unknown op in the prefix', { prefix: [{ by: 'p0', op: 'frob' }] }, /prefix\[0\]/],
    ['an actor the world does not make', { actors: ['nobody'] }, /actors\[0\].*'nobody'/],
    ['an unknown flag', { alphabet: { unshare: [['CLONE_NEWFOO']] } }, /alphabet.unshare\[0\]\[0\]: unknown flag 'CLONE_NEWFOO'/],
    ['an op the explorer has not', { alphabet: { reboot: true } }, /alphabet.reboot/],
    ['no invariant', { invariant: undefined }, /invariant/],
    ['a depth out of range', { depth: 1000 }, /depth/],
  ];
  for (const [what, change, message] of cases) {
    it(what, () => {
      expect(() => defineProperty({ ...base, ...change } as never)).toThrow(PropertyError);
      expect(() => defineProperty({ ...base, ...change } as never)).toThrow(message);
    });
  }
});

describe('nsmodel explore (CLI)', () => {
  it('--json prints exactly the fields of the issue; broken exits 1', async () => {
    const r = await nsmodel(['explore', 'seed-nsenter', '--no-kernel', '--json']);
    expect(r.status).toBe(1);
    const line = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(Object.keys(line)).toEqual(['property', 'verdict', 'depth', 'states', 'statesPerSecond', 'seconds', 'counterexample', 'kernel']);
    expect(line).toMatchObject({ property: 'seed-nsenter', verdict: 'broken', depth: 3, kernel: 'skipped' });
    expect(line.counterexample.steps).toHaveLength(5);
  });

  it('holds exits 0 and says within which bound', async () => {
    const r = await nsmodel(['explore', 'no-ancestor-pidns', '--depth', '3']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('HOLDS to depth 3');
  });

  it('bad options and unknown properties exit 2 with one line', async () => {
    for (const args of [['explore', 'no-such-property'], ['explore', 'seed-nsenter', '--depth', 'x'],
      ['explore', 'seed-nsenter', '--strategy', 'dfs'], ['explore', 'seed-nsenter', '--shard', '3/2'], ['explore']]) {
      const r = await nsmodel(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^nsmodel: /);
    }
  });

  it('--out DIR writes the report, the JSON line and the counterexample trace (which nsmodel run accepts)', async () => {
    const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'nsmodel-explore-out-'));
    const r = await nsmodel(['explore', 'seed-nsenter', '--no-kernel', '--out', dir]);
    expect(r.status).toBe(1);
    expect(readFileSync(join(dir, 'seed-nsenter.report.txt'), 'utf8')).toBe(r.stdout);
    expect(JSON.parse(readFileSync(join(dir, 'seed-nsenter.json'), 'utf8')).verdict).toBe('broken');
    const run = await nsmodel(['run', join(dir, 'seed-nsenter.trace.json')]);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).final.processes[0].hostname).toBe('evil');
    rmSync(dir, { recursive: true, force: true });
  });

  it('--kernel where the kernel backend cannot run: status 3 and one sentence; without it the replay is skipped', async () => {
    const env = { NSMODEL_AGENT: '/nonexistent/nsagent' };
    const { spawnSync } = await import('node:child_process');
    const { join } = await import('node:path');
    const { ROOT } = await import('./cli-helpers.js');
    const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), 'explore', 'seed-nsenter', ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
    const asked = run(['--kernel']);
    expect(asked.status).toBe(3);
    expect(asked.stderr).toMatch(/^nsmodel: kernel replay asked for, but /);
    const auto = run(['--json']);
    expect(auto.status).toBe(1);
    expect(JSON.parse(auto.stdout).kernel).toBe('skipped');
  });
});
