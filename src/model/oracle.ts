// The model as an oracle for src/gen: while a trace is being generated it says which
// processes can still act, so that generated steps are made by live processes.

import type { Oracle } from '../trace/oracle.js';
import type { Setup, Step } from '../trace/types.js';
import { ModelBackend } from './backend.js';

/** One model for every oracle: a trace is built synchronously, and reset() starts a new world. */
let shared: ModelBackend | undefined;

export function modelOracle(): Oracle {
  const model = (shared ??= new ModelBackend());
  return {
    reset(setup: Setup) { model.startSync(setup); },
    run(step: Step) { model.runSync([step]); },
    alive(label: string) { return model.isRunning(label); },
  };
}
