// Invariants that several built-in properties state.

import type { Verdict } from '../../src/explore/property.js';
import type { StateView } from '../../src/explore/view.js';

/**
 * The host's hostname — that of p0's UTS namespace, p0 standing for the host's PID 1 — is
 * still `name` (or p0 is gone, and with it the question).
 */
export function hostHostnameStays(name: string): (s: StateView) => Verdict {
  return (s) => {
    const h = s.hostnameOf('p0');
    return h === null || h === name || `the host's hostname (p0's UTS namespace) is now '${h}'`;
  };
}

/**
 * The host's mount namespace — p0's — still has its `count` mounts (or p0 is gone): no mount
 * made elsewhere appeared in it, none went (mounts, issue 12).
 */
export function hostMountsStay(count: number): (s: StateView) => Verdict {
  return (s) => {
    const n = s.mountCountOf('p0');
    return n < 0 || n === count || `the host's mount namespace (p0's) has ${n} mounts, not ${count}`;
  };
}
