// Instructions of the model's wasm `run` per world of bench/fixtures/random-10000.json, for one
// build or several side by side (repeatable, unlike wall time on a shared machine): valgrind
// --tool=callgrind over bench/model-wasm-callgrind.mjs at K1 and K2 worlds; the difference per
// world is the wasm's own work (start() and run()). Used to check that a change to assembly/
// makes the model no slower (issue 8).
//
//   npx tsx bench/model-wasm-callgrind.ts [WASM...] [--k1 1] [--k2 10]   (needs valgrind, npm run build)
// With no WASM, build/nsmodel.wasm. ~30 s per build and mode.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { arg, BENCH, describeMachine, invocation, machine, record, ROOT } from './lib.js';

const k1 = Number(arg('k1', '1'));
const k2 = Number(arg('k2', '10'));
const wasms = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
if (wasms.length === 0) wasms.push(join(ROOT, 'build', 'nsmodel.wasm'));

function instructions(wasm: string, k: number, observe: boolean): number {
  const r = spawnSync('valgrind', [
    '--tool=callgrind', '--smc-check=all-non-file', '--callgrind-out-file=/dev/null',
    process.execPath, '--single-threaded', '--no-liftoff', join(BENCH, 'model-wasm-callgrind.mjs'), String(k), observe ? 'observe' : 'no-observe',
  ], { encoding: 'utf8', env: { ...process.env, NSMODEL_WASM: wasm } });
  const m = /refs:\s+([\d,]+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`valgrind failed: ${r.stderr.split('\n').slice(-5).join('\n')}`);
  return Number(m[1].replace(/,/g, ''));
}

const m = machine();
console.log(describeMachine(m));
const figures: Record<string, Record<string, number>> = {};
for (const wasm of wasms) {
  figures[wasm] = {};
  for (const observe of [false, true]) {
    const per = (instructions(wasm, k2, observe) - instructions(wasm, k1, observe)) / (k2 - k1);
    const steps = observe ? 10000 : 9887;
    figures[wasm][observe ? 'withObserve' : 'noObserve'] = Math.round(per);
    console.log(`${wasm} ${observe ? 'with observe   ' : 'without observe'}: ${(per / 1e6).toFixed(2)} M per world, ${(per / steps).toFixed(0)} per step`);
  }
}
console.log(`written: ${record('model-wasm-callgrind', m, invocation('model-wasm-callgrind.ts'), { k1, k2, instructionsPerWorld: figures })}`);
