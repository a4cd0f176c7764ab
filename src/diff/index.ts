// The differential runner: diffTrace (one trace on both backends, the first divergence
// explained), fuzz (random traces, shrunk divergences), check (the conformance suite) and its
// report formats.

export {
  diffTrace, findDivergence, diffValues, formatDivergence, repeatKernel,
  show, showStep, showWhy, showDifferences,
  type Difference, type Divergence, type DiffResult, type DiffOptions, type Sides, type Stability,
} from './diff.js';
export { fuzz, randomSeed, defaultJobs, summary, type FuzzOptions, type FuzzProgress, type FuzzReport, type FoundDivergence } from './fuzz.js';
export { check, SUITE_DIRS, type CheckOptions, type CheckReport, type CheckTest, type CheckFailure } from './check.js';
export { kernelFeatures, missingFeature, describeFeatures, type KernelFeatures } from './features.js';
export { formatKtap, formatJunit, formatJson, ktapHeader, ktapTest, ktapTotals } from './report.js';
export { formatTrace, traceHash, traceFiles } from './files.js';
