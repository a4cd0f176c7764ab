// The teaching shell's mount programs (mount, umount, findmnt, mkdir, ls, cd, /proc/PID/mountinfo,
// unshare's propagation) against what util-linux 2.38.1 and coreutils 9.1 printed on Linux 6.18
// in a world like the shell's (test/fixtures/mounts-real/: each probe's commands, run by
// world.sh in a throwaway sandbox). The same commands run in the shell, each followed by
// `echo "[rc=$?]"`; the outputs are compared after normalising only what differs by nature:
//  - the probe's own bind of the host's /usr (its lines, and its names in `ls /`) and the
//    shell's /root (the login's home);
//  - the order of mounts: the kernel lists mountinfo in order of creation and findmnt hangs
//    children in order of mount ID; the shell shows the snapshot's canonical order (by
//    mountpoint) — so lines are compared as sorted lists, the tree's depth kept;
//  - column widths (the /usr line widens them) and mount IDs, devices and peer group numbers
//    (the kernel's; the shell's are canonical) — so cells are compared, numbers as N.
// Messages and exit statuses are compared as printed. And the system calls mount and umount
// make for each command are compared with what strace showed util-linux make (straceN.out).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelBackend } from '../src/model/backend.js';
import type { Backend } from '../src/trace/backend.js';
import { describeKernel, useKernelBackend } from './helpers/kernel.js';
import { outputs, session } from './helpers/shell-session.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'mounts-real');

interface Probe { cmd: string; out: string[]; rc: number }

/** A probe's output: each command, what it printed, its exit status. */
function probe(n: number): Probe[] {
  const text = readFileSync(join(FIXTURES, `probe${n}.out`), 'utf8');
  const out: Probe[] = [];
  let cur: Probe | undefined;
  for (const line of text.split('\n')) {
    const c = /^\$ (.*)$/.exec(line);
    if (c) { cur = { cmd: c[1], out: [], rc: -1 }; out.push(cur); continue; }
    const rc = /^\[rc=(\d+)\]$/.exec(line);
    if (rc && cur) { cur.rc = Number(rc[1]); cur = undefined; continue; }
    cur?.out.push(line);
  }
  return out;
}

/** Commands whose output cannot be compared, and why. */
const SKIP: Record<string, string> = {
  ls: 'the working directory differs (the probe\'s is /, the shell\'s /root)',
  'mkdir -m 700 /zz': 'this world makes every directory with mode 0777 (-m is refused)',
  'mount -t tmpfs tmpfs /proc/1': 'paths below /proc are not modelled',
  'umount /proc/1': 'paths below /proc are not modelled',
  'mkdir /proc/zz': 'paths below /proc are not modelled',
  'ls -d /a': 'this shell\'s ls has no -d',
  'findmnt -o TARGET,VFS-OPTIONS,FS-OPTIONS,FSROOT,MAJ:MIN': 'MAJ:MIN is not a column of this shell\'s findmnt',
  'findmnt -N 1': 'PID 1 of the probe is its own shell, not init',
  'umount -R /d': 'umount -R is not supported here',
  'setpriv --reuid=1000 --regid=1000 --clear-groups mkdir /c/zz': 'the probe made /a/x with mode 0755 (umask 022); the traces\' world makes directories 0777 under umask 0 (docs/TRACE-EXTENSIONS.md, "Mounts")',
};

const PROBE_ONLY_NAMES = new Set(['bin', 'etc', 'lib', 'lib64', 'sbin', 'usr']);

