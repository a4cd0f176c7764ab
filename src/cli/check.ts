// nsmodel check: the conformance suite on this kernel, as KTAP, JUnit XML or JSON.

import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseTypes } from '../gen/index.js';
import { kernelAvailable } from '../kernel/backend.js';
import { BackendUnavailable } from '../trace/backend.js';
import type { NsType } from '../trace/types.js';
import { check, SUITE_DIRS, suiteJobs } from '../diff/check.js';
import { traceFiles } from '../diff/files.js';
import { LIMIT_NAMES, LIMITS, parseTrace } from '../trace/validate.js';
import { defaultJobs, randomSeed } from '../diff/fuzz.js';
import { formatJson, formatJunit, formatKtap, ktapHeader, ktapTest, ktapTotals } from '../diff/report.js';
import { packageVersion } from '../paths.js';
import { backendMaker, setKernelLimits, setModelKernelVersion } from './backends.js';
import { CliError, EXIT, parseOptions, UsageError } from './common.js';
import { LIMIT_HELP, LIMIT_OPTION, parseLimits } from './limits.js';
import { KERNEL_VERSION_HELP, KERNEL_VERSION_OPTION, kernelVersionOption } from './kernel-version.js';
import { KERNEL_NEWEST, kernelVersionName, parseKernelVersion, releaseNumber } from '../model/kernel-version.js';
import { integer, seconds as secondsOption, seed as seedOption } from './numbers.js';
import { fuzzProgressText, ProgressLine } from './progress.js';
import { checkOnTarget, parseTarget, ProfileError, targetName, type Target } from '../targets/index.js';
import { TargetUnavailable } from '../targets/unavailable.js';

export const DEFAULT_SECONDS = 20;
const FORMATS = ['ktap', 'junit', 'json'] as const;

