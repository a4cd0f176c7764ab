// Where the package's files are, and its version, from source (tsx, vitest) and from dist/
// alike: found by walking up to nsmodel's package.json (read once).

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let found: { root: string; version: string } | undefined;

function findPackage(): { root: string; version: string } {
  if (found) return found;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'nsmodel') return (found = { root: dir, version: pkg.version ?? 'unknown' });
    } catch { /* no package.json here, or not ours */ }
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the nsmodel package root');
    dir = up;
  }
}

/** The directory of nsmodel's package.json. */
export function packageRoot(): string {
  return findPackage().root;
}

/** nsmodel's version, from its package.json. */
export function packageVersion(): string {
  return findPackage().version;
}
