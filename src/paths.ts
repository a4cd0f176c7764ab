// Where the package's files are, from source (tsx, vitest) and from dist/ alike.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The directory of nsmodel's package.json. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if (JSON.parse(readFileSync(pj, 'utf8')).name === 'nsmodel') return (root = dir);
      } catch { /* not ours */ }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the nsmodel package root');
    dir = up;
  }
}
