// What a step defines, and the numbers its flag names stand for: small helpers for the
// backends, the shell and the generators, on traces that validate.ts has accepted.

import { CLONE_FLAGS, type CloneFlag, type LabelKind, type NsFlag, type Step, type Trace } from './types.js';

/** The label a step defines (`as`) and its kind, or null when it defines none. */
export function definedLabel(step: Step): { label: string; kind: LabelKind } | null {
  switch (step.op) {
    case 'fork':
    case 'clone':
      return { label: step.as, kind: 'process' };
    case 'open':
    case 'pidfd_open':
      return { label: step.as, kind: 'fd' };
    case 'ioctl':
      return step.as === undefined ? null : { label: step.as, kind: 'fd' };
    default:
      return null;
  }
}

/**
 * Every label of a trace with its kind, in the order the labels are defined: `p0` first,
 * then each `as` in step order. (A label whose defining step fails at run time is listed
 * all the same: validation is static.)
 */
export function labelKinds(trace: Trace): Map<string, LabelKind> {
  const kinds = new Map<string, LabelKind>([['p0', 'process']]);
  for (const step of trace.steps) {
    const def = definedLabel(step);
    if (def) kinds.set(def.label, def.kind);
  }
  return kinds;
}

/** The process labels of a trace, in definition order (`p0` first). */
export function processLabels(trace: Trace): string[] {
  return [...labelKinds(trace)].filter(([, k]) => k === 'process').map(([l]) => l);
}

/** The descriptor labels of a trace, in definition order. */
export function fdLabels(trace: Trace): string[] {
  return [...labelKinds(trace)].filter(([, k]) => k === 'fd').map(([l]) => l);
}

/** The flags word of a `clone`/`unshare` flag list (Linux's values, OR-ed; `[]` is 0). */
export function flagsValue(flags: readonly CloneFlag[]): number {
  let v = 0;
  for (const f of flags) v |= CLONE_FLAGS[f];
  return v >>> 0;
}

/** The `nstype` argument of setns as a number: `0`, one flag, or a list OR-ed (`[]` is 0). */
export function nstypeValue(nstype: 0 | NsFlag | readonly NsFlag[]): number {
  if (nstype === 0) return 0;
  return typeof nstype === 'string' ? CLONE_FLAGS[nstype] : flagsValue(nstype);
}
