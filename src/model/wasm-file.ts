// The Node default of where the model's wasm comes from: build/nsmodel.wasm, or $NSMODEL_WASM.
// The page's build replaces this file with ./wasm-file.browser.ts (scripts/build.mjs).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../paths.js';
import { BackendUnavailable } from '../trace/backend.js';

export function wasmPath(): string {
  return process.env.NSMODEL_WASM ?? join(packageRoot(), 'build', 'nsmodel.wasm');
}

/** The model's wasm bytes; BackendUnavailable when it is not built. */
export function readModelBytes(): Uint8Array<ArrayBuffer> {
  try {
    return readFileSync(wasmPath());
  } catch {
    throw new BackendUnavailable(`the model is not built (${wasmPath()} is missing): run 'npm install' or 'npm run build'`);
  }
}
