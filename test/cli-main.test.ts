// The nsmodel command itself: --version, --help, unknown commands and options.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nsmodel, nsmodelBin, ROOT } from './cli-helpers.js';

const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;

describe('nsmodel', () => {
  it('--version prints the package version (compiled bin)', async () => {
    expect(await nsmodelBin(['--version'])).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('--version prints the package version (sources)', async () => {
    expect(await nsmodel(['--version'])).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('--help lists the commands on stdout', async () => {
    const r = await nsmodel(['--help']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Usage: nsmodel COMMAND/);
    expect(r.stdout).toMatch(/^ {2}run TRACE +run one trace on one backend/m);
  });

  it('without a command prints the usage on stderr, status 2', async () => {
    const r = await nsmodel([]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Usage: nsmodel COMMAND/);
  });

  it('refuses an unknown command', async () => {
    expect(await nsmodel(['frob'])).toEqual({
      status: 2, stdout: '', stderr: "nsmodel: unknown command 'frob'\nTry 'nsmodel --help'.\n",
    });
  });

  it('refuses an unknown option', async () => {
    expect(await nsmodel(['--frob'])).toEqual({
      status: 2, stdout: '', stderr: "nsmodel: unknown option '--frob'\nTry 'nsmodel --help'.\n",
    });
  });

  it('help COMMAND is COMMAND --help', async () => {
    const [a, b] = await Promise.all([nsmodel(['help', 'run']), nsmodel(['run', '--help'])]);
    expect(a).toEqual(b);
    expect(a.status).toBe(0);
    expect(a.stdout).toMatch(/^Usage: nsmodel run TRACE/);
  });
});
