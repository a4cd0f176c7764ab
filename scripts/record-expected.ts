// Record what the real kernel gives for traces: for each TRACE.json, run it on the kernel
// backend three times, insist on one answer, and write TRACE.expected.json in the golden
// files' layout. This is how every expected value in test/rules/ and sim/traces/ was
// checked against the kernel before it was written down (run as root):
//
//   npx tsx scripts/record-expected.ts test/rules/*.json

import { readFileSync, writeFileSync } from 'node:fs';
import { KernelBackend } from '../src/kernel/backend.js';
import { parseTrace } from '../src/trace/validate.js';
import { runTrace } from '../src/trace/backend.js';
import { formatOutput } from '../src/trace/format.js';

const files = process.argv.slice(2).filter((f) => !f.endsWith('.expected.json'));
const kernel = new KernelBackend();
let bad = 0;
for (const file of files) {
  const trace = parseTrace(readFileSync(file, 'utf8'));
  const outs = new Set<string>();
  for (let i = 0; i < 3; i++) outs.add(formatOutput(await runTrace(kernel, trace), { pretty: true }));
  if (outs.size !== 1) {
    process.stderr.write(`${file}: the kernel gave ${outs.size} different outputs; not recorded\n`);
    bad++;
    continue;
  }
  writeFileSync(file.replace(/\.json$/, '.expected.json'), `${[...outs][0]}\n`);
  process.stderr.write(`${file}: recorded\n`);
}
process.exit(bad ? 1 : 0);
