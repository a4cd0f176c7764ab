// nsmodel as a library: the trace API (types, parseTrace, runTrace, printing, the Backend
// interface), both backends, the fast-check arbitraries for users' own properties, and the
// differential runner (diffTrace, fuzz, check), and the teaching shell (runShell, scenarios).
//
// Importing this costs about as much as the trace API alone: the model's wasm is compiled at
// the first ModelBackend.start(), and the kernel agent is spawned at the first
// KernelBackend.start().

export * from './trace/index.js';
export { ModelBackend } from './model/backend.js';
export { KernelBackend, kernelAvailable, type KernelBackendOptions } from './kernel/backend.js';
export {
  arbTrace, arbStepIntent, arbFlags, arbSetup, buildTrace, parseTypes,
  type TraceOptions, type StepIntent,
} from './gen/index.js';
export {
  diffTrace, findDivergence, diffValues, formatDivergence, repeatKernel,
  fuzz, check, kernelFeatures, formatKtap, formatJunit, formatJson, formatTrace,
  type Difference, type Divergence, type DiffResult, type DiffOptions, type Stability,
  type FuzzOptions, type FuzzProgress, type FuzzReport, type FoundDivergence,
  type CheckOptions, type CheckReport, type CheckTest, type CheckFailure, type KernelFeatures,
} from './diff/index.js';
export {
  runShell, ScriptSource, Session, type ShellOptions, type Io, type LineSource,
} from './shell/index.js';
export {
  parseScenario, runScenario, normalizeTranscript, transcriptDiff, ScenarioError, type ScenarioScript,
} from './shell/scenario.js';
export {
  defineProperty, explore, loadProperty, PropertyError, StateView, BUILTIN_PROPERTIES, formatReport, formatJsonLine,
  type Property, type PropertyDefinition, type Alphabet, type StepOutcome, type Verdict,
  type ExploreOptions, type ExploreReport,
} from './explore/index.js';
