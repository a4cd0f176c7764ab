// The one place that loads the model's WebAssembly (through @assemblyscript/loader, so that
// asc's generated bindings could replace it here alone). The module is compiled once per
// process. A ModelBackend takes an instance from a pool (a fresh one, ~0.1 ms, only when the
// pool is empty) and makes a new world in it with start() (~1 µs); close() gives it back.

import { readFileSync } from 'node:fs';
import { instantiateSync } from '@assemblyscript/loader';
import { packageRoot } from '../paths.js';
import { join } from 'node:path';
import { BackendUnavailable } from '../trace/backend.js';

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
  run(n: number): number;
  snapshot(): number;
  identity(label: number, file: number): bigint;
  processState(label: number): number;
  processParent(label: number): number;
  processProcNs(label: number): number;
  why_info(code: number): number;
  userNsMaps(id: number): number;
  __getString(ptr: number): string;
}

let compiled: WebAssembly.Module | undefined;

export function wasmPath(): string {
  return process.env.NSMODEL_WASM ?? join(packageRoot(), 'build', 'nsmodel.wasm');
}

function compile(): WebAssembly.Module {
  if (!compiled) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(wasmPath());
    } catch {
      throw new BackendUnavailable(`the model is not built (${wasmPath()} is missing): run 'npm install' or 'npm run build'`);
    }
    compiled = new WebAssembly.Module(bytes);
  }
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
