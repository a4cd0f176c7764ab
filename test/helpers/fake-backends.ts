// Backends for testing the differential runner: the model, faithfully or with one thing
// deliberately wrong (a result altered, a snapshot altered), standing in for the kernel. They
// prove that the runner can fail, and that it names the right step.

import { ModelBackend } from '../../src/model/backend.js';
import type { Backend, NsIdentity } from '../../src/trace/backend.js';
import { isSnapshotValue, type NsFile, type Result, type Setup, type Snapshot, type Step } from '../../src/trace/types.js';

export interface Alteration {
  /** Change the result of a step (`index` counted from start()). */
  result?: (step: Step, index: number, result: Result) => Result;
  /** Change a snapshot (the final one, and each observe's). */
  snapshot?: (snapshot: Snapshot) => Snapshot;
}

/** The model with `alter` applied: a wrong "kernel". No why(): it is not the model. */
export class AlteredBackend implements Backend {
  readonly name: string = 'altered';
  private readonly inner = new ModelBackend();
  private index = 0;
  started = 0;
  closed = 0;

  constructor(private readonly alter: Alteration = {}) {}

  async start(setup: Setup): Promise<void> {
    this.index = 0;
    this.started++;
    await this.inner.start(setup);
  }

  async run(steps: readonly Step[]): Promise<Result[]> {
    const results = await this.inner.run(steps);
    return results.map((r, j) => {
      const i = this.index++;
      let out = r;
      if (this.alter.snapshot && 'value' in r && isSnapshotValue(r.value)) out = { ok: true, value: this.alter.snapshot(r.value) };
      return this.alter.result ? this.alter.result(steps[j], i, out) : out;
    });
  }

  async snapshot(): Promise<Snapshot> {
    const s = await this.inner.snapshot();
    return this.alter.snapshot ? this.alter.snapshot(s) : s;
  }

  identity(process: string, file: NsFile): Promise<NsIdentity | null> {
    return this.inner.identity(process, file);
  }

  async close(): Promise<void> {
    this.closed++;
    await this.inner.close();
  }
}

/** A "kernel" on which sethostname never works (EPERM): the model disagrees whenever it succeeds. */
export const sethostnameAlwaysEperm: Alteration = {
  result: (step, _i, r) => (step.op === 'sethostname' && 'ok' in r ? { err: 'EPERM' } : r),
};
