// The README's example of a user's own property, run as a test so that it cannot rot: the
// code between the markers below is the README's code block (the import path aside), and a
// test checks that they stay the same.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
// README-EXAMPLE-START
import fc from 'fast-check';
import { it } from 'vitest';
import { arbTrace, ModelBackend, runTrace, type Trace } from '../src/index.js';

it('an unprivileged process never changes the initial hostname', async () => {
  await fc.assert(fc.asyncProperty(arbTrace({ user: 'unprivileged' }), async (generated) => {
    // a witness: forked first, it never acts, so it stays in the initial UTS namespace
    const trace: Trace = { ...generated, steps: [{ by: 'p0', op: 'fork', as: 'witness' }, ...generated.steps] };
    const { final } = await runTrace(new ModelBackend(), trace);
    const witness = final.processes.find((p) => p.name === 'witness');
    // (once p0 exits, every process is killed: nothing left to see)
    return witness?.state !== 'running' || witness.hostname === trace.setup.hostname;
  }), { numRuns: 1000 });
});
// README-EXAMPLE-END

it('the README shows this example', () => {
  const self = readFileSync(new URL(import.meta.url), 'utf8');
  const example = self.slice(self.indexOf('// README-EXAMPLE-START\n') + 24, self.indexOf('// README-EXAMPLE-END'))
    .replace("from '../src/index.js'", "from 'nsmodel'");
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
});
