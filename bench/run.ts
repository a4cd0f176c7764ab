// Every benchmark, one after the other (`npm run bench`): the model, the kernel backend
// against the C floor, the differential runner; with --callgrind also the model's
// instruction counts (slow: ~15 minutes under valgrind). Each writes bench/results/<name>.json
// with the machine, its load before and after, and the figures; bench/README.md has the table.
//
//   npm run bench [-- --quick] [-- --callgrind] [-- --only model|kernel|diff|callgrind]
// The kernel parts need root: without it they print why and are skipped.
import { benchModel } from './model.bench.js';
import { benchKernel } from './kernel.bench.js';
import { benchDiff } from './diff.bench.js';
import { benchCallgrind } from './model-callgrind.js';
import { arg, describeMachine, flag, isRoot, machine, record } from './lib.js';

const only = arg('only');
const want = (name: string) => (only ? only.split(',').includes(name) : name !== 'callgrind' || flag('callgrind'));
const extra = process.argv.slice(2).join(' ');

if (!isRoot()) console.log('note: not root: the kernel backend parts will be skipped (the C microbenchmark still runs if `unshare -U -r` works)');

if (want('model')) {
  const m = machine();
  console.log(`\n== model  (${describeMachine(m)})`);
  record('model', m, `npm run bench -- --only model ${extra}`.trim(), benchModel());
}
if (want('callgrind')) {
  const m = machine();
  console.log(`\n== model, callgrind  (${describeMachine(m)})`);
  const f = benchCallgrind();
  if (f) record('model-callgrind', m, 'npx tsx bench/model-callgrind.ts', f);
}
// the differential before the kernel bench: nsbench leaves network namespaces behind whose
// teardown the kernel finishes in the background for a while
if (want('diff')) {
  const m = machine();
  console.log(`\n== differential  (${describeMachine(m)})`);
  record('diff', m, `npm run bench -- --only diff ${extra}`.trim(), await benchDiff());
}
if (want('kernel')) {
  const m = machine();
  console.log(`\n== kernel backend vs the C floor  (${describeMachine(m)})`);
  record('kernel', m, `npm run bench -- --only kernel ${extra}`.trim(), await benchKernel());
}
console.log('\nresults: bench/results/*.json (see bench/README.md)');