/** A command's output normalised as the top of this file says. */
function normalise(cmd: string, lines: string[]): string[] {
  const drop = (l: string) => /\/usr(\s|$)|\/dev\/vda/.test(l);
  if (/^ls\b/.test(cmd)) return lines.flatMap((l) => l.split(/\s+/)).filter((n) => n && !PROBE_ONLY_NAMES.has(n) && n !== 'root').sort();
  if (/^findmnt .*-J/.test(cmd) || /^findmnt -J/.test(cmd)) {
    if (lines.length === 0) return [];
    const strip = (fs: Record<string, unknown>[]): unknown[] => fs
      .filter((f) => f.target !== '/usr')
      .map((f) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, k === 'children' ? strip(v as Record<string, unknown>[]) : typeof v === 'number' ? 'N' : v])))
      .sort((a, b) => String(a.target).localeCompare(String(b.target)));
    return [JSON.stringify(strip((JSON.parse(lines.join('\n')) as { filesystems: Record<string, unknown>[] }).filesystems))];
  }
  return lines.filter((l) => !drop(l)).map((l) => {
    const depth = (/^[├└│ ─]*/.exec(l)![0].length) / 2;
    const cells = l.replace(/^[├└│ ─]*/, '').trim().split(/\s+/);
    // mountinfo: ID, parent ID and device are the kernel's; peer groups renumbered
    if (/^\d+ \d+ \d+:\d+ /.test(l)) cells.splice(0, 3, 'ID', 'PARENT', 'DEV');
    return `${depth}|${cells.map((c) => c.replace(/^(shared|master):\d+$/, '$1:N')).join(' ')}`;
  }).sort();
}

