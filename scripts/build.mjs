#!/usr/bin/env node
// The project's build, run by `npm install` (the `prepare` script) and `npm run build`:
//   1. the kernel model: assembly/ -> build/nsmodel.wasm (asc)
//   2. the TypeScript: src/ -> dist/ (tsc), so that the `nsmodel` command starts fast
//   3. the kernel agent: src/kernel/agent/*.c -> build/nsagent (the machine's C compiler)
// Each part says what it did on stderr; a failing part stops the build with its compiler's
// message.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
mkdirSync(join(root, 'build'), { recursive: true });

function step(what, cmd, args) {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.error || r.status !== 0) {
    process.stderr.write(`nsmodel build: ${what} failed${r.error ? `: ${r.error.message}` : ''}\n`);
    process.exit(1);
  }
  process.stderr.write(`nsmodel build: ${what} (${Date.now() - t0} ms)\n`);
}

const only = process.argv[2];
if (!only || only === 'wasm') step('model wasm -> build/nsmodel.wasm', bin('asc'), ['assembly/index.ts', '--target', 'release']);
if (!only || only === 'ts') step('TypeScript -> dist/', bin('tsc'), ['-p', 'tsconfig.json']);
if (!only || only === 'agent') {
  const dir = join(root, 'src', 'kernel', 'agent');
  const sources = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.c')).map((f) => join('src/kernel/agent', f)) : [];
  if (sources.length > 0) {
    const cc = process.env.CC || 'cc';
    // Linked statically where the C library allows it: every `exec` step re-executes the agent,
    // and a static binary skips the dynamic loader (bench/README.md: ~650 -> ~430 µs an exec).
    const args = ['-O2', '-Wall', '-Wextra', '-std=gnu11', '-o', 'build/nsagent', ...sources];
    const probe = spawnSync(cc, ['-static', ...args], { cwd: root, stdio: ['ignore', 'ignore', 'ignore'] });
    if (probe.status === 0) process.stderr.write(`nsmodel build: kernel agent -> build/nsagent (${cc}, static)\n`);
    else step(`kernel agent -> build/nsagent (${cc}; no static C library, dynamic)`, cc, args);
    // p0 of an unprivileged trace (uid 1000) execs the agent, whatever the umask was.
    chmodSync(join(root, 'build', 'nsagent'), 0o755);
  }
}
// The same agent under AddressSanitizer and UndefinedBehaviorSanitizer, for the test suite
// (test/kernel-sanitizers.test.ts): any sanitizer report there fails the suite. Built where the
// C compiler has both runtimes; otherwise the build says so and that test skips with the reason.
if (!only || only === 'agent' || only === 'agent-asan') {
  const dir = join(root, 'src', 'kernel', 'agent');
  const sources = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.c')).map((f) => join('src/kernel/agent', f)) : [];
  const cc = process.env.CC || 'cc';
  const out = join(root, 'build', 'nsagent-asan');
  const args = ['-O1', '-g', '-fno-omit-frame-pointer', '-fsanitize=address,undefined', '-fno-sanitize-recover=all',
    '-Wall', '-Wextra', '-std=gnu11', '-o', 'build/nsagent-asan', ...sources];
  const t0 = Date.now();
  const r = sources.length > 0 ? spawnSync(cc, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' }) : null;
  if (r && r.status === 0) {
    chmodSync(out, 0o755);
    process.stderr.write(`nsmodel build: kernel agent with ASan+UBSan -> build/nsagent-asan (${Date.now() - t0} ms)\n`);
  } else if (r) {
    process.stderr.write(`nsmodel build: no build/nsagent-asan (${cc} cannot build with -fsanitize=address,undefined: ${(r.stderr || r.error?.message || '').split('\n')[0]})\n`);
  }
}
// The playground (src/playground/): the page, bundled for the browser by esbuild into static
// files in dist/playground/ (index.html, app.js, app.css, nsmodel.wasm). The Node default of
// the model's wasm loader (src/model/wasm-file.ts) is swapped for the browser's, and the
// scenarios of sim/scenarios/ go in as the lessons. Any Node API left in what the page imports
// fails this step (platform: browser has no node: modules).
if (!only || only === 'playground') {
  const t0 = Date.now();
  const { buildPlayground } = await import('./playground-build.mjs');
  try {
    const size = await buildPlayground(root);
    process.stderr.write(`nsmodel build: playground -> dist/playground/ (${(size / 1024).toFixed(0)} KB, ${Date.now() - t0} ms)\n`);
  } catch (e) {
    process.stderr.write(`nsmodel build: playground failed: ${e.message}\n`);
    process.exit(1);
  }
}
