// An oracle for trace generators: while a trace is being built it says which processes can
// still act, so that generated steps are made by live processes. src/gen takes one
// (TraceOptions.oracle); the model backend provides one (src/model/oracle.ts). Here, in the
// trace layer both depend on, so that neither depends on the other.

import type { Setup, Step } from './types.js';

export interface Oracle {
  /** A new world, as the setup says. */
  reset(setup: Setup): void;
  /** Run one step of the trace being built. */
  run(step: Step): void;
  /** Can the process of this label act now? */
  alive(label: string): boolean;
}
