// nsmodel diff, fuzz and check in process, with the kernel backend replaced by the model —
// faithfully, or deliberately wrong (sethostname always EPERM) — so that the exit status 1,
// the divergence print, the written file and the replay command, and the failures of each
// report format are tested whatever the machine.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseTrace } from '../src/trace/validate.js';
import { ROOT, runMain } from './cli-helpers.js';
import { parseKtap, parseXml } from './helpers/formats.js';

const fake = vi.hoisted(() => ({ wrong: false, available: true }));

vi.mock('../src/kernel/backend.js', async () => {
  const { AlteredBackend, sethostnameAlwaysEperm } = await import('./helpers/fake-backends.js');
  class KernelBackend extends AlteredBackend {
    override readonly name = 'kernel';
    constructor() {
      super(fake.wrong ? sethostnameAlwaysEperm : {});
    }
  }
  return {
    KernelBackend,
    kernelAvailable: () => (fake.available ? { ok: true } : { ok: false, reason: 'the kernel backend needs a unicorn.' }),
  };
});


const G1 = join(ROOT, 'test', 'golden', 'g1-uts-isolation.json');
const G3 = join(ROOT, 'test', 'golden', 'g3-dead-pid-namespace.json');

afterEach(() => {
  fake.wrong = false;
  fake.available = true;
});

describe('nsmodel diff (in process, fake kernel)', () => {
  it('agree: exit 0', async () => {
    expect((await runMain(['diff', G1])).status).toBe(0);
  });

  it('differ: exit 1, the divergence printed on stdout', async () => {
    fake.wrong = true;
    const r = await runMain(['diff', G1]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'The model and the kernel differ at step 2 (of 5): {"by": "child", "op": "sethostname", "name": "guest"}',
      '  model:  {"ok": true}',
      '  kernel: {"err": "EPERM"}',
    ]);
    expect(lines[3]).toMatch(/^ {2}model's check: \w+ \(R\d+\): /);
    // (the fake alters the result only: the world underneath is the model's)
    expect(lines[4]).toBe('The final snapshots agree.');
  });

  it('differ, --json: one object with the divergence', async () => {
    fake.wrong = true;
    const r = await runMain(['diff', '--json', G1]);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.agree).toBe(false);
    expect(out.divergence).toMatchObject({ at: 'step', step: 2, results: { model: { ok: true }, kernel: { err: 'EPERM' } } });
    expect(out.divergence.why.check).toBeTruthy();
  });

  it('no kernel: exit 3', async () => {
    fake.available = false;
    expect(await runMain(['diff', G1])).toEqual({ status: 3, stdout: '', stderr: 'nsmodel: the kernel backend needs a unicorn.\n' });
  });
});

describe('nsmodel fuzz (in process, fake kernel)', () => {
  it('nothing wrong: exit 0, the summary', async () => {
    const r = await runMain(['fuzz', '--runs', '100', '--seed', '5', '--out', mkdtempSync(join(tmpdir(), 'nsmodel-fz-'))]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^fuzz: 100 traces in [\d.]+ s \(\d+ traces\/s, \d+ jobs?\), 0 divergences; seed 5\n$/);
    expect(r.stderr).toMatch(/^nsmodel fuzz: seed 5, /);
  });

  it('a divergence: exit 1; shrunk, written to --out, printed with the command that replays it', async () => {
    fake.wrong = true;
    const out = mkdtempSync(join(tmpdir(), 'nsmodel-fz-'));
    const r = await runMain(['fuzz', '--runs', '1000', '--seed', '5', '--out', out]);
    expect(r.status).toBe(1);
    const files = readdirSync(out);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{10}\.json$/);
    const file = join(out, files[0]);
    expect(r.stdout).toMatch(/^Divergence 1, shrunk from \d+ steps? to 1 in \d+ shrinks? \(seed \d+, fast-check path [\d:]+\):\nThe model and the kernel differ at step 0 \(of 1\): \{"by": "p0", "op": "sethostname", "name": "[^"]*"\}\n/);
    expect(r.stdout).toContain(`\nReplay: nsmodel diff ${file}\n`);
    expect(r.stdout).toMatch(/\nfuzz: \d+ traces .*, 1 divergence; seed 5\n$/);
    const trace = parseTrace(readFileSync(file, 'utf8'));
    expect(trace.steps).toHaveLength(1);
    expect(trace.name).toMatch(/^fuzz \(seed \d+\): step 0 sethostname: model ok, kernel EPERM$/);
    // the replay command does replay it
    expect((await runMain(['diff', file])).status).toBe(1);
  });

  it('a divergence, --json: a JSON line for it, then the summary line', async () => {
    fake.wrong = true;
    const out = mkdtempSync(join(tmpdir(), 'nsmodel-fz-'));
    const r = await runMain(['fuzz', '--runs', '1000', '--seed', '6', '--json', '--out', out]);
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ reproduced: true, divergence: { at: 'step', step: 0 } });
    expect(lines[0].replay).toBe(`nsmodel diff ${lines[0].file}`);
    expect(lines[1]).toMatchObject({ divergences: 1, seed: 6 });
    expect(Object.keys(lines[1])).toEqual(['traces', 'divergences', 'tracesPerSecond', 'seed']);
  });

  it('no kernel: exit 3', async () => {
    fake.available = false;
    expect((await runMain(['fuzz', '--runs', '10'])).status).toBe(3);
  });
});

