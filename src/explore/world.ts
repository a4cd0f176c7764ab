// The explorer's world: one instance of the model's wasm driven directly (not through
// ModelBackend: the search runs millions of single steps), with
//  - checkpoint/restore: a copy of the model's heap (the stub runtime's bump heap: everything
//    of the world lies between the heap's base and its top) and of every mutable wasm global
//    (exported by rewriting the module's export section when it is loaded, below);
//  - the fingerprint and the state view, computed inside the wasm (assembly/explore.ts).

import { readFileSync } from 'node:fs';
import { wasmPath } from '../model/wasm-file.js';
import { decodeResult, startWorld } from '../model/backend.js';
import { BackendUnavailable } from '../trace/backend.js';
import type { Result, Setup } from '../trace/types.js';

/** WebAssembly.Module.exports, not declared there either. */
const moduleExports = (WebAssembly.Module as unknown as { exports(m: WebAssembly.Module): { name: string }[] }).exports;

export const STEP_WORDS = 6;
const RESULT_WORDS = 4;

interface ExploreExports {
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
  why_info(code: number): number;
  __getString(ptr: number): string;
  exploreEncode(): number;
  exploreEncodingPointer(): number;
  exploreFingerprint(): number;
  exploreResultPointer(): number;
  exploreView(): number;
  exploreViewPointer(): number;
  exploreHeapTop(): number;
  exploreHeapBase(): number;
  exploreReset(): void;
  exploreGlobalsPointer(count: number): number;
}

/** A saved world: the heap's bytes (the first `size` of `store`) and the globals' values (8 bytes each). */
export interface Checkpoint {
  store: Uint8Array;
  size: number;
  globals: Uint8Array;
}

/** LEB128 helpers for the export-section rewrite. */
function readU32(b: Uint8Array, p: number): [number, number] {
  let v = 0, shift = 0;
  for (;;) {
    const byte = b[p++];
    v |= (byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) break;
    shift += 7;
  }
  return [v >>> 0, p];
}
function writeU32(v: number): number[] {
  const out: number[] = [];
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}
function skipInitExpr(b: Uint8Array, p: number): number {
  for (;;) {
    const op = b[p++];
    if (op === 0x0b) return p;
    if (op === 0x41 || op === 0x42 || op === 0x23) {
      while (b[p++] & 0x80);
    } else if (op === 0x43) p += 4;
    else if (op === 0x44) p += 8;
    else throw new Error(`explore: unexpected opcode 0x${op.toString(16)} in a global's initializer`);
  }
}

/**
 * The model's module with every mutable global exported as `__explore_g<index>`: a world's
 * state is its linear memory and these globals, so saving both saves the world.
 */
