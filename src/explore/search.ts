// The search: breadth-first to a depth bound with state deduplication by the model's
// fingerprint (the first shortest counterexample in enumeration order), or random walks from
// a replayable seed. Both run on one ExploreWorld: the world after the prefix is saved once;
// a state is reached by restoring that checkpoint and running its path's steps in one batch;
// its successors by restoring the state's own checkpoint before each action.

import type { Result, Step } from '../trace/types.js';
import { ActionTable, Labels, Strings, stepWords } from './actions.js';
import { violation, type Property } from './property.js';
import { StateView } from './view.js';
import { ExploreWorld, STEP_WORDS, type Checkpoint } from './world.js';

export interface SearchOptions {
  /** Steps after the prefix (default: the property's). */
  depth?: number;
  /** Stop after this many seconds (the answer then says how far it got). */
  seconds?: number;
  /** Stop after this many distinct states. */
  maxStates?: number;
  strategy?: 'bfs' | 'random';
  /** Random walks: the seed (default: from the clock, and reported). */
  seed?: number;
  /** Only the first steps k with k % n === i (a campaign split over machines). */
  shard?: { index: number; count: number };
  /** Keep every state's encoding and compare on each fingerprint hit (slow; counts collisions). */
  exact?: boolean;
  /** The model's wasm (default: the built one; tests pass a mutant). */
  wasmPath?: string;
  /** Called about twice a second. */
  progress?: (p: SearchProgress) => void;
}

export interface SearchProgress {
  depth: number;
  states: number;
  frontier: number;
  seconds: number;
  statesPerSecond: number;
}

export interface SearchResult {
  verdict: 'holds' | 'broken';
  strategy: 'bfs' | 'random';
  /** BFS: the depth fully searched (holds), or the counterexample's length (broken). Random: the walks' length. */
  depth: number;
  /** Did the search cover the whole bound (no time or state limit cut it short)? */
  complete: boolean;
  /** Why it stopped early, if it did. */
  stoppedBy?: 'seconds' | 'max-states';
  states: number;
  transitions: number;
  seconds: number;
  statesPerSecond: number;
  seed?: number;
  /** BFS: the depth after which no new state was left (the whole reachable space was searched), if it came. */
  exhaustedAt?: number;
  /** Fingerprint hits whose encodings differed (exact mode only). */
  collisions?: number;
  /** The steps after the prefix, and the message of the invariant that broke. */
  counterexample?: { path: Step[]; ranks: number[]; message: string; at: 'state' | 'step' };
}

/** A set of 64-bit fingerprints: open addressing over two u32 halves. */
export class FingerprintSet {
  private table: Uint32Array;
  private mask: number;
  size = 0;

  constructor(capacityLog2 = 16) {
    this.table = new Uint32Array(2 << capacityLog2);
    this.mask = (1 << capacityLog2) - 1;
  }

  /** Add (lo, hi); false when it was there already. */
  add(lo: number, hi: number): boolean {
    if (lo === 0 && hi === 0) lo = 1; // (0, 0) marks an empty slot
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    const t = this.table;
    for (;;) {
      const a = t[2 * i], b = t[2 * i + 1];
      if (a === 0 && b === 0) break;
      if (a === lo >>> 0 && b === hi >>> 0) return false;
      i = (i + 1) & this.mask;
    }
    t[2 * i] = lo;
    t[2 * i + 1] = hi;
    if (++this.size * 2 > this.mask) this.grow();
    return true;
  }

  private grow(): void {
    const old = this.table;
    this.table = new Uint32Array(old.length * 2);
    this.mask = this.mask * 2 + 1;
    this.size = 0;
    for (let i = 0; i < old.length; i += 2) if (old[i] !== 0 || old[i + 1] !== 0) this.add(old[i], old[i + 1]);
  }
}

/** A prepared search: the world built and saved, its labels and actions. */
export class Explorer {
  readonly world: ExploreWorld;
  readonly labels: Labels;
  readonly table: ActionTable;
  readonly base: Checkpoint;
  /** The world's results (the prefix's steps). */
  readonly worldResults: Result[];
  private readonly view: StateView;
  private readonly fp = new Uint32Array(2);

