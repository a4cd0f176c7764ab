// The backends by name, imported only when a command needs one (so that `--help` and
// `--version` do not load the model's wasm or the kernel agent).

import type { Backend } from '../trace/backend.js';
import { UsageError } from './common.js';
import type { KernelLimitOverrides } from './limits.js';

/** The kernel backend's limits for this command (`--limit`); set before backends are made. */
let kernelLimits: KernelLimitOverrides = {};
export function setKernelLimits(limits: KernelLimitOverrides): void {
  kernelLimits = limits;
}

/** The release the model answers as (`--kernel-version`); set before backends are made. */
let modelKernelVersion: string | undefined;
export function setModelKernelVersion(version: string | undefined): void {
  modelKernelVersion = version;
}

export const BACKEND_NAMES = ['model', 'kernel'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** The backend name of a `--backend` option (default `model`); anything else is a usage error. */
export function backendName(option: string | undefined): BackendName {
  const name = option ?? 'model';
  if (!(BACKEND_NAMES as readonly string[]).includes(name)) {
    throw new UsageError(`unknown backend '${name}' (model or kernel)`);
  }
  return name as BackendName;
}

/**
 * What makes backends of that name (its module loaded once): every command builds its
 * backends through this, or loadBackend(). Making one may throw BackendUnavailable.
 */
export async function backendMaker(name: BackendName): Promise<() => Backend> {
  if (name === 'model') {
    const { ModelBackend } = await import('../model/backend.js');
    const kernelVersion = modelKernelVersion;
    return () => new ModelBackend({ kernelVersion });
  }
  const { KernelBackend } = await import('../kernel/backend.js');
  const limits = kernelLimits;
  return () => new KernelBackend({ limits });
}

/** A new backend of that name. May throw BackendUnavailable. */
export async function loadBackend(name: BackendName): Promise<Backend> {
  return (await backendMaker(name))();
}
