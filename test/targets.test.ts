// nsmodel check --target: parsing the target, classifying a target's run against its profile
// (known / new / stale) on a report recorded from a real runsc run, the reports' target
// fields, exit 2 and 3, and — where runsc is installed and we are root — a short real run.
// (The full run on runsc: npm run test:targets.)

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { innerArgs } from '../src/cli/check.js';
import type { CheckReport } from '../src/diff/check.js';
import { formatJunit, formatKtap } from '../src/diff/report.js';
import { backendBlocked, type KernelProbe } from '../src/kernel/probe.js';
import { packageRoot } from '../src/paths.js';
import { checkOnTarget, defaultProfilePath, parseTarget, TargetSyntaxError, TargetUnavailable } from '../src/targets/index.js';
import { classify, parseProfile, ProfileError, readProfile } from '../src/targets/profile.js';
import { probeTests, recordedProbe } from '../src/targets/probe.js';
import { findRunsc } from '../src/targets/runsc.js';

const root = packageRoot();
const fixture = (name: string) => join(root, 'test', 'targets', name);
/** `nsmodel check --target host --format json --seconds 0 --seed 1 test/golden`, run inside `runsc do` (test/targets/README.md). */
const recorded = readFileSync(fixture('runsc-golden.report.json'), 'utf8');
const runscProfile = join(root, 'profiles', 'runsc.json');
const cli = join(root, 'dist', 'src', 'cli', 'main.js');

/** A fake target: the recorded runsc report, whatever it is asked. */
const recordedRun = async () => ({ status: 1, stdout: recorded, stderr: 'nsmodel check: pass 18, fail 15, skip 6\n' });

