// What every command shares: argument parsing that turns mistakes into usage errors, reading
// a file or standard input, and the one place that turns an error into a message and an exit
// status. Kept light (node built-ins only) so that `nsmodel --version` starts fast.

import { readFile, stat } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Exit statuses shared by the commands (ARCHITECTURE.md, "The command line"). */
export const EXIT = { ok: 0, differ: 1, bad: 2, unavailable: 3, aborted: 4, internal: 70, interrupted: 130 } as const;

/** A mistake of the user's that ends a command with `status` and a one-line `message`. */
export class CliError extends Error {
  constructor(message: string, readonly status: number = EXIT.bad) {
    super(message);
    this.name = 'CliError';
  }
}

/** A command line that does not fit the command's usage: status 2, with a hint to read --help. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.bad);
    this.name = 'UsageError';
  }
}

export type Options = NonNullable<ParseArgsConfig['options']>;
export type ParsedOptions<O extends Options> =
  ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;

/** node:util parseArgs (strict, positionals allowed), its errors made UsageErrors with short messages. */
export function parseOptions<O extends Options>(argv: string[], options: O): ParsedOptions<O> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    const err = e as Error & { code?: string };
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const m = /'([^']*)'/.exec(err.message);
      throw new UsageError(`unknown option ${m ? `'${m[1]}'` : ''}`.trim());
    }
    if (typeof err.code === 'string' && err.code.startsWith('ERR_PARSE_ARGS')) throw new UsageError(err.message.split('\n')[0]);
    throw e;
  }
}

/**
 * The text of a file, or of standard input for `-`. An unreadable file is a CliError (status 2).
 * With `limit` (a trace's 'trace bytes'), a longer input is refused before it is read whole.
 */
export async function readInput(path: string, limit?: { bytes: number; name: string }): Promise<string> {
  const over = (has: string) => new CliError(`${path === '-' ? 'standard input' : path}: over the limit '${limit!.name}' (${limit!.bytes}): it has ${has} bytes`);
  if (path === '-') {
    const chunks: Buffer[] = [];
    let n = 0;
    for await (const chunk of process.stdin) {
      chunks.push(chunk as Buffer);
      n += (chunk as Buffer).length;
      if (limit && n > limit.bytes) throw over(`more than ${limit.bytes}`);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    if (limit) {
      const size = (await stat(path)).size;
      if (size > limit.bytes) throw over(String(size));
    }
    return await readFile(path, 'utf8');
  } catch (e) {
    if (e instanceof CliError) throw e;
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'it is a directory'
      : err.code === 'EACCES' ? 'permission denied' : err.message.split('\n')[0];
    throw new CliError(`cannot read '${path}': ${why}`);
  }
}

/**
 * Report an error on stderr and give the exit status: a user's mistake in one line
 * (`nsmodel: ...`), never a stack trace; anything unexpected as an internal error (70).
 * Errors are told apart by name, so that this file need not load the modules defining them.
 */
export function reportError(e: unknown, command?: string): number {
  const err = e instanceof Error ? e : new Error(String(e));
  const say = (line: string) => process.stderr.write(`nsmodel: ${line}\n`);
  if (err instanceof UsageError) {
    say(command ? `${command}: ${err.message}` : err.message);
    process.stderr.write(`Try 'nsmodel ${command ? `${command} ` : ''}--help'.\n`);
    return err.status;
  }
  if (err instanceof CliError) { say(err.message); return err.status; }
  if (err.name === 'TraceError') { say(err.message); return EXIT.bad; }
  if (err.name === 'BackendUnavailable') { say(err.message); return EXIT.unavailable; }
  if (err.name === 'RunAborted') { say(`the run was ended: ${err.message}`); return EXIT.aborted; }
  say(`internal error: ${err.message.split('\n')[0]}`);
  if (process.env.NSMODEL_DEBUG) process.stderr.write(`${err.stack}\n`);
  return EXIT.internal;
}
