// Instruction counts of the model under valgrind --tool=callgrind: repeatable where wall
// time on a shared machine is not. Runs bench/model-callgrind.mjs (compiled dist/, no tsx)
// with K1 and K2 fresh worlds and takes the difference per world, so that Node's start-up and
// V8's compiling cancel out (V8 flags: --single-threaded --no-liftoff, so that compiling
// happens the same way every time). Page faults and other kernel time are not counted:
// valgrind sees user-space instructions only.
//
//   npx tsx bench/model-callgrind.ts [--k1 11] [--k2 31] [--k1-observe 3] [--k2-observe 8]
// (needs valgrind and `npm run build`; ~15 minutes)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Trace } from '../src/trace/types.js';
import { arg, BENCH, describeMachine, fixture, machine, record, ROOT, invocation } from './lib.js';

const k1 = Number(arg('k1', '11'));
const k2 = Number(arg('k2', '31'));
// with observe steps a world is ~40 times the work: fewer suffice
const k1o = Number(arg('k1-observe', '3'));
const k2o = Number(arg('k2-observe', '8'));

function instructions(k: number, mode: string, observe: boolean): number {
  const r = spawnSync('valgrind', [
    '--tool=callgrind', '--smc-check=all-non-file', '--callgrind-out-file=/dev/null',
    process.execPath, '--single-threaded', '--no-liftoff', join(BENCH, 'model-callgrind.mjs'), String(k), mode, observe ? 'observe' : 'no-observe',
  ], { encoding: 'utf8', env: process.env });
  const m = /refs:\s+([\d,]+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`valgrind failed: ${r.stderr.split('\n').slice(-5).join('\n')}`);
  return Number(m[1].replace(/,/g, ''));
}

/** Instructions per fresh world of a mode: (I(k2) - I(k1)) / (k2 - k1). */
function perWorld(mode: string, observe: boolean): number {
  const [a, b] = observe ? [k1o, k2o] : [k1, k2];
  return (instructions(b, mode, observe) - instructions(a, mode, observe)) / (b - a);
}

export function benchCallgrind(): Record<string, unknown> | undefined {
  if (spawnSync('valgrind', ['--version']).status !== 0) {
    console.log('callgrind: skipped, valgrind is not installed');
    return undefined;
  }
  if (!existsSync(join(ROOT, 'dist', 'src', 'model', 'backend.js'))) {
    console.log('callgrind: skipped, dist/ is not built (npm run build)');
    return undefined;
  }
  const figures: Record<string, number> = {};
  const start = perWorld('start', false);
  figures.freshInstance = start;
  console.log(`callgrind, instructions per fresh world (K ${k1} -> ${k2}; with observe ${k1o} -> ${k2o}):`);
  console.log(`  fresh instance (startSync)              ${(start / 1e6).toFixed(2)} M`);
  for (const observe of [false, true]) {
    const full = perWorld('full', observe);
    const norun = perWorld('norun', observe);
    const run = perWorld('run', observe);
    const all = fixture<Trace>('random-10000.json').steps;
    const steps = observe ? all.length : all.filter((s) => s.op !== 'observe').length;
    const tag = observe ? 'withObserve' : 'noObserve';
    figures[`wasmRun_${tag}`] = run - norun;
    figures[`runSync_${tag}`] = full - start;
    console.log(`  ${observe ? 'with observe   ' : 'without observe'}: wasm run ${((run - norun) / 1e6).toFixed(2)} M (${((run - norun) / steps).toFixed(0)} per step), runSync ${((full - start) / 1e6).toFixed(2)} M (${((full - start) / steps).toFixed(0)} per step)`);
  }
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const m = machine();
  console.log(describeMachine(m));
  const figures = benchCallgrind();
  if (figures) console.log(`written: ${record('model-callgrind', m, invocation('model-callgrind.ts'), figures)}`);
}
