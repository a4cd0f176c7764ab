// The explorer's fingerprint (assembly/explore.ts): exact — states whose canonical snapshots
// differ (label names aside) never share a fingerprint, checked over 12,000 random states
// (every pair of them, ~7·10^7 pairs), and no two different canonical encodings share a
// 64-bit fingerprint among them — and canonical: label names and the order in which equal
// namespaces were made do not change it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbTrace } from '../src/gen/index.js';
import { ModelBackend } from '../src/model/backend.js';
import { ExploreWorld } from '../src/explore/world.js';
import { Labels, Strings, stepWords } from '../src/explore/actions.js';
import type { Snapshot, Trace } from '../src/trace/types.js';

const world = new ExploreWorld();
const model = new ModelBackend();

/** The world after `trace` in the explorer's world: its fingerprint and encoding. */
function fingerprintOf(trace: Trace): { fp: string; enc: Int32Array } {
  const labels = new Labels(trace);
  const pi = new Map(labels.procs.map((l, i) => [l, i]));
  const fi = new Map(labels.fds.map((l, i) => [l, i]));
  const strings = new Strings();
  const words = trace.steps.flatMap((s) => stepWords(s, (l) => pi.get(l) ?? -1, (l) => fi.get(l) ?? -1, strings));
  world.start(trace.setup);
  world.setStrings(strings.blob);
  world.runWords(Int32Array.from(words), trace.steps.length);
  const out = new Uint32Array(2);
  world.fingerprint(out, 0);
  return { fp: `${out[0].toString(16)}:${out[1].toString(16)}`, enc: world.encoding() };
}

/** The canonical snapshot after `trace`, with process names replaced by their place (names do not matter). */
function snapshotOf(trace: Trace): string {
  model.startSync(trace.setup);
  model.runSync(trace.steps);
  const s: Snapshot = model.snapshotSync();
  return JSON.stringify({ ...s, processes: s.processes.map((p, i) => ({ ...p, name: i })) });
}

