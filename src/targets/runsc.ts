// The runsc target: gVisor, which implements the Linux system call interface in a user-space
// kernel (the Sentry). `runsc --network=none do CMD...` runs CMD in a sandbox that sees the
// host's root file system read-only with a throw-away tmpfs overlay, in the same directory,
// as root (0.2-0.9 s a call here; it reports kernel 4.4.0).

import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { TargetUnavailable } from './unavailable.js';

export interface TargetRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** The runsc binary on $PATH, or undefined. */
export function findRunsc(path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, 'runsc');
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch { /* not here */ }
  }
  return undefined;
}

/** Why runsc cannot run here (one sentence), or undefined when it can. */
export function runscUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `the runsc target runs only on Linux, and this is ${process.platform}.`;
  if (!findRunsc()) return 'the runsc target needs gVisor\'s runsc, and there is none on PATH (Debian: apt-get install -t bookworm-backports runsc).';
  if (process.geteuid?.() !== 0) return 'the runsc target needs root (runsc do makes its sandbox as root).';
  return undefined;
}

/** Run argv inside a fresh gVisor sandbox with `env` added; its status and output. */
export async function runInRunsc(opts: { argv: string[]; env: Record<string, string>; cwd: string; onStderr?: (chunk: string) => void }): Promise<TargetRun> {
  const why = runscUnavailable();
  if (why) throw new TargetUnavailable(why);
  const runsc = findRunsc()!;
  const env = Object.entries(opts.env).map(([k, v]) => `${k}=${v}`);
  const args = ['--network=none', 'do', '--cwd', opts.cwd, 'env', ...env, ...opts.argv];
  return await new Promise<TargetRun>((resolve, reject) => {
    const child = spawn(runsc, args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => {
      err.push(b);
      opts.onStderr?.(b.toString('utf8'));
    });
    child.on('error', (e) => reject(new TargetUnavailable(`runsc cannot be started: ${e.message}.`)));
    child.on('close', (code, signal) => {
      resolve({ status: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}
