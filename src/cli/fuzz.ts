// nsmodel fuzz: random traces on the model and on the kernel; a divergence is shrunk to a
// minimal trace, written out, and printed with the command that replays it.

import { resolve, relative } from 'node:path';
import { parseTypes } from '../gen/index.js';
import { kernelAvailable } from '../kernel/backend.js';
import { BackendUnavailable } from '../trace/backend.js';
import type { NsType, Setup } from '../trace/types.js';
import { formatDivergence } from '../diff/diff.js';
import { defaultJobs, fuzz, outDirProblem, randomSeed, type FoundDivergence, type FuzzReport } from '../diff/fuzz.js';
import { backendMaker, setKernelLimits, setModelKernelVersion } from './backends.js';
import { LIMIT_NAMES, LIMITS } from '../trace/validate.js';
import { CliError, EXIT, parseOptions, UsageError } from './common.js';
import { LIMIT_HELP, LIMIT_OPTION, parseLimits } from './limits.js';
import { KERNEL_VERSION_HELP, KERNEL_VERSION_OPTION, kernelVersionOption } from './kernel-version.js';
import { integer, seconds as secondsOption, seed as seedOption } from './numbers.js';
import { fuzzProgressText, ProgressLine } from './progress.js';

export const DEFAULT_SECONDS = 30;
export const DEFAULT_OUT = 'nsmodel-divergences';

