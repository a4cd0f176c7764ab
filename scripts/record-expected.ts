// Record what the real kernel gives for traces: for each TRACE.json, run it on the kernel
// backend three times, insist on one answer, and write TRACE.expected.json in the golden
// files' layout. This is how every expected value in test/rules/ and sim/traces/ was
// checked against the kernel before it was written down (run as root):
//
//   npx tsx scripts/record-expected.ts test/rules/*.json
//
// With `--into DIR`, TRACE.expected.json goes to DIR/<the trace's path>: how the recordings of
// another kernel are kept (test/rules-6.1/, recorded inside QEMU: README, "Conformance on your
// kernel"):
//
//   nsmodel target exec linux-6.1 -- npx tsx scripts/record-expected.ts --into test/rules-6.1 test/rules/R26-*.json

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { KernelBackend } from '../src/kernel/backend.js';
import { parseTrace } from '../src/trace/validate.js';
import { runTrace } from '../src/trace/backend.js';
import { formatOutput } from '../src/trace/format.js';

const args = process.argv.slice(2);
const intoAt = args.indexOf('--into');
const into = intoAt >= 0 ? args.splice(intoAt, 2)[1] : undefined;
const files = args.filter((f) => !f.endsWith('.expected.json'));
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
  const out = file.replace(/\.json$/, '.expected.json');
  const dest = into ? join(into, relative(process.cwd(), out)) : out;
  mkdirSync(dirname(dest), { recursive: true });
  writeFileSync(dest, `${[...outs][0]}\n`);
  process.stderr.write(`${file}: recorded\n`);
}
process.exit(bad ? 1 : 0);
