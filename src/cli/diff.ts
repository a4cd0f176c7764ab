// nsmodel diff TRACE [--json] [--repeat K] [--no-localize]: one trace on the model and on the
// kernel; the first divergence explained.

import { LIMIT_NAMES, LIMITS, parseTrace } from '../trace/validate.js';
import { kernelAvailable } from '../kernel/backend.js';
import { BackendUnavailable } from '../trace/backend.js';
import { loadBackend, setKernelLimits, setModelKernelVersion } from './backends.js';
import { diffTrace, diffTraceStreaming, formatDivergence, release, repeatKernel, showDifferences, type Stability } from '../diff/diff.js';
import { sameOutput } from '../trace/format.js';
import { EXIT, parseOptions, readInput, UsageError } from './common.js';
import { LIMIT_HELP, LIMIT_OPTION, parseLimits } from './limits.js';
import { KERNEL_VERSION_HELP, KERNEL_VERSION_OPTION, kernelVersionOption } from './kernel-version.js';
import { integer } from './numbers.js';

export const usage = `Usage: nsmodel diff TRACE [--json] [--repeat K] [--no-localize]

Run one trace (TRACE.md) on the kernel model and on the real kernel and compare the
canonical outputs. When they differ, print the first step where they part: the step,
both results, what differs in the snapshots (paths such as
final.processes[c1].state), and the model's check that gave its answer. TRACE is a
file, or - for standard input.

Options:
  --json          one JSON object on stdout: {"agree", "divergence", "model", "kernel"}
  --repeat K      run the kernel K times (K >= 2) and say whether it gave the same
                  output every time; an unstable kernel counts as a difference
  --no-localize   for a difference only in the final snapshot, do not rerun the trace
                  one step at a time to find the step after which the worlds part
${LIMIT_HELP}
${KERNEL_VERSION_HELP}
  -h, --help      this help

Exit status: 0 the model and the kernel agree; 1 they differ (or, with --repeat, the
kernel did not give the same output every time); 2 the trace is malformed; 3 the
kernel backend cannot run here (it needs root on Linux 6.1 or later); 4 a limit of the
kernel backend ended the run (the message names it).

Example:
  nsmodel diff nsmodel-divergences/20250612T101502Z-3f9a1c2b7d.json
`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, {
    ...LIMIT_OPTION,
    ...KERNEL_VERSION_OPTION,
    json: { type: 'boolean' },
    repeat: { type: 'string' },
    'no-localize': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(usage);
    return EXIT.ok;
  }
  setKernelLimits(parseLimits(values.limit));
  setModelKernelVersion(kernelVersionOption(values['kernel-version']));
  if (positionals.length === 0) throw new UsageError('missing TRACE (a file, or - for standard input)');
  if (positionals.length > 1) throw new UsageError(`one TRACE only, not ${positionals.length}`);
  const repeat = values.repeat === undefined ? 1 : integer('--repeat', values.repeat, 2);
  const trace = parseTrace(await readInput(positionals[0], TRACE_LIMIT));
  const available = kernelAvailable();
  if (!available.ok) throw new BackendUnavailable(available.reason);

  const kernel = await loadBackend('kernel');
  try {
    if (!values.json && repeat === 1) {
      // the plain report needs no outputs: compare as the steps run, memory ∝ the live world
      const d = await diffTraceStreaming(trace, await loadBackend('model'), kernel, { localize: !values['no-localize'] });
      const n = trace.steps.length;
      process.stdout.write(`${d.agree ? `The model and the kernel agree: the same ${n} result${n === 1 ? '' : 's'} and the same final snapshot.` : formatDivergence(trace, d.divergence!)}\n`);
      return d.agree ? EXIT.ok : EXIT.differ;
    }
    const diff = await diffTrace(trace, await loadBackend('model'), kernel, { localize: !values['no-localize'] });
    let stability: Stability | undefined;
    if (repeat > 1) stability = await repeatKernel(trace, kernel, repeat);
    const modelAgreesWith = stability ? stability.runs.filter((r) => sameOutput(diff.model, r)).length : undefined;
    const unstable = stability !== undefined && !stability.stable;
    const differ = !diff.agree || unstable || (modelAgreesWith !== undefined && modelAgreesWith < repeat);
    if (values.json) {
      const out: Record<string, unknown> = { agree: !differ, ...(diff.divergence ? { divergence: diff.divergence } : {}), model: diff.model, kernel: diff.kernel };
      if (stability) {
        out.repeat = {
          runs: repeat, stable: stability.stable, modelAgreesWith,
          ...(stability.differing ? { differing: { run: stability.differing.run + 1, differences: stability.differing.differences.map((d) => ({ path: d.path, first: d.model, other: d.kernel })) } } : {}),
        };
      }
      process.stdout.write(`${JSON.stringify(out)}\n`);
      return differ ? EXIT.differ : EXIT.ok;
    }
    const lines: string[] = [];
    if (diff.agree) {
      lines.push(`The model and the kernel agree: the same ${trace.steps.length} result${trace.steps.length === 1 ? '' : 's'} and the same final snapshot.`);
    } else {
      lines.push(formatDivergence(trace, diff.divergence!));
    }
    if (stability) {
      if (stability.stable) lines.push(`The kernel gave the same output ${repeat} times out of ${repeat}.`);
      else {
        const other = stability.differing!.run + 1;
        lines.push(`The kernel is not stable on this trace: run 1 and run ${other} of ${repeat} differ:`);
        lines.push(...showDifferences(stability.differing!.differences, '  ', 24, ['run 1', `run ${other}`]));
      }
      lines.push(`The model agrees with ${modelAgreesWith} of the ${repeat} kernel runs.`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    return differ ? EXIT.differ : EXIT.ok;
  } finally {
    await release(kernel);
  }
}

const TRACE_LIMIT = { bytes: LIMITS.traceBytes, name: LIMIT_NAMES.traceBytes };