function rewrite(bytes: Uint8Array): { bytes: Uint8Array; globals: number[]; functions: boolean } {
  const parts: Uint8Array[] = [bytes.subarray(0, 8)];
  let p = 8;
  let importedGlobals = 0;
  let importedFuncs = 0;
  let ownFuncs = 0;
  let types = 0;
  const mutable: number[] = [];
  const globalType = new Map<number, number>();
  const sections: { id: number; body: Uint8Array }[] = [];
  while (p < bytes.length) {
    const id = bytes[p++];
    const [size, q] = readU32(bytes, p);
    sections.push({ id, body: bytes.subarray(q, q + size) });
    p = q + size;
  }
  for (const s of sections) {
    if (s.id === 2) {
      let [n, q] = readU32(s.body, 0);
      for (let i = 0; i < n; i++) {
        let len: number;
        [len, q] = readU32(s.body, q); q += len;
        [len, q] = readU32(s.body, q); q += len;
        const kind = s.body[q++];
        if (kind === 0) { [, q] = readU32(s.body, q); importedFuncs++; }
        else if (kind === 1) { q++; const flags = s.body[q++]; [, q] = readU32(s.body, q); if (flags & 1) [, q] = readU32(s.body, q); }
        else if (kind === 2) { const flags = s.body[q++]; [, q] = readU32(s.body, q); if (flags & 1) [, q] = readU32(s.body, q); }
        else if (kind === 3) { q += 2; importedGlobals++; }
      }
    } else if (s.id === 6) {
      let [n, q] = readU32(s.body, 0);
      for (let i = 0; i < n; i++) {
        const type = s.body[q++];
        const mut = s.body[q++];
        q = skipInitExpr(s.body, q);
        if (mut === 1) { mutable.push(importedGlobals + i); globalType.set(importedGlobals + i, type); }
      }
    } else if (s.id === 1) {
      types = readU32(s.body, 0)[0];
    } else if (s.id === 3) {
      ownFuncs = readU32(s.body, 0)[0];
    }
  }
  // two functions, (param i32) -> (): store every mutable global at ptr + 8k, and load them back
  const STORE = new Map<number, number>([[0x7f, 0x36], [0x7e, 0x37], [0x7d, 0x38], [0x7c, 0x39]]);
  const LOAD = new Map<number, number>([[0x7f, 0x28], [0x7e, 0x29], [0x7d, 0x2a], [0x7c, 0x2b]]);
  const align = (t: number) => (t === 0x7e || t === 0x7c ? 3 : 2);
  const save: number[] = [0];
  const load: number[] = [0];
  mutable.forEach((g, k) => {
    const t = globalType.get(g)!;
    save.push(0x20, 0, 0x23, ...writeU32(g), STORE.get(t)!, align(t), ...writeU32(8 * k));
    load.push(0x20, 0, LOAD.get(t)!, align(t), ...writeU32(8 * k), 0x24, ...writeU32(g));
  });
  save.push(0x0b);
  load.push(0x0b);
  const withCount = (body: Uint8Array, add: number, tail: number[]): Uint8Array => {
    const [n, q] = readU32(body, 0);
    const head = writeU32(n + add);
    const nb = new Uint8Array(head.length + (body.length - q) + tail.length);
    nb.set(head, 0);
    nb.set(body.subarray(q), head.length);
    nb.set(tail, head.length + body.length - q);
    return nb;
  };
  const saveIndex = importedFuncs + ownFuncs;
  const enc = new TextEncoder();
  const exportName = (name: string) => { const b = enc.encode(name); return [...writeU32(b.length), ...b]; };
  for (const s of sections) {
    let body = s.body;
    if (s.id === 7) {
      const extra: number[] = [];
      for (const g of mutable) extra.push(...exportName(`__explore_g${g}`), 3, ...writeU32(g));
      extra.push(...exportName('__explore_save_globals'), 0, ...writeU32(saveIndex));
      extra.push(...exportName('__explore_restore_globals'), 0, ...writeU32(saveIndex + 1));
      body = withCount(body, mutable.length + 2, extra);
    } else if (s.id === 1) {
      body = withCount(body, 1, [0x60, 1, 0x7f, 0]);
    } else if (s.id === 3) {
      body = withCount(body, 2, [...writeU32(types), ...writeU32(types)]);
    } else if (s.id === 10) {
      body = withCount(body, 2, [...writeU32(save.length), ...save, ...writeU32(load.length), ...load]);
    }
    parts.push(Uint8Array.of(s.id, ...writeU32(body.length)), body);
  }
  const total = parts.reduce((a, b) => a + b.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const part of parts) { out.set(part, o); o += part.length; }
  return { bytes: out, globals: mutable, functions: true };
}

function compile(path: string): { module: WebAssembly.Module; globalIndices: number[] } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new BackendUnavailable(`the model is not built (${path} is missing): run 'npm install' or 'npm run build'`);
  }
  const r = rewrite(bytes);
  const module = new WebAssembly.Module(r.bytes);
  const names = moduleExports(module).map((e) => e.name);
  if (!names.includes('exploreFingerprint')) {
    throw new BackendUnavailable(`the model at ${path} has no explorer exports (assembly/explore.ts): rebuild it ('npm run build')`);
  }
  return { module, globalIndices: r.globals };
}

const modules = new Map<string, { module: WebAssembly.Module; globalIndices: number[] }>();

/** A world of the model that can be saved and restored, fingerprinted and viewed. */
export class ExploreWorld {
  readonly w: ExploreExports;
  private heapBase = 0;
  private globalsPtr = 0;
  private globalCount = 0;
  private saveGlobals: (ptr: number) => void;
  private restoreGlobals: (ptr: number) => void;
  private bytes: Uint8Array | undefined;
  private words: Int32Array | undefined;
  private resultArea = 0;
  private whyCache = new Map<number, { check: string; rule?: string; text?: string } | undefined>();

  constructor(path: string = wasmPath()) {
    let m = modules.get(path);
    if (!m) { m = compile(path); modules.set(path, m); }
    const instance = new WebAssembly.Instance(m.module, {
      env: {
        abort(_msg: number, _file: number, line: number, column: number): never {
          throw new Error(`the model aborted at ${line}:${column}`);
        },
      },
    });
    const ex = instance.exports as Record<string, unknown>;
    // the loader's __getString, without the loader: AssemblyScript strings are UTF-16 with the byte length at ptr-4
    this.w = { ...ex } as unknown as ExploreExports;
    this.w.__getString = (ptr: number): string => {
      const mem = this.w.memory.buffer;
      const len = new Uint32Array(mem, ptr - 4, 1)[0];
      return String.fromCharCode(...new Uint16Array(mem, ptr, len >>> 1));
    };
    this.globalCount = m.globalIndices.length;
    this.saveGlobals = ex.__explore_save_globals as (ptr: number) => void;
    this.restoreGlobals = ex.__explore_restore_globals as (ptr: number) => void;
    this.heapBase = this.w.exploreHeapBase();
    this.globalsPtr = this.w.exploreGlobalsPointer(this.globalCount);
    if (this.globalsPtr === 0) throw new Error(`explore: the model has ${this.globalCount} globals, more than assembly/explore.ts keeps room for`);
    this.resultArea = this.w.exploreResultPointer();
  }