  constructor(readonly property: Property, wasmPath?: string) {
    this.world = new ExploreWorld(wasmPath);
    this.labels = new Labels(property.world);
    const strings = new Strings();
    const procIdx = new Map(this.labels.procs.map((l, i) => [l, i]));
    const fdIdx = new Map(this.labels.fds.map((l, i) => [l, i]));
    const prefixWords = property.prefix.flatMap((s) => stepWords(s, (l) => procIdx.get(l) ?? -1, (l) => fdIdx.get(l) ?? -1, strings));
    this.table = new ActionTable(property, this.labels, strings);
    const w = this.world;
    w.start(property.setup);
    w.setStrings(strings.blob);
    w.w.reserveSteps(Math.max(64, property.prefix.length, property.depth + 1, 61));
    w.runWords(Int32Array.from(prefixWords), property.prefix.length);
    this.worldResults = property.prefix.map((_, i) => w.result(i));
    this.base = w.checkpoint();
    this.view = new StateView(new Int32Array(1), (i) => this.labels.proc(i));
  }

  /** The view of the world now. */
  stateView(): StateView {
    this.view.reset(this.world.viewWords());
    return this.view;
  }

  /**
   * The ranks of a path's actions (each one's place in its state's enumeration), or undefined
   * when a step is not one the alphabet offers there: how shards' counterexamples are ordered.
   */
  ranksOf(path: readonly Step[]): number[] | undefined {
    const w = this.world;
    w.restore(this.base);
    let nProcs = this.table.worldProcs, nFds = this.table.worldFds;
    const acts: number[] = [];
    const ranks: number[] = [];
    for (const step of path) {
      this.table.enumerate(this.stateView(), nProcs, nFds, acts);
      const want = JSON.stringify(step);
      const k = acts.findIndex((id) => JSON.stringify(this.table.actions[id].step(this.labels)) === want);
      if (k < 0) return undefined;
      const a = this.table.actions[acts[k]];
      w.runWords(a.words, 1);
      nProcs += a.defines === 1 ? 1 : 0;
      nFds += a.defines === 2 ? 1 : 0;
      ranks.push(k);
    }
    return ranks;
  }

  /**
   * `count` random paths of up to `depth` steps from the world (seeded), as steps: for holding
   * a property's "holds" against the kernel on a sample of the states it searched.
   */
  samplePaths(count: number, depth: number, seed: number): Step[][] {
    const rand = mulberry32(seed);
    const w = this.world;
    const acts: number[] = [];
    const paths: Step[][] = [];
    for (let n = 0; n < count; n++) {
      w.restore(this.base);
      let nProcs = this.table.worldProcs, nFds = this.table.worldFds;
      const path: Step[] = [];
      for (let d = 0; d < depth; d++) {
        this.table.enumerate(this.stateView(), nProcs, nFds, acts);
        if (acts.length === 0) break;
        const a = this.table.actions[acts[Math.floor(rand() * acts.length)]];
        path.push(a.step(this.labels));
        w.runWords(a.words, 1);
        nProcs += a.defines === 1 ? 1 : 0;
        nFds += a.defines === 2 ? 1 : 0;
      }
      paths.push(path);
    }
    return paths;
  }

  run(options: SearchOptions = {}): SearchResult {
    return (options.strategy ?? 'bfs') === 'random' ? this.random(options) : this.bfs(options);
  }

