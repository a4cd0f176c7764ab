// `--limit NAME=VALUE`: the kernel backend's limits (src/kernel/README.md, "Limits"), one
// option for every command that can run it, parsed here once. Only src/kernel/limits.ts is
// loaded (the defaults), not the backend, so that `--help` stays light.

import { KERNEL_LIMITS, type KernelLimits } from '../kernel/limits.js';
import { UsageError } from './common.js';

/** The names a user gives, the KernelLimits field each sets, its unit and its range. */
const NAMES = {
  processes: { field: 'processes', scale: 1, min: 1, max: 1 << 20, what: 'live processes and threads of one sandbox' },
  'fork-depth': { field: 'forkDepth', scale: 1, min: 1, max: 100_000, what: 'generations of fork/clone since the last exec' },
  namespaces: { field: 'namespaces', scale: 1, min: 1, max: 1 << 20, what: 'CLONE_NEW* flags a trace may ask for' },
  'settle-seconds': { field: 'settleMs', scale: 1000, min: 0.001, max: 3600, what: 'seconds the kernel may take to settle one step' },
  seconds: { field: 'requestMs', scale: 1000, min: 0.001, max: 86_400, what: 'seconds one request to the kernel agent may take' },
} as const;

export type KernelLimitOverrides = Partial<KernelLimits>;

/** The option, for parseOptions. */
export const LIMIT_OPTION = { limit: { type: 'string', multiple: true } } as const;

/** The help lines of the option. */
export const LIMIT_HELP = `  --limit NAME=N  a limit of the kernel backend's sandbox (repeatable); a run that reaches one
                  ends with exit status 4 naming it, fork-depth and namespaces refuse the
                  trace before it runs (exit 2). NAME: ${defaults().slice(0, 2).join(', ')},
                  ${defaults().slice(2).join(', ').replace(/\)$/, ', one request)')}`;

/** "processes (6000)", ...: each name with its default, in NAMES' order. */
function defaults(): string[] {
  return Object.entries(NAMES).map(([name, spec]) => `${name} (${KERNEL_LIMITS[spec.field] / spec.scale})`);
}

/** `--limit` values as KernelLimits overrides; a mistake is a usage error. */
export function parseLimits(values: readonly string[] | undefined): KernelLimitOverrides {
  const out: KernelLimitOverrides = {};
  for (const v of values ?? []) {
    const m = /^([a-z-]+)=([0-9]+(?:\.[0-9]+)?)$/.exec(v);
    const spec = m ? NAMES[m[1] as keyof typeof NAMES] : undefined;
    if (!m || !spec) {
      throw new UsageError(`--limit takes NAME=NUMBER with NAME one of ${Object.keys(NAMES).join(', ')}, not '${v}'`);
    }
    const n = Number(m[2]);
    if (n < spec.min || n > spec.max || (spec.scale === 1 && !Number.isInteger(n))) {
      throw new UsageError(`--limit ${m[1]}: ${spec.what}, a ${spec.scale === 1 ? 'whole ' : ''}number from ${spec.min} to ${spec.max}, not ${m[2]}`);
    }
    out[spec.field] = Math.round(n * spec.scale);
  }
  return out;
}
