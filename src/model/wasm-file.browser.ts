// In the page there is no file to read: the page fetches and compiles the wasm itself and hands
// the module to useModule() (src/model/wasm.ts) before any ModelBackend starts.

import { BackendUnavailable } from '../trace/backend.js';

export function wasmPath(): string {
  return 'nsmodel.wasm';
}

export function readModelBytes(): Uint8Array<ArrayBuffer> {
  throw new BackendUnavailable('the model is not loaded yet (the page gives it to useModule() once fetched)');
}
