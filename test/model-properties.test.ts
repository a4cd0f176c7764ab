// fast-check properties of the model on random traces: it never traps, gives one result per
// step, is deterministic, and every snapshot keeps the invariants of TRACE.md. (Owner chains
// end at the initial user namespace, which is user:0 only while p0 is still in it.)

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModelBackend } from '../src/model/backend.js';
import { arbTrace } from '../src/gen/index.js';
import { validateTrace } from '../src/trace/validate.js';
import { isSnapshotValue, NS_FILES, type Snapshot, type Trace, type RunOutput } from '../src/trace/types.js';

const RUNS = Number(process.env.NSMODEL_PROPERTY_RUNS ?? 10_000);

function runModel(trace: Trace): RunOutput {
  const m = new ModelBackend();
  m.startSync(trace.setup);
  const results = m.runSync(trace.steps);
  return { results, final: m.snapshotSync() };
}

/** The invariants every canonical snapshot keeps; returns the first broken one, or null. */
export function brokenInvariant(s: Snapshot): string | null {
  const byId = new Map(s.namespaces.map((n) => [n.id, n]));
  for (const p of s.processes) {
    for (const f of NS_FILES) {
      const id = p.ns[f];
      if (p.state === 'running') {
        if (id === null && f !== 'pid_for_children') return `${p.name}: running with no ${f}`;
      } else if ((f === 'pid' || f === 'user') !== (id !== null)) {
        return `${p.name}: ${p.state} with ${f} ${id}`;
      }
      if (id !== null && !byId.has(id)) return `${p.name}.${f}: ${id} is not listed`;
    }
    if ((p.hostname === null) !== (p.state !== 'running')) return `${p.name}: hostname ${p.hostname} while ${p.state}`;
    const pidNs = byId.get(p.ns.pid!)!;
    if (p.nspid.length !== pidNs.level + 1) return `${p.name}: nspid ${p.nspid} at level ${pidNs.level}`;
  }
  const counters = new Map<string, number>();
  for (const n of s.namespaces) {
    const [type, num] = n.id.split(':');
    if (type !== n.type) return `${n.id} has type ${n.type}`;
    const expect = counters.get(type) ?? 0;
    if (Number(num) !== expect) return `${n.id}: ids of ${type} are not 0, 1, 2, ... in order`;
    counters.set(type, expect + 1);
    if (n.type === 'pid' && n.level > 31) return `${n.id}: PID level ${n.level} > 31`;
    if (n.type === 'user' && n.level > 33) return `${n.id}: user level ${n.level} > 33`;
    const nested = n.type === 'pid' || n.type === 'user';
    if (nested ? (n.parent === null) !== (n.level === 0) : n.parent !== null) return `${n.id}: parent ${n.parent} at level ${n.level}`;
    if (n.type !== 'pid' && n.type !== 'user' && n.level !== 0) return `${n.id}: level ${n.level}`;
    // the owner chain ends at user:0
    let o: string | null = n.owner;
    let hops = 0;
    let last = n.type === 'user' ? n.id : o;
    while (o !== null) {
      const on = byId.get(o);
      if (!on) return `${n.id}: owner ${o} is not listed`;
      if (on.type !== 'user') return `${n.id}: owner ${o} is not a user namespace`;
      last = o;
      o = on.owner;
      if (++hops > 40) return `${n.id}: owner chain loops`;
    }
    const root = last === null ? undefined : byId.get(last);
    if (!root || root.level !== 0 || root.owner !== null) return `${n.id}: owner chain ends at ${last}, not at the initial user namespace`;
    if (n.parent !== null) {
      const pn = byId.get(n.parent);
      if (!pn) return `${n.id}: parent ${n.parent} is not listed`;
      if (pn.type !== n.type || pn.level !== n.level - 1) return `${n.id}: parent ${n.parent} at level ${pn.level}`;
    }
  }
  return null;
}

describe('model properties', () => {
  it(`never traps, one result per step, snapshots keep their invariants (${RUNS} traces)`, () => {
    fc.assert(
      fc.property(arbTrace({ maxSteps: 24 }), (trace) => {
        expect(validateTrace(trace)).toBeTruthy();
        const out = runModel(trace);
        expect(out.results).toHaveLength(trace.steps.length);
        for (const r of out.results) {
          if ('ok' in r && isSnapshotValue(r.value)) {
            expect(brokenInvariant(r.value)).toBeNull();
          }
        }
        expect(brokenInvariant(out.final)).toBeNull();
      }),
      { numRuns: RUNS },
    );
  });

  it('the same trace gives the same output', () => {
    fc.assert(
      fc.property(arbTrace({ maxSteps: 30 }), (trace) => {
        expect(runModel(trace)).toEqual(runModel(trace));
      }),
      { numRuns: 500 },
    );
  });

  it('a new world in a used instance gives what a fresh instance gives', () => {
    const used = new ModelBackend();
    fc.assert(
      fc.property(arbTrace({ maxSteps: 30 }), (trace) => {
        used.startSync(trace.setup);
        const results = used.runSync(trace.steps);
        expect({ results, final: used.snapshotSync() }).toEqual(runModel(trace));
      }),
      { numRuns: 1000 },
    );
  });

  it('a batch gives what the same steps give one at a time', () => {
    fc.assert(
      fc.property(arbTrace({ maxSteps: 20 }), (trace) => {
        const m = new ModelBackend();
        m.startSync(trace.setup);
        const one = trace.steps.map((s) => m.runSync([s])[0]);
        expect({ results: one, final: m.snapshotSync() }).toEqual(runModel(trace));
      }),
      { numRuns: 500 },
    );
  });

  it('R67: 33 user namespaces nest below the initial one; the next is ENOSPC', () => {
    const steps: Trace['steps'] = [];
    for (let i = 0; i < 34; i++) {
      steps.push({ by: 'p0', op: 'unshare', flags: ['CLONE_NEWUSER'] });
      steps.push({ by: 'p0', op: 'write_map', target: 'p0', file: 'uid_map', data: '0 0 1' });
      steps.push({ by: 'p0', op: 'write_map', target: 'p0', file: 'setgroups', data: 'deny' });
      steps.push({ by: 'p0', op: 'write_map', target: 'p0', file: 'gid_map', data: '0 0 1' });
    }
    const out = runModel({ nsmodel: 1, setup: { user: 'root', hostname: 'h' }, steps });
    expect(out.results.slice(0, 33 * 4).every((r) => 'ok' in r)).toBe(true);
    expect(out.results[33 * 4]).toEqual({ err: 'ENOSPC' });
    expect(brokenInvariant(out.final)).toBeNull();
    expect(Math.max(...out.final.namespaces.filter((n) => n.type === 'user').map((n) => n.level))).toBe(33);
  });

  it('R60: 31 PID namespaces nest below the trace\'s; the next is ENOSPC', () => {
    const steps: Trace['steps'] = [];
    let by = 'p0';
    for (let i = 1; i <= 32; i++) {
      steps.push({ by, op: 'clone', flags: ['CLONE_NEWPID'], as: `c${i}` });
      by = `c${i}`;
    }
    const out = runModel({ nsmodel: 1, setup: { user: 'root', hostname: 'h' }, steps });
    expect(out.results.slice(0, 31).every((r) => 'ok' in r && r.value === 2)).toBe(true);
    expect(out.results[31]).toEqual({ err: 'ENOSPC' });
    expect(brokenInvariant(out.final)).toBeNull();
  });
});