export const usage = `Usage: nsmodel fuzz [--runs N] [--seconds S] [--seed X] [--types T,...]
                    [--max-steps N] [--min-steps N] [--user root|unprivileged] [--out DIR]
                    [--jobs J] [--max-divergences D] [--shrink-seconds S] [--v1] [--mounts]
                    [--json]

Run random traces (the fast-check arbitraries of nsmodel's generators) on the kernel
model and on the real kernel. A trace on which they differ is shrunk by fast-check to a
minimal one, written to DIR as <timestamp>-<hash>.json (a trace file), and printed with
the command that replays it (nsmodel diff FILE).

Options:
  --runs N             run at most N traces
  --seconds S          start no new trace after S seconds (default ${DEFAULT_SECONDS} when
                       --runs is not given either); shrinking comes after
  --seed X             the seed (default: random). It is always printed; the same
                       seed with the same --jobs (and options) runs the same traces
  --types T,...        only these namespace types: ${'cgroup,ipc,mnt,net,pid,time,user,uts'}
  --max-steps N        steps per trace at most (default 10)
  --min-steps N        steps per trace at least (default 1)
  --user U             only root or only unprivileged setups (default: both)
  --v1                 only the ops of trace format v1 (default: the extension ops
                       mount_proc, set_pdeathsig, kill and exec's argv too)
  --mounts             every trace on a root of its own with the mount ops (default:
                       about one trace in four)
  --out DIR            where divergences are written (default ./${DEFAULT_OUT}/); made
                       when missing; a symbolic link or a file there is refused (exit 2)
  --jobs J             kernel sandboxes side by side (default ${defaultJobs()})
  --max-divergences D  keep searching (new seeds) until D distinct divergences are
                       found or the budget is spent (default 1: stop at the first)
  --shrink-seconds S   time to shrink each divergence (default 60)
  --json               divergences as JSON lines, then a last line
                       {"traces":N,"divergences":D,"tracesPerSecond":R,"seed":X}
${LIMIT_HELP}
${KERNEL_VERSION_HELP}
  -h, --help           this help

A live progress line (traces, divergences, traces/s) goes to stderr when it is a
terminal; the summary goes to stdout. Ctrl-C (SIGINT) stops the run: the traces in
flight finish, a divergence being shrunk keeps its smallest form so far, and the
divergences found and the summary with the seed are printed (a second Ctrl-C quits at
once, printing only the seed).

Exit status: 0 no divergence found; 1 a divergence found (or a backend failed on a
trace); 2 bad options, or a --out that is a symbolic link or not a directory; 3 the
kernel backend cannot run here (it needs root); 130 interrupted (SIGINT).
A trace that reaches a limit of the kernel backend (--limit) counts as a backend failure.

Example:
  nsmodel fuzz --seconds 60 --types pid,user --seed 42
`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, {
    ...LIMIT_OPTION,
    ...KERNEL_VERSION_OPTION,
    runs: { type: 'string' },
    seconds: { type: 'string' },
    seed: { type: 'string' },
    types: { type: 'string' },
    'max-steps': { type: 'string' },
    'min-steps': { type: 'string' },
    user: { type: 'string' },
    out: { type: 'string' },
    jobs: { type: 'string' },
    'max-divergences': { type: 'string' },
    'shrink-seconds': { type: 'string' },
    v1: { type: 'boolean' },
    mounts: { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(usage);
    return EXIT.ok;
  }
  setKernelLimits(parseLimits(values.limit));
  setModelKernelVersion(kernelVersionOption(values['kernel-version']));
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const runs = values.runs === undefined ? undefined : integer('--runs', values.runs, 1);
  const seconds = values.seconds === undefined ? (runs === undefined ? DEFAULT_SECONDS : undefined) : secondsOption('--seconds', values.seconds);
  const seed = values.seed === undefined ? randomSeed() : seedOption(values.seed);
  const types = values.types === undefined ? undefined : typesOption(values.types);
  const maxSteps = values['max-steps'] === undefined ? undefined : integer('--max-steps', values['max-steps'], 1);
  if (maxSteps !== undefined && maxSteps > LIMITS.steps) throw new UsageError(`--max-steps: over the limit '${LIMIT_NAMES.steps}' (${LIMITS.steps})`);
  const minSteps = values['min-steps'] === undefined ? undefined : integer('--min-steps', values['min-steps'], 0);
  if (minSteps !== undefined && minSteps > (maxSteps ?? 10)) throw new UsageError(`--min-steps (${minSteps}) is more than --max-steps (${maxSteps ?? 10})`);
  const user = values.user === undefined ? undefined : userOption(values.user);
  if (values.mounts && values.v1) throw new UsageError('--mounts and --v1 exclude each other (the mount ops are an extension)');
  const jobs = values.jobs === undefined ? defaultJobs() : integer('--jobs', values.jobs, 1);
  const maxDivergences = values['max-divergences'] === undefined ? 1 : integer('--max-divergences', values['max-divergences'], 1);
  const shrinkSeconds = values['shrink-seconds'] === undefined ? undefined : secondsOption('--shrink-seconds', values['shrink-seconds']);
  const out = values.out ?? DEFAULT_OUT;
  const outProblem = outDirProblem(resolve(out));
  if (outProblem) throw new CliError(`cannot write divergences to '${out}': ${outProblem}`);
  const available = kernelAvailable();
  if (!available.ok) throw new BackendUnavailable(available.reason);

  const budget = [runs !== undefined ? `${runs} traces` : '', seconds !== undefined ? `${seconds} s` : ''].filter(Boolean).join(' or ');
  process.stderr.write(`nsmodel fuzz: seed ${seed}, ${jobs} job${jobs === 1 ? '' : 's'}, up to ${budget}\n`);
  const progress = new ProgressLine();
  // Ctrl-C: finish what is in flight, then the summary and the seed (exit 130); twice: at once
  const interrupt = new AbortController();
  const onSigint = () => {
    progress.clear();
    if (interrupt.signal.aborted) {
      process.stderr.write(`nsmodel fuzz: interrupted again: quitting; seed ${seed}\n`);
      process.exit(EXIT.interrupted);
    }
    interrupt.abort();
    process.stderr.write('nsmodel fuzz: interrupted: finishing the traces in flight (Ctrl-C again to quit at once)\n');
  };
  process.on('SIGINT', onSigint);
  let report: FuzzReport;
  try {
    report = await fuzz({
      model: await backendMaker('model'), kernel: await backendMaker('kernel'),
      runs, seconds, seed, types, maxSteps, minSteps, user, jobs, maxDivergences, shrinkSeconds, out: resolve(out),
      extensions: !values.v1, ...(values.mounts ? { mounts: 'only' as const } : {}), signal: interrupt.signal,
      onProgress: (p) => progress.update(fuzzProgressText(p), p.phase === 'shrink'),
    });
  } finally {
    process.off('SIGINT', onSigint);
  }
  progress.clear();
  const interrupted = report.stoppedBy === 'interrupted';
  for (const [i, d] of report.divergences.entries()) {
    process.stdout.write(values.json ? `${JSON.stringify(divergenceJson(d))}\n` : `${divergenceText(d, i + 1)}\n\n`);
  }
  const n = report.divergences.length;
  const rate = Math.round(report.tracesPerSecond);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ traces: report.traces, divergences: n, tracesPerSecond: rate, seed, ...(interrupted ? { interrupted: true } : {}) })}\n`);
  } else {
    process.stdout.write(`fuzz: ${interrupted ? 'interrupted after ' : ''}${report.traces} traces in ${report.seconds.toFixed(1)} s (${rate} traces/s, ${report.jobs} job${report.jobs === 1 ? '' : 's'}), ${n} divergence${n === 1 ? '' : 's'}; seed ${seed}\n`);
  }
  if (interrupted) return EXIT.interrupted;
  return n > 0 ? EXIT.differ : EXIT.ok;
}

function typesOption(text: string): NsType[] {
  try {
    const types = parseTypes(text);
    if (types.length === 0) throw new Error('no namespace type given');
    return types;
  } catch (e) {
    throw new UsageError(`--types: ${(e as Error).message}`);
  }
}

function userOption(text: string): Setup['user'] {
  if (text !== 'root' && text !== 'unprivileged') throw new UsageError(`--user must be root or unprivileged, not '${text}'`);
  return text;
}

/** A path to print: relative to the current directory when inside it. */
function printable(file: string): string {
  const r = relative(process.cwd(), file);
  return r.startsWith('..') ? file : r;
}

function divergenceText(d: FoundDivergence, n: number): string {
  const lines: string[] = [];
  const steps = `${d.original.steps.length} step${d.original.steps.length === 1 ? '' : 's'}`;
  const how = d.reproduced
    ? `shrunk from ${steps} to ${d.trace.steps.length} in ${d.shrinks} shrink${d.shrinks === 1 ? '' : 's'}`
    : `not reproduced when replayed, so not shrunk: the kernel may not do the same thing every time`;
  lines.push(`Divergence ${n}, ${how} (seed ${d.seed}, fast-check path ${d.path}):`);
  if (d.divergence) lines.push(formatDivergence(d.trace, d.divergence));
  else lines.push(`A backend failed: ${d.error}`);
  if (d.file) {
    lines.push(`Written to ${printable(d.file)}`);
    lines.push(`Replay: nsmodel diff ${printable(d.file)}`);
  } else {
    lines.push(`The trace: ${JSON.stringify(d.trace)}`);
  }
  return lines.join('\n');
}

function divergenceJson(d: FoundDivergence): Record<string, unknown> {
  return {
    divergence: d.divergence ?? null, ...(d.error ? { error: d.error } : {}),
    trace: d.trace, file: d.file ? printable(d.file) : null, replay: d.file ? `nsmodel diff ${printable(d.file)}` : null,
    reproduced: d.reproduced, shrinks: d.shrinks, seed: d.seed, path: d.path,
  };
}
