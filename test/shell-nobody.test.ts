// The "done when": the seed article's UTS example typed into `nsmodel shell` by an
// unprivileged OS user — nobody — on the model backend, which needs no privilege at all.
//
// The checkout may not be readable by nobody (CI clones into a `mktemp -d`, mode 0700), so
// the command is bundled (esbuild, which tsx brings) into a world-readable directory with
// the model's wasm and package.json, and run there as nobody with setpriv. Switching users
// needs root: elsewhere the test is skipped with the reason, unless NSMODEL_REQUIRE_KERNEL=1
// (CI, as root), where it must run.

import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UTS_EXAMPLE_INPUT, UTS_EXAMPLE_TRANSCRIPT } from './helpers/article.js';

const ROOT = join(import.meta.dirname, '..');
const required = process.env.NSMODEL_REQUIRE_KERNEL === '1';
const why = process.getuid?.() !== 0 ? 'running a command as nobody needs root (setpriv)'
  : !existsSync('/usr/bin/setpriv') ? 'setpriv (util-linux) is not installed'
  : !existsSync(join(ROOT, 'build', 'nsmodel.wasm')) ? 'the model is not built (build/nsmodel.wasm)'
  : undefined;
if (why && !required) console.warn(`nobody test skipped: ${why}`);

describe.skipIf(why !== undefined && !required)('nsmodel shell as nobody', () => {
  let dir = '';
  beforeAll(async () => {
    if (why) throw new Error(`NSMODEL_REQUIRE_KERNEL=1, but ${why}`);
    dir = mkdtempSync(join(tmpdir(), 'nsmodel-nobody-'));
    chmodSync(dir, 0o755);
    const { build } = await import('esbuild');
    await build({
      entryPoints: [join(ROOT, 'src', 'cli', 'main.ts')], bundle: true, platform: 'node', format: 'esm',
      target: 'node20', outfile: join(dir, 'nsmodel.mjs'), logLevel: 'silent',
    });
    mkdirSync(join(dir, 'build'), { mode: 0o755 });
    copyFileSync(join(ROOT, 'build', 'nsmodel.wasm'), join(dir, 'build', 'nsmodel.wasm'));
    copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    for (const f of ['nsmodel.mjs', 'package.json', 'build/nsmodel.wasm']) chmodSync(join(dir, f), 0o644);
  }, 120_000);
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  const asNobody = (args: string[], input: string) => spawnSync('setpriv',
    ['--reuid=nobody', '--regid=nogroup', '--clear-groups', '--', process.execPath, ...args],
    { cwd: dir, input, encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir } });

  it('runs as nobody, with no capabilities', () => {
    const r = asNobody(['-e', 'process.stdout.write(`${process.getuid()} ${process.geteuid()} ${process.getgid()}`)'], '');
    expect(r.stdout).toBe('65534 65534 65534');
  });

  it('prints the initial hostname, then anotherbox, then the initial hostname again', () => {
    const r = asNobody([join(dir, 'nsmodel.mjs'), 'shell'], UTS_EXAMPLE_INPUT);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(UTS_EXAMPLE_TRANSCRIPT);
  });

  it('the kernel backend says, in one sentence, that it needs root', () => {
    const r = asNobody([join(dir, 'nsmodel.mjs'), 'shell', '--backend', 'kernel'], 'hostname\n');
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/^nsmodel: the kernel backend needs root[^\n]*\n$/);
  });
});
