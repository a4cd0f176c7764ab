// The one place that loads the model's WebAssembly (through @assemblyscript/loader, so that
// asc's generated bindings could replace it here alone). The module is compiled once per
// process. A ModelBackend takes an instance from a pool (a fresh one, ~0.1 ms, only when the
// pool is empty) and makes a new world in it with start() (~1 µs); close() gives it back.
// Browser-safe: where the compiled module comes from is injected (useModule); without one, the
// Node default reads build/nsmodel.wasm (./wasm-file.ts, which the page's build replaces with
// ./wasm-file.browser.ts: the page compiles the wasm it fetched and hands it to useModule).

import { instantiateSync } from '@assemblyscript/loader';
import { readModelBytes } from './wasm-file.js';

/** The model's exports (assembly/index.ts). */
export interface ModelExports {
  memory: WebAssembly.Memory;
  reserveSteps(n: number): number;
  reserveStrings(bytes: number): number;
  resultsPointer(): number;
  outPointer(): number;
  outLength(): number;
  start(unprivileged: number, off: number, len: number): void;
  setStartCaps(lo: number, hi: number): void;
  setStartMounts(on: number): void;
  run(n: number): number;
  snapshot(): number;
  identity(label: number, file: number): bigint;
  processState(label: number): number;
  processParent(label: number): number;
  processProcNs(label: number): number;
  why_info(code: number): number;
  userNsMaps(id: number): number;
  checkMounts(): number;
  __getString(ptr: number): string;
}

let compiled: WebAssembly.Module | undefined;

/** Use this compiled model from now on (the page: compiled from the wasm it fetched). */
export function useModule(module: WebAssembly.Module): void {
  compiled = module;
  pool.length = 0;
}

function compile(): WebAssembly.Module {
  if (!compiled) compiled = new WebAssembly.Module(readModelBytes());
  return compiled;
}

/**
 * Instances a closed ModelBackend gave back. An instance's start() empties its heap and makes a
 * new world, so one serves trace after trace — without the cost of instantiating, and with its
 * memory pages already in place.
 */
const pool: ModelExports[] = [];
const POOL_SIZE = 4;

export function takeInstance(): ModelExports {
  return pool.pop() ?? instantiate();
}

export function releaseInstance(w: ModelExports): void {
  if (pool.length < POOL_SIZE) pool.push(w);
}

/** A fresh instance of the model. */
export function instantiate(): ModelExports {
  const { exports } = instantiateSync<Record<string, unknown>>(compile(), {
    env: {
      abort(_msg: number, _file: number, line: number, column: number): never {
        throw new Error(`the model aborted at ${line}:${column}`);
      },
    },
  });
  return exports as unknown as ModelExports;
}