  private bfs(options: SearchOptions): SearchResult {
    const p = this.property;
    const w = this.world;
    const maxDepth = options.depth ?? p.depth;
    const t0 = performance.now();
    const deadline = options.seconds === undefined ? Infinity : t0 + options.seconds * 1000;
    const maxStates = options.maxStates ?? Infinity;
    const seen = new FingerprintSet();
    const exact = options.exact ? new Map<string, Int32Array[]>() : undefined;
    let collisions = 0;
    let transitions = 0;
    const fp = this.fp;
    const isNew = (): boolean => {
      w.fingerprint(fp, 0);
      const added = seen.add(fp[0], fp[1]);
      if (!exact) return added;
      const enc = w.encoding();
      const key = `${fp[0]}:${fp[1]}`;
      const list = exact.get(key);
      if (!list) { exact.set(key, [enc]); return true; }
      if (list.some((e) => e.length === enc.length && e.every((x, i) => x === enc[i]))) return false;
      collisions++;
      list.push(enc);
      return true;
    };
    const result = (verdict: 'holds' | 'broken', depth: number, complete: boolean, extra: Partial<SearchResult> = {}): SearchResult => {
      const seconds = (performance.now() - t0) / 1000;
      return {
        verdict, strategy: 'bfs', depth, complete, states: seen.size, transitions, seconds,
        statesPerSecond: seconds > 0 ? seen.size / seconds : 0, ...(exact ? { collisions } : {}), ...extra,
      };
    };

    // depth 0: the world itself
    w.restore(this.base);
    isNew();
    const v0 = this.stateView();
    const bad0 = p.invariant ? violation(p.invariant(v0)) : undefined;
    if (bad0) return result('broken', 0, true, { counterexample: { path: [], ranks: [], message: bad0, at: 'state' } });

    // a level: parallel arrays of (parent entry in the previous level, action id, rank of the action, label counts)
    interface Level { parent: number[]; action: number[]; rank: number[]; procs: number[]; fds: number[] }
    const levels: Level[] = [{ parent: [-1], action: [-1], rank: [-1], procs: [this.table.worldProcs], fds: [this.table.worldFds] }];
    const acts: number[] = [];
    const pathWords = new Int32Array(STEP_WORDS * (maxDepth + 1));
    let lastProgress = t0;
    let scratch: Checkpoint | undefined;
    let saved: Checkpoint | undefined;

    const pathOf = (d: number, e: number): number[] => {
      const ids: number[] = [];
      for (let lv = d; lv > 0; lv--) {
        ids.push(levels[lv].action[e]);
        e = levels[lv].parent[e] as number;
      }
      return ids.reverse();
    };
    const ranksOf = (d: number, e: number): number[] => {
      const r: number[] = [];
      for (let lv = d; lv > 0; lv--) {
        r.push(levels[lv].rank[e]);
        e = levels[lv].parent[e] as number;
      }
      return r.reverse();
    };
    const broken = (d: number, parentEntry: number, action: number, rank: number, message: string, at: 'state' | 'step') => {
      const ids = [...pathOf(d - 1, parentEntry), action];
      const ranks = [...ranksOf(d - 1, parentEntry), rank];
      const path = ids.map((id) => this.table.actions[id].step(this.labels));
      return result('broken', d, true, { counterexample: { path, ranks, message, at } });
    };

    for (let d = 1; d <= maxDepth; d++) {
      const prev = levels[d - 1];
      const next: Level = { parent: [], action: [], rank: [], procs: [], fds: [] };
      levels.push(next);
      const n = prev.action.length;
      for (let e = 0; e < n; e++) {
        // reach the state of entry e
        w.restore(this.base);
        if (d > 1) {
          const ids = pathOf(d - 1, e);
          for (let k = 0; k < ids.length; k++) pathWords.set(this.table.actions[ids[k]].words, k * STEP_WORDS);
          w.runWords(pathWords.subarray(0, ids.length * STEP_WORDS), ids.length);
        }
        const nProcs = prev.procs[e], nFds = prev.fds[e];
        this.table.enumerate(this.stateView(), nProcs, nFds, acts);
        if (acts.length === 0) continue;
        if (acts.length > 1) scratch = d > 1 ? (saved = w.checkpoint(saved)) : this.base;
        for (let k = 0; k < acts.length; k++) {
          if (d === 1 && options.shard && k % options.shard.count !== options.shard.index) continue;
          if (k > 0) w.restore(scratch!);
          const a = this.table.actions[acts[k]];
          w.runWords(a.words, 1);
          transitions++;
          if (p.onStep) {
            const outcome = { step: a.step(this.labels), result: w.result(0) };
            const bad = violation(p.onStep(outcome, this.stateView()));
            if (bad) return broken(d, e, acts[k], k, bad, 'step');
          }
          if (!isNew()) continue;
          if (p.invariant) {
            const bad = violation(p.invariant(this.stateView()));
            if (bad) return broken(d, e, acts[k], k, bad, 'state');
          }
          next.parent.push(e);
          next.action.push(acts[k]);
          next.rank.push(k);
          next.procs.push(nProcs + (a.defines === 1 ? 1 : 0));
          next.fds.push(nFds + (a.defines === 2 ? 1 : 0));
          if (seen.size >= maxStates) return result('holds', d - 1, false, { stoppedBy: 'max-states' });
        }
        if ((e & 63) === 0) {
          const now = performance.now();
          if (now > deadline) return result('holds', d - 1, false, { stoppedBy: 'seconds' });
          if (options.progress && now - lastProgress > 500) {
            lastProgress = now;
            const s = (now - t0) / 1000;
            options.progress({ depth: d, states: seen.size, frontier: n - e + next.action.length, seconds: s, statesPerSecond: seen.size / s });
          }
        }
      }
      if (next.action.length === 0) return result('holds', maxDepth, true, { exhaustedAt: d - 1 });
    }
    return result('holds', maxDepth, true);
  }

