// The wasm `run` alone under valgrind --tool=callgrind, for comparing two builds of the model
// (NSMODEL_WASM=... selects one): K worlds, each a start() and one run() of the same step words
// of bench/fixtures/random-10000.json, with no JS work between them but copying the words in.
//   node bench/model-wasm-callgrind.mjs K observe|no-observe
// bench/model-wasm-callgrind.ts runs it at two K and takes (I(K2) - I(K1)) / (K2 - K1).
import { readFileSync } from 'node:fs';
import { ModelBackend } from '../dist/src/model/backend.js';
const k = Number(process.argv[2]);
const observe = process.argv[3] === 'observe';
const trace = JSON.parse(readFileSync(new URL('./fixtures/random-10000.json', import.meta.url), 'utf8'));
const steps = observe ? trace.steps : trace.steps.filter((s) => s.op !== 'observe');
const m = new ModelBackend();
m.startSync(trace.setup);
const w = m.wasm;
let stepsPtr = 0, strPtr = 0, strLen = 0, n = 0;
const rs = w.reserveSteps, rstr = w.reserveStrings, run = w.run;
w.reserveSteps = (c) => (stepsPtr = rs.call(w, c));
w.reserveStrings = (c) => { strLen = c; return (strPtr = rstr.call(w, c)); };
let words, strs;
w.run = (c) => {
  n = c;
  words = new Int32Array(w.memory.buffer, stepsPtr, c * 6).slice();
  strs = new Uint8Array(w.memory.buffer, strPtr, strLen).slice();
  return c;
};
m.runSync(steps);
const host = new TextEncoder().encode(trace.setup.hostname);
let sum = 0;
for (let i = 0; i < k; i++) {
  const hp = rstr.call(w, host.length);
  new Uint8Array(w.memory.buffer, hp, host.length).set(host);
  w.start(trace.setup.user === 'unprivileged' ? 1 : 0, 0, host.length);
  const sp = rstr.call(w, strs.length);
  new Uint8Array(w.memory.buffer, sp, strs.length).set(strs);
  const p = rs.call(w, n);
  new Int32Array(w.memory.buffer, p, n * 6).set(words);
  sum += run.call(w, n);
}
console.log(sum);
