// The scenarios of sim/scenarios: each script's transcript was recorded on the real kernel
// (nsmodel scenario FILE --backend kernel --update); the model must print the same, and so
// must the kernel, whenever it runs here — with only inode numbers normalised.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelBackend } from '../src/model/backend.js';
import { normalizeTranscript, parseScenario, runScenario, transcriptDiff } from '../src/shell/scenario.js';
import { describeKernel, useKernelBackend } from './helpers/kernel.js';

const dir = join(import.meta.dirname, '..', 'sim', 'scenarios');
const scenarios = readdirSync(dir).filter((f) => f.endsWith('.sh')).sort().map((f) => ({
  name: f.replace(/\.sh$/, ''),
  script: parseScenario(readFileSync(join(dir, f), 'utf8')),
  transcript: readFileSync(join(dir, f.replace(/\.sh$/, '.transcript')), 'utf8'),
}));

describe('scenarios on the model', () => {
  it('has the article\'s listings and a lesson per namespace type', () => {
    const names = scenarios.map((s) => s.name);
    for (const n of ['uts-hostname', 'clone-uts', 'unshare-program', 'setns-nsenter', 'pid', 'user', 'mount', 'ipc', 'net', 'cgroup', 'time',
      // recorded with the real tools (record-real.py)
      'proc-files', 'tools', 'pipeline', 'ps',
      // issue 11's lesson: Docker's default capabilities against nsenter -a -t 1
      'docker-caps',
      // issue 12's lessons: the propagation types one by one, and the seed series' leak
      'mount-propagation', 'mount-leak',
      // roots and working directories: chroot, a busy cwd, the classic escape
      'chroot']) {
      expect(names).toContain(n);
    }
  });

  for (const s of scenarios) {
    it(`${s.name}: the model prints the kernel's transcript`, async () => {
      const actual = await runScenario(s.script, new ModelBackend());
      expect(transcriptDiff(s.transcript, actual, { timesBlind: s.script.timesBlind })).toBe('');
    });
  }

  it('normalises only inode numbers: a changed word in a transcript is a difference', async () => {
    const s = scenarios.find((x) => x.name === 'uts-hostname')!;
    const actual = await runScenario(s.script, new ModelBackend());
    expect(transcriptDiff(s.transcript.replace(/^anotherbox$/m, 'otherbox'), actual)).toMatch(/^- otherbox\n\+ anotherbox$/m);
    // equal numbers must stay equal: the two uts links of one readlink differ
    expect(normalizeTranscript(actual)).toMatch(/uts:\[#1\]\nuts:\[#2\]/);
  });
});

describe('--times-blind', () => {
  it('hides ls\'s dates and times of day, not PIDs or counts', () => {
    const opts = { timesBlind: true };
    expect(transcriptDiff('lrwxrwxrwx 1 root root 0 Dec  2 02:41 uts\n', 'lrwxrwxrwx 1 root root 0 Jun  1 10:00 uts\n', opts)).toBe('');
    expect(transcriptDiff('root  1  0  0 02:43 ?\n', 'root  1  0  0 10:00 ?\n', opts)).toBe('');
    expect(transcriptDiff('root  4  1\n', 'root  5  1\n', opts)).not.toBe('');
    expect(transcriptDiff('4026532179 uts       4   1 root /sbin/init\n', '4026532179 uts       3   1 root /sbin/init\n', opts)).not.toBe('');
  });
});

describeKernel('scenarios on the kernel', () => {
  const kernel = useKernelBackend();
  for (const s of scenarios) {
    it(`${s.name}: the kernel prints its recorded transcript`, async () => {
      const actual = await runScenario(s.script, kernel(), new ModelBackend());
      expect(transcriptDiff(s.transcript, actual, { timesBlind: s.script.timesBlind })).toBe('');
    });
  }
});