async function compareProbe(n: number, backend: () => Backend): Promise<void> {
  const cases = probe(n);
  const script = cases.map((c) => `${c.cmd}\necho "[rc=$?]"`).join('\n');
  const { text } = await session(`${script}\n`, {}, backend());
  // the shell's outputs, command by command, in order (a command may come more than once)
  const got: { cmd: string; out: string[] }[] = [];
  for (const line of text.split('\n')) {
    const m = /^(?:\S+@\S+:[~/]\S*[#$] |[#$] )(.*)$/.exec(line);
    if (m) got.push({ cmd: m[1], out: [] });
    else got[got.length - 1]?.out.push(line);
  }
  const shell = got.filter((g) => !g.cmd.startsWith('echo "[rc='));
  const rcs = got.filter((g) => g.cmd.startsWith('echo "[rc=')).map((g) => Number(/\[rc=(\d+)\]/.exec(g.out[0])?.[1]));
  const mismatches: string[] = [];
  cases.forEach((c, i) => {
    if (SKIP[c.cmd] !== undefined) return;
    const mine = shell[i];
    const a = normalise(c.cmd, c.out), b = normalise(c.cmd, mine.out);
    if (JSON.stringify(a) !== JSON.stringify(b) || c.rc !== rcs[i]) {
      mismatches.push(`$ ${c.cmd}\n  real (rc ${c.rc}): ${JSON.stringify(a)}\n  shell (rc ${rcs[i]}): ${JSON.stringify(b)}`);
    }
  });
  expect(mismatches.join('\n')).toBe('');
}

/** The system calls each command made, as strace printed them (test/fixtures/mounts-real/straceN.out), paths under the probe's tmpfs made the world's. */
function straced(n: number): { cmd: string; calls: string[] }[] {
  const text = readFileSync(join(FIXTURES, `strace${n}.out`), 'utf8').replaceAll(`/tmp/st${n}`, '');
  const out: { cmd: string; calls: string[] }[] = [];
  for (const line of text.split('\n')) {
    const c = /^\$ (?:S )?(.*)$/.exec(line);
    if (c) { out.push({ cmd: c[1], calls: [] }); continue; }
    const u = /^umount2\("([^"]*)", ([A-Z_|0-9]+)\)/.exec(line);
    if (u && out.length) { out[out.length - 1].calls.push(`umount ${u[1]} ${u[2] === '0' ? '' : u[2]}`.trim()); continue; }
    const m = /^mount\("([^"]*)", "([^"]*)", [^,]+, ([A-Z_|0-9]+), NULL\)/.exec(line);
    if (!m || !out.length) continue;
    const [, src, target, flagText] = m;
    const flags = flagText.split('|').filter((f) => f !== '0' && f !== 'MS_RELATIME').sort();
    const bindOrMove = (flags.includes('MS_BIND') || flags.includes('MS_MOVE')) && !flags.includes('MS_REMOUNT');
    out[out.length - 1].calls.push(`mount ${bindOrMove ? `${src} ` : ''}${target} ${flags.join('|')}`.trim());
  }
  return out;
}

function suite(backend: () => Backend): void {
  for (const n of [1, 2]) {
    it(`strace ${n}: mount and umount make the system calls util-linux makes, with its flags (a remount starts from the mount's own)`, async () => {
      const cases = straced(n).filter((c) => !/^(mount -t tmpfs foo|umount -R)/.test(c.cmd));
      const { s } = await session(`mkdir /a /b /c\n${cases.map((c) => c.cmd).join('\n')}\n`, {}, backend());
      const got = cases.map((c) => {
        const rec = s.commands.find((r) => r.line === c.cmd && !('used' in r && r.used));
        if (rec) Object.assign(rec, { used: true });
        const steps = rec ? s.trace.steps.slice(rec.first, rec.end) : [];
        const calls = steps.flatMap((st) => {
          if (st.op === 'umount') return [`umount ${st.target} ${(st.flags ?? []).join('|')}`.trim()];
          if (st.op !== 'mount') return [];
          const flags = [...st.flags].sort();
          return [`mount ${st.source ? `${st.source} ` : ''}${st.target} ${flags.join('|')}`.trim()];
        });
        return { cmd: c.cmd, calls };
      });
      expect(got).toEqual(cases);
    });
  }

  for (const n of [1, 2, 3, 4]) {
    it(`probe ${n}: mount, findmnt, umount, mkdir, ls and mountinfo as util-linux printed them`, async () => {
      await compareProbe(n, backend);
    });
  }

  it('--help of each program is the real tool\'s (exit status 0)', async () => {
    const { text } = await session('mount --help\necho $?\numount --help\nfindmnt --help\nmkdir --help\n', {}, backend());
    const o = outputs(text);
    for (const p of ['mount', 'umount', 'findmnt', 'mkdir']) {
      expect(`${o.get(`${p} --help`)!.join('\n')}`).toBe(readFileSync(join(FIXTURES, `${p}.txt`), 'utf8').replace(/\n$/, ''));
    }
    expect(o.get('echo $?')).toEqual(['0']);
  });

  it('bad usage: the tools\' messages and statuses', async () => {
    const { text } = await session('mount --foo\necho $?\nmount a b c\necho $?\numount\necho $?\nfindmnt -o FOO\necho $?\nmkdir\necho $?\nmount -t ext4 x /proc\necho $?\n', {}, backend());
    const o = outputs(text);
    expect(o.get('mount --foo')).toEqual(["mount: unrecognized option '--foo'", "Try 'mount --help' for more information."]);
    expect(o.get('mount a b c')).toEqual(['mount: bad usage', "Try 'mount --help' for more information."]);
    expect(o.get('umount')).toEqual(['umount: bad usage', "Try 'umount --help' for more information."]);
    expect(o.get('findmnt -o FOO')).toEqual(['findmnt: unknown column: FOO']);
    expect(o.get('mkdir')).toEqual(['mkdir: missing operand', "Try 'mkdir --help' for more information."]);
    expect(o.get('mount -t ext4 x /proc')).toEqual(["mount: /proc: unknown filesystem type 'ext4'.", '       dmesg(1) may have more information after failed mount system call.']);
    const statuses = [...text.matchAll(/echo \$\?\n(\d+)/g)].map((m) => Number(m[1]));
    expect(statuses).toEqual([1, 1, 1, 1, 1, 32]);
  });

  it('a user who is not root is refused by mount and umount themselves (set-uid root, libmount\'s restricted mode): no system call, and explain says so', async () => {
    const { text, s } = await session('mkdir /c\nsetpriv --reuid=1000 --regid=1000 --clear-groups mount -t tmpfs tmpfs /c\nexplain\nsetpriv --reuid=1000 --regid=1000 --clear-groups mount -t tmpfs tmpfs /c\necho $?\n', {}, backend());
    const o = outputs(text);
    expect(o.get('setpriv --reuid=1000 --regid=1000 --clear-groups mount -t tmpfs tmpfs /c')).toEqual(['mount: /c: must be superuser to use mount.', '       dmesg(1) may have more information after failed mount system call.']);
    expect(o.get('echo $?')).toEqual(['32']);
    expect(o.get('explain')!.join('\n')).toMatch(/no mount\(2\) was made\.\nSee: mount\(8\)$/);
    expect(s.trace.steps.filter((st) => st.op === 'mount')).toEqual([]);
  });

  it('unshare -m makes every mount private (MS_REC|MS_PRIVATE), --propagation changes it, and the shell\'s ls / shows the world\'s root', async () => {
    const { text } = await session('ls /\nunshare -m findmnt -o TARGET,PROPAGATION\nunshare -m --propagation unchanged findmnt -o TARGET,PROPAGATION\nunshare -m --propagation slave findmnt -o TARGET,PROPAGATION\nunshare -m --propagation foo true\necho $?\n', {}, backend());
    const o = outputs(text);
    expect(o.get('ls /')).toEqual(['proc  root']);
    expect(o.get('unshare -m findmnt -o TARGET,PROPAGATION')).toEqual(['TARGET  PROPAGATION', '/       private', '└─/proc private']);
    expect(o.get('unshare -m --propagation unchanged findmnt -o TARGET,PROPAGATION')).toEqual(['TARGET  PROPAGATION', '/       shared', '└─/proc shared']);
    expect(o.get('unshare -m --propagation slave findmnt -o TARGET,PROPAGATION')).toEqual(['TARGET  PROPAGATION', '/       private,slave', '└─/proc private,slave']);
    expect(o.get('unshare -m --propagation foo true')).toEqual(['unshare: unsupported propagation mode: foo']);
    expect(o.get('echo $?')).toEqual(['1']);
  });

  it('unshare --mount-proc stacks a private procfs on /proc, as util-linux does', async () => {
    const { text } = await session('unshare -pf --mount-proc findmnt -o TARGET,SOURCE,PROPAGATION\nunshare -pf --mount-proc --propagation unchanged findmnt -o TARGET,PROPAGATION\n', {}, backend());
    const o = outputs(text);
    expect(o.get('unshare -pf --mount-proc findmnt -o TARGET,SOURCE,PROPAGATION')).toEqual(
      ['TARGET    SOURCE PROPAGATION', '/         tmpfs  private', '└─/proc   proc   private', '  └─/proc proc   private']);
    expect(o.get('unshare -pf --mount-proc --propagation unchanged findmnt -o TARGET,PROPAGATION')).toEqual(
      ['TARGET    PROPAGATION', '/         shared', '└─/proc   private', '  └─/proc private']);
  });

  it('cd and pwd with relative paths; mkdir -p; findmnt -N PID and nsenter -m see another process\'s mount namespace', async () => {
    const { text } = await session('mkdir -p /a/b\ncd /a\nls\ncd b\npwd\ncd ..\npwd\ncd nowhere\nunshare -m --propagation private\nmount -t tmpfs tmpfs /a\nfindmnt -N 1\nnsenter -t 1 -m findmnt -o TARGET\nnsenter -t 1 -m pwd\nexit\n', {}, backend());
    const o = outputs(text);
    expect(o.get('ls')).toEqual(['b']);
    expect(text).toContain('root@box:/a/b# pwd\n/a/b\n');
    expect(text).toContain('root@box:/a# pwd\n/a\n');
    expect(o.get('cd nowhere')).toEqual(['-bash: cd: nowhere: No such file or directory']);
    expect(o.get('findmnt -N 1')).toEqual(['TARGET  SOURCE FSTYPE OPTIONS', '/       tmpfs  tmpfs  rw,relatime', '└─/proc proc   proc   rw,nosuid,nodev,noexec,relatime']);
    // nsenter -m: init's mount namespace (no /a there), its root the working directory
    expect(o.get('nsenter -t 1 -m findmnt -o TARGET')).toEqual(['TARGET', '/', '└─/proc']);
    expect(o.get('nsenter -t 1 -m pwd')).toEqual(['/']);
  });
}

describe('mount programs on the model', () => {
  suite(() => new ModelBackend());
});

describeKernel('mount programs on the kernel', () => {
  const kernel = useKernelBackend();
  suite(kernel);
});
