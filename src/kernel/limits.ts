// The kernel backend's limits and their defaults (src/kernel/README.md, "Limits"): in a
// module of their own, with no imports, so that the CLI's `--limit` and its help read the
// same defaults without loading the backend.

/** What one sandbox may use before its run is ended (RunAborted, exit status 4). */
export interface KernelLimits {
  /** Live processes and threads of the trace at once. */
  processes: number;
  /** How long the kernel may take to settle what one step started (an exit, a kill). */
  settleMs: number;
  /** How long one request (a batch of steps, a snapshot) may take in all. */
  requestMs: number;
  /**
   * Generations of fork/clone since the last `exec`, checked before a batch runs. Linux pays
   * for such a chain in every fork and exit along it (each copied mapping keeps a link to every
   * ancestor's: anon_vma_clone()), so its cost grows with the square of its depth: here 500
   * generations are built in ~0.9 s and torn down in 0.4 s, 1,000 take ~10 s and 2 s.
   */
  forkDepth: number;
  /**
   * Namespaces a trace may ask for (each CLONE_NEW* flag of an unshare or clone counts, whether
   * or not the call succeeds), checked before a batch runs: what the kernel keeps for a
   * namespace (a network namespace: its loopback device, tables and sysctls) is the memory a
   * trace can make the machine spend beyond its processes.
   */
  namespaces: number;
}

export const KERNEL_LIMITS: Readonly<KernelLimits> = {
  processes: 6000, settleMs: 10_000, requestMs: 120_000, forkDepth: 500, namespaces: 2000,
};
