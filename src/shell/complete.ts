// Tab completion for the interactive shell, as bash completes: the first word of a command
// from the command names (programs on $PATH and builtins), any other word that starts with
// `/` from the directories of this world (/, /proc, /proc/PID, /proc/PID/ns), any other from
// its working directory, read as the shell's process reads them (its /proc).

import type { Runtime } from './runtime.js';
import { BUILTIN_NAMES } from './shell.js';
import { listDir } from './programs/proc.js';

/** The completions of the word before the cursor, and that word (readline's completer result). */
export async function complete(rt: Runtime, proc: string, line: string): Promise<[string[], string]> {
  const m = /(^|[\s;|&])([^\s;|&]*)$/.exec(line)!;
  const word = m[2];
  const before = line.slice(0, line.length - word.length);
  const first = /(^|[;|&])\s*$/.test(before);
  const sort = (xs: string[]) => [...new Set(xs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (first && !word.includes('/')) {
    const names = [...rt.programs.keys(), ...BUILTIN_NAMES].filter((n) => !n.startsWith('-') && !n.includes('/'));
    return [sort(names.filter((n) => n.startsWith(word))), word];
  }
  if (first && word.startsWith('./')) {
    return [sort([...rt.programs.keys()].filter((n) => n.startsWith(word))), word];
  }
  // a path: an absolute one from /, a relative one from the working directory
  if (!word.startsWith('/') && (first || word.startsWith('-') || word.includes('$'))) return [[], word];
  const slash = word.lastIndexOf('/');
  const dir = slash < 0 ? '.' : word.slice(0, slash) || '/';
  const prefix = word.slice(slash + 1);
  const ctx = rt.ctx(proc);
  const names = (await listDir(ctx, dir)) ?? [];
  const out: string[] = [];
  for (const n of names.filter((x) => x.startsWith(prefix))) {
    const path = slash < 0 ? n : `${word.slice(0, slash)}/${n}`;
    out.push((await listDir(ctx, path)) === null ? path : `${path}/`);
  }
  return [sort(out), word];
}
