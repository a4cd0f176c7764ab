#!/usr/bin/env node
// The `nsmodel` command: finds the subcommand in COMMANDS, loads its file only then, and
// turns what it returns or throws into an exit status. Each subcommand is one file
// exporting `main(argv): Promise<number>` (argv without the command's name; it returns the
// exit status, throws UsageError/CliError for user mistakes) and handling its own --help.

import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { reportError } from './common.js';
import { packageVersion } from '../paths.js';

interface Command {
  /** What follows the command's name in the help's list. */
  args: string;
  /** One line for `nsmodel --help`. */
  summary: string;
  load: () => Promise<{ main(argv: string[]): Promise<number> }>;
}

/** The subcommands. Add one: a file in src/cli/ and a line here. */
const COMMANDS: Record<string, Command> = {
  run: { args: 'TRACE', summary: 'run one trace on one backend; canonical JSON on stdout', load: () => import('./run.js') },
  diff: { args: 'TRACE', summary: 'run one trace on the model and the kernel; the first divergence explained', load: () => import('./diff.js') },
  fuzz: { args: '', summary: 'random traces on both backends; divergences shrunk and written out', load: () => import('./fuzz.js') },
  check: { args: '[PATH...]', summary: 'the conformance suite on this kernel (KTAP, JUnit XML, JSON)', load: () => import('./check.js') },
  shell: { args: '', summary: 'the teaching shell: unshare, nsenter, lsns, ... on the model or the kernel', load: () => import('./shell.js') },
  explore: { args: 'PROPERTY', summary: 'search the model for a trace breaking an isolation property; replay it on the kernel', load: () => import('./explore.js') },
  playground: { args: '', summary: 'the shell and a live namespace diagram in a web page (served, or --out DIR)', load: () => import('./playground.js') },
  target: { args: 'fetch|list|exec', summary: 'kernel images for check --target kernel:PATH (booted under QEMU)', load: () => import('./target.js') },
  scenario: { args: 'FILE', summary: 'run a scenario of sim/scenarios against its recorded transcript', load: () => import('./scenario.js') },
};

function help(): string {
  const rows = Object.entries(COMMANDS).map(([name, c]) => `  ${`${name} ${c.args}`.padEnd(22)}${c.summary}`);
  return `Usage: nsmodel COMMAND [ARGS...]
       nsmodel --version | --help

Linux namespaces, executable: a kernel model in WebAssembly, held against the real kernel.

Commands:
${rows.join('\n')}

TRACE is a trace file (TRACE.md), or - for standard input. Every command has --help.
`;
}

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  let command: string | undefined;
  try {
    if (first === '--version' || first === '-V') {
      process.stdout.write(`${packageVersion()}\n`);
      return 0;
    }
    if (first === '--help' || first === '-h' || (first === 'help' && rest.length === 0)) {
      process.stdout.write(help());
      return 0;
    }
    if (first === undefined) {
      process.stderr.write(help());
      return 2;
    }
    if (first === 'help') return await main([rest[0], '--help']);
    if (first.startsWith('-')) {
      process.stderr.write(`nsmodel: unknown option '${first}'\nTry 'nsmodel --help'.\n`);
      return 2;
    }
    if (!Object.hasOwn(COMMANDS, first)) {
      process.stderr.write(`nsmodel: unknown command '${first}'\nTry 'nsmodel --help'.\n`);
      return 2;
    }
    command = first;
    const { main: run } = await COMMANDS[first].load();
    return await run(rest);
  } catch (e) {
    return reportError(e, command);
  }
}

/** Whether this file is the program being run (and not imported, e.g. by a test). */
function isEntry(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isEntry()) {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    // The reader went away (`nsmodel run t.json | head`): nothing more to say to it.
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  const status = await main(process.argv.slice(2));
  process.stdout.write('', () => process.exit(status));
}
