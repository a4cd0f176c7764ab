// nsmodel scenario FILE [--backend model|kernel] [--update]: run one scenario of sim/ and
// compare it with its transcript.

import { writeFile } from 'node:fs/promises';
import { backendName, loadBackend, setKernelLimits } from './backends.js';
import { CliError, EXIT, parseOptions, readInput, UsageError } from './common.js';
import { LIMIT_HELP, LIMIT_OPTION, parseLimits } from './limits.js';

export const usage = `Usage: nsmodel scenario FILE [--backend model|kernel] [--update]

Run a scenario — a script of teaching-shell commands (FILE, e.g. sim/scenarios/uts-hostname.sh) — and
compare what the shell prints with its expected transcript (FILE with .transcript for .sh),
which was recorded on the real kernel. Namespace inode numbers, and the order of lsns's
lines that follows them, are normalised before comparing: nothing else.

A script may start with a line '# nsmodel: --user unprivileged --hostname NAME'; with
--times-blind there (a transcript of the real tools, sim/scenarios/record-real.py), ls's
dates and times of day are normalised too.

Options:
  --backend NAME  model (the default) or kernel
  --update        write the transcript from this run instead of comparing (record on the kernel)
${LIMIT_HELP}
  -h, --help      this help

Exit status: 0 the transcript matches (or was written); 1 it differs (the differences on
stdout); 2 the script is wrong or has no transcript; 3 the backend cannot run here; 4 a limit of the kernel backend ended the run.
`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, {
    ...LIMIT_OPTION,
    backend: { type: 'string' },
    update: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  setKernelLimits(parseLimits(values.limit));
  if (positionals.length !== 1) throw new UsageError(positionals.length ? 'one FILE only' : 'missing FILE (a scenario script)');
  const file = positionals[0];
  const name = backendName(values.backend);
  const { parseScenario, runScenario, transcriptDiff, ScenarioError } = await import('../shell/scenario.js');
  let scenario;
  try {
    scenario = parseScenario(await readInput(file));
  } catch (e) {
    if (e instanceof ScenarioError) throw new CliError(`${file}: ${e.message}`);
    throw e;
  }
  const transcriptFile = file.replace(/\.sh$/, '') + '.transcript';
  let expected: string | undefined;
  if (!values.update) {
    try {
      expected = await readInput(transcriptFile);
    } catch {
      throw new CliError(`${file}: no transcript ${transcriptFile} (record one with --update, on the kernel backend)`);
    }
  }
  const backend = await loadBackend(name);
  const shadow = name === 'kernel' ? await loadBackend('model') : undefined;
  try {
    const actual = await runScenario(scenario, backend, shadow);
    if (values.update) {
      await writeFile(transcriptFile, actual);
      process.stderr.write(`nsmodel: scenario: wrote ${transcriptFile} (${name} backend)\n`);
      return EXIT.ok;
    }
    const diff = transcriptDiff(expected!, actual, { timesBlind: scenario.timesBlind });
    if (diff === '') {
      process.stdout.write(`${file}: the ${name} backend gives the transcript.\n`);
      return EXIT.ok;
    }
    process.stdout.write(`${file}: the ${name} backend differs from ${transcriptFile} (- expected, + this run; inode numbers as #N):\n${diff}`);
    return EXIT.differ;
  } finally {
    await backend.dispose?.();
  }
}
