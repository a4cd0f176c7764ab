// Joining the answers of shards (`--shard I/N`, `--jobs J`): broken if any shard is broken,
// with the shortest counterexample and, among those, the first in enumeration order (the
// lexicographically least list of action ranks) — the one a single search finds; holds to
// the least depth every shard searched. States are the shards' sum (a state reached from the
// first steps of two shards counts in both).

import type { SearchResult } from './search.js';

/** Is a's counterexample before b's (shorter, or as long and first in enumeration order)? */
export function before(a: { depth: number; ranks: number[] }, b: { depth: number; ranks: number[] }): boolean {
  if (a.depth !== b.depth) return a.depth < b.depth;
  for (let i = 0; i < Math.min(a.ranks.length, b.ranks.length); i++) if (a.ranks[i] !== b.ranks[i]) return a.ranks[i] < b.ranks[i];
  return false;
}

export function mergeResults(rs: SearchResult[]): SearchResult {
  const broken = rs.filter((r) => r.verdict === 'broken' && r.counterexample);
  const states = rs.reduce((a, r) => a + r.states, 0);
  const seconds = Math.max(...rs.map((r) => r.seconds));
  const base = {
    strategy: rs[0].strategy, states, transitions: rs.reduce((a, r) => a + r.transitions, 0), seconds,
    statesPerSecond: seconds > 0 ? states / seconds : 0,
  };
  if (broken.length > 0) {
    let best = broken[0];
    for (const r of broken) if (before({ depth: r.depth, ranks: r.counterexample!.ranks }, { depth: best.depth, ranks: best.counterexample!.ranks })) best = r;
    return { ...base, verdict: 'broken', depth: best.depth, complete: best.complete, counterexample: best.counterexample };
  }
  const least = rs.reduce((a, r) => (r.depth < a.depth ? r : a), rs[0]);
  return {
    ...base, verdict: 'holds', depth: least.depth, complete: rs.every((r) => r.complete),
    stoppedBy: rs.find((r) => r.stoppedBy)?.stoppedBy,
  };
}

/** The merged --json line: the fields of one search's. */
export interface MergedReport {
  property: string;
  verdict: 'holds' | 'broken';
  depth: number;
  states: number;
  statesPerSecond: number;
  seconds: number;
  counterexample: { steps: unknown[] } | null;
  kernel: string;
}

/**
 * Join shards' --json lines (each the last line of a text). `ranks` gives a counterexample's
 * action ranks (Explorer.ranksOf, with the property loaded) to choose among equally short
 * ones the one a single search finds; without it, the first shard's.
 */
export function mergeReports(texts: string[], names: string[], ranks?: (r: MergedReport) => number[] | undefined): MergedReport {
  const reports = texts.map((t, i) => {
    const line = t.trim().split('\n').pop() ?? '';
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new MergeError(`${names[i]}: its last line is not the JSON of 'nsmodel explore --json'`);
    }
    for (const k of ['property', 'verdict', 'depth', 'states', 'seconds', 'kernel', 'counterexample']) {
      if (!(k in r)) throw new MergeError(`${names[i]}: no '${k}' in its JSON line`);
    }
    return r as unknown as MergedReport;
  });
  const name = reports[0].property;
  reports.forEach((r, i) => { if (r.property !== name) throw new MergeError(`${names[i]}: property '${r.property}', not '${name}'`); });
  const states = reports.reduce((a, r) => a + r.states, 0);
  const seconds = Math.max(...reports.map((r) => r.seconds));
  const out = (verdict: 'holds' | 'broken', depth: number, counterexample: MergedReport['counterexample'], kernel: string): MergedReport => ({
    property: name, verdict, depth, states, statesPerSecond: seconds > 0 ? Math.round(states / seconds) : 0, seconds, counterexample, kernel,
  });
  const broken = reports.filter((r) => r.verdict === 'broken');
  if (broken.length > 0) {
    const key = (r: MergedReport) => ({ depth: r.depth, ranks: ranks?.(r) ?? [] });
    let best = broken[0];
    for (const r of broken) if (before(key(r), key(best))) best = r;
    return out('broken', best.depth, best.counterexample, best.kernel);
  }
  return out('holds', Math.min(...reports.map((r) => r.depth)), null, 'skipped');
}

export class MergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MergeError';
  }
}
