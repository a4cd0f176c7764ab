// Running the nsmodel command in tests: from source (tsx, always current) or the compiled
// package bin (dist/, built by `npm install`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { vi } from 'vitest';
import { main } from '../src/cli/main.js';

export const ROOT = join(import.meta.dirname, '..');
export const BIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

function spawnNode(nodeArgs: string[], input?: string, uid?: number): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const ids = uid === undefined ? {} : { uid, gid: uid };
    const child = spawn(process.execPath, nodeArgs, { cwd: ROOT, env: { ...process.env, NSMODEL_DEBUG: '' }, ...ids });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    // a command may stop reading early (an input over a limit): its status says what happened
    child.stdin.on('error', (e: NodeJS.ErrnoException) => { if (e.code !== 'EPIPE') reject(e); });
    child.stdin.end(input ?? '');
  });
}

/** `nsmodel ARGS` from the TypeScript sources. */
export function nsmodel(args: string[], input?: string): Promise<Ran> {
  return spawnNode(['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), ...args], input);
}

/**
 * Whether the user `uid` can run nsmodel from this checkout (root only): it must be able to
 * read the sources and node_modules — a checkout under a private directory (`mktemp -d` makes
 * them mode 0700) it cannot. The reason when it cannot, or null.
 */
export function cannotRunAs(uid: number): string | null {
  if (process.geteuid?.() !== 0) return 'not root: cannot run anything as another user';
  const probe = join(ROOT, 'node_modules', 'tsx', 'package.json');
  const r = spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(probe)})`], { uid, gid: uid, stdio: 'ignore' });
  return r.status === 0 ? null : `uid ${uid} cannot read this checkout (${ROOT})`;
}

/** `nsmodel ARGS` from the sources, run as the user `uid` (and its group of the same number): needs root. */
export function nsmodelAs(uid: number, args: string[], input?: string): Promise<Ran> {
  return spawnNode(['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), ...args], input, uid);
}

/** `nsmodel ARGS` as installed: the compiled bin. */
export function nsmodelBin(args: string[], input?: string): Promise<Ran> {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build it with 'npm run build' (npm install does)`);
  return spawnNode([BIN, ...args], input);
}

/**
 * `nsmodel ARGV` in this process — main() itself, its output captured — for tests that
 * replace a module with vi.mock (a fake backend, say).
 */
export async function runMain(argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => { stdout += String(s); return true; });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => { stderr += String(s); return true; });
  try {
    const status = await main(argv);
    return { status, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
