// The one policy for tests that need the real kernel (the kernel backend):
//  - where it can run (root on Linux >= 6.1, agent built), they run;
//  - where it cannot, they are skipped and the reason is printed;
//  - except with NSMODEL_REQUIRE_KERNEL=1 (CI), where they fail with that reason.
//
//   import { describeKernel } from './helpers/kernel.js';
//   describeKernel('my kernel tests', () => { it(...) });

import { afterAll, beforeAll, describe } from 'vitest';
import { KernelBackend, kernelAvailable } from '../../src/kernel/backend.js';

export const kernel = kernelAvailable();
export const kernelRequired = process.env.NSMODEL_REQUIRE_KERNEL === '1';
/** Skip kernel tests here (the kernel backend cannot run, and CI does not demand it). */
export const skipKernel = !kernel.ok && !kernelRequired;

const reported = new Set<string>();

/** `describe` for tests on the real kernel, under the policy above. */
export function describeKernel(name: string, body: () => void): void {
  if (skipKernel && !kernel.ok && !reported.has(kernel.reason)) {
    reported.add(kernel.reason);
    console.warn(`kernel tests skipped: ${kernel.reason}`);
  }
  describe.skipIf(skipKernel)(name, () => {
    if (!kernel.ok) {
      const reason = kernel.reason;
      beforeAll(() => {
        throw new Error(`NSMODEL_REQUIRE_KERNEL=1, but ${reason}`);
      });
    }
    body();
  });
}

/**
 * One KernelBackend for a describe block, its supervisor ended after the block. Call inside
 * describeKernel; use the getter in tests.
 */
export function useKernelBackend(): () => KernelBackend {
  let backend: KernelBackend | undefined;
  afterAll(async () => {
    await backend?.dispose();
  });
  return () => (backend ??= new KernelBackend());
}
