// Targets of `nsmodel check --target`: where the kernel backend runs.
//
//   host         this machine's kernel (the default; check runs as it always has);
//   runsc        gVisor (runsc.ts);
//   kernel:PATH  a Linux kernel image booted under QEMU (qemu.ts); or kernel:NAME, a kernel
//                fetched by `nsmodel target fetch NAME` (kernels.ts).
//
// A target other than the host runs this same checkout's CLI inside it —
// `node dist/src/cli/main.js check --target host --format json ...` with the user's other
// options — with NSMODEL_TARGET set (the kernel backend then runs on kernels older than it
// needs and reports what it could not observe instead of refusing), reads its JSON report,
// and classifies each failure against the target's profile of known divergences
// (profile.ts): profiles/runsc.json, profiles/linux-<major>.<minor>.json for a kernel
// (chosen by the release the target reports).

import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CheckReport } from '../diff/check.js';
import { packageRoot } from '../paths.js';
import { KERNELS, resolveKernel } from './kernels.js';
import { classify, emptyProfile, readProfile, type Profile } from './profile.js';
import { runInRunsc, type TargetRun } from './runsc.js';
import { TargetUnavailable } from './unavailable.js';

export type Target = { kind: 'host' } | { kind: 'runsc' } | { kind: 'kernel'; path: string };

export class TargetSyntaxError extends Error {
  override name = 'TargetSyntaxError';
}

/** A `--target` value: host, runsc or kernel:PATH. A TargetSyntaxError (one line) otherwise. */
export function parseTarget(value: string | undefined): Target {
  if (value === undefined || value === 'host') return { kind: 'host' };
  if (value === 'runsc') return { kind: 'runsc' };
  if (value.startsWith('kernel:')) {
    const path = value.slice('kernel:'.length);
    if (path === '') throw new TargetSyntaxError(`'kernel:' needs the path of a kernel image (kernel:PATH)`);
    // a fetched kernel's name (nsmodel target fetch linux-6.1) stays a name
    return { kind: 'kernel', path: Object.hasOwn(KERNELS, path) ? path : resolve(path) };
  }
  if (value === 'kernel') throw new TargetSyntaxError(`'kernel' needs the path of a kernel image (kernel:PATH)`);
  throw new TargetSyntaxError(`unknown target '${value}' (host, runsc or kernel:PATH)`);
}

export function targetName(t: Target): string {
  return t.kind === 'kernel' ? `kernel:${t.path}` : t.kind;
}

/** The profile file a target's run is classified against by default, or undefined when there is none. */
export function defaultProfilePath(t: Target, release: string): string | undefined {
  const dir = join(packageRoot(), 'profiles');
  if (t.kind === 'runsc') return existsSync(join(dir, 'runsc.json')) ? join(dir, 'runsc.json') : undefined;
  if (t.kind === 'kernel') {
    const m = /^(\d+)\.(\d+)/.exec(release);
    if (!m) return undefined;
    const file = join(dir, `linux-${m[1]}.${m[2]}.json`);
    return existsSync(file) ? file : undefined;
  }
  return undefined;
}

/** How long a kernel target may take for the whole run (software emulation is slow). */
const QEMU_TIMEOUT_MS = 4 * 3600 * 1000;

export interface TargetCheckOptions {
  /** The options of `check` to pass to the run inside (everything but --target, --format, --profile, --strict). */
  args: string[];
  /** A profile file instead of the target's own. */
  profile?: string;
  /** Stale entries are failures. */
  strict?: boolean;
  /** Lines the run inside writes on its stderr (its summary, its warnings). */
  onStderr?: (text: string) => void;
  /** Instead of running the target: a run's status and output (tests give a recorded one). */
  run?: (argv: string[], env: Record<string, string>) => Promise<TargetRun & { release?: string }>;
}

/** The CLI of this checkout, as the target runs it. */
function innerArgv(args: string[]): string[] {
  const main = join(packageRoot(), 'dist', 'src', 'cli', 'main.js');
  if (!existsSync(main)) throw new TargetUnavailable(`the target runs this checkout's built CLI, and ${main} is missing (run npm run build).`);
  return [process.execPath, main, 'check', '--target', 'host', '--format', 'json', ...args];
}

async function runTarget(t: Target, argv: string[], env: Record<string, string>, onStderr?: (s: string) => void): Promise<TargetRun & { release?: string }> {
  const cwd = process.cwd();
  if (t.kind === 'runsc') return await runInRunsc({ argv, env, cwd, onStderr });
  if (t.kind === 'kernel') {
    const image = resolveKernel(t.path);
    let isFile = false;
    try {
      isFile = statSync(image).isFile();
    } catch { /* below */ }
    if (!isFile) throw new TargetUnavailable(`the kernel image ${image} is missing.`);
    const { runInQemu } = await import('./qemu.js');
    const envArgv = ['env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...argv];
    return await runInQemu({ kernel: image, argv: envArgv, cwd, timeoutMs: QEMU_TIMEOUT_MS, onProgress: onStderr ? (l) => onStderr(`${l}\n`) : undefined });
  }
  throw new Error('the host is not run as a target');
}

/** The last line of a text that says something. */
function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines.at(-1) ?? '').replace(/^nsmodel: /, '');
}

/**
 * The conformance suite inside a target, its failures classified against the target's profile.
 * Throws TargetUnavailable (the target cannot run here, or the kernel backend cannot inside it).
 */
export async function checkOnTarget(t: Target, options: TargetCheckOptions): Promise<CheckReport> {
  const t0 = Date.now();
  const name = targetName(t);
  const argv = innerArgv(options.args);
  const env = { NSMODEL_TARGET: name };
  const run = options.run ? await options.run(argv, env) : await runTarget(t, argv, env, options.onStderr);
  if (run.status === 3) throw new TargetUnavailable(`the suite cannot run inside ${name}: ${lastLine(run.stderr)}`);
  let inner: CheckReport;
  try {
    if (run.status !== 0 && run.status !== 1) throw new Error(`status ${run.status}`);
    inner = JSON.parse(run.stdout) as CheckReport;
    if (!Array.isArray(inner.tests) || !inner.features) throw new Error('not a report of nsmodel check');
  } catch (e) {
    const why = lastLine(run.stderr) || (e as Error).message;
    throw new Error(`the suite inside ${name} gave no report (status ${run.status}): ${why}`);
  }
  const release = run.release ?? inner.features.release;
  const profileFile = options.profile ?? defaultProfilePath(t, release);
  const profile: Profile = profileFile ? readProfile(profileFile) : emptyProfile(name);
  const c = classify(inner, profile);
  const strict = options.strict === true;
  const pass = c.tests.filter((x) => x.status === 'pass').length;
  const skip = c.tests.filter((x) => x.status === 'skip').length;
  return {
    ...inner,
    tests: c.tests,
    totals: { pass, fail: c.new, skip, known: c.known },
    // the whole run, the target's start included
    seconds: (Date.now() - t0) / 1000,
    target: {
      name, release, profile: profileFile ? shortProfilePath(profileFile) : null,
      known: c.known, new: c.new, stale: c.stale, unchecked: c.unchecked, strict,
    },
  };
}

function shortProfilePath(file: string): string {
  const root = `${packageRoot()}/`;
  return file.startsWith(root) ? file.slice(root.length) : file;
}

export { TargetUnavailable } from './unavailable.js';
export { ProfileError } from './profile.js';
