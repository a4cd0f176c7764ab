// Deduplication is sound and BFS's counterexample is the first shortest one: against a naive
// search of every path (no fingerprints, no checkpoints but the world's; iterative deepening
// in enumeration order), the explorer gives the same verdict and the same counterexample.
import { describe, expect, it } from 'vitest';
import { BUILTIN_PROPERTIES } from '../sim/properties/index.js';
import { Explorer } from '../src/explore/search.js';
import { violation, type Property } from '../src/explore/property.js';
import type { Step } from '../src/trace/types.js';

/** The first shortest violating path of at most `depth` steps, by brute force. */
function naive(p: Property, depth: number): Step[] | null {
  const ex = new Explorer(p);
  const w = ex.world;
  const acts = ex.table.actions;
  const replay = (path: number[]) => {
    w.restore(ex.base);
    for (const id of path) w.runWords(acts[id].words, 1);
  };
  const counts = (path: number[]) => {
    let procs = ex.table.worldProcs, fds = ex.table.worldFds;
    for (const id of path) { procs += acts[id].defines === 1 ? 1 : 0; fds += acts[id].defines === 2 ? 1 : 0; }
    return [procs, fds];
  };
  if (p.invariant && violation(p.invariant(ex.stateView()))) return [];
  for (let bound = 1; bound <= depth; bound++) {
    const found = dfs([], bound);
    if (found) return found.map((id) => acts[id].step(ex.labels));
  }
  return null;

  function dfs(path: number[], bound: number): number[] | null {
    replay(path);
    const [procs, fds] = counts(path);
    const here: number[] = [];
    ex.table.enumerate(ex.stateView(), procs, fds, here);
    for (const id of [...here]) {
      const next = [...path, id];
      replay(next);
      if (next.length === bound) {
        const a = acts[id];
        const bad = (p.onStep && violation(p.onStep({ step: a.step(ex.labels), result: w.result(0) }, ex.stateView())))
          || (p.invariant && violation(p.invariant(ex.stateView())));
        if (bad) return next;
      } else {
        const found = dfs(next, bound);
        if (found) return found;
      }
    }
    return null;
  }
}

describe('explore: BFS with deduplication against a naive search of every path', () => {
  for (const p of BUILTIN_PROPERTIES) {
    it(p.name, () => {
      const depth = Math.min(p.depth, p.expect!.verdict === 'holds' ? 3 : 4);
      const bfs = new Explorer(p).run({ depth });
      const brute = naive(p, depth);
      expect(bfs.verdict).toBe(brute ? 'broken' : 'holds');
      expect(bfs.counterexample?.path ?? null).toEqual(brute);
    });
  }

  it('an explorer searched twice (names of made labels already handed out) gives the same answer', () => {
    for (const p of BUILTIN_PROPERTIES.filter((q) => q.name === 'orphan-outside' || q.name === 'rootless-enter')) {
      const ex = new Explorer(p);
      const first = ex.run();
      ex.run({ strategy: 'random', seed: 1, seconds: 0.2 });
      const again = ex.run();
      expect(again.counterexample).toEqual(first.counterexample);
      expect(ex.ranksOf(first.counterexample!.path)).toEqual(first.counterexample!.ranks);
    }
  });
});
