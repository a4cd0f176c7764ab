// nsmodel run TRACE [--backend model|kernel] [--pretty]: one trace on one backend, the
// canonical result JSON of TRACE.md on stdout.

import type { Backend } from '../trace/backend.js';
import { outputPieces } from '../trace/format.js';
import type { Trace } from '../trace/types.js';
import { chunkEnd, lastSnapshotSize } from '../diff/diff.js';
import { LIMIT_NAMES, LIMITS, parseTrace } from '../trace/validate.js';
import { backendName, loadBackend, setKernelLimits, setModelKernelVersion } from './backends.js';
import { parseOptions, readInput, UsageError } from './common.js';
import { LIMIT_HELP, LIMIT_OPTION, parseLimits } from './limits.js';
import { KERNEL_VERSION_HELP, KERNEL_VERSION_OPTION, kernelVersionOption } from './kernel-version.js';

export const usage = `Usage: nsmodel run TRACE [--backend model|kernel] [--pretty]

Run one trace (TRACE.md) on one backend and print {"results": [...], "final": SNAPSHOT}
as canonical JSON on stdout. TRACE is a file, or - for standard input.

Options:
  --backend NAME  model (the default: the kernel model in WebAssembly) or kernel (real Linux)
  --pretty        the layout of the golden files: one result, process and namespace a line
${LIMIT_HELP}
${KERNEL_VERSION_HELP}
  -h, --help      this help

Exit status: 0 the trace ran; 2 the trace is malformed (one line on stderr names the step
and the field); 3 the backend cannot run here (one sentence on stderr says why);
4 a limit of the kernel backend ended the run (the message names it).
`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, {
    ...LIMIT_OPTION,
    ...KERNEL_VERSION_OPTION,
    backend: { type: 'string' },
    pretty: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  setKernelLimits(parseLimits(values.limit));
  setModelKernelVersion(kernelVersionOption(values['kernel-version']));
  if (positionals.length === 0) throw new UsageError('missing TRACE (a file, or - for standard input)');
  if (positionals.length > 1) throw new UsageError(`one TRACE only, not ${positionals.length}`);
  const name = backendName(values.backend);
  const trace = parseTrace(await readInput(positionals[0], TRACE_LIMIT));
  const backend = await loadBackend(name);
  try {
    await streamRun(backend, trace, { pretty: values.pretty });
  } finally {
    await backend.dispose?.();
  }
  return 0;
}

/** Output held before the first write: a short run's output is written whole (or not at all, on an error). */
const HOLD_BYTES = 1 << 20;

/**
 * Run `trace` and write its output (formatOutput's text and a newline) to stdout as it is
 * made: the steps go to the backend a chunk at a time (chunkEnd: at most 4096 steps, and
 * observes of about 2,000 snapshot entries in all) and each chunk's results are written
 * (waiting for the reader when the pipe is full), so that memory follows the live world and
 * not the trace's length. The first megabyte is held, so that a run that fails early prints
 * nothing on stdout.
 */
async function streamRun(backend: Backend, trace: Trace, opts: { pretty?: boolean }): Promise<void> {
  const pieces = outputPieces(opts);
  let held: string[] | null = [];
  let heldBytes = 0;
  const write = async (text: string) => {
    if (held) {
      held.push(text);
      heldBytes += text.length;
      if (heldBytes < HOLD_BYTES) return;
      text = held.join('');
      held = null;
    }
    if (!process.stdout.write(text)) await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
  };
  await backend.start(trace.setup);
  try {
    await write(pieces.head());
    const steps = trace.steps;
    let size = 9;
    for (let i = 0, end = 0; i < steps.length; i = end) {
      end = chunkEnd(steps, i, size);
      const results = await backend.run(steps.slice(i, end));
      size = lastSnapshotSize(results, size);
      let text = '';
      for (let j = 0; j < results.length; j++) text += pieces.result(results[j], i + j);
      await write(text);
    }
    const final = await backend.snapshot();
    await write(`${pieces.tail(final, steps.length)}\n`);
    if (held) process.stdout.write(held.join(''));
  } finally {
    await backend.close();
  }
}
const TRACE_LIMIT = { bytes: LIMITS.traceBytes, name: LIMIT_NAMES.traceBytes };
