// nsmodel shell [--backend model|kernel] [--user root|unprivileged] [--hostname NAME]
//               [--script FILE] [--trace-out FILE]: the teaching shell.

import { writeFile } from 'node:fs/promises';
import { backendName, loadBackend, setKernelLimits } from './backends.js';
import { CliError, parseOptions, readInput, UsageError } from './common.js';
import { LIMIT_HELP, LIMIT_OPTION, parseLimits } from './limits.js';

export const usage = `Usage: nsmodel shell [--backend model|kernel] [--user root|unprivileged]
                     [--hostname NAME] [--script FILE] [--trace-out FILE]

A shell for learning Linux namespaces: unshare, nsenter, lsns, hostname, readlink
/proc/PID/ns/TYPE, ps, id, mount, findmnt, ... print what the real tools print (the world's
root is a tmpfs of its own, with /proc), and every command becomes
system calls on the backend: the kernel model (no root, no Linux needed), or the real
kernel in a sandbox (--backend kernel, as root). Type 'help' in the shell for its
commands, 'explain' after a command for the kernel rule that decided it, 'tree' for the
processes and their namespaces.

Options:
  --backend NAME     model (the default) or kernel
  --user WHO         root (the default) or unprivileged (uid 1000: the user-namespace lessons)
  --hostname NAME    the machine's host name (default: box)
  --script FILE      run the commands of FILE (- for standard input) and print the session
                     as a terminal shows it; standard input that is not a terminal is a script too
  --trace-out FILE   write the trace the session made (TRACE.md), to replay with nsmodel run/diff
${LIMIT_HELP}
  -h, --help         this help

Exit status: the shell's (as bash's); 2 for bad options; 3 when the backend cannot run here;
4 when a limit of the kernel backend ended the session.
`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv, {
    ...LIMIT_OPTION,
    backend: { type: 'string' },
    user: { type: 'string' },
    hostname: { type: 'string' },
    script: { type: 'string' },
    'trace-out': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  setKernelLimits(parseLimits(values.limit));
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}' (a script is --script FILE)`);
  const name = backendName(values.backend);
  const user = values.user ?? 'root';
  if (user !== 'root' && user !== 'unprivileged') throw new UsageError(`--user must be root or unprivileged, not '${user}'`);
  const hostname = values.hostname ?? 'box';
  if (Buffer.byteLength(hostname, 'utf8') > 64 || hostname === '') {
    throw new UsageError('--hostname must be a name of 1 to 64 bytes (a host name the kernel can set)');
  }

  const { runShell, ScriptSource } = await import('../shell/index.js');
  const scripted = values.script !== undefined || !process.stdin.isTTY;
  let script = scripted ? await readInput(values.script ?? '-') : '';
  let setup = { user: user as 'root' | 'unprivileged', hostname };
  if (script.startsWith('# nsmodel:')) {
    // a scenario's options line: the command line's options win
    const { parseScenario, ScenarioError } = await import('../shell/scenario.js');
    try {
      const sc = parseScenario(script);
      setup = { user: values.user ? setup.user : sc.setup.user, hostname: values.hostname ? hostname : sc.setup.hostname };
      script = sc.script;
    } catch (e) {
      if (e instanceof ScenarioError) throw new CliError(`${values.script ?? 'standard input'}: ${e.message}`);
      throw e;
    }
  }
  const backend = await loadBackend(name);
  const shadow = name === 'kernel' ? await loadBackend('model') : undefined;

  // a script's session is a transcript: everything in order on stdout, as a terminal shows it
  const io = scripted
    ? { write: (t: string) => { process.stdout.write(t); } }
    : { write: (t: string, s: 'out' | 'err') => { (s === 'err' ? process.stderr : process.stdout).write(t); } };
  let input;
  let close = () => {};
  if (scripted) {
    input = new ScriptSource(script, io);
  } else {
    const { TerminalSource } = await import('../shell/terminal.js');
    const terminal = new TerminalSource();
    input = terminal;
    close = () => terminal.close();
  }
  try {
    const { status, session } = await runShell({ backend, shadow, setup, io, input });
    if (values['trace-out']) {
      try {
        await writeFile(values['trace-out'], `${JSON.stringify(session.trace, null, 2)}\n`);
      } catch (e) {
        throw new CliError(`cannot write '${values['trace-out']}': ${(e as Error).message}`);
      }
    }
    return status;
  } finally {
    close();
    await backend.dispose?.();
  }
}
