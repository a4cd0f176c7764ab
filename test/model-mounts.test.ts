// fast-check properties of the model's mounts (docs/TRACE-EXTENSIONS.md, "Mounts") on random
// traces with setup.mounts: the model never traps and is deterministic; after every step its
// mount trees and propagation graph keep their invariants (assembly/mnt/check.ts: a peer
// group's members are all shared, a slave's master is shared and lists it, every mount's
// parent is in its namespace, mount ids are unique, the counts add up); every snapshot's
// mounts are a tree per namespace with canonical numbers. Plus the bounds: a propagation
// storm ends in ENOSPC, never a trap.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModelBackend } from '../src/model/backend.js';
import { arbMountArgs, arbTrace } from '../src/gen/index.js';
import { validateTrace } from '../src/trace/validate.js';
import { isSnapshotValue, type Snapshot, type Step, type Trace } from '../src/trace/types.js';

const RUNS = Number(process.env.NSMODEL_PROPERTY_RUNS ?? 10_000) / 5;

/** The first broken invariant of a snapshot's mounts, or null. */
function brokenMounts(s: Snapshot): string | null {
  const ids = new Set<number>();
  let next = 0;
  for (const ns of s.namespaces) {
    if (ns.type !== 'mnt') {
      if (ns.mounts !== undefined) return `${ns.id} has mounts`;
      continue;
    }
    if (ns.mounts === undefined) return `${ns.id} has no mounts field`;
    if (ns.mounts === null) continue;
    const here = new Set<number>();
    ns.mounts.forEach((m, i) => {
      if (m.id !== next++) throw new Error(`${ns.id}: mount ids not 0, 1, 2, ... in order`);
      if (i === 0 ? m.parent !== null : m.parent === null || !here.has(m.parent)) {
        throw new Error(`${ns.id}: mount ${m.id}'s parent ${m.parent} is not an earlier mount of its namespace`);
      }
      if (!m.mountpoint.startsWith('/') || !m.root.startsWith('/')) throw new Error(`${ns.id}: mount ${m.id}: paths`);
      if (m.options[0] !== 'rw' && m.options[0] !== 'ro') throw new Error(`${ns.id}: mount ${m.id}: options ${m.options}`);
      if (!/^(tmpfs|proc):\d+$/.test(m.fs)) throw new Error(`${ns.id}: mount ${m.id}: fs ${m.fs}`);
      here.add(m.id);
      ids.add(m.id);
    });
  }
  return null;
}

function run(trace: Trace, check: boolean): { out: unknown; broken: string | null } {
  const m = new ModelBackend();
  m.startSync(trace.setup);
  let broken: string | null = null;
  const results = [];
  for (const step of trace.steps) {
    results.push(...m.runSync([step]));
    const inv = check ? m.mountInvariant() : '';
    if (inv && !broken) broken = `after ${JSON.stringify(step)}: ${inv}`;
  }
  const final = m.snapshotSync();
  m.closeSync();
  for (const r of results) {
    if ('ok' in r && isSnapshotValue(r.value)) broken ??= brokenMounts(r.value);
  }
  broken ??= brokenMounts(final);
  return { out: { results, final }, broken };
}

const arbMountsTrace = arbTrace({ maxSteps: 24, extensions: true, mounts: 'only' });

describe('model mounts', () => {
  it(`never traps; trees and propagation keep their invariants after every step (${RUNS} traces)`, () => {
    fc.assert(
      fc.property(arbMountsTrace, (trace) => {
        expect(trace.setup.mounts).toBe(true); // mounts: 'only'
        expect(validateTrace(trace)).toBeTruthy();
        const { out, broken } = run(trace, true);
        expect((out as { results: unknown[] }).results).toHaveLength(trace.steps.length);
        expect(broken).toBeNull();
      }),
      { numRuns: RUNS },
    );
  });

  it('the same trace gives the same output', () => {
    fc.assert(
      fc.property(arbMountsTrace, (trace) => {
        expect(run(trace, false).out).toEqual(run(trace, false).out);
      }),
      { numRuns: RUNS / 10 },
    );
  });

  it('only the mounts ops of one process: every generated mount op is valid on its own', () => {
    fc.assert(
      fc.property(fc.array(arbMountArgs, { maxLength: 30 }), (args) => {
        const trace: Trace = { nsmodel: 1, setup: { user: 'root', hostname: 'h', mounts: true }, steps: args.map((a) => ({ by: 'p0', ...a }) as Step) };
        expect(validateTrace(trace)).toBeTruthy();
        expect(run(trace, true).broken).toBeNull();
      }),
      { numRuns: RUNS / 2 },
    );
  });

  it('a propagation storm (binds of a shared tree onto itself) ends in ENOSPC, never a trap', () => {
    // each rbind of / onto a directory of itself doubles the mounts: 2^17 > mount-max
    const steps: Step[] = [{ by: 'p0', op: 'mkdir', path: '/a' }];
    for (let i = 0; i < 24; i++) steps.push({ by: 'p0', op: 'mount', target: '/a', flags: ['MS_BIND', 'MS_REC'], source: '/' });
    steps.push({ by: 'p0', op: 'readdir', path: '/' });
    const m = new ModelBackend();
    m.startSync({ user: 'root', hostname: 'h', mounts: true });
    const results = m.runSync(steps);
    expect(results.at(-1)).toEqual({ ok: true, value: ['a', 'proc'] });
    expect(results.some((r) => 'err' in r && r.err === 'ENOSPC')).toBe(true);
    expect(m.why(results.findIndex((r) => 'err' in r))?.check).toBe('count_mounts');
    expect(m.mountInvariant()).toBe('');
    m.closeSync();
  });

  it('a deep stack of mounts on one directory and a deep chain of directories do not trap', () => {
    const steps: Step[] = [];
    let path = '';
    for (let i = 0; i < 16; i++) { path += '/d'; steps.push({ by: 'p0', op: 'mkdir', path }); }
    for (let i = 0; i < 2000; i++) steps.push({ by: 'p0', op: 'mount', target: path, flags: [], fstype: 'tmpfs' });
    for (let i = 0; i < 2000; i++) steps.push({ by: 'p0', op: 'umount', target: path });
    const m = new ModelBackend();
    m.startSync({ user: 'root', hostname: 'h', mounts: true });
    const results = m.runSync(steps);
    expect(results.every((r) => 'ok' in r)).toBe(true);
    expect(m.snapshotSync().namespaces.find((n) => n.type === 'mnt')?.mounts).toHaveLength(2);
    expect(m.mountInvariant()).toBe('');
    m.closeSync();
  });
});
