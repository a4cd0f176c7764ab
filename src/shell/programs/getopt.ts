// getopt_long(3) as util-linux programs call it: short options (clustered: -Ufr), their
// arguments (attached or next), long options with `=`, optional arguments only attached,
// `+` behaviour (options end at the first non-option), and glibc's messages.

export interface OptSpec {
  /** Short letter, if any. */
  short?: string;
  /** Long name, if any. */
  long?: string;
  arg: 'none' | 'required' | 'optional';
  /** The short form's argument, when it differs from the long form's (util-linux: `-p` takes none, `--pid[=file]` one). */
  shortArg?: 'none' | 'required' | 'optional';
  /** What the program calls it (the key in the result). */
  key: string;
}

export interface Parsed {
  /** Each option met: its key, its argument, and how it is named (--long or -x). */
  opts: { key: string; value?: string; name: string }[];
  rest: string[];
}

export class GetoptError extends Error {}

/**
 * getopt(), or null after glibc's message and util-linux's (and coreutils') second line,
 * "Try 'PROG --help' for more information.", on the program's standard error.
 */
export function getoptOrTry(
  out: { err(s: string): void }, prog: string, args: string[], specs: OptSpec[], how: { permute?: boolean } = {},
): Parsed | null {
  try {
    return getopt(prog, args, specs, how);
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    out.err(`${e.message}\nTry '${prog} --help' for more information.\n`);
    return null;
  }
}

/**
 * Parse `args`. By default options end at the first non-option (util-linux's "+" optstrings:
 * unshare, nsenter); with `permute` (glibc's default, e.g. lsns, hostname, ps) non-options
 * are set aside and parsing goes on; `--` ends the options either way.
 */
export function getopt(prog: string, args: string[], specs: OptSpec[], how: { permute?: boolean } = {}): Parsed {
  const opts: Parsed['opts'] = [];
  const skipped: string[] = [];
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--') { i++; break; }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const matches = specs.filter((s) => s.long?.startsWith(name));
      const exact = specs.find((s) => s.long === name);
      const spec = exact ?? (matches.length === 1 ? matches[0] : undefined);
      if (!spec) {
        if (matches.length > 1) throw new GetoptError(`${prog}: option '${a.replace(/=.*/, '')}' is ambiguous`);
        throw new GetoptError(`${prog}: unrecognized option '${a.replace(/=.*/, '')}'`);
      }
      if (spec.arg === 'none' && eq >= 0) throw new GetoptError(`${prog}: option '--${spec.long}' doesn't allow an argument`);
      let value: string | undefined = eq >= 0 ? a.slice(eq + 1) : undefined;
      if (spec.arg === 'required' && value === undefined) {
        if (i + 1 >= args.length) throw new GetoptError(`${prog}: option '--${spec.long}' requires an argument`);
        value = args[++i];
      }
      opts.push({ key: spec.key, value, name: `--${spec.long}` });
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        const spec = specs.find((s) => s.short === c);
        if (!spec) throw new GetoptError(`${prog}: invalid option -- '${c}'`);
        const name = `-${c}`;
        const mode = spec.shortArg ?? spec.arg;
        if (mode === 'none') { opts.push({ key: spec.key, name }); continue; }
        const attached = a.slice(j + 1);
        if (attached !== '') { opts.push({ key: spec.key, value: attached, name }); break; }
        if (mode === 'optional') { opts.push({ key: spec.key, name }); break; }
        if (i + 1 >= args.length) throw new GetoptError(`${prog}: option requires an argument -- '${c}'`);
        opts.push({ key: spec.key, value: args[++i], name });
        break;
      }
      continue;
    }
    if (how.permute) { skipped.push(a); continue; }
    break; // '+': options end at the first non-option
  }
  return { opts, rest: [...skipped, ...args.slice(i)] };
}
