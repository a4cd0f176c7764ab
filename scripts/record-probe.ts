// Record what this kernel answers to the kernel probe (`nsagent probe`: the interfaces the
// kernel backend and the traces rely on), three times, insisting on one answer, into
// test/targets/probe.expected.json: what `nsmodel check --target` holds each target's
// answers against. Run as root on the reference kernel (Linux 6.18):
//
//   npx tsx scripts/record-probe.ts

import { writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';
import { probeKernel } from '../src/kernel/probe.js';
import { packageRoot } from '../src/paths.js';

const outs = new Set<string>();
for (let i = 0; i < 3; i++) outs.add(JSON.stringify(probeKernel()));
if (outs.size !== 1) {
  process.stderr.write(`the kernel gave ${outs.size} different answers; not recorded\n`);
  process.exit(1);
}
const file = join(packageRoot(), 'test', 'targets', 'probe.expected.json');
writeFileSync(file, `${JSON.stringify({ recordedOn: `Linux ${release()}`, probes: JSON.parse([...outs][0]) }, null, 2)}\n`);
process.stderr.write(`${file}: recorded on Linux ${release()}\n`);
