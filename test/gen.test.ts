// The arbitraries of src/gen: every generated trace is valid, for every choice of namespace
// types; with the model as oracle every step is made by a live process; failures shrink to
// the step that matters.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbTrace, parseTypes } from '../src/gen/index.js';
import { modelOracle } from '../src/model/oracle.js';
import { ModelBackend } from '../src/model/backend.js';
import { validateTrace } from '../src/trace/validate.js';
import { NS_TYPES, NS_TYPE_FLAG, type Trace } from '../src/trace/types.js';

describe('arbTrace', () => {
  for (const types of [[...NS_TYPES], ...NS_TYPES.map((t) => [t]), ['pid', 'user']] as const) {
    it(`makes valid traces touching only ${types.join(',')}`, () => {
      const allowed = new Set<string>(types.map((t) => NS_TYPE_FLAG[t]));
      fc.assert(fc.property(arbTrace({ types: [...types], maxSteps: 15 }), (trace) => {
        validateTrace(trace);
        for (const s of trace.steps) {
          const flags = s.op === 'clone' || s.op === 'unshare' ? s.flags : [];
          for (const f of flags) if (f.startsWith('CLONE_NEW')) expect(allowed.has(f)).toBe(true);
        }
      }), { numRuns: 200 });
    });
  }

  it('with the model as oracle, every step is made by a live process', () => {
    fc.assert(fc.property(arbTrace({ oracle: modelOracle, minSteps: 10, maxSteps: 40 }), (trace) => {
      const m = new ModelBackend();
      m.startSync(trace.setup);
      const results = m.runSync(trace.steps);
      expect(results.filter((r) => 'dead' in r)).toEqual([]);
    }), { numRuns: 300 });
  });

  it('shrinks a failure to the one step that causes it', () => {
    const failing = (t: Trace) => t.steps.some((s) => s.op === 'sethostname' && s.by === 'p0');
    const out = fc.check(fc.property(arbTrace({ user: 'root', maxSteps: 20 }), (t) => !failing(t)), { numRuns: 2000, seed: 7 });
    expect(out.failed).toBe(true);
    const [trace] = out.counterexample as [Trace];
    expect(trace.steps).toHaveLength(1);
    expect(trace.steps[0]).toMatchObject({ by: 'p0', op: 'sethostname' });
  });

  it('parseTypes accepts namespace types and names an unknown one', () => {
    expect(parseTypes('pid, user')).toEqual(['pid', 'user']);
    expect(() => parseTypes('pid,foo')).toThrow("unknown namespace type 'foo'");
  });
});
