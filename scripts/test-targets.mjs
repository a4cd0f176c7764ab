#!/usr/bin/env node
// `npm run test:targets`: the conformance suite on other targets, strict (a stale profile
// entry fails; README, "Conformance on other targets"): gVisor when runsc is installed, then
// other kernels booted under QEMU (README, "Conformance on your kernel"): each kernel is
// fetched if it is not yet (`nsmodel target fetch`, Debian's package unpacked into
// ~/.cache/nsmodel/kernels), and `nsmodel check --target kernel:NAME --kernel-version X.Y`
// runs the suite inside it; the model answers as that release, and what the kernel lacks
// against the probe recorded on 6.18 is held against profiles/linux-X.Y.json.
//
//   npm run test:targets                      # linux-6.1, the suite's traces only
//   NSMODEL_TARGETS_SECONDS=120 npm run test:targets   # and 120 s of random traces
//   node scripts/test-targets.mjs linux-6.12  # another kernel
//
// Exit 0 when every target's check passed; 1 when one failed. A kernel that cannot be had or
// booted here (no QEMU, no apt) is skipped with the reason (exit 0), unless NSMODEL_TARGETS=1,
// which makes it a failure (CI, where the tools were installed); runsc likewise, unless
// NSMODEL_REQUIRE_RUNSC=1.

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

/** `check --target TARGET --strict --format json ...`: its summary line and failures; false when it failed. */
function checkTarget(label, target, args) {
  const t0 = Date.now();
  const r = nsmodel(['check', '--target', target, '--strict', '--seconds', seconds, '--format', 'json', ...args], 'pipe');
  const took = ((Date.now() - t0) / 1000).toFixed(0);
  if (r.status === 3) return 'unavailable';
  let report;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    process.stderr.write(`test:targets: ${label}: check gave no report (exit ${r.status})\n`);
    return false;
  }
  const t = report.totals;
  const g = report.target;
  process.stdout.write(`${label} (${g.release}): pass ${t.pass}, known ${g.known} (${g.profile ?? 'no profile'}), new ${g.new}, skip ${t.skip}, stale entries ${g.stale.length}; ${took} s\n`);
  for (const test of report.tests.filter((x) => x.status === 'fail' && !x.known)) process.stdout.write(`  not ok ${test.name}: ${test.failure.message}\n`);
  for (const e of g.stale) process.stdout.write(`  stale entry ${e.id}: ${e.why}\n`);
  return r.status === 0;
}

if (!process.argv.slice(2).length) {
  const requireRunsc = process.env.NSMODEL_REQUIRE_RUNSC === '1';
  const ok = checkTarget('runsc', 'runsc', []);
  if (ok === 'unavailable') {
    process.stderr.write(`test:targets: runsc: cannot run here: ${requireRunsc ? 'a failure (NSMODEL_REQUIRE_RUNSC=1)' : 'skipped'}\n`);
    if (requireRunsc) failed++;
  } else if (!ok) failed++;
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
  const ok = checkTarget(`${name}, model as Linux ${version}`, `kernel:${name}`, ['--kernel-version', version]);
  if (ok === 'unavailable') {
    process.stderr.write(`test:targets: ${name}: cannot run here: ${required ? 'a failure (NSMODEL_TARGETS=1)' : 'skipped'}\n`);
    if (required) failed++;
  } else if (!ok) failed++;
}
process.exit(failed ? 1 : 0);
