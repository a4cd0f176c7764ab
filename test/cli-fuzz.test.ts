// nsmodel fuzz, spawned: --help, usage errors (2), no kernel (3), and on the real kernel a
// bounded run with --json (0, the last line's shape). A divergence (1), the written file and
// the replay command are tested in process on a deliberately wrong kernel
// (cli-differential-fake.test.ts).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nsmodel, ROOT, type Ran } from './cli-helpers.js';
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
    [['fuzz', '--max-steps', '100001'], "--max-steps: over the limit 'steps per trace' (100000)"],
    [['fuzz', '--mounts', '--v1'], '--mounts and --v1 exclude each other (the mount ops are an extension)'],
  ])('%j: exit 2 and a hint', async (args, message) => {
    expect(await nsmodel(args)).toEqual({ status: 2, stdout: '', stderr: `nsmodel: fuzz: ${message}\nTry 'nsmodel fuzz --help'.\n` });
  });

  it('no kernel backend here: exit 3 and one sentence', async () => {
    const r = await withoutAgent(['fuzz', '--runs', '10']);
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(noKernelMessage());
  });

  // issue 7 item 8: ./nsmodel-divergences was followed when it was a symbolic link
  it('--out (or ./nsmodel-divergences) a symbolic link or a file: exit 2 before running', async () => {
    const d = mkdtempSync(join(tmpdir(), 'nsmodel-fuzz-link-'));
    mkdirSync(join(d, 'elsewhere'));
    symlinkSync(join(d, 'elsewhere'), join(d, 'link'));
    writeFileSync(join(d, 'file'), '');
    expect(await nsmodel(['fuzz', '--runs', '5', '--out', join(d, 'link')])).toEqual({
      status: 2, stdout: '', stderr: `nsmodel: cannot write divergences to '${join(d, 'link')}': it is a symbolic link (give the directory itself)\n`,
    });
    expect(await nsmodel(['fuzz', '--runs', '5', '--out', join(d, 'file')])).toEqual({
      status: 2, stdout: '', stderr: `nsmodel: cannot write divergences to '${join(d, 'file')}': it is not a directory\n`,
    });
    // the default, relative to the current directory
    symlinkSync(join(d, 'elsewhere'), join(d, 'nsmodel-divergences'));
    const r = await spawnIn(d, ['fuzz', '--runs', '5']);
    expect(r).toEqual({ status: 2, stdout: '', stderr: "nsmodel: cannot write divergences to 'nsmodel-divergences': it is a symbolic link (give the directory itself)\n" });
    expect(readdirSync(join(d, 'elsewhere'))).toEqual([]);
  });
});

/** nsmodel from the sources, in the directory `cwd`. */
function spawnIn(cwd: string, args: string[]): Promise<Ran> {
  return new Promise((resolve, reject) => {
    // tsx by its URL: `--import tsx` would be looked up from `cwd`
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(ROOT, 'src', 'cli', 'main.ts'), ...args], { cwd, env: { ...process.env, NSMODEL_DEBUG: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (x) => { stdout += x; });
    child.stderr.setEncoding('utf8').on('data', (x) => { stderr += x; });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describeKernel('nsmodel fuzz on the real kernel (spawned)', () => {
  // issue 7 item 8: SIGINT lost the summary and the seed
  it('SIGINT: the traces in flight finish, the summary with the seed on stdout, exit 130', async () => {
    const out = mkdtempSync(join(tmpdir(), 'nsmodel-fuzz-int-'));
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), 'fuzz', '--seconds', '60', '--seed', '31', '--out', out],
      { cwd: ROOT, env: { ...process.env, NSMODEL_DEBUG: '' } });
    let stdout = '';
    let stderr = '';
    const started = Date.now();
    child.stdout.setEncoding('utf8').on('data', (x) => { stdout += x; });
    child.stderr.setEncoding('utf8').on('data', (x) => {
      stderr += x;
      if (/seed 31/.test(stderr)) setTimeout(() => child.kill('SIGINT'), 1500);
    });
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('nsmodel fuzz: seed 31, 4 jobs, up to 60 s\nnsmodel fuzz: interrupted: finishing the traces in flight (Ctrl-C again to quit at once)\n'.replace('4 jobs', stderr.match(/\d+ jobs?/)![0]));
    expect(stdout).toMatch(/^fuzz: interrupted after [1-9]\d* traces in [\d.]+ s \(\d+ traces\/s, \d+ jobs?\), 0 divergences; seed 31\n$/);
    expect(status).toBe(130);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(readdirSync(out)).toEqual([]);
  });

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
