#!/usr/bin/env node
// `npm run test:targets`: the conformance suite inside other kernels booted under QEMU
// (README, "Conformance on your kernel"): each kernel is fetched if it is not yet
// (`nsmodel target fetch`, Debian's package unpacked into ~/.cache/nsmodel/kernels), booted,
// and `nsmodel check --kernel-version X.Y` runs inside it; the model answers as that release.
//
//   npm run test:targets                      # linux-6.1, the suite's traces only
//   NSMODEL_TARGETS_SECONDS=120 npm run test:targets   # and 120 s of random traces
//   node scripts/test-targets.mjs linux-6.12  # another kernel
//
// Exit 0 when every kernel's check passed; 1 when one failed. A kernel that cannot be had or
// booted here (no QEMU, no apt) is skipped with the reason (exit 0), unless NSMODEL_TARGETS=1,
// which makes it a failure (CI, where the tools were installed).

import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'dist', 'src', 'cli', 'main.js');
const kernels = process.argv.slice(2).length ? process.argv.slice(2) : ['linux-6.1'];
const seconds = process.env.NSMODEL_TARGETS_SECONDS ?? '0';
const required = process.env.NSMODEL_TARGETS === '1';
let failed = 0;

function nsmodel(args, stdout = 'inherit') {
  return spawnSync(process.execPath, [bin, ...args], { cwd: root, stdio: ['ignore', stdout, 'inherit'], encoding: 'utf8', maxBuffer: 1 << 28 });
}

for (const name of kernels) {
  const version = name.replace(/^linux-/, '');
  const listed = nsmodel(['target', 'list'], 'pipe').stdout.split('\n').some((l) => l.startsWith(`${name}\t`));
  if (!listed) {
    const f = nsmodel(['target', 'fetch', name], 'pipe');
    if (f.status !== 0) {
      process.stderr.write(`test:targets: ${name}: cannot be fetched here (exit ${f.status}): ${required ? 'a failure (NSMODEL_TARGETS=1)' : 'skipped'}\n`);
      if (required) failed++;
      continue;
    }
  }
  const t0 = Date.now();
  const r = nsmodel(['target', 'exec', '--timeout', '5400', name, '--', process.execPath, bin, 'check', '--kernel-version', version, '--seconds', seconds, '--format', 'json'], 'pipe');
  const took = ((Date.now() - t0) / 1000).toFixed(0);
  if (r.status === 3) {
    process.stderr.write(`test:targets: ${name}: cannot run here: ${required ? 'a failure (NSMODEL_TARGETS=1)' : 'skipped'}\n`);
    if (required) failed++;
    continue;
  }
  let report;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    process.stderr.write(`test:targets: ${name}: check gave no report (exit ${r.status})\n`);
    failed++;
    continue;
  }
  const t = report.totals;
  process.stdout.write(`${name} (${report.features.release}), model as Linux ${version}: pass ${t.pass}, fail ${t.fail}, skip ${t.skip}; ${took} s with the boot\n`);
  for (const test of report.tests.filter((x) => x.status === 'fail')) process.stdout.write(`  not ok ${test.name}: ${test.failure.message}\n`);
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