export const usage = `Usage: nsmodel check [PATH...] [--format ktap|junit|json] [--seconds S] [--runs N]
                     [--seed X] [--jobs J] [--types T,...] [--max-steps N] [--out DIR]
                     [--target host|runsc|kernel:PATH [--profile FILE] [--strict]]

The conformance suite, on this kernel: every trace of the suite, then random traces for
a while. A trace with a sibling .expected.json (the output recorded on Linux 6.18) must
give exactly that on the kernel and on the model; a trace without one must give the
same on both. Random traces (as nsmodel fuzz) must give the same on both. A trace that
needs a namespace type this kernel lacks is skipped.

PATH: trace files or directories (searched recursively; *.expected.json are not
traces). A PATH that cannot be read, a file that is not a valid trace, or a directory
without a trace file stops the command before anything runs (exit 2). Default: the suite shipped with nsmodel (${SUITE_DIRS.join(', ')}).

Options:
  --format F     ktap (default: as the kernel's selftests print, written as the tests
                 run), junit (JUnit XML for CI systems) or json
  --seconds S    the random traces' time budget (default ${DEFAULT_SECONDS}; 0: none)
  --runs N       at most N random traces
  --seed X       the random traces' seed (default: random; always reported)
  --jobs J       kernel sandboxes side by side, for the suite's traces (default
                 ${suiteJobs()}) and the random ones (default ${defaultJobs()}); the results are
                 printed in the plan's order
  --types T,...  random traces touch only these namespace types
  --max-steps N  steps per random trace at most (default 10)
  --out DIR      write a shrunk divergence there as a trace file (default: not written;
                 the report carries the trace)
${LIMIT_HELP}
${KERNEL_VERSION_HELP}
  --target T     where the suite runs: host (default: this kernel), runsc (gVisor, by
                 runsc do) or kernel:PATH (a Linux kernel image booted under QEMU)
  --profile FILE with --target: the known divergences to hold the run against (default:
                 profiles/runsc.json; profiles/linux-MAJOR.MINOR.json of the release a
                 kernel target reports, or none)
  --strict       with --target: a stale profile entry (its test now passes) is a failure
  -h, --help     this help

Targets: with --target runsc or kernel:PATH the same suite runs inside the target (this
checkout's built CLI, with the other options), and each failure is held against the
target's profile of known divergences (each with its reason and a link to its source):
a failure the profile lists is a known divergence (KTAP: ok ... # XFAIL), one it does not
list is new (a failure); an entry whose test passed is a stale entry, shown in the report
(a failure with --strict). The reports carry the target and the kernel release it
reports. kernel:NAME boots a kernel fetched by 'nsmodel target fetch NAME'. Inside a
target the kernel's interfaces are probed first (probe/* tests, against their answers on
Linux 6.18); where the kernel backend cannot observe traces (gVisor: no pidfds, no
NS_GET_* ioctls), each trace is skipped with the reason. --out is not available with a
target.

Every failure carries the expected output (the model's, or the recorded one), the
kernel's, and the model's check (its rule). The report begins with the kernel's release
and namespace features (namespace files, unprivileged user namespaces, limits).

Exit status: 0 every test that ran passed (some may be skipped); 1 a test failed, or no
test ran (every one skipped: not a pass); 2 bad options, or a PATH that cannot be read
or holds no trace (one line), or a bad --target; 3 the kernel backend cannot run here
(it needs root), or the target cannot (runsc not installed, a kernel image missing or not
booting), in one sentence. With --target: 1 a new divergence (or a stale entry with --strict).
A trace that reaches a limit of the kernel backend (--limit) is a failed test.

Example:
  nsmodel check --format junit --seconds 60 > nsmodel-junit.xml
`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, {
    ...LIMIT_OPTION,
    ...KERNEL_VERSION_OPTION,
    format: { type: 'string' },
    seconds: { type: 'string' },
    runs: { type: 'string' },
    seed: { type: 'string' },
    jobs: { type: 'string' },
    types: { type: 'string' },
    'max-steps': { type: 'string' },
    out: { type: 'string' },
    target: { type: 'string' },
    profile: { type: 'string' },
    strict: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(usage);
    return EXIT.ok;
  }
  setKernelLimits(parseLimits(values.limit));
  setModelKernelVersion(kernelVersionOption(values['kernel-version']));
  const format = values.format ?? 'ktap';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown format '${format}' (ktap, junit or json)`);
  const runs = values.runs === undefined ? undefined : integer('--runs', values.runs, 0);
  const seconds = values.seconds === undefined ? (runs === undefined ? DEFAULT_SECONDS : undefined) : secondsOption('--seconds', values.seconds);
  const seed = values.seed === undefined ? randomSeed() : seedOption(values.seed);
  const jobs = values.jobs === undefined ? undefined : integer('--jobs', values.jobs, 1);
  const maxSteps = values['max-steps'] === undefined ? undefined : integer('--max-steps', values['max-steps'], 1);
  if (maxSteps !== undefined && maxSteps > LIMITS.steps) throw new UsageError(`--max-steps: over the limit '${LIMIT_NAMES.steps}' (${LIMITS.steps})`);
  let types: NsType[] | undefined;
  if (values.types !== undefined) {
    try {
      types = parseTypes(values.types);
    } catch (e) {
      throw new UsageError(`--types: ${(e as Error).message}`);
    }
  }
  const paths = positionals.map((p) => resolve(p));
  for (const [i, p] of positionals.entries()) checkPath(p, paths[i]);
  let target: Target;
  try {
    target = parseTarget(values.target);
  } catch (e) {
    throw new UsageError(`--target: ${(e as Error).message}`);
  }
  if (target.kind !== 'host') {
    if (values.out !== undefined) throw new UsageError('--out: not with --target (the target\'s file system is thrown away)');
    return await checkTarget(target, format, argv, values.profile, values.strict === true);
  }
  if (values.profile !== undefined || values.strict) throw new UsageError(`${values.profile !== undefined ? '--profile' : '--strict'}: only with --target runsc or kernel:PATH`);
  // inside a target (the outer command set NSMODEL_TARGET): the kernel probe, and the traces
  // skipped with the reason when the kernel backend cannot observe them on this kernel
  const inside = process.env.NSMODEL_TARGET ? (await import('../targets/probe.js')).insideTarget() : undefined;
  if (!inside?.blocked) {
    const available = kernelAvailable();
    if (!available.ok) throw new BackendUnavailable(available.reason);
  }

  const progress = new ProgressLine();
  const ktap = format === 'ktap';
  const write = (s: string) => {
    progress.clear();
    process.stdout.write(s);
  };
  const report = await check({
    model: await backendMaker('model'), kernel: await backendMaker('kernel'), kernelVersion: values['kernel-version'],
    paths: paths.length > 0 ? paths : undefined,
    seconds, runs, seed, jobs, maxSteps, types, out: values.out === undefined ? undefined : resolve(values.out),
    onPlan: (count, features) => { if (ktap) write(ktapHeader(count, features, packageVersion())); },
    onTest: (t) => {
      if (ktap) write(ktapTest(t));
      else progress.update(`${t.id} ${t.name}: ${t.status}`);
    },
    onFuzzProgress: (p) => progress.update(`fuzz: ${fuzzProgressText(p)}`),
    ...(inside ? { extra: inside.extra, blocked: inside.blocked } : {}),
  });
  progress.clear();
  if (ktap) process.stdout.write(ktapTotals(report));
  else process.stdout.write(format === 'junit' ? formatJunit(report) : formatJson(report));
  if (!ktap) {
    const { pass, fail, skip } = report.totals;
    process.stderr.write(`nsmodel check: pass ${pass}, fail ${fail}, skip ${skip}${report.fuzz ? `; fuzz seed ${report.fuzz.seed}` : ''}\n`);
  }
  if (report.totals.fail > 0) {
    const hint = kernelVersionHint(report.features.release, values['kernel-version']);
    if (hint) process.stderr.write(`nsmodel check: ${hint}\n`);
    return EXIT.differ;
  }
  if (report.totals.pass === 0) {
    // nothing was checked: every trace skipped (a kernel without what they need), no random traces
    const { skip } = report.totals;
    process.stderr.write(`nsmodel check: no test ran (${skip} skipped${report.fuzz ? '' : ', no random traces'}): not a pass\n`);
    return EXIT.differ;
  }
  return EXIT.ok;
}

/**
 * After a failure on a kernel older than the one the model follows, without --kernel-version:
 * the option that makes the model answer as that kernel, or undefined.
 */
export function kernelVersionHint(release: string, given: string | undefined): string | undefined {
  if (given !== undefined) return undefined;
  let n: number;
  try {
    n = parseKernelVersion(release);
  } catch {
    return undefined;
  }
  if (n === releaseNumber(...KERNEL_NEWEST)) return undefined;
  const v = kernelVersionName(n);
  return `the model follows Linux ${KERNEL_NEWEST.join('.')}; this kernel is ${v}: --kernel-version ${v} makes it answer as ${v} where Linux changed`;
}

/**
 * A PATH of the command line must be readable and hold a trace: a file of a trace (its name
 * ends in .json, not .expected.json) or a directory with one somewhere below. Anything else is
 * a CliError (exit 2, one line) before anything runs: a mistyped path must not pass CI.
 */
function checkPath(given: string, path: string): void {
  let isFile: boolean;
  try {
    const st = statSync(path);
    isFile = st.isFile();
    if (!isFile && !st.isDirectory()) throw new CliError(`'${given}' holds no trace: it is neither a file nor a directory`);
    accessSync(path, constants.R_OK | (isFile ? 0 : constants.X_OK));
  } catch (e) {
    if (e instanceof CliError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : code === 'ENOTDIR' ? 'not a directory' : (e as Error).message.split('\n')[0];
    throw new CliError(`cannot read '${given}': ${why}`);
  }
  if (isFile) {
    if (path.endsWith('.expected.json')) throw new CliError(`'${given}' holds no trace: it is a recorded output (.expected.json); give its trace`);
    if (!path.endsWith('.json')) throw new CliError(`'${given}' holds no trace: a trace file's name ends in .json`);
    try {
      parseTrace(readFileSync(path, 'utf8'));
    } catch (e) {
      if ((e as Error).name === 'TraceError') throw new CliError(`${given}: ${(e as Error).message}`);
      throw new CliError(`cannot read '${given}': ${(e as Error).message.split('\n')[0]}`);
    }
    return;
  }
  let files: string[];
  try {
    files = traceFiles(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read '${given}': ${code === 'EACCES' ? 'permission denied (below it)' : (e as Error).message.split('\n')[0]}`);
  }
  if (files.length === 0) throw new CliError(`'${given}' holds no trace: no *.json trace file in it or below it`);
}

/** The options that are the outer command's own with a target; every other one goes inside. */
const OUTER_ONLY = new Set(['--target', '--format', '--profile', '--strict']);
const OUTER_FLAGS = new Set(['--strict']);

/** argv without the outer command's own options. */
export function innerArgs(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { out.push(...argv.slice(i)); break; }
    const name = a.startsWith('--') ? a.split('=')[0] : '';
    if (!OUTER_ONLY.has(name)) out.push(a);
    else if (!a.includes('=') && !OUTER_FLAGS.has(name)) i++; // its value
  }
  return out;
}

/** check --target X: the suite inside X, its failures against X's profile. */
async function checkTarget(target: Target, format: string, argv: string[], profile: string | undefined, strict: boolean): Promise<number> {
  const name = targetName(target);
  process.stderr.write(`nsmodel check: running the suite inside ${name}\n`);
  let report;
  try {
    report = await checkOnTarget(target, {
      args: innerArgs(argv), profile: profile === undefined ? undefined : resolve(profile), strict,
      onStderr: (text) => process.stderr.write(text.split('\n').filter(Boolean).map((l) => `[${name}] ${l}\n`).join('')),
    });
  } catch (e) {
    if (e instanceof TargetUnavailable) throw new CliError(e.message, EXIT.unavailable);
    if (e instanceof ProfileError) throw new CliError(e.message);
    throw e;
  }
  if (format === 'ktap') process.stdout.write(formatKtap(report));
  else process.stdout.write(format === 'junit' ? formatJunit(report) : formatJson(report));
  const t = report.target!;
  const { pass, fail, skip } = report.totals;
  process.stderr.write(`nsmodel check --target ${name} (Linux ${t.release}): pass ${pass}, known ${t.known}, new ${fail}, skip ${skip}, stale entries ${t.stale.length}\n`);
  if (fail > 0 || (strict && t.stale.length > 0)) return EXIT.differ;
  if (pass === 0 && t.known === 0) {
    process.stderr.write('nsmodel check: no test ran: not a pass\n');
    return EXIT.differ;
  }
  return EXIT.ok;
}
