// `--kernel-version X.Y`: the Linux release the model answers as (src/model/kernel-version.ts),
// one option for every command that runs the model, parsed here once.

import { parseKernelVersion } from '../model/kernel-version.js';
import { UsageError } from './common.js';

/** The option, for parseOptions. */
export const KERNEL_VERSION_OPTION = { 'kernel-version': { type: 'string' } } as const;

/** The help lines of the option. */
export const KERNEL_VERSION_HELP = `  --kernel-version X.Y  the model answers as Linux X.Y where Linux changed behaviour
                  (6.1 to 6.18; default 6.18): for a kernel that is not this one`;

/** The option's value, checked (a usage error when it is not a release the model knows). */
export function kernelVersionOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    parseKernelVersion(value);
  } catch (e) {
    throw new UsageError(`--kernel-version: ${(e as Error).message}`);
  }
  return value;
}