describe('nsmodel check (in process, fake kernel)', () => {
  it('KTAP: all pass, exit 0; every result line planned', async () => {
    const r = await runMain(['check', '--runs', '50']);
    expect(r.status).toBe(0);
    const k = parseKtap(r.stdout);
    expect(k.results).toHaveLength(k.plan);
    expect(k.totals).toMatchObject({ pass: k.plan, fail: 0 });
  });

  it('KTAP with failures: exit 1, not ok lines with their diagnostics (expected, actual, the rule)', async () => {
    fake.wrong = true;
    const r = await runMain(['check', '--runs', '300', '--seed', '9']);
    expect(r.status).toBe(1);
    const k = parseKtap(r.stdout);
    expect(k.results).toHaveLength(k.plan);
    expect(k.other).toEqual([]);
    expect(k.notOk).toBeGreaterThan(1);
    expect(k.totals).toEqual({ pass: k.ok, fail: k.notOk, xfail: 0, xpass: 0, skip: k.skip, error: 0 });
    expect(r.stdout).toContain([
      '# The recorded output and the kernel differ at step 2 (of 5): {"by": "child", "op": "sethostname", "name": "guest"}',
      '#   recorded: {"ok": true}',
      '#   kernel:   {"err": "EPERM"}',
    ].join('\n'));
    expect(r.stdout).toMatch(/^# {3}model's check: \w+ \(R\d+\): .*\n(# .*\n)*not ok \d+ test\/golden\/g1-uts-isolation$/m);
    expect(r.stdout).toMatch(/^# The model and the kernel differ at step 0 \(of 1\): .*\n(# .*\n)*not ok \d+ fuzz$/m);
  });

  it('JUnit with failures: well-formed, <failure message type> with the detail', async () => {
    fake.wrong = true;
    const r = await runMain(['check', '--format', 'junit', '--seconds', '0', G1, G3]);
    expect(r.status).toBe(1);
    const doc = parseXml(r.stdout);
    expect(doc.attrs).toMatchObject({ tests: '2', failures: '1' });
    const cases = doc.children.flatMap((s) => s.children.filter((c) => c.name === 'testcase'));
    const failing = cases.filter((c) => c.children.some((x) => x.name === 'failure'));
    expect(failing.map((c) => c.attrs.name)).toEqual(['test/golden/g1-uts-isolation']);
    const failure = failing[0].children.find((x) => x.name === 'failure')!;
    expect(failure.attrs.type).toBe('kernel-vs-recorded');
    expect(failure.attrs.message).toBe('the kernel differs from the recorded output at step 2: step 2 sethostname: recorded ok, kernel EPERM');
    expect(failure.text).toContain('  kernel:   {"err": "EPERM"}');
  });

  it('JSON with failures: expected, actual and the rule of each', async () => {
    fake.wrong = true;
    const r = await runMain(['check', '--format', 'json', '--seconds', '0', G1]);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.totals).toEqual({ pass: 0, fail: 1, skip: 0 });
    expect(report.tests[0].failure).toMatchObject({
      kind: 'kernel-vs-recorded', expectedFrom: 'recorded', actualFrom: 'kernel', expected: { ok: true }, actual: { err: 'EPERM' },
      rule: { check: expect.any(String) },
    });
  });

  it('no kernel: exit 3', async () => {
    fake.available = false;
    expect((await runMain(['check'])).status).toBe(3);
  });
});

describe('fuzz() interrupted (an AbortSignal, as the command passes on SIGINT)', () => {
  it('stops starting traces, returns what ran, stoppedBy interrupted', async () => {
    const { fuzz } = await import('../src/diff/fuzz.js');
    const { AlteredBackend } = await import('./helpers/fake-backends.js');
    const controller = new AbortController();
    const t0 = Date.now();
    setTimeout(() => controller.abort(), 300);
    const report = await fuzz({ seconds: 60, seed: 8, jobs: 2, kernel: () => new AlteredBackend(), signal: controller.signal });
    expect(report.stoppedBy).toBe('interrupted');
    expect(report.traces).toBeGreaterThan(0);
    expect(report.divergences).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(30_000);
  });
});