  /** A fresh world as the setup says. */
  start(setup: Setup): void {
    startWorld(this.w, setup);
    this.w.exploreReset();
  }

  /** The memory as bytes (the view is made again only when the memory grew). */
  private u8(): Uint8Array {
    const buf = this.w.memory.buffer;
    if (this.bytes?.buffer !== buf) this.bytes = new Uint8Array(buf);
    return this.bytes;
  }

  /** Save the world (into `reuse`'s buffers when they are big enough). */
  checkpoint(reuse?: Checkpoint): Checkpoint {
    const top = this.w.exploreHeapTop();
    const size = top - this.heapBase;
    const g = this.globalsPtr;
    this.saveGlobals(g);
    const mem = this.u8();
    const heap = reuse && reuse.store.length >= size ? reuse.store : new Uint8Array(Math.ceil(size * 1.25));
    heap.set(mem.subarray(this.heapBase, top), 0);
    const globals = reuse?.globals ?? new Uint8Array(8 * this.globalCount);
    globals.set(mem.subarray(g, g + globals.length), 0);
    return { store: heap, size, globals };
  }

  restore(cp: Checkpoint): void {
    const mem = this.u8();
    mem.set(cp.store.subarray(0, cp.size), this.heapBase);
    mem.set(cp.globals, this.globalsPtr);
    this.restoreGlobals(this.globalsPtr);
  }

  /** The memory as i32 words (the view is made again only when the memory grew). */
  private i32(): Int32Array {
    const buf = this.w.memory.buffer;
    if (this.words?.buffer !== buf) this.words = new Int32Array(buf);
    return this.words;
  }

  /** Copy `words` (STEP_WORDS per step) into the steps area and run them. */
  runWords(words: Int32Array, n: number): void {
    const ptr = this.w.reserveSteps(n);
    this.i32().set(words.length === n * STEP_WORDS ? words : words.subarray(0, n * STEP_WORDS), ptr >>> 2);
    this.w.run(n);
  }

  /** The result of step `i` of the last batch. */
  result(i: number): Result {
    const mem = this.w.memory.buffer;
    const res = new Int32Array(mem, this.w.resultsPointer() + i * RESULT_WORDS * 4, RESULT_WORDS);
    return decodeResult(res[0], res[1], new DataView(mem, this.w.outPointer(), this.w.outLength()));
  }

  /** The result kind word of step `i` of the last batch (R_ERR 4, R_DEAD 5, ...). */
  resultWords(i: number): Int32Array {
    return new Int32Array(this.w.memory.buffer, this.w.resultsPointer() + i * RESULT_WORDS * 4, RESULT_WORDS);
  }

  /** The model's check behind step `i`'s result of the last batch. */
  why(i: number): { check: string; rule?: string; text?: string } | undefined {
    const code = this.resultWords(i)[3];
    if (!code) return undefined;
    if (!this.whyCache.has(code)) {
      const [check, rule, text] = this.w.__getString(this.w.why_info(code)).split('|');
      this.whyCache.set(code, check ? { check, rule: rule || undefined, text: text || undefined } : undefined);
    }
    return this.whyCache.get(code);
  }

  /** The 64-bit fingerprint of the world now, as two u32 halves in `out` at `at`. */
  fingerprint(out: Uint32Array, at: number): void {
    this.w.exploreFingerprint();
    const m = this.i32();
    out[at] = m[this.resultArea >>> 2];
    out[at + 1] = m[(this.resultArea >>> 2) + 1];
  }

  /** The canonical encoding of the world now (a copy). */
  encoding(): Int32Array {
    const n = this.w.exploreEncode();
    return new Int32Array(this.w.memory.buffer, this.w.exploreEncodingPointer(), n).slice();
  }

  /** The state view's words (valid until the model runs again). */
  viewWords(): Int32Array {
    const n = this.w.exploreView();
    const p = this.w.exploreViewPointer() >>> 2;
    return this.i32().subarray(p, p + n);
  }

  /** Put `bytes` in the model's strings area (one area, made big enough once): returns nothing; offsets are the caller's. */
  setStrings(bytes: Uint8Array): void {
    const ptr = this.w.reserveStrings(bytes.length);
    new Uint8Array(this.w.memory.buffer, ptr, bytes.length).set(bytes);
  }
}