const tmp = mkdtempSync(join(tmpdir(), 'nsmodel-targets-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function profileWith(change: (p: ReturnType<typeof readProfile>) => void): string {
  const p = readProfile(runscProfile);
  change(p);
  const file = join(tmp, `profile-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ target: p.target, about: p.about, divergences: p.divergences }));
  return file;
}

describe('--target', () => {
  it('parses host (the default), runsc and kernel:PATH', () => {
    expect(parseTarget(undefined)).toEqual({ kind: 'host' });
    expect(parseTarget('host')).toEqual({ kind: 'host' });
    expect(parseTarget('runsc')).toEqual({ kind: 'runsc' });
    expect(parseTarget('kernel:/boot/vmlinuz-6.1')).toEqual({ kind: 'kernel', path: '/boot/vmlinuz-6.1' });
    expect(parseTarget('kernel:img/bzImage')).toEqual({ kind: 'kernel', path: join(process.cwd(), 'img/bzImage') });
    // a kernel fetched by `nsmodel target fetch` by its name
    expect(parseTarget('kernel:linux-6.1')).toEqual({ kind: 'kernel', path: 'linux-6.1' });
  });

  it('rejects anything else with one line', () => {
    for (const bad of ['', 'kvm', 'kernel', 'kernel:', 'RUNSC', 'gvisor']) {
      expect(() => parseTarget(bad)).toThrow(TargetSyntaxError);
    }
    expect(() => parseTarget('kvm')).toThrow("unknown target 'kvm' (host, runsc or kernel:PATH)");
  });

  it('passes every option but its own to the run inside', () => {
    expect(innerArgs(['--target', 'runsc', '--format', 'junit', '--seconds', '0', 'x.json', '--strict', '--profile=p.json', '--seed=3']))
      .toEqual(['--seconds', '0', 'x.json', '--seed=3']);
    expect(innerArgs(['--target=runsc', '--limit', 'procs=10', '--profile', 'p.json', 'a', 'b'])).toEqual(['--limit', 'procs=10', 'a', 'b']);
  });
});

describe('profiles', () => {
  it('every shipped profile is valid, every entry with a link', () => {
    for (const name of ['runsc', 'linux-6.1', 'linux-6.12']) {
      const p = readProfile(join(root, 'profiles', `${name}.json`));
      expect(p.target).toBe(name);
      for (const e of p.divergences) expect(e.source).toMatch(/^https:\/\//);
    }
  });

  it('a kernel target\'s profile is chosen by the release it reports', () => {
    const k = { kind: 'kernel' as const, path: '/boot/vmlinuz' };
    expect(defaultProfilePath(k, '6.1.0-57-amd64')).toBe(join(root, 'profiles', 'linux-6.1.json'));
    expect(defaultProfilePath(k, '6.12.117+deb12-amd64')).toBe(join(root, 'profiles', 'linux-6.12.json'));
    expect(defaultProfilePath(k, '5.10.0-30-amd64')).toBeUndefined();
    expect(defaultProfilePath({ kind: 'runsc' }, '4.4.0')).toBe(runscProfile);
  });

  it('profiles/runsc.json links every entry to gVisor', () => {
    const p = readProfile(runscProfile);
    expect(p.target).toBe('runsc');
    expect(p.divergences.length).toBeGreaterThan(0);
    for (const e of p.divergences) expect(e.source).toMatch(/^https:\/\/github\.com\/google\/gvisor\//);
  });

  it('says which field of a bad profile is wrong', () => {
    expect(() => parseProfile('{"target":"x","divergences":[{"id":"a","test":"t","reason":"r","source":"here"}]}', 'p.json'))
      .toThrow(/^p\.json: divergences\[0\]\.source: /);
    expect(() => parseProfile('{"target":"x","divergences":[{"id":"a","test":"t","reason":"r","source":"https://x"},{"id":"a","test":"u","reason":"r","source":"https://x"}]}'))
      .toThrow("divergences[1].id: 'a' is listed twice");
    expect(() => parseProfile('nope', 'p.json')).toThrow(ProfileError);
  });

  it('classifies the recorded runsc run: every failure known, none new, none stale', async () => {
    const report = await checkOnTarget({ kind: 'runsc' }, { args: [], run: recordedRun });
    const inner = JSON.parse(recorded) as CheckReport;
    const failures = inner.tests.filter((t) => t.status === 'fail').length;
    expect(failures).toBeGreaterThan(0);
    expect(report.target).toMatchObject({ name: 'runsc', release: inner.features.release, profile: 'profiles/runsc.json', known: failures, new: 0, stale: [] });
    expect(report.totals).toEqual({ pass: inner.totals.pass, fail: 0, skip: inner.totals.skip, known: failures });
    const known = report.tests.find((t) => t.name === 'probe/pidfd_open');
    expect(known?.known?.id).toBe('no-pidfd-open');
  });

  it('a failure the profile does not list is new', async () => {
    const file = profileWith((p) => { p.divergences = p.divergences.filter((e) => e.id !== 'no-pidfd-open'); });
    const report = await checkOnTarget({ kind: 'runsc' }, { args: [], run: recordedRun, profile: file });
    expect(report.target?.new).toBe(1);
    expect(report.totals.fail).toBe(1);
    const t = report.tests.find((x) => x.name === 'probe/pidfd_open');
    expect(t?.status).toBe('fail');
    expect(t?.known).toBeUndefined();
  });

  it('an entry whose test passed is stale; one whose test did not run is unchecked', async () => {
    const file = profileWith((p) => {
      p.divergences.push({ id: 'ipc-gone', test: 'probe/nsfile.ipc', reason: 'r', source: 'https://example.org/ipc' });
      p.divergences.push({ id: 'elsewhere', test: 'test/rules/r1-*', reason: 'r', source: 'https://example.org/r1' });
    });
    const report = await checkOnTarget({ kind: 'runsc' }, { args: [], run: recordedRun, profile: file, strict: true });
    expect(report.target?.stale).toEqual([{ id: 'ipc-gone', test: 'probe/nsfile.ipc', reason: 'r', source: 'https://example.org/ipc', why: 'probe/nsfile.ipc passed' }]);
    expect(report.target?.unchecked).toBe(1);
    expect(report.target?.new).toBe(0);
    expect(formatKtap(report)).toContain('# stale entry ipc-gone (probe/nsfile.ipc): probe/nsfile.ipc passed; the target no longer diverges there: remove it from the profile (a failure: --strict)');
    expect(formatJunit(report)).toContain('<failure message="stale entry ipc-gone (probe/nsfile.ipc): probe/nsfile.ipc passed;');
  });

  it('an entry narrowed to another message does not match', () => {
    const inner = JSON.parse(recorded) as CheckReport;
    const p = parseProfile(JSON.stringify({ target: 'runsc', divergences: [{ id: 'x', test: 'probe/pidfd_open', message: 'EPERM', reason: 'r', source: 'https://x' }] }));
    const c = classify(inner, p);
    expect(c.tests.find((t) => t.name === 'probe/pidfd_open')?.known).toBeUndefined();
    expect(c.stale.map((e) => e.id)).toEqual(['x']);
    expect(c.stale[0].why).toMatch(/^probe\/pidfd_open failed otherwise: /);
  });

  it('the reports carry the target and its release: KTAP (known as XFAIL), JUnit, JSON', async () => {
    const report = await checkOnTarget({ kind: 'runsc' }, { args: [], run: recordedRun });
    const release = report.features.release;
    const ktap = formatKtap(report);
    expect(ktap).toContain(`# nsmodel ${report.nsmodel} check: the kernel model against target runsc (Linux ${release})`);
    expect(ktap).toMatch(/^ok \d+ probe\/pidfd_open # XFAIL no-pidfd-open$/m);
    expect(ktap).toContain(`# Totals: pass:${report.totals.pass} fail:0 xfail:${report.target?.known} xpass:0 skip:${report.totals.skip} error:0`);
    const junit = formatJunit(report);
    expect(junit).toContain(`<property name="target.name" value="runsc"/>`);
    expect(junit).toContain(`<property name="target.release" value="${release}"/>`);
    expect(junit).toContain('<skipped message="known divergence no-pidfd-open: ');
    expect(junit).not.toContain('<failure ');
    const json = JSON.parse(JSON.stringify(report)) as CheckReport;
    expect(json.target?.release).toBe(release);
  });

  it('a run inside that cannot start is exit 3 material (TargetUnavailable with its reason)', async () => {
    const run = async () => ({ status: 3, stdout: '', stderr: 'nsmodel: the kernel backend needs root.\n' });
    await expect(checkOnTarget({ kind: 'runsc' }, { args: [], run })).rejects.toThrow(TargetUnavailable);
    await expect(checkOnTarget({ kind: 'runsc' }, { args: [], run })).rejects.toThrow('the suite cannot run inside runsc: the kernel backend needs root.');
  });
});

