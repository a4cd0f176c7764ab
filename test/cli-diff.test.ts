// nsmodel diff, spawned: usage and malformed traces (2), no kernel (3), and on the real
// kernel: agreement (0), --json, --repeat. The exit status 1 and the divergence print are
// tested in process on a deliberately wrong kernel (cli-differential-fake.test.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nsmodel, ROOT } from './cli-helpers.js';
import { describeKernel } from './helpers/kernel.js';
import { noKernelMessage, withoutAgent } from './helpers/no-agent.js';

const dir = mkdtempSync(join(tmpdir(), 'nsmodel-cli-diff-'));
const G1 = join(ROOT, 'test', 'golden', 'g1-uts-isolation.json');

describe('nsmodel diff (spawned)', () => {
  it('--help: usage, options, exit statuses, an example', async () => {
    const r = await nsmodel(['diff', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: nsmodel diff TRACE/);
    expect(r.stdout).toMatch(/Exit status: 0 the model and the kernel agree; 1 they differ/);
    expect(r.stdout).toMatch(/Example:\n {2}nsmodel diff /);
  });

  it.each([
    [['diff'], 'missing TRACE (a file, or - for standard input)'],
    [['diff', 'a.json', 'b.json'], 'one TRACE only, not 2'],
    [['diff', '--repeat', '1', G1], "--repeat must be an integer of at least 2, not '1'"],
    [['diff', '--frob', G1], "unknown option '--frob'"],
  ])('%j: exit 2 and a hint', async (args, message) => {
    expect(await nsmodel(args)).toEqual({ status: 2, stdout: '', stderr: `nsmodel: diff: ${message}\nTry 'nsmodel diff --help'.\n` });
  });

  it('a malformed trace: exit 2, one line (before looking for the kernel)', async () => {
    const r = await withoutAgent(['diff', '-'], '{"nsmodel": 1, "steps": [{"by": "p0", "op": "frok"}]}');
    expect(r).toEqual({ status: 2, stdout: '', stderr: "nsmodel: steps[0].op: unknown op 'frok'\n" });
  });

  it('no kernel backend here: exit 3 and one sentence', async () => {
    const r = await withoutAgent(['diff', G1]);
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(noKernelMessage());
  });
});

describeKernel('nsmodel diff on the real kernel (spawned)', () => {
  it('a golden trace: agree, exit 0', async () => {
    expect(await nsmodel(['diff', G1])).toEqual({
      status: 0, stdout: 'The model and the kernel agree: the same 5 results and the same final snapshot.\n', stderr: '',
    });
  });

  it('from standard input, --json', async () => {
    const trace = JSON.stringify({ nsmodel: 1, steps: [{ by: 'p0', op: 'fork', as: 'a' }, { by: 'a', op: 'getpid' }] });
    const r = await nsmodel(['diff', '--json', '-'], trace);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.agree).toBe(true);
    expect(out.model).toEqual(out.kernel);
    expect(out.model.results).toEqual([{ ok: true, value: 2 }, { ok: true, value: 2 }]);
  });

  it('--repeat 5: the kernel is stable on a golden trace', async () => {
    const r = await nsmodel(['diff', '--repeat', '5', join(ROOT, 'test', 'golden', 'g3-dead-pid-namespace.json')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('The kernel gave the same output 5 times out of 5.\nThe model agrees with 5 of the 5 kernel runs.\n');
  });

  it('--repeat with --json', async () => {
    const file = join(dir, 'uts.json');
    writeFileSync(file, JSON.stringify({ nsmodel: 1, steps: [{ by: 'p0', op: 'unshare', flags: ['CLONE_NEWUTS'] }] }));
    const out = JSON.parse((await nsmodel(['diff', '--repeat', '3', '--json', file])).stdout);
    expect(out.repeat).toEqual({ runs: 3, stable: true, modelAgreesWith: 3 });
  });
});
