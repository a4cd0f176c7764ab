// npm run test:targets: the conformance suite on every target this machine has, strict (a
// stale profile entry fails): runsc (when installed), then each kernel fetched by
// `nsmodel target fetch` under QEMU, with the model at that kernel's version. Not part of
// `npm test` (see README, "Conformance on other targets", for the times and last results).

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../src/paths.js';
import { listKernels } from '../src/targets/kernels.js';
import { findRunsc } from '../src/targets/runsc.js';

const cli = join(packageRoot(), 'dist', 'src', 'cli', 'main.js');
const runs: { target: string; args: string[] }[] = [];
if (findRunsc()) runs.push({ target: 'runsc', args: [] });
else process.stderr.write('test:targets: runsc is not installed: not run\n');
for (const k of listKernels()) {
  const version = /^linux-(\d+\.\d+)$/.exec(k.name)?.[1];
  runs.push({ target: `kernel:${k.name}`, args: version ? ['--kernel-version', version] : [] });
}
if (listKernels().length === 0) process.stderr.write('test:targets: no kernel fetched (nsmodel target fetch linux-6.1): none run under QEMU\n');

let failed = 0;
for (const r of runs) {
  const t0 = Date.now();
  const p = spawnSync(process.execPath, [cli, 'check', '--target', r.target, '--seconds', '0', '--strict', ...r.args, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.stderr.write(`test:targets: ${r.target}: exit ${p.status} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  if (p.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
