// nsmodel fuzz, spawned: --help, usage errors (2), no kernel (3), and on the real kernel a
// bounded run with --json (0, the last line's shape). A divergence (1), the written file and
// the replay command are tested in process on a deliberately wrong kernel
// (cli-differential-fake.test.ts).
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nsmodel } from './cli-helpers.js';
import { describeKernel } from './helpers/kernel.js';
import { noKernelMessage, withoutAgent } from './helpers/no-agent.js';

describe('nsmodel fuzz (spawned)', () => {
  it('--help: usage, options, exit statuses, an example', async () => {
    const r = await nsmodel(['fuzz', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: nsmodel fuzz \[--runs N\] \[--seconds S\] \[--seed X\] \[--types T,\.\.\.\]/);
    for (const o of ['--runs', '--seconds', '--seed', '--types', '--max-steps', '--out', '--json', '--jobs', '--max-divergences']) expect(r.stdout).toContain(`  ${o} `);
    expect(r.stdout).toMatch(/Exit status: 0 no divergence found; 1 a divergence found/);
    expect(r.stdout).toMatch(/Example:\n {2}nsmodel fuzz /);
  });

  it.each([
    [['fuzz', '--runs', 'many'], "--runs must be an integer of at least 1, not 'many'"],
    [['fuzz', '--runs', '0'], "--runs must be an integer of at least 1, not '0'"],
    [['fuzz', '--seconds=-3'], "--seconds must be a number of seconds, not '-3'"],
    [['fuzz', '--seed', '4294967296'], "--seed must be an integer from 0 to 2147483646, not '4294967296'"],
    [['fuzz', '--types', 'pid,frob'], "--types: unknown namespace type 'frob' (one of cgroup, ipc, mnt, net, pid, time, user, uts)"],
    [['fuzz', '--user', 'admin'], "--user must be root or unprivileged, not 'admin'"],
    [['fuzz', '--min-steps', '5', '--max-steps', '3'], '--min-steps (5) is more than --max-steps (3)'],
    [['fuzz', 'extra'], "unexpected argument 'extra'"],
  ])('%j: exit 2 and a hint', async (args, message) => {
    expect(await nsmodel(args)).toEqual({ status: 2, stdout: '', stderr: `nsmodel: fuzz: ${message}\nTry 'nsmodel fuzz --help'.\n` });
  });

  it('no kernel backend here: exit 3 and one sentence', async () => {
    const r = await withoutAgent(['fuzz', '--runs', '10']);
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(noKernelMessage());
  });
});

describeKernel('nsmodel fuzz on the real kernel (spawned)', () => {
  it('--runs 200 --json: exit 0; the seed on stderr; the last line {"traces","divergences","tracesPerSecond","seed"}', async () => {
    const out = mkdtempSync(join(tmpdir(), 'nsmodel-fuzz-out-'));
    const r = await nsmodel(['fuzz', '--runs', '200', '--seed', '1234', '--json', '--out', out]);
    expect(r.stderr).toMatch(/^nsmodel fuzz: seed 1234, \d+ jobs?, up to 200 traces\n$/);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const last = JSON.parse(lines.at(-1)!);
    expect(Object.keys(last)).toEqual(['traces', 'divergences', 'tracesPerSecond', 'seed']);
    expect(last).toMatchObject({ traces: 200, divergences: 0, seed: 1234 });
    expect(last.tracesPerSecond).toBeGreaterThan(0);
    expect(readdirSync(out)).toEqual([]);
  });

  it('--seconds 1: a plain summary line on stdout', async () => {
    const out = mkdtempSync(join(tmpdir(), 'nsmodel-fuzz-out-'));
    const r = await nsmodel(['fuzz', '--seconds', '1', '--types', 'pid,user', '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^fuzz: \d+ traces in 1\.\d s \(\d+ traces\/s, \d+ jobs?\), 0 divergences; seed \d+\n$/);
  });
});