describe('explore fingerprint', () => {
  it('is exact over 12,000 random states: one fingerprint, one snapshot and one encoding', () => {
    const traces = [
      ...fc.sample(arbTrace({ maxSteps: 10 }), { numRuns: 6000, seed: 10 }),
      ...fc.sample(arbTrace({ maxSteps: 4, types: ['uts', 'pid', 'user'] }), { numRuns: 6000, seed: 11 }),
    ];
    const byFp = new Map<string, { snap: string; enc: Int32Array }>();
    let shared = 0;
    for (const t of traces) {
      const { fp, enc } = fingerprintOf(t);
      const snap = snapshotOf(t);
      const seen = byFp.get(fp);
      if (!seen) { byFp.set(fp, { snap, enc }); continue; }
      shared++;
      expect(snap, `fingerprint ${fp} for two different snapshots`).toBe(seen.snap);
      expect(Array.from(enc), `fingerprint ${fp} for two different encodings (a 64-bit collision)`).toEqual(Array.from(seen.enc));
    }
    // the sample has many states reached twice (so that the check means something) and many different ones
    expect(shared).toBeGreaterThan(500);
    expect(byFp.size).toBeGreaterThan(3000);
  });

  it('is canonical: label names do not matter', () => {
    const a: Trace = { nsmodel: 1, setup: { user: 'root', hostname: 'h' }, steps: [
      { by: 'p0', op: 'fork', as: 'a' }, { by: 'a', op: 'unshare', flags: ['CLONE_NEWUTS'] },
      { by: 'a', op: 'open', target: 'p0', ns: 'uts', as: 'fa' },
    ] };
    const b: Trace = { nsmodel: 1, setup: { user: 'root', hostname: 'h' }, steps: [
      { by: 'p0', op: 'fork', as: 'zz' }, { by: 'zz', op: 'unshare', flags: ['CLONE_NEWUTS'] },
      { by: 'zz', op: 'open', target: 'p0', ns: 'uts', as: 'other' },
    ] };
    expect(fingerprintOf(a).fp).toBe(fingerprintOf(b).fp);
  });

  it('is canonical: the order in which equal namespaces were made does not matter', () => {
    const steps = (first: string, second: string): Trace => ({ nsmodel: 1, setup: { user: 'root', hostname: 'h' }, steps: [
      { by: 'p0', op: 'fork', as: 'a' }, { by: 'p0', op: 'fork', as: 'b' },
      { by: first, op: 'unshare', flags: ['CLONE_NEWUTS', 'CLONE_NEWIPC'] },
      { by: second, op: 'unshare', flags: ['CLONE_NEWUTS', 'CLONE_NEWIPC'] },
    ] });
    expect(fingerprintOf(steps('a', 'b')).fp).toBe(fingerprintOf(steps('b', 'a')).fp);
    // and a real difference is seen: b with its own namespaces vs b still in p0's
    const one: Trace = { ...steps('a', 'b'), steps: steps('a', 'b').steps.slice(0, 3) };
    expect(fingerprintOf(one).fp).not.toBe(fingerprintOf(steps('a', 'b')).fp);
  });

  it('sees what the snapshot does not show but the future depends on, and forgets what is gone', () => {
    const base: Trace = { nsmodel: 1, setup: { user: 'root', hostname: 'h' }, steps: [{ by: 'p0', op: 'fork', as: 'a' }] };
    const forkExit: Trace = { ...base, steps: [...base.steps, { by: 'a', op: 'fork', as: 'x' }, { by: 'x', op: 'exit' }, { by: 'a', op: 'wait' }] };
    const openClose: Trace = { ...base, steps: [...base.steps, { by: 'a', op: 'open', target: 'a', ns: 'uts', as: 'f' }, { by: 'a', op: 'close', fd: 'f' }] };
    const dropCaps: Trace = { ...base, steps: [...base.steps, { by: 'a', op: 'setuid', uid: 1000 }] };
    // the same snapshot, another future: the next PID differs
    expect(snapshotOf(forkExit)).toBe(snapshotOf(base));
    expect(fingerprintOf(forkExit).fp).not.toBe(fingerprintOf(base).fp);
    // a descriptor opened and closed again leaves nothing behind
    expect(fingerprintOf(openClose).fp).toBe(fingerprintOf(base).fp);
    expect(fingerprintOf(dropCaps).fp).not.toBe(fingerprintOf(base).fp);
  });

  it('--exact keeps every encoding: the same search, no collision', async () => {
    const { Explorer } = await import('../src/explore/search.js');
    const { BUILTIN_PROPERTIES } = await import('../sim/properties/index.js');
    const p = BUILTIN_PROPERTIES.find((q) => q.name === 'no-ancestor-pidns')!;
    const plain = new Explorer(p).run({ depth: 4 });
    const exact = new Explorer(p).run({ depth: 4, exact: true });
    expect(exact.collisions).toBe(0);
    expect({ ...exact, seconds: 0, statesPerSecond: 0, collisions: undefined }).toEqual({ ...plain, seconds: 0, statesPerSecond: 0, collisions: undefined });
  });

  it('is canonical under any renaming of labels (property)', () => {
    fc.assert(fc.property(arbTrace({ maxSteps: 10 }), fc.string({ minLength: 1, maxLength: 3 }), (trace, tag) => {
      const rename = (l: string) => (l === 'p0' ? 'p0' : `${tag}-${l.split('').reverse().join('')}`);
      const renamed = JSON.parse(JSON.stringify(trace), (k, v) => (['by', 'as', 'target', 'fd'].includes(k) && typeof v === 'string' ? rename(v) : v)) as Trace;
      expect(fingerprintOf(renamed).fp).toBe(fingerprintOf(trace).fp);
    }), { numRuns: 500, seed: 12 });
  });
});
