// Shared helpers of the benchmarks: repeated timing with medians and spread, the machine
// and its load, the fixtures, and the results file each bench writes (bench/results/).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Trace } from '../src/trace/types.js';

export const BENCH = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(BENCH, '..');

export function fixture<T = Trace>(name: string): T {
  return JSON.parse(readFileSync(join(BENCH, 'fixtures', name), 'utf8')) as T;
}

export interface Stats {
  n: number;
  median: number;
  min: number;
  max: number;
  /** 25th and 75th percentiles. */
  p25: number;
  p75: number;
}

export function stats(samples: readonly number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => {
    const i = (s.length - 1) * p;
    const lo = Math.floor(i);
    const hi = Math.ceil(i);
    return s[lo] + (s[hi] - s[lo]) * (i - lo);
  };
  return { n: s.length, median: q(0.5), min: s[0], max: s[s.length - 1], p25: q(0.25), p75: q(0.75) };
}

/** Map every field of a Stats (e.g. ms per run -> steps per second). */
export function mapStats(s: Stats, f: (x: number) => number): Stats {
  const a = f(s.min), b = f(s.max), c = f(s.p25), d = f(s.p75);
  return { n: s.n, median: f(s.median), min: Math.min(a, b), max: Math.max(a, b), p25: Math.min(c, d), p75: Math.max(c, d) };
}

/** Run `fn` `warmup` times untimed, then `runs` times timed; milliseconds per call. */
export function timeSync(fn: () => void, runs: number, warmup = Math.max(1, Math.floor(runs / 5))): Stats {
  for (let i = 0; i < warmup; i++) fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return stats(out);
}

export async function timeAsync(fn: () => Promise<void>, runs: number, warmup = Math.max(1, Math.floor(runs / 5))): Promise<Stats> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return stats(out);
}

export interface Machine {
  date: string;
  cpu: string;
  cores: number;
  kernel: string;
  node: string;
  /** 1-, 5-, 15-minute load averages when the bench started and ended. */
  loadBefore: number[];
  loadAfter?: number[];
}

export function machine(): Machine {
  let cpu = cpus()[0]?.model ?? 'unknown';
  let mhz = cpus()[0]?.speed || 0;
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const m = /^model name\s*:\s*(.*)$/m.exec(info);
    if (m) cpu = m[1];
    const f = /^cpu MHz\s*:\s*([\d.]+)$/m.exec(info);
    if (f && !mhz) mhz = Math.round(Number(f[1]));
  } catch { /* not Linux */ }
  return {
    date: new Date().toISOString(),
    cpu: `${cpu} @ ${mhz || '?'} MHz`,
    cores: availableParallelism(),
    kernel: release(),
    node: process.version,
    loadBefore: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

export function describeMachine(m: Machine): string {
  return `${m.date} | ${m.cpu}, ${m.cores} cores | Linux ${m.kernel} | Node ${m.node} | load ${m.loadBefore.join(' ')}${m.loadAfter ? ` -> ${m.loadAfter.join(' ')}` : ''}`;
}

/** Write bench/results/<name>.json: the machine, the command, the figures. */
export function record(name: string, m: Machine, command: string, figures: Record<string, unknown>): string {
  m.loadAfter = loadavg().map((x) => Math.round(x * 100) / 100);
  const dir = join(BENCH, 'results');
  // --tag X: results of a variant run (say, under `taskset -c 0`) go to <name>-X.json
  const tag = arg('tag');
  const file = join(dir, `${name}${tag ? `-${tag}` : ''}.json`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, `${JSON.stringify({ machine: m, command, figures }, null, 2)}\n`);
  } catch (e) {
    return `(not written: ${(e as Error).message})`;
  }
  return file;
}

/** 12345678 -> "12.35 M", 1234 -> "1,234". */
export function si(x: number, digits = 3): string {
  if (x >= 1e6) return `${(x / 1e6).toPrecision(digits)} M`;
  if (x >= 1e4) return `${(x / 1e3).toPrecision(digits)} k`;
  return x.toPrecision(digits);
}

/** "median (min–max, IQR p25–p75)" of a Stats, each value formatted by `f`. */
export function spread(s: Stats, f: (x: number) => string = (x) => x.toPrecision(3)): string {
  return `${f(s.median)} (min ${f(s.min)}, max ${f(s.max)}, IQR ${f(s.p25)}–${f(s.p75)}, n=${s.n})`;
}

export function isRoot(): boolean {
  return process.geteuid?.() === 0;
}

/** `--name value` or `--name=value` from argv. */
export function arg(name: string, fallback?: string): string | undefined {
  const a = process.argv;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === `--${name}`) return a[i + 1];
    if (a[i].startsWith(`--${name}=`)) return a[i].slice(name.length + 3);
  }
  return fallback;
}

/** The command line that ran this bench (with `taskset -c ...` noted when the process is pinned to fewer CPUs). */
export function invocation(script: string): string {
  const pinned = availableParallelism() < cpus().length ? `taskset (${availableParallelism()} of ${cpus().length} CPUs) ` : '';
  return `${pinned}npx tsx bench/${script} ${process.argv.slice(2).join(' ')}`.trim();
}

export function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}