  private random(options: SearchOptions): SearchResult {
    const p = this.property;
    const w = this.world;
    const depth = options.depth ?? p.depth;
    const seed = (options.seed ?? (Date.now() % 0x7fffffff)) >>> 0;
    const rand = mulberry32(seed);
    const t0 = performance.now();
    const seconds = options.seconds ?? 10;
    const deadline = t0 + seconds * 1000;
    const maxStates = options.maxStates ?? Infinity;
    const seen = new FingerprintSet();
    let transitions = 0;
    const acts: number[] = [];
    const fp = this.fp;
    let lastProgress = t0;
    const done = (verdict: 'holds' | 'broken', extra: Partial<SearchResult> = {}): SearchResult => {
      const s = (performance.now() - t0) / 1000;
      return {
        verdict, strategy: 'random', depth, complete: false, states: seen.size, transitions, seconds: s,
        statesPerSecond: s > 0 ? seen.size / s : 0, seed, ...extra,
      };
    };
    w.restore(this.base);
    w.fingerprint(fp, 0);
    seen.add(fp[0], fp[1]);
    const bad0 = p.invariant ? violation(p.invariant(this.stateView())) : undefined;
    if (bad0) return done('broken', { depth: 0, counterexample: { path: [], ranks: [], message: bad0, at: 'state' } });
    for (let walk = 0; ; walk++) {
      w.restore(this.base);
      let nProcs = this.table.worldProcs, nFds = this.table.worldFds;
      const path: number[] = [];
      const ranks: number[] = [];
      for (let d = 1; d <= depth; d++) {
        this.table.enumerate(this.stateView(), nProcs, nFds, acts);
        if (acts.length === 0) break;
        const k = Math.floor(rand() * acts.length);
        const a = this.table.actions[acts[k]];
        path.push(acts[k]);
        ranks.push(k);
        w.runWords(a.words, 1);
        transitions++;
        nProcs += a.defines === 1 ? 1 : 0;
        nFds += a.defines === 2 ? 1 : 0;
        const fail = (message: string, at: 'state' | 'step') => done('broken', {
          depth: d, counterexample: { path: path.map((id) => this.table.actions[id].step(this.labels)), ranks, message, at },
        });
        if (p.onStep) {
          const bad = violation(p.onStep({ step: a.step(this.labels), result: w.result(0) }, this.stateView()));
          if (bad) return fail(bad, 'step');
        }
        w.fingerprint(fp, 0);
        if (!seen.add(fp[0], fp[1])) continue;
        if (p.invariant) {
          const bad = violation(p.invariant(this.stateView()));
          if (bad) return fail(bad, 'state');
        }
        if (seen.size >= maxStates) return done('holds', { stoppedBy: 'max-states' });
      }
      if ((walk & 63) === 0) {
        const now = performance.now();
        if (now > deadline) return done('holds', { stoppedBy: 'seconds' });
        if (options.progress && now - lastProgress > 500) {
          lastProgress = now;
          const s = (now - t0) / 1000;
          options.progress({ depth, states: seen.size, frontier: 0, seconds: s, statesPerSecond: seen.size / s });
        }
      }
    }
  }
}

/** A small seeded PRNG (mulberry32): the same seed, the same walks. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
