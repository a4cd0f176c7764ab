// A driver for instruction counts of the model under valgrind --tool=callgrind (repeatable,
// unlike wall time on a shared machine); bench/model-callgrind.ts runs it and takes
// differences, so that Node's start-up and V8's compiling cancel out:
//   node bench/model-callgrind.mjs K MODE [observe|no-observe]
// K fresh worlds, each running the steps of bench/fixtures/random-10000.json. MODE:
//   full   startSync + runSync (encode, wasm run, decode)
//   run    startSync + runSync with the results area zeroed after the wasm run (so nothing
//          but "ok" is decoded)
//   norun  the same as run without the wasm run (so run - norun = the wasm run alone)
//   start  startSync only (a fresh instance)
import { readFileSync } from 'node:fs';
import { ModelBackend } from '../dist/src/model/backend.js';

const k = Number(process.argv[2] ?? 1);
const mode = process.argv[3] ?? 'full';
const observe = process.argv[4] !== 'no-observe';
const trace = JSON.parse(readFileSync(new URL('./fixtures/random-10000.json', import.meta.url), 'utf8'));
const steps = observe ? trace.steps : trace.steps.filter((s) => s.op !== 'observe');
for (let i = 0; i < k; i++) {
  const m = new ModelBackend();
  m.startSync(trace.setup);
  if (mode === 'start') continue;
  if (mode === 'run' || mode === 'norun') {
    const w = m.wasm;
    const run = w.run.bind(w);
    w.run = (n) => {
      if (mode === 'run') run(n);
      new Int32Array(w.memory.buffer, w.resultsPointer(), n * 4).fill(0);
      return n;
    };
  }
  m.runSync(steps);
}
