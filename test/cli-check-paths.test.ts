// nsmodel check's PATHs (issue 9 item 2): a path that cannot be read or holds no trace stops
// the command with exit 2 and one line, before anything runs (so without a kernel too); a run
// in which no test ran says so and is not a pass (exit 1). In process, the kernel backend
// replaced by the model and the kernel's features by a kernel without time namespaces.
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ROOT, runMain } from './cli-helpers.js';

vi.mock('../src/kernel/backend.js', async () => {
  const { AlteredBackend } = await import('./helpers/fake-backends.js');
  class KernelBackend extends AlteredBackend {
    override readonly name = 'kernel';
    constructor() {
      super({});
    }
  }
  return { KernelBackend, kernelAvailable: () => ({ ok: true }) };
});

vi.mock('../src/diff/features.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/diff/features.js')>();
  return {
    ...real,
    kernelFeatures: () => {
      const f = real.kernelFeatures();
      return { ...f, namespaces: { ...f.namespaces, time: false, time_for_children: false } };
    },
  };
});

const dir = mkdtempSync(join(tmpdir(), 'nsmodel-check-paths-'));
const G1 = join(ROOT, 'test', 'golden', 'g1-uts-isolation.json');

describe('nsmodel check: its PATHs', () => {
  it.each([
    [['/nonexistent/traces', '--seconds', '0'], "cannot read '/nonexistent/traces': no such file or directory"],
    [['README.md', '--seconds', '0'], "'README.md' holds no trace: a trace file's name ends in .json"],
    [['package.json', '--seconds', '0'], "package.json: trace: unknown field 'version'"],
    [['test/golden/g1-uts-isolation.expected.json'], "'test/golden/g1-uts-isolation.expected.json' holds no trace: it is a recorded output (.expected.json); give its trace"],
    [['docs', '--seconds', '0'], "'docs' holds no trace: no *.json trace file in it or below it"],
    [[G1, '/nonexistent.json'], "cannot read '/nonexistent.json': no such file or directory"],
  ])('%j: exit 2, one line, nothing on stdout', async (args, message) => {
    const cwd = process.cwd();
    process.chdir(ROOT);
    try {
      expect(await runMain(['check', ...args])).toEqual({ status: 2, stdout: '', stderr: `nsmodel: ${message}\n` });
    } finally {
      process.chdir(cwd);
    }
  });

  it.runIf(process.geteuid?.() !== 0)('an unreadable file: exit 2', async () => {
    const f = join(dir, 'secret.json');
    copyFileSync(G1, f);
    chmodSync(f, 0);
    expect(await runMain(['check', f, '--seconds', '0'])).toEqual({ status: 2, stdout: '', stderr: `nsmodel: cannot read '${f}': permission denied\n` });
  });

  it('every test skipped and no random traces: no test ran, not a pass (exit 1)', async () => {
    const d = join(dir, 'time-only');
    mkdirSync(d);
    writeFileSync(join(d, 'time.json'), JSON.stringify({ nsmodel: 1, steps: [{ by: 'p0', op: 'unshare', flags: ['CLONE_NEWTIME'] }] }));
    const r = await runMain(['check', d, '--seconds', '0']);
    expect(r.stdout).toMatch(/^ok 1 \S*time # SKIP the kernel has no time namespaces/m);
    expect(r.stdout).toMatch(/# Totals: pass:0 fail:0 xfail:0 xpass:0 skip:1 error:0\n$/);
    expect(r.stderr).toBe('nsmodel check: no test ran (1 skipped, no random traces): not a pass\n');
    expect(r.status).toBe(1);
  });

  it('a trace that ran and passed: exit 0', async () => {
    const r = await runMain(['check', G1, '--seconds', '0', '--format', 'json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).totals).toEqual({ pass: 1, fail: 0, skip: 0 });
  });
});

// issue 9 item 4: the suite's traces ran one after another on one sandbox
describe('check(): the suite on kernel backends side by side', () => {
  it('--jobs 3: three backends in flight at once; the tests reported in the plan\'s order', async () => {
    const { check } = await import('../src/diff/check.js');
    const { AlteredBackend } = await import('./helpers/fake-backends.js');
    type Setup = import('../src/trace/types.js').Setup;
    let inFlight = 0;
    let most = 0;
    let made = 0;
    class SlowKernel extends AlteredBackend {
      override async start(setup: Setup): Promise<void> {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 20)); // a sandbox takes a while to make
        await super.start(setup);
      }
      override async close(): Promise<void> {
        inFlight--;
        await super.close();
      }
    }
    const ids: number[] = [];
    const report = await check({
      paths: [join(ROOT, 'test', 'rules')], seconds: 0, jobs: 3,
      kernel: () => { made++; return new SlowKernel(); },
      onTest: (t) => ids.push(t.id),
    });
    expect(report.tests.length).toBeGreaterThan(20);
    expect(report.totals.fail).toBe(0);
    expect(made).toBe(3);
    expect(most).toBe(3);
    expect(ids).toEqual(report.tests.map((_, i) => i + 1));
    expect(report.tests.map((t) => t.id)).toEqual(ids);
  });
});
