// nsmodel run TRACE [--backend model|kernel] [--pretty]: one trace on one backend, the
// canonical result JSON of TRACE.md on stdout.

import { runTrace } from '../trace/backend.js';
import { formatOutput } from '../trace/format.js';
import { LIMIT_NAMES, LIMITS, parseTrace } from '../trace/validate.js';
import { backendName, loadBackend } from './backends.js';
import { parseOptions, readInput, UsageError } from './common.js';

export const usage = `Usage: nsmodel run TRACE [--backend model|kernel] [--pretty]

Run one trace (TRACE.md) on one backend and print {"results": [...], "final": SNAPSHOT}
as canonical JSON on stdout. TRACE is a file, or - for standard input.

Options:
  --backend NAME  model (the default: the kernel model in WebAssembly) or kernel (real Linux)
  --pretty        the layout of the golden files: one result, process and namespace a line
  -h, --help      this help

Exit status: 0 the trace ran; 2 the trace is malformed (one line on stderr names the step
and the field); 3 the backend cannot run here (one sentence on stderr says why).
`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, {
    backend: { type: 'string' },
    pretty: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('missing TRACE (a file, or - for standard input)');
  if (positionals.length > 1) throw new UsageError(`one TRACE only, not ${positionals.length}`);
  const name = backendName(values.backend);
  const trace = parseTrace(await readInput(positionals[0], TRACE_LIMIT));
  const output = await runTrace(await loadBackend(name), trace);
  process.stdout.write(`${formatOutput(output, { pretty: values.pretty })}\n`);
  return 0;
}

const TRACE_LIMIT = { bytes: LIMITS.traceBytes, name: LIMIT_NAMES.traceBytes };
