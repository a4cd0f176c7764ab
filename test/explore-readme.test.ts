// The README's property written from scratch ("For researchers") runs as the README says:
// loaded from a .ts file by `nsmodel explore FILE`, it holds to depth 5.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { nsmodel, ROOT } from './cli-helpers.js';

it('the README\'s property from scratch holds to depth 5, loaded from a .ts file', async () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf('### A property from scratch');
  const start = readme.indexOf('```ts\n', at) + 6;
  const code = readme.slice(start, readme.indexOf('```', start));
  expect(code).toContain("from 'nsmodel'");
  const file = join(mkdtempSync(join(tmpdir(), 'nsmodel-prop-')), 'userns-no-way-back.ts');
  writeFileSync(file, code.replace("from 'nsmodel'", `from ${JSON.stringify(join(ROOT, 'src', 'index.ts'))}`));
  const r = await nsmodel(['explore', file, '--json']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ property: 'userns-no-way-back', verdict: 'holds', depth: 5, counterexample: null, kernel: 'skipped' });
  // a file that exports no property is a bad property: status 2, one line
  writeFileSync(file, 'export const x = 1;\n');
  const bad = await nsmodel(['explore', file]);
  expect(bad.status).toBe(2);
  expect(bad.stderr).toMatch(/^nsmodel: .*exports no property/);
  // an invariant that throws: status 2, one line naming the property and the invariant
  writeFileSync(file, code.replace("from 'nsmodel'", `from ${JSON.stringify(join(ROOT, 'src', 'index.ts'))}`)
    .replace('invariant: (s) => {', "invariant: (s) => { if (s.processCount > 2) throw new Error('oops');"));
  for (const jobs of ['1', '2']) {
    const thrown = await nsmodel(['explore', file, '--jobs', jobs]);
    expect(thrown.status).toBe(2);
    expect(thrown.stderr).toBe("nsmodel: property 'userns-no-way-back': invariant: threw: oops\n");
  }
  rmSync(dirname(file), { recursive: true, force: true });
});
