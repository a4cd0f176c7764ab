import { defineConfig } from 'vitest/config';

// Two groups, one after the other: everything, in parallel; then the host-safety tests alone,
// so that what they see of the host (its namespaces and processes) is not another test file's
// sandbox in the middle of its run.
const shared = { testTimeout: 60_000, hookTimeout: 60_000 };

export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      {
        test: {
          ...shared,
          name: 'nsmodel',
          include: ['test/**/*.test.ts'],
          exclude: ['test/kernel-host-safety.test.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'host-safety',
          include: ['test/kernel-host-safety.test.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
