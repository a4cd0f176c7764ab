// The kernel agent compiles without a warning (-Wall -Wextra -Werror): npm install's build
// links it statically where it can and keeps quiet about the probe, so a warning would go
// unseen there (an implicit declaration of snprintf once did).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const dir = join(import.meta.dirname, '..', 'src', 'kernel', 'agent');
const cc = process.env.CC || 'cc';
const hasCc = spawnSync(cc, ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasCc) console.warn(`skipped: no C compiler (${cc}) here to check the agent's warnings`);

it.skipIf(!hasCc)('the kernel agent compiles with -Wall -Wextra -Werror', () => {
  const sources = readdirSync(dir).filter((f) => f.endsWith('.c')).map((f) => join(dir, f));
  const out = mkdtempSync(join(tmpdir(), 'nsagent-warnings-'));
  try {
    // a whole build (-O2): some warnings (format truncation) come only from the optimizer
    const r = spawnSync(cc, ['-O2', '-Wall', '-Wextra', '-Werror', '-std=gnu11', '-o', join(out, 'nsagent'), ...sources], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
