// `--kernel-version X.Y`: the Linux release the model answers as. The model follows 6.18 by
// default; from 6.1 on it knows where Linux changed behaviour (assembly/version.ts, one
// function per change, each recorded on that kernel under QEMU). Browser-safe (no Node APIs).

/** The releases the model knows: [major, minor]. */
export const KERNEL_OLDEST: readonly [number, number] = [6, 1];
export const KERNEL_NEWEST: readonly [number, number] = [6, 18];

/** The model's number of a release (6.1 is 601), as assembly/version.ts counts. */
export function releaseNumber(major: number, minor: number): number {
  return major * 100 + minor;
}

/**
 * `X.Y` (or a longer release such as `6.1.0-57-amd64`, whose first two numbers count) as the
 * model's number; a string that is not one, or a release outside what the model knows, is an
 * Error with one sentence.
 */
export function parseKernelVersion(text: string): number {
  const m = /^(\d{1,3})\.(\d{1,3})(?:[.\-+~].*)?$/.exec(text.trim());
  if (!m) throw new Error(`'${text}' is not a kernel version (X.Y, e.g. 6.1)`);
  const n = releaseNumber(Number(m[1]), Number(m[2]));
  const [o, w] = [releaseNumber(...KERNEL_OLDEST), releaseNumber(...KERNEL_NEWEST)];
  if (n < o || n > w) {
    throw new Error(`the model knows Linux ${KERNEL_OLDEST.join('.')} to ${KERNEL_NEWEST.join('.')}, not ${m[1]}.${m[2]}`);
  }
  return n;
}

/** 601 → "6.1". */
export function kernelVersionName(n: number): string {
  return `${Math.floor(n / 100)}.${n % 100}`;
}
