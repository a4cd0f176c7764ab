// Labels and step arguments live once, in src/trace/labels.ts: the kernel backend's protocol
// line and the model's step words are both made from StepArgs, so they cannot disagree; and
// the layers import as ARCHITECTURE.md draws them (the model may use only trace).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbTrace } from '../src/gen/index.js';
import { encodeStep } from '../src/kernel/protocol.js';
import { ModelBackend } from '../src/model/backend.js';
import { Labels, StepArgs } from '../src/trace/labels.js';

const SRC = join(import.meta.dirname, '..', 'src');

function importsOf(dir: string): string[] {
  return readdirSync(join(SRC, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => [...readFileSync(join(SRC, dir, f), 'utf8').matchAll(/from '(\.\.?\/[^']+)'/g)].map((m) => `${f}: ${m[1]}`));
}

describe('labels', () => {
  it('hands out indices in definition order; a redefined label names its latest definition', () => {
    const l = new Labels();
    expect(l.proc('p0')).toBe(0);
    expect(l.defineProc('p1')).toBe(1);
    expect(l.defineProc('p1')).toBe(2);
    expect(l.proc('p1')).toBe(2);
    expect(l.procs).toEqual(['p0', 'p1', 'p1']);
    expect(l.defineFd('f')).toBe(0);
    expect(l.fd('g')).toBe(-1);
  });

  it('gives the kernel protocol exactly the arguments of StepArgs', () => {
    fc.assert(fc.property(arbTrace({ maxSteps: 30 }), (trace) => {
      const kernel = new Labels();
      const mine = new Labels();
      const args = new StepArgs();
      for (const step of trace.steps) {
        const line = encodeStep(step, kernel);
        const a = args.encode(step, mine);
        const tokens = [step.op, a.by, ...a.nums.slice(0, a.count)].join(' ');
        expect(line.startsWith(tokens)).toBe(true);
        expect(line.slice(tokens.length) === '').toBe(a.str === undefined);
      }
      expect(kernel.procs).toEqual(mine.procs);
      expect(kernel.fds).toEqual(mine.fds);
    }), { numRuns: 200, seed: 8 });
  });

  it('runs a step of a redefined label on the model by its latest process', () => {
    const m = new ModelBackend();
    m.startSync({ user: 'root', hostname: 'h' });
    const r = m.runSync([
      { op: 'fork', by: 'p0', as: 'p1' },
      { op: 'fork', by: 'p0', as: 'p1' },
      { op: 'getpid', by: 'p1' },
    ]);
    expect(r).toEqual([{ ok: true, value: 2 }, { ok: true, value: 3 }, { ok: true, value: 3 }]);
    m.closeSync();
  });
});

describe('the import graph', () => {
  it('has no arrow from model to gen, nor from gen or trace to a backend', () => {
    expect(importsOf('model').filter((i) => /\/gen\//.test(i))).toEqual([]);
    expect(importsOf('gen').filter((i) => /\/(model|kernel)\//.test(i))).toEqual([]);
    expect(importsOf('trace').filter((i) => /\.\.\//.test(i))).toEqual([]);
  });
});
