// Printing results and snapshots. Keys always come in the order TRACE.md shows them,
// whatever order a backend built its objects in:
//   - compact (the default): canonical JSON on one line, no spaces;
//   - pretty: the layout of the golden files — each result, each process and each
//     namespace on a line of its own, written with ", " and ": ".
// And sameOutput(): two runs agree when their parsed results and snapshots are equal
// (key order and white space do not matter).

import { NS_FILES, type Result, type RunOutput, type Snapshot } from './types.js';

export interface FormatOptions {
  pretty?: boolean;
}

/** A run's output as text (no trailing newline). */
export function formatOutput(out: RunOutput, opts: FormatOptions = {}): string {
  const o = orderOutput(out);
  if (!opts.pretty) return JSON.stringify(o);
  return block(o, '', (key, v, indent) =>
    key === 'results' ? list(v, indent) : key === 'final' ? prettySnapshot(v, indent) : inline(v));
}

/**
 * formatOutput in pieces, to write a long run's output as it is made instead of holding it:
 * head(), then result(r, i) for each result in order, then tail(final, count). Joined, the
 * pieces are exactly formatOutput's text for the same output (compact or pretty).
 */
export function outputPieces(opts: FormatOptions = {}): {
  head(): string;
  result(result: Result, index: number): string;
  tail(final: Snapshot, count: number): string;
} {
  if (!opts.pretty) {
    return {
      head: () => '{"results":[',
      result: (r, i) => `${i > 0 ? ',' : ''}${JSON.stringify(orderResult(r))}`,
      tail: (final) => `],"final":${JSON.stringify(orderSnapshot(final))}}`,
    };
  }
  return {
    head: () => '{\n  "results": [',
    result: (r, i) => `${i > 0 ? ',' : ''}\n    ${inline(orderResult(r))}`,
    tail: (final, count) => `${count === 0 ? ']' : '\n  ]'},\n  "final": ${prettySnapshot(orderSnapshot(final), '  ')}\n}`,
  };
}

/** A snapshot as text (no trailing newline). */
export function formatSnapshot(snapshot: Snapshot, opts: FormatOptions = {}): string {
  const o = orderSnapshot(snapshot);
  return opts.pretty ? prettySnapshot(o, '') : JSON.stringify(o);
}

/** One result as canonical JSON on one line (compact), or in the golden files' style (pretty). */
export function formatResult(result: Result, opts: FormatOptions = {}): string {
  const o = orderResult(result);
  return opts.pretty ? inline(o) : JSON.stringify(o);
}

/** Deep equality of two outputs (or any JSON values): key order does not matter; a key whose value is undefined counts as absent. */
export function sameOutput(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => sameOutput(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => Object.hasOwn(bo, k) && sameOutput(ao[k], bo[k]));
}

// ---- key order -------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const OUTPUT_KEYS = ['results', 'final'];
const RESULT_KEYS = ['ok', 'value', 'err', 'dead'];
const SNAPSHOT_KEYS = ['processes', 'namespaces'];
const PROCESS_KEYS = ['name', 'state', 'nspid', 'uid', 'hostname', 'domainname', 'ns'];
const NAMESPACE_KEYS = ['id', 'type', 'owner', 'parent', 'level'];

/** `obj`'s keys in the order given, then any others (a newer format's) sorted; undefined values left out. */
function ordered(obj: object, keys: readonly string[], child: (key: string, v: unknown) => Json = (_, v) => v as Json): Obj {
  const src = obj as Record<string, unknown>;
  const out: Obj = {};
  const rest = Object.keys(src).filter((k) => !keys.includes(k)).sort();
  for (const k of [...keys, ...rest]) {
    if (src[k] !== undefined) out[k] = child(k, src[k]);
  }
  return out;
}

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null && !Array.isArray(v);
const mapList = (v: unknown, f: (x: object) => Json): Json =>
  Array.isArray(v) ? v.map((x) => (isObject(x) ? f(x) : (x as Json))) : (v as Json);

function orderOutput(out: RunOutput): Obj {
  return ordered(out, OUTPUT_KEYS, (k, v) =>
    k === 'results' ? mapList(v, orderResult) : k === 'final' && isObject(v) ? orderSnapshot(v) : (v as Json));
}

function orderResult(r: object): Obj {
  return ordered(r, RESULT_KEYS, (k, v) => (k === 'value' && isObject(v) ? orderSnapshot(v) : (v as Json)));
}

function orderSnapshot(s: object): Obj {
  return ordered(s, SNAPSHOT_KEYS, (k, v) =>
    k === 'processes' ? mapList(v, orderProcess) : k === 'namespaces' ? mapList(v, (n) => ordered(n, NAMESPACE_KEYS)) : (v as Json));
}

function orderProcess(p: object): Obj {
  return ordered(p, PROCESS_KEYS, (k, v) => (k === 'ns' && isObject(v) ? ordered(v, NS_FILES) : (v as Json)));
}

// ---- layout ----------------------------------------------------------------------------

/** JSON on one line with ", " and ": " between items, as in the golden files. */
function inline(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(inline).join(', ')}]`;
  if (isObject(v)) {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}: ${inline(x)}`).join(', ')}}`;
  }
  return JSON.stringify(v);
}

/** An object with one key per line, each value rendered by `render` at the next indent. */
function block(obj: Obj, indent: string, render: (key: string, v: Json, indent: string) => string): string {
  const inner = `${indent}  `;
  const lines = Object.entries(obj).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${render(k, v, inner)}`);
  return lines.length === 0 ? '{}' : `{\n${lines.join(',\n')}\n${indent}}`;
}

/** An array with one item per line, each item inline. */
function list(v: Json, indent: string): string {
  if (!Array.isArray(v)) return inline(v);
  if (v.length === 0) return '[]';
  return `[\n${v.map((x) => `${indent}  ${inline(x)}`).join(',\n')}\n${indent}]`;
}

function prettySnapshot(s: Json, indent: string): string {
  if (!isObject(s)) return inline(s);
  return block(s as Obj, indent, (key, v, inner) =>
    key === 'processes' || key === 'namespaces' ? list(v, inner) : inline(v));
}
