// The limits of a trace (issue 9 item 3, issue 7 item 6; README "Limits"): a trace over one is
// refused before anything runs, exit 2, one line naming the limit; a trace at the limit is
// valid; where the kernel has a limit of its own (a hostname over 64 bytes) the trace is valid
// and the step fails with the kernel's errno on both backends.
import { describe, expect, it } from 'vitest';
import { LIMITS, parseTrace } from '../src/trace/validate.js';
import type { Step } from '../src/trace/types.js';
import { nsmodel } from './cli-helpers.js';
import { describeKernel } from './helpers/kernel.js';

const trace = (steps: unknown[], extra: Record<string, unknown> = {}) => JSON.stringify({ nsmodel: 1, ...extra, steps });
const forks = (n: number, prefix = 'c'): Step[] => Array.from({ length: n }, (_, i) => ({ by: 'p0', op: 'fork', as: `${prefix}${i}` }));
const opens = (n: number): Step[] => Array.from({ length: n }, (_, i) => ({ by: 'p0', op: 'open', target: 'p0', ns: 'uts', as: `f${i}` }));
const getpids = (n: number): Step[] => Array.from({ length: n }, () => ({ by: 'p0', op: 'getpid' }));

describe('limits: over one, exit 2 before running, the limit named', () => {
  const cases: [string, string, string][] = [
    ['steps', trace(getpids(LIMITS.steps + 1)), `steps: over the limit 'steps per trace' (${LIMITS.steps}): this trace has ${LIMITS.steps + 1} steps`],
    ['processes', trace(forks(LIMITS.processes + 1)), `steps[${LIMITS.processes}].as: over the limit 'processes per trace' (${LIMITS.processes}): this is process or thread number ${LIMITS.processes + 1} of the trace`],
    ['descriptors', trace(opens(LIMITS.descriptors + 1)), `steps[${LIMITS.descriptors}].as: over the limit 'descriptors per trace' (${LIMITS.descriptors}): this is descriptor number ${LIMITS.descriptors + 1} of the trace`],
    ['a hostname of 50 MB', trace([{ by: 'p0', op: 'sethostname', name: 'x'.repeat(50 * 1024 * 1024) }]), "standard input: over the limit 'trace bytes' (33554432): it has more than 33554432 bytes"],
    ['a hostname of 8193 bytes', trace([{ by: 'p0', op: 'sethostname', name: 'é'.repeat(4096) + 'x' }]), "steps[0].name: over the limit 'string bytes' (8192): this one has 8193 bytes"],
    ['map data of 9000 bytes', trace([{ by: 'p0', op: 'write_map', target: 'p0', file: 'uid_map', data: '0'.repeat(9000) }]), "steps[0].data: over the limit 'string bytes' (8192): this one has 9000 bytes"],
    ['a label of 257 bytes', trace([{ by: 'p0', op: 'fork', as: 'c'.repeat(257) }]), "steps[0].as: over the limit 'label bytes' (256): this one has 257 bytes"],
    // issue 7 item 6: 500 forks, 5,000 observes ran 79 s in 2.6 GB and ended in "Invalid string length" (exit 70)
    ['500 forks and 5,000 observes', trace([...forks(500), ...Array.from({ length: 5000 }, () => ({ by: 'p0', op: 'observe' }))]),
      "steps[991]: over the limit 'snapshot entries' (250000): the snapshots of the observe steps and the final one could hold 250428 processes and namespaces (counted as if none ended); observe less often, or with fewer processes"],
  ];

  it.each(cases)('%s', async (_, text, message) => {
    const t0 = Date.now();
    const r = await nsmodel(['run', '-'], text);
    expect(r).toEqual({ status: 2, stdout: '', stderr: `nsmodel: ${message}\n` });
    expect(Date.now() - t0).toBeLessThan(20_000); // refused, not run (a run of the last one took 79 s)
  });
});

describe('limits: parseTrace (the library) refuses too', () => {
  it("JSON text over 'trace bytes'", () => {
    const text = trace([{ by: 'p0', op: 'getpid' }], { name: 'n'.repeat(LIMITS.traceBytes) });
    expect(() => parseTrace(text)).toThrow(`trace: over the limit 'trace bytes' (${LIMITS.traceBytes}): this one has ${text.length} bytes`);
  });
});

describe('limits: at one, valid', () => {
  it('steps, processes, descriptors, strings, labels, snapshot entries at their limits', () => {
    expect(parseTrace(trace(getpids(LIMITS.steps))).steps).toHaveLength(LIMITS.steps);
    expect(parseTrace(trace(forks(LIMITS.processes))).steps).toHaveLength(LIMITS.processes);
    expect(parseTrace(trace(opens(LIMITS.descriptors))).steps).toHaveLength(LIMITS.descriptors);
    expect(parseTrace(trace([{ by: 'p0', op: 'sethostname', name: 'é'.repeat(4096) }])).steps).toHaveLength(1);
    expect(parseTrace(trace([{ by: 'p0', op: 'fork', as: 'c'.repeat(256) }])).steps).toHaveLength(1);
    // p0 + 99 forks + 8 namespaces = 108 entries a snapshot: 2,313 observes and the final one make 249,912
    const observes = Array.from({ length: 2313 }, () => ({ by: 'p0', op: 'observe' }));
    expect(parseTrace(trace([...forks(99), ...observes])).steps).toHaveLength(2412);
    expect(() => parseTrace(trace([...forks(99), ...observes, { by: 'p0', op: 'observe' }]))).toThrow(/over the limit 'snapshot entries'/);
  });

  it('a 5,000-process trace runs on the model (exit 0)', async () => {
    const r = await nsmodel(['run', '-'], trace(forks(LIMITS.processes)));
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).final.processes).toHaveLength(LIMITS.processes + 1);
  });
});

// The kernel's own limits stay runtime errors: the same errno on both backends
const kernelLimits = trace([
  { by: 'p0', op: 'unshare', flags: ['CLONE_NEWUTS'] },
  { by: 'p0', op: 'sethostname', name: 'h'.repeat(64) },
  { by: 'p0', op: 'sethostname', name: 'h'.repeat(65) },
  { by: 'p0', op: 'sethostname', name: 'h'.repeat(8192) },
  { by: 'p0', op: 'setdomainname', name: 'd'.repeat(65) },
  { by: 'p0', op: 'gethostname' },
]);

describe('limits of the kernel: runtime errors, not validation errors', () => {
  it('a 65-byte and an 8192-byte hostname: EINVAL on the model', async () => {
    const r = await nsmodel(['run', '-'], kernelLimits);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).results).toEqual([
      { ok: true }, { ok: true }, { err: 'EINVAL' }, { err: 'EINVAL' }, { err: 'EINVAL' }, { ok: true, value: 'h'.repeat(64) },
    ]);
  });
});

describeKernel('limits of the kernel, on the kernel', () => {
  it('the same results on the kernel (diff agrees)', async () => {
    const r = await nsmodel(['diff', '-'], kernelLimits);
    expect(r).toEqual({ status: 0, stdout: 'The model and the kernel agree: the same 6 results and the same final snapshot.\n', stderr: '' });
  });
});
