// Numeric options of the commands: integers and seconds, with usage errors that name the option.

import { UsageError } from './common.js';

/** An integer option, at least `min`. */
export function integer(option: string, text: string, min = 0): number {
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`${option} must be an integer${min > 0 ? ` of at least ${min}` : ''}, not '${text}'`);
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`${option} must be an integer of at least ${min}, not '${text}'`);
  return n;
}

/** A number of seconds (a decimal allowed), at least 0. */
export function seconds(option: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`${option} must be a number of seconds, not '${text}'`);
  return n;
}

/** A seed: an integer from 0 to 2147483646. */
export function seed(text: string): number {
  const n = integer('--seed', text);
  if (n > 0x7ffffffe) throw new UsageError(`--seed must be an integer from 0 to ${0x7ffffffe}, not '${text}'`);
  return n;
}
