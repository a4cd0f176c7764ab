// nsmodel check, spawned: --help, usage errors (2), no kernel (3), and on the real kernel the
// three formats: KTAP parses (as many result lines as the plan, numbered in order, totals
// that add up, the kernel's features in the header), JUnit is well-formed XML, JSON parses.
// Failures (1) are tested in process on a deliberately wrong kernel
// (cli-differential-fake.test.ts).
import { describe, expect, it } from 'vitest';
import { cannotRunAs, nsmodel, nsmodelAs } from './cli-helpers.js';
import { parseKtap, parseXml } from './helpers/formats.js';
import { describeKernel } from './helpers/kernel.js';
import { noKernelMessage, withoutAgent } from './helpers/no-agent.js';

describe('nsmodel check (spawned)', () => {
  it('--help: usage, options, exit statuses, an example', async () => {
    const r = await nsmodel(['check', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: nsmodel check \[PATH\.\.\.\] \[--format ktap\|junit\|json\] \[--seconds S\]/);
    expect(r.stdout).toMatch(/Exit status: 0 every test that ran passed \(some may be skipped\); 1 a test failed, or no\ntest ran/);
    expect(r.stdout).toMatch(/Example:\n {2}nsmodel check /);
  });

  it.each([
    [['check', '--format', 'tap14'], "unknown format 'tap14' (ktap, junit or json)"],
    [['check', '--seconds', 'soon'], "--seconds must be a number of seconds, not 'soon'"],
    [['check', '--max-steps', '100001'], "--max-steps: over the limit 'steps per trace' (100000)"],
  ])('%j: exit 2 and a hint', async (args, message) => {
    expect(await nsmodel(args)).toEqual({ status: 2, stdout: '', stderr: `nsmodel: check: ${message}\nTry 'nsmodel check --help'.\n` });
  });

  it('no kernel backend here: exit 3 and one sentence', async () => {
    const r = await withoutAgent(['check', '--seconds', '0']);
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(noKernelMessage());
  });

  // issue 9 item 1: the suite must hold as an unprivileged user; as root, look at what nobody sees
  const asNobody = cannotRunAs(65534);
  if (asNobody) console.warn(`skipped: check as nobody: ${asNobody}`);
  it.skipIf(asNobody !== null)('as nobody (uid 65534): exit 3, the kernel backend needs root', async () => {
    const r = await nsmodelAs(65534, ['check', '--seconds', '0']);
    expect(r).toEqual({ status: 3, stdout: '', stderr: 'nsmodel: the kernel backend needs root, to create the namespaces of its sandbox (run as root).\n' });
  });
});

describeKernel('nsmodel check on the real kernel (spawned)', () => {
  it('KTAP (the default): a plan, that many results, totals; the kernel and its features in the header; exit 0', async () => {
    const r = await nsmodel(['check', '--seconds', '1', '--seed', '77']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const k = parseKtap(r.stdout);
    expect(k.version).toBe('TAP version 13');
    expect(k.plans).toBe(1);
    expect(k.results).toHaveLength(k.plan);
    expect(k.numbers).toEqual(Array.from({ length: k.plan }, (_, i) => i + 1));
    expect(k.other).toEqual([]);
    expect(k.notOk).toBe(0);
    expect(k.totals).toEqual({ pass: k.ok, fail: 0, xfail: 0, xpass: 0, skip: k.skip, error: 0 });
    expect(k.plan).toBeGreaterThan(50); // golden + rules + fuzz
    expect(r.stdout).toMatch(/^# kernel: Linux \S+ /m);
    expect(r.stdout).toMatch(/^# namespace files: cgroup ipc mnt net pid pid_for_children time time_for_children user uts/m);
    expect(r.stdout).toMatch(/^# unprivileged user namespaces: (allowed|not allowed) \(/m);
    expect(r.stdout).toMatch(/^ok \d+ test\/golden\/g1-uts-isolation$/m);
    expect(r.stdout).toMatch(/^# \d+ random traces \(seed 77, \d+ traces\/s\)\nok \d+ fuzz$/m);
  });

  it('JUnit: well-formed XML; testsuites, properties with the kernel release, testcases', async () => {
    const r = await nsmodel(['check', '--format', 'junit', '--seconds', '0.5']);
    expect(r.status).toBe(0);
    const doc = parseXml(r.stdout);
    expect(doc.name).toBe('testsuites');
    expect(doc.attrs.failures).toBe('0');
    const suites = doc.children;
    expect(suites.map((s) => s.attrs.name)).toEqual(expect.arrayContaining(['test/golden', 'test/rules', 'fuzz']));
    const props = suites[0].children.find((c) => c.name === 'properties')!.children;
    expect(props.find((p) => p.attrs.name === 'kernel.release')?.attrs.value).toMatch(/^\d+\.\d+/);
    expect(props.find((p) => p.attrs.name === 'kernel.ns.user')?.attrs.value).toBe('true');
    const cases = suites.flatMap((s) => s.children.filter((c) => c.name === 'testcase'));
    expect(cases.length).toBe(Number(doc.attrs.tests));
  });

  it('JSON: parses; totals match the tests; the features', async () => {
    const r = await nsmodel(['check', '--format', 'json', '--seconds', '0']);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.totals.pass + report.totals.fail + report.totals.skip).toBe(report.tests.length);
    expect(report.tests.every((t: { status: string }) => t.status !== 'fail')).toBe(true);
    expect(report.features.namespaces.pid).toBe(true);
    expect(typeof report.features.unprivilegedUserns.allowed).toBe('boolean');
    expect(report.tests.some((t: { name: string }) => t.name === 'fuzz')).toBe(false); // --seconds 0: no fuzz
  });
});
