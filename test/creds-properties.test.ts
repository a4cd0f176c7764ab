// Invariants of credentials (issue 11), over random traces with credential ops: on the model
// for many traces, and on the real kernel for some (the same properties, so that a model
// that drifted and a property that is false are both caught).
//  - in every snapshot, for every process: ambient ⊆ permitted ∩ inheritable, effective ⊆ permitted;
//  - a process that clears its ambient set and execs as non-root (real and effective uid not 0
//    just before, in the initial user namespace) has empty permitted and effective sets.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbTrace } from '../src/gen/index.js';
import { KernelBackend } from '../src/kernel/backend.js';
import { ModelBackend } from '../src/model/backend.js';
import { modelOracle } from '../src/model/oracle.js';
import { runTrace } from '../src/trace/backend.js';
import type { Backend } from '../src/trace/backend.js';
import { CRED_OPS, isSnapshotValue, type RunOutput, type Snapshot, type Trace } from '../src/trace/types.js';
import { describeKernel } from './helpers/kernel.js';

/** Random extension traces that use credentials, ending with: the newest process clears its ambient set and execs. */
const arbCredTrace: fc.Arbitrary<Trace> = arbTrace({ extensions: true, maxSteps: 14, oracle: modelOracle })
  .filter((t) => t.steps.some((s) => (CRED_OPS as readonly string[]).includes(s.op)))
  .map((t) => {
    const last = [...t.steps].reverse().find((s) => s.op === 'fork' || s.op === 'clone') as { as: string } | undefined;
    const x = last?.as ?? 'p0';
    return {
      ...t,
      steps: [...t.steps, { by: x, op: 'prctl', option: 'PR_CAP_AMBIENT_CLEAR_ALL' }, { by: x, op: 'observe' }, { by: x, op: 'exec' }],
    } as Trace;
  });

const bits = (hex: string) => BigInt(`0x${hex}`);

/** The snapshot the observe step just before the exec took, if it ran. */
function beforeExec(out: RunOutput): Snapshot | undefined {
  const r = out.results[out.results.length - 2];
  return 'ok' in r && isSnapshotValue(r.value) ? r.value : undefined;
}

function snapshotsOf(out: RunOutput): Snapshot[] {
  const snaps = out.results.flatMap((r) => ('ok' in r && isSnapshotValue(r.value) ? [r.value] : []));
  return [...snaps, out.final];
}

function checkInvariants(trace: Trace, out: RunOutput): void {
  for (const snap of snapshotsOf(out)) {
    for (const p of snap.processes) {
      const c = p.creds!;
      expect(c, `${p.name} has credentials`).toBeDefined();
      const prm = bits(c.CapPrm), eff = bits(c.CapEff), inh = bits(c.CapInh), amb = bits(c.CapAmb);
      expect(amb & ~(prm & inh), `${p.name}: ambient ⊆ permitted ∩ inheritable`).toBe(0n);
      expect(eff & ~prm, `${p.name}: effective ⊆ permitted`).toBe(0n);
    }
  }
  const execStep = trace.steps[trace.steps.length - 1];
  const execResult = out.results[out.results.length - 1];
  const x = out.final.processes.find((p) => p.name === execStep.by);
  const before = beforeExec(out)?.processes.find((p) => p.name === execStep.by);
  const initialUserNs = out.final.namespaces.find((n) => n.type === 'user' && n.parent === null)?.id;
  if (x && before && x.state === 'running' && 'ok' in execResult && x.ns.user === initialUserNs &&
      before.creds!.uid[0] !== 0 && before.creds!.uid[1] !== 0) {
    expect(x.creds!.CapAmb).toBe('0000000000000000');
    expect(x.creds!.CapPrm, `${x.name} exec'd as non-root without ambient`).toBe('0000000000000000');
    expect(x.creds!.CapEff).toBe('0000000000000000');
  }
}

async function check(backend: () => Backend, runs: number, seed: number): Promise<number> {
  let nonRootExecs = 0;
  await fc.assert(fc.asyncProperty(arbCredTrace, async (trace) => {
    const out = await runTrace(backend(), trace);
    checkInvariants(trace, out);
    const before = beforeExec(out)?.processes.find((p) => p.name === trace.steps[trace.steps.length - 1].by);
    if (before?.creds && before.creds.uid[0] !== 0 && before.creds.uid[1] !== 0) nonRootExecs++;
  }), { numRuns: runs, seed });
  return nonRootExecs;
}

describe('credential invariants on the model', () => {
  it('hold for 1500 random traces, many of which exec as non-root', async () => {
    const model = new ModelBackend();
    const nonRoot = await check(() => model, 1500, 11);
    expect(nonRoot).toBeGreaterThan(100);
  }, 120_000);
});

describeKernel('credential invariants on the kernel', () => {
  it('hold for 60 random traces', async () => {
    const kernel = new KernelBackend();
    try {
      await check(() => kernel, 60, 12);
    } finally {
      await kernel.close();
    }
  }, 120_000);
});
