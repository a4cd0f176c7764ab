// Inside a target (the inner `nsmodel check`, NSMODEL_TARGET set): the kernel probe as tests,
// each interface's answer against the one recorded on Linux 6.18, and whether the kernel
// backend can observe traces here at all (if not, they are skipped with the reason).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckOptions } from '../diff/check.js';
import { backendBlocked, probeKernel, type KernelProbe } from '../kernel/probe.js';
import { packageRoot } from '../paths.js';

export interface RecordedProbe {
  recordedOn: string;
  probes: KernelProbe;
}

export function recordedProbe(): RecordedProbe {
  return JSON.parse(readFileSync(join(packageRoot(), 'test', 'targets', 'probe.expected.json'), 'utf8')) as RecordedProbe;
}

/** One test per probe: `probe/<name>`, a failure when the answer is not the recorded one. */
export function probeTests(probe: KernelProbe, recorded: RecordedProbe): NonNullable<CheckOptions['extra']> {
  return Object.entries(recorded.probes).map(([name, expected]) => ({
    name: `probe/${name}`,
    suite: 'probe',
    run: async () => {
      const actual = probe[name] ?? 'untested';
      if (actual === expected) return { status: 'pass' as const };
      if (actual === 'untested') return { status: 'skip' as const, reason: 'not probed: what it needs is missing (see the probes before it)' };
      const message = `the kernel answers ${actual} to ${name}; recorded on ${recorded.recordedOn}: ${expected}`;
      return {
        status: 'fail' as const,
        failure: { kind: 'kernel-vs-recorded' as const, message, where: name, expectedFrom: 'recorded' as const, actualFrom: 'kernel' as const, detail: message },
      };
    },
  }));
}

/** The probe's tests and, when the kernel backend cannot observe traces here, why. */
export function insideTarget(): { extra: NonNullable<CheckOptions['extra']>; blocked?: string } {
  const probe = probeKernel();
  const blocked = backendBlocked(probe);
  return { extra: probeTests(probe, recordedProbe()), ...(blocked ? { blocked } : {}) };
}
