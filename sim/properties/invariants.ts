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
