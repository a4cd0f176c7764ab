// `--limit NAME=N` (issue 7, item 4): the kernel backend's limits from every command that can
// run it; a run that reaches one ends with exit status 4 naming it; the up-front ones refuse
// the trace with exit status 2; a wrong --limit is a usage error.

import { describe, expect, it } from 'vitest';
import { nsmodel } from './cli-helpers.js';
import { describeKernel } from './helpers/kernel.js';

const chain = JSON.stringify({
  nsmodel: 1,
  setup: { user: 'root', hostname: 'b' },
  steps: [{ by: 'p0', op: 'fork', as: 'a' }, { by: 'a', op: 'fork', as: 'b' }, { by: 'b', op: 'fork', as: 'c' }],
});

describe('--limit, without the kernel', () => {
  for (const [args, message] of [
    [['run', '--limit', 'procs=2', '-'], /--limit takes NAME=NUMBER with NAME one of processes, fork-depth, namespaces, settle-seconds, seconds, not 'procs=2'/],
    [['diff', '--limit', 'processes=0', '-'], /--limit processes: live processes and threads of one sandbox, a whole number from 1 to 1048576, not 0/],
    [['fuzz', '--limit', 'fork-depth=1.5'], /--limit fork-depth: .* a whole number/],
    [['check', '--limit', 'seconds'], /--limit takes NAME=NUMBER/],
  ] as const) {
    it(`${args.join(' ')}: exit 2 and one line`, async () => {
      const r = await nsmodel([...args], chain);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
    });
  }

  it('every command that can run the kernel backend explains --limit in its help', async () => {
    const cmds = ['run', 'diff', 'check', 'fuzz', 'shell', 'scenario'];
    const helps = await Promise.all(cmds.map((cmd) => nsmodel([cmd, '--help'])));
    for (const [i, r] of helps.entries()) expect(r.stdout, cmds[i]).toMatch(/--limit NAME=N {2}a limit of the kernel backend's sandbox/);
  });
});

describeKernel('--limit on the kernel backend', () => {
  it('run: a processes limit ends the run, exit 4, the limit named', async () => {
    const r = await nsmodel(['run', '--backend', 'kernel', '--limit', 'processes=2', '-'], chain);
    expect(r.status).toBe(4);
    expect(r.stderr).toBe('nsmodel: the run was ended: steps[1]: limit: processes (at most 2 live processes and threads in one sandbox; the trace makes more)\n');
    expect(r.stdout).toBe('');
  });

  it('diff: a fork-depth limit refuses the trace before it runs, exit 2', async () => {
    const r = await nsmodel(['diff', '--limit', 'fork-depth=2', '-'], chain);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^nsmodel: steps\[2\]: the kernel backend refuses chains of more than 2 forks without exec \(limit: fork depth\)/);
  });

  it('run within the limits: exit 0', async () => {
    const r = await nsmodel(['run', '--backend', 'kernel', '--limit', 'processes=4', '--limit', 'fork-depth=3', '-'], chain);
    expect(r.status).toBe(0);
  });
});
