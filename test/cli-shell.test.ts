// nsmodel shell and nsmodel scenario on the command line: exit statuses, messages, the
// session's trace written out and accepted by nsmodel run.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTrace } from '../src/trace/validate.js';
import { nsmodel, ROOT } from './cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'nsmodel-cli-shell-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const UTS = join(ROOT, 'sim', 'scenarios', 'uts-hostname.sh');

describe('nsmodel shell', () => {
  it('--help, and bad options (status 2, one line and a hint)', async () => {
    const help = await nsmodel(['shell', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: nsmodel shell/);
    const bad = await nsmodel(['shell', '--user', 'admin']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe("nsmodel: shell: --user must be root or unprivileged, not 'admin'\nTry 'nsmodel shell --help'.\n");
    const host = await nsmodel(['shell', '--hostname', 'x'.repeat(65)]);
    expect(host.status).toBe(2);
  });

  it('a script on standard input: the session as a terminal shows it, the shell\'s exit status', async () => {
    const r = await nsmodel(['shell', '--hostname', 'lab', '--user', 'unprivileged'], 'id -u\nunshare -r\nid -u\nexit 7\n');
    expect(r.stdout).toBe('user@lab:~$ id -u\n1000\nuser@lab:~$ unshare -r\nroot@lab:~# id -u\n0\nroot@lab:~# exit 7\nlogout\nuser@lab:~$ logout\n');
    // unshare exits as its shell did, and at the end of its input bash exits with $?
    expect(r.status).toBe(7);
    expect((await nsmodel(['shell'], 'exit 3\n')).status).toBe(3);
  });

  it('--trace-out: the steps of the session, a trace nsmodel run accepts', async () => {
    const out = join(dir, 'session.json');
    const r = await nsmodel(['shell', '--script', UTS, '--trace-out', out]);
    expect(r.status).toBe(0);
    const trace = parseTrace(readFileSync(out, 'utf8'));
    expect(trace.steps.some((s) => s.op === 'unshare')).toBe(true);
    const run = await nsmodel(['run', out]);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).results).toHaveLength(trace.steps.length);
  });
});

describe('nsmodel scenario', () => {
  it('0 when the model gives the recorded transcript', async () => {
    const r = await nsmodel(['scenario', UTS]);
    expect(r.stdout).toBe(`${UTS}: the model backend gives the transcript.\n`);
    expect(r.status).toBe(0);
  });

  it('1 and the differences when it does not', async () => {
    const sh = file('changed.sh', readFileSync(UTS, 'utf8'));
    file('changed.transcript', readFileSync(UTS.replace(/\.sh$/, '.transcript'), 'utf8').replace(/^anotherbox$/m, 'otherbox'));
    const r = await nsmodel(['scenario', sh]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('- otherbox\n+ anotherbox\n');
  });

  it('2 for a script that is itself wrong, or without a transcript', async () => {
    const bad = await nsmodel(['scenario', file('bad.sh', "hostname\necho 'unterminated\n")]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^nsmodel: .*bad\.sh: line 2: unexpected EOF while looking for matching `''\n$/);
    const opt = await nsmodel(['scenario', file('opt.sh', '# nsmodel: --color\nhostname\n')]);
    expect(opt.status).toBe(2);
    expect(opt.stderr).toContain("line 1: unknown option '--color'");
    const none = await nsmodel(['scenario', file('none.sh', 'hostname\n')]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('no transcript');
    expect((await nsmodel(['scenario', join(dir, 'missing.sh')])).status).toBe(2);
  });

  it('--update writes the transcript of this run', async () => {
    const sh = file('new.sh', 'hostname\n');
    const r = await nsmodel(['scenario', sh, '--update']);
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, 'new.transcript'), 'utf8')).toBe('root@box:~# hostname\nbox\nroot@box:~# logout\n');
    expect((await nsmodel(['scenario', sh])).status).toBe(0);
  });
});
