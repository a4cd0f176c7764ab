// The public trace API: the format's types, validation, canonical snapshot, printing, and
// the Backend interface both backends implement.

export * from './types.js';
export { TraceError, parseTrace, validateTrace } from './validate.js';
export { definedLabel, labelKinds, processLabels, fdLabels, flagsValue, nstypeValue } from './steps.js';
export { canonicalize, canonicalizeWithIds, SnapshotError, type RawSnapshot, type RawProcess, type RawNamespace, type RawNsKey } from './canonical.js';
export { formatOutput, formatSnapshot, formatResult, sameOutput, type FormatOptions } from './format.js';
export type { Oracle } from './oracle.js';
export { Labels, StepArgs } from './labels.js';
export { BackendUnavailable, RunAborted, runTrace, type Backend, type NsIdentity, type Why, type ShellView, type ViewProcess } from './backend.js';
