// Trace files the differential runner writes and reads: the golden files' layout (one step a
// line), a content hash for names, and the traces of a directory tree.

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Trace } from '../trace/types.js';
import { show } from './diff.js';

/** A trace as a file: the golden files' layout, one step a line; keys in the format's order. */
export function formatTrace(trace: Trace): string {
  const head = [`"nsmodel": 1`];
  if (trace.name !== undefined) head.push(`"name": ${JSON.stringify(trace.name)}`);
  const setup = `"setup": ${show({
    user: trace.setup.user, hostname: trace.setup.hostname,
    // extensions (docs/TRACE-EXTENSIONS.md), only when set
    ...(trace.setup.caps === undefined ? {} : { caps: trace.setup.caps }),
    ...(trace.setup.creds === undefined ? {} : { creds: trace.setup.creds }),
    ...(trace.setup.mounts === undefined ? {} : { mounts: trace.setup.mounts }),
  })}`;
  if (trace.steps.length === 0) return `{${head.join(', ')},\n ${setup},\n "steps": []}\n`;
  return `{${head.join(', ')},\n ${setup},\n "steps": [\n${trace.steps.map((s) => `  ${show(s)}`).join(',\n')}]}\n`;
}

/** A short content hash of a trace's setup and steps (its name left out): 10 hex digits. */
export function traceHash(trace: Trace): string {
  return createHash('sha256').update(JSON.stringify({ setup: trace.setup, steps: trace.steps })).digest('hex').slice(0, 10);
}

/** A UTC timestamp for file names: 20250612T101502Z. */
export function fileTimestamp(date = new Date()): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** Trace files under `dir` (recursively), sorted, without the `.expected.json` files; none when `dir` is absent. */
export function traceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  if (statSync(dir).isFile()) return dir.endsWith('.json') && !dir.endsWith('.expected.json') ? [dir] : [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith('.json') && !e.name.endsWith('.expected.json')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** `path` relative to `base` when it is inside it, else as given. */
export function shortPath(path: string, base: string): string {
  const r = relative(base, path);
  return r.startsWith('..') || r === '' ? path : r;
}