describe('the kernel probe', () => {
  const runscProbe: KernelProbe = Object.fromEntries(readFileSync(fixture('runsc.probe.txt'), 'utf8').trim().split('\n').map((l) => l.split(' ')));

  it('the recorded 6.18 answers leave the backend able to observe; runsc\'s do not, and the reason names what is missing', () => {
    expect(backendBlocked(recordedProbe().probes)).toBeUndefined();
    const why = backendBlocked(runscProbe);
    expect(why).toMatch(/^the kernel backend cannot observe traces on this kernel: it lacks pidfd_open \(ENOSYS\), /);
    expect(why).toContain('NS_GET_NSTYPE (ENOTTY)');
    // no cgroup/time files there: the sandbox would not ask for them, so clone3's EINVAL does not block
    expect(why).not.toContain('CLONE_NEWCGROUP');
  });

  it('each probe is a test against the recorded answer; what could not be probed is skipped', async () => {
    const tests = probeTests(runscProbe, recordedProbe());
    const outcomes = await Promise.all(tests.map(async (t) => ({ name: t.name, ...(await t.run()) })));
    expect(outcomes.find((o) => o.name === 'probe/nsfile.ipc')?.status).toBe('pass');
    expect(outcomes.find((o) => o.name === 'probe/pidfd_open')).toMatchObject({ status: 'fail', failure: { kind: 'kernel-vs-recorded' } });
    expect(outcomes.find((o) => o.name === 'probe/ioctl.PIDFD_GET_INFO')?.status).toBe('skip');
  });
});

describe('nsmodel check --target (the command)', () => {
  const run = (args: string[], env: NodeJS.ProcessEnv = process.env) => spawnSync(process.execPath, [cli, 'check', ...args], { encoding: 'utf8', env, timeout: 120_000 });

  it('exits 2 on a bad --target, and on --profile without one', () => {
    const r = run(['--target', 'qemu']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("nsmodel: check: --target: unknown target 'qemu' (host, runsc or kernel:PATH)");
    expect(run(['--profile', runscProfile]).status).toBe(2);
    expect(run(['--target', 'runsc', '--out', tmp]).status).toBe(2);
  });

  it('exits 3 with the reason when runsc is not installed (no runsc on PATH)', () => {
    const r = run(['--target', 'runsc', '--seconds', '0'], { ...process.env, PATH: join(tmp, 'empty') });
    expect(r.status).toBe(3);
    expect(r.stderr).toContain("nsmodel: the runsc target needs gVisor's runsc, and there is none on PATH");
    expect(r.stdout).toBe('');
  });

  it('exits 3 with the reason when the kernel image is missing', () => {
    const r = run(['--target', `kernel:${join(tmp, 'no-such-bzImage')}`, '--seconds', '0']);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(`nsmodel: the kernel image ${join(tmp, 'no-such-bzImage')} is missing.`);
  });

  it('--help documents --target and profiles', () => {
    const r = run(['--help']);
    expect(r.stdout).toContain('--target T');
    expect(r.stdout).toContain('profiles/runsc.json');
    expect(r.stdout).toContain('stale profile entry');
  });
});

// A real runsc run, short: where runsc is installed and we are root; otherwise skipped with the
// reason, unless NSMODEL_REQUIRE_RUNSC=1 (NSMODEL_REQUIRE_KERNEL does not require runsc).
const runscWhy = !findRunsc() ? 'runsc is not installed' : process.getuid?.() !== 0 ? 'runsc needs root' : !existsSync(cli) ? 'the CLI is not built' : undefined;
const requireRunsc = process.env.NSMODEL_REQUIRE_RUNSC === '1';
if (runscWhy && !requireRunsc) console.warn(`runsc tests skipped: ${runscWhy}`);

describe.skipIf(runscWhy !== undefined && !requireRunsc)('nsmodel check --target runsc (real)', () => {
  it('runs inside gVisor, reports its release, and every divergence is known', () => {
    if (runscWhy) throw new Error(`NSMODEL_REQUIRE_RUNSC=1, but ${runscWhy}`);
    const r = spawnSync(process.execPath, [cli, 'check', '--target', 'runsc', '--seconds', '0', '--format', 'json', '--strict', 'test/golden/g1-uts-isolation.json'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toContain('nsmodel check --target runsc (Linux ');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as CheckReport;
    expect(report.target?.name).toBe('runsc');
    expect(report.target?.release).toBe(report.features.release);
    expect(report.target?.new).toBe(0);
    expect(report.target?.stale).toEqual([]);
    expect(report.target?.known).toBeGreaterThan(0);
    expect(report.tests.find((t) => t.name === 'test/golden/g1-uts-isolation')?.status).toBeDefined();
  });
});
