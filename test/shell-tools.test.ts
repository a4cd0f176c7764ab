// Issue 9, the shell's items that the recorded transcripts (sim/scenarios/proc-files, tools,
// pipeline, ps: the real tools on this machine) do not cover: explain after a command that is
// not there, getopt's permutation, Tab completion, /proc/<pid>/status without invented lines,
// --help for every program, mount's message, scenario --help.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScriptSource } from '../src/shell/index.js';
import { getopt } from '../src/shell/programs/getopt.js';
import { programs } from '../src/shell/programs/index.js';
import { lsColumns } from '../src/shell/programs/basic.js';
import { nsmodel, ROOT } from './cli-helpers.js';
import { outputs, session } from './helpers/shell-session.js';

describe('explain when no step decided', () => {
  it('after a command that does not exist: no "fork, exec, exit, wait", but what happened', async () => {
    const { text } = await session('frobnicate\nexplain\n');
    const e = outputs(text).get('explain')!.join('\n');
    expect(e).toContain('`frobnicate` is no program of this shell\'s world');
    expect(e).not.toContain('fork, exec, exit, wait');
  });

  it('after nsenter -t 999 -u: no process has PID 999 in its /proc', async () => {
    const { text } = await session('nsenter -t 999 -u\nexplain\n');
    const e = outputs(text).get('explain')!.join('\n');
    expect(e).toMatch(/no process has PID 999 in the PID namespace that nsenter's \/proc shows/);
    expect(e).toContain('See: proc(5), pid_namespaces(7)');
  });
});

describe('getopt', () => {
  it('permutes as glibc does for lsns, hostname, ps (options after operands), not for "+" programs', () => {
    const specs = [{ short: 't', arg: 'required' as const, key: 't' }, { short: 'n', arg: 'none' as const, key: 'n' }];
    expect(getopt('lsns', ['123', '-nt', 'uts'], specs, { permute: true })).toEqual({
      opts: [{ key: 'n', name: '-n' }, { key: 't', value: 'uts', name: '-t' }], rest: ['123'],
    });
    expect(getopt('unshare', ['123', '-n'], specs).rest).toEqual(['123', '-n']);
  });
});

describe('ls columns', () => {
  it('fit 80 columns as GNU ls does: the widest layout whose lines are shorter than 80, tabs of 8', () => {
    // ten names that fill exactly 80 columns on one line do not fit: two rows
    const names = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'pid_for_children', 'time', 'time_for_children', 'user', 'uts'];
    expect(lsColumns(names)).toBe('cgroup\tmnt  pid\t       time\t\t  user\nipc\tnet  pid_for_children  time_for_children  uts\n');
    expect(lsColumns(['a', 'b'])).toBe('a  b\n');
  });
});

describe('Tab completion', () => {
  it('completes command names, then paths of this world as the shell\'s /proc shows them', async () => {
    const got: [string[], string][] = [];
    class Completing extends ScriptSource {
      complete?: (line: string) => Promise<[string[], string]>;
      setCompleter(c: (line: string) => Promise<[string[], string]>) { this.complete = c; }
      override async read(prompt: string) {
        if (this.complete && got.length === 0) {
          for (const l of ['lsn', 'hostname; unsh', 'readlink /proc/1/ns/ut', 'cat /proc/se', 'ls /pr', './a', 'cat nothing']) {
            got.push(await this.complete(l));
          }
        }
        return super.read(prompt);
      }
    }
    await session('', {}, undefined, (io) => new Completing('true\n', io));
    expect(got).toEqual([
      [['lsns'], 'lsn'],
      [['unshare'], 'unsh'],
      [['/proc/1/ns/uts'], '/proc/1/ns/ut'],
      [['/proc/self/'], '/proc/se'],
      [['/proc/'], '/pr'],
      [['./a.out'], './a'],
      [[], 'nothing'],
    ]);
  });
});

describe('/proc/<pid>/status', () => {
  it('has only lines the backend can answer: no NSpgid/NSsid, no invented Sig*, Vm* numbers', async () => {
    const { text } = await session('cat /proc/self/status\n');
    const lines = outputs(text).get('cat /proc/self/status')!;
    expect(lines).toContain('NSpid:\t5');
    expect(lines.some((l) => /^(NSpgid|NSsid|Sig|Vm)/.test(l))).toBe(false);
  });

  // the real cat's lines, in a throwaway sandbox on this machine (Linux 6.18, a root whose
  // bounding set lacks CAP_SYS_RESOURCE): `unshare --fork --pid ... sh -c 'cat /proc/self/status'`
  // and `... sh -c 'unshare -Ur cat /proc/self/status'`
  it('shows the ids, groups and capability sets as Linux 6.18 prints them', async () => {
    const { text } = await session('cat /proc/self/status\nunshare -Ur cat /proc/self/status\n');
    const creds = (cmd: string) => outputs(text).get(cmd)!.filter((l) => /^(Uid|Gid|Groups|Cap|NoNewPrivs|Seccomp)/.test(l));
    expect(creds('cat /proc/self/status')).toEqual([
      'Uid:\t0\t0\t0\t0', 'Gid:\t0\t0\t0\t0', 'Groups:\t ',
      'CapInh:\t0000000000000000', 'CapPrm:\t000001fffeffffff', 'CapEff:\t000001fffeffffff',
      'CapBnd:\t000001fffeffffff', 'CapAmb:\t0000000000000000', 'NoNewPrivs:\t0', 'Seccomp:\t0', 'Seccomp_filters:\t0',
    ]);
    expect(creds('unshare -Ur cat /proc/self/status')).toEqual([
      'Uid:\t0\t0\t0\t0', 'Gid:\t0\t0\t0\t0', 'Groups:\t ',
      'CapInh:\t0000000000000000', 'CapPrm:\t000001ffffffffff', 'CapEff:\t000001ffffffffff',
      'CapBnd:\t000001ffffffffff', 'CapAmb:\t0000000000000000', 'NoNewPrivs:\t0', 'Seccomp:\t0', 'Seccomp_filters:\t0',
    ]);
  });
});

// setpriv 2.38.1's dump, as the real tool printed it in a throwaway sandbox on this machine
// (`unshare --fork --pid ... sh -c 'setpriv -d; unshare -Ur setpriv -d; setpriv; setpriv -d --reuid 1'`)
describe('setpriv -d', () => {
  const bounding = (resource: boolean) => ['chown', 'dac_override', 'dac_read_search', 'fowner', 'fsetid', 'kill', 'setgid', 'setuid',
    'setpcap', 'linux_immutable', 'net_bind_service', 'net_broadcast', 'net_admin', 'net_raw', 'ipc_lock', 'ipc_owner', 'sys_module',
    'sys_rawio', 'sys_chroot', 'sys_ptrace', 'sys_pacct', 'sys_admin', 'sys_boot', 'sys_nice', ...(resource ? ['sys_resource'] : []),
    'sys_time', 'sys_tty_config', 'mknod', 'lease', 'audit_write', 'audit_control', 'setfcap', 'mac_override', 'mac_admin', 'syslog',
    'wake_alarm', 'block_suspend', 'audit_read', 'perfmon', 'bpf', 'checkpoint_restore'].join(',');
  const dump = (resource: boolean) => ['uid: 0', 'euid: 0', 'gid: 0', 'egid: 0', 'Supplementary groups: [none]', 'no_new_privs: 0',
    'Inheritable capabilities: [none]', 'Ambient capabilities: [none]', `Capability bounding set: ${bounding(resource)}`,
    'Securebits: [none]', 'Parent death signal: [none]'];
  it('prints the state as setpriv prints it, in and outside a user namespace', async () => {
    const { text } = await session('setpriv -d\nunshare -Ur setpriv -d\n');
    expect(outputs(text).get('setpriv -d')).toEqual(dump(false));
    expect(outputs(text).get('unshare -Ur setpriv -d')).toEqual(dump(true));
  });
  it('says what setpriv says without a program, or with --dump and another option (status 1)', async () => {
    const { text } = await session('setpriv\necho $?\nsetpriv -d --reuid 1\necho $?\n');
    expect(outputs(text).get('setpriv')).toEqual(['setpriv: No program specified']);
    expect(outputs(text).get('setpriv -d --reuid 1')).toEqual(['setpriv: --dump is incompatible with all other options']);
    expect(text.match(/\n1\n/g)?.length).toBe(2);
  });
});

// setpriv 2.38.1's forms that change credentials, and coreutils id, as the real tools printed
// them in a throwaway sandbox on this machine (`unshare --fork --pid --mount-proc --uts --ipc --net
// --mount bash -c '...'`, the same command lines; uid/gid 1000 is `cloudsdk` there, `user` in this
// shell's world). The syscalls and their order were seen with strace (src/shell/programs/creds.ts).
describe('setpriv [options] COMMAND, id', () => {
  it('--reuid/--regid/--clear-groups/--keep-groups change the ids id and setpriv -d print', async () => {
    const { text } = await session(['id', 'id -G', 'setpriv --reuid=1000 --regid=1000 --clear-groups id', 'setpriv --regid=1000 --keep-groups id',
      'setpriv --reuid=1000 --keep-groups id', 'setpriv --regid=1000 --clear-groups id -G', 'setpriv --reuid=1000 --regid=1000 --clear-groups setpriv -d', ''].join('\n'));
    const o = outputs(text);
    expect(o.get('id')).toEqual(['uid=0(root) gid=0(root) groups=0(root)']);
    expect(o.get('id -G')).toEqual(['0']);
    expect(o.get('setpriv --reuid=1000 --regid=1000 --clear-groups id')).toEqual(['uid=1000(user) gid=1000(user) groups=1000(user)']);
    expect(o.get('setpriv --regid=1000 --keep-groups id')).toEqual(['uid=0(root) gid=1000(user) groups=1000(user)']);
    expect(o.get('setpriv --reuid=1000 --keep-groups id')).toEqual(['uid=1000(user) gid=0(root) groups=0(root)']);
    expect(o.get('setpriv --regid=1000 --clear-groups id -G')).toEqual(['1000']);
    expect(o.get('setpriv --reuid=1000 --regid=1000 --clear-groups setpriv -d')!.slice(0, 6)).toEqual(['uid: 1000', 'euid: 1000', 'gid: 1000', 'egid: 1000',
      'Supplementary groups: [none]', 'no_new_privs: 0']);
  });
  it('--no-new-privs, --inh-caps, --ambient-caps, --bounding-set', async () => {
    const { text } = await session('setpriv --no-new-privs --inh-caps=+kill --ambient-caps=+kill setpriv -d\nsetpriv --bounding-set=-all,+kill capsh --print\n');
    const o = outputs(text);
    expect(o.get('setpriv --no-new-privs --inh-caps=+kill --ambient-caps=+kill setpriv -d')!.slice(5, 8)).toEqual(['no_new_privs: 1',
      'Inheritable capabilities: kill', 'Ambient capabilities: kill']);
    const print = o.get('setpriv --bounding-set=-all,+kill capsh --print')!;
    expect(print.slice(0, 3)).toEqual(['Current: cap_kill=ep', 'Bounding set =cap_kill', 'Ambient set =']);
  });
  it('says what setpriv says when a step fails or an argument is bad (status 127 after a failed syscall, else 1)', async () => {
    const lines = ['setpriv --reuid=1000 --keep-groups setpriv --reuid=0 true', 'setpriv --reuid=1000 --keep-groups setpriv --inh-caps=+chown true',
      'setpriv --reuid=1000 --regid=1000 --clear-groups setpriv --regid=0 --clear-groups true', 'setpriv nosuch', 'setpriv --regid=1000 id',
      'setpriv --inh-caps=chown id', 'setpriv --bounding-set=foo id', 'setpriv --keep-groups --clear-groups id', 'setpriv --reuid=foo --keep-groups id'];
    const { text } = await session(lines.map((l) => `${l}\necho "status $?"`).join('\n') + '\n');
    const o = outputs(text);
    const expected = [['setpriv: setresuid failed: Operation not permitted', 127], ['setpriv: apply capabilities: Operation not permitted', 127],
      ['setpriv: setresgid failed: Operation not permitted', 127], ['setpriv: failed to execute nosuch: No such file or directory', 127],
      ['setpriv: --[re]gid requires --keep-groups, --clear-groups, --init-groups, or --groups', 1], ['setpriv: bad capability string', 1],
      ['setpriv: bad capability string', 1], ['setpriv: mutually exclusive arguments: --clear-groups --keep-groups --init-groups --groups', 1],
      ["setpriv: failed to parse reuid: 'foo'", 1]] as const;
    lines.forEach((l, i) => { expect(o.get(l), l).toEqual([expected[i][0]]); });
    expect([...text.matchAll(/^status (\d+)$/gm)].map((m) => Number(m[1]))).toEqual(expected.map((e) => e[1]));
  });
});

// libcap 2.66's getpcaps, as the real tool printed it in a throwaway sandbox on this machine
// (`getpcaps 1`, `getpcaps 999 1`, `getpcaps foo`, `getpcaps`, and in
// `setpriv --inh-caps=+kill --bounding-set=-all,+kill bash -c 'getpcaps [--verbose|--legacy|--iab] $$'`)
describe('getpcaps', () => {
  it('prints each process\'s sets in cap_to_text form; a PID it cannot read is a message and status 1', async () => {
    const { text } = await session('getpcaps 1\ngetpcaps 0\necho "s $?"\ngetpcaps 999 1\necho "s $?"\ngetpcaps foo\necho "s $?"\ngetpcaps\necho "s $?"\nunshare -Urfp --mount-proc getpcaps 1\n');
    const o = outputs(text);
    expect(o.get('getpcaps 1')).toEqual(['1: =ep cap_sys_resource-ep']);
    expect(o.get('getpcaps 0')).toEqual(['0: =ep cap_sys_resource-ep']);
    expect(o.get('getpcaps 999 1')).toEqual(["Failed to get cap's for process 999: (No such process)", '1: =ep cap_sys_resource-ep']);
    expect(o.get('getpcaps foo')).toEqual(['Cannot parse pid foo: (Invalid argument)']);
    expect(o.get('getpcaps')![0]).toBe('usage: getcaps [opts] <pid> [<pid> ...]');
    expect(o.get('unshare -Urfp --mount-proc getpcaps 1')).toEqual(['1: =ep']);
    expect([...text.matchAll(/^s (\d+)$/gm)].map((m) => m[1])).toEqual(['0', '1', '1', '1']);
  });
  it('--verbose, --legacy, --iab', async () => {
    const { text } = await session('setpriv --inh-caps=+kill --bounding-set=-all,+kill bash\ngetpcaps --verbose $$\ngetpcaps --legacy $$\ngetpcaps --iab $$\n');
    const o = outputs(text);
    const pid = /^(\d+)/.exec(o.get('getpcaps --iab $$')![0])![1];
    expect(o.get('getpcaps --verbose $$')).toEqual([`Capabilities for '${pid}': cap_kill=eip`]);
    expect(o.get('getpcaps --legacy $$')).toEqual([`Capabilities for \`${pid}': cap_kill=eip`]);
    expect(o.get('getpcaps --iab $$')![0]).toMatch(new RegExp(`^${pid}: "cap_kill=eip" \\[!cap_chown,!cap_dac_override,!cap_dac_read_search,!cap_fowner,!cap_fsetid,cap_kill,!cap_setgid,.*,!cap_checkpoint_restore\\]$`));
  });
});

// libcap 2.66's capsh, as the real tool printed it in a throwaway sandbox on this machine
// (`capsh --print`, `unshare -Ur capsh --print`, `capsh --decode=...`)
describe('capsh', () => {
  const tail = ["Securebits: 00/0x0/1'b0 (no-new-privs=0)", ' secure-noroot: no (unlocked)', ' secure-no-suid-fixup: no (unlocked)',
    ' secure-keep-caps: no (unlocked)', ' secure-no-ambient-raise: no (unlocked)', 'uid=0(root) euid=0(root)', 'gid=0(root)',
    'groups=', 'Guessed mode: HYBRID (4)'];
  it('--print: the sets in cap_to_text form, the bounding and ambient sets, the IAB vector, securebits, ids', async () => {
    const { text } = await session('capsh --print\nunshare -Ur capsh --print\n');
    const root = outputs(text).get('capsh --print')!;
    expect(root.filter((l) => !l.startsWith('Bounding set'))).toEqual(['Current: =ep cap_sys_resource-ep', 'Ambient set =',
      'Current IAB: !cap_sys_resource', ...tail]);
    expect(root[1]).toMatch(/^Bounding set =cap_chown,cap_dac_override,.*,cap_sys_nice,cap_sys_time,.*,cap_checkpoint_restore$/);
    const userns = outputs(text).get('unshare -Ur capsh --print')!;
    expect(userns.filter((l) => !l.startsWith('Bounding set'))).toEqual(['Current: =ep', 'Ambient set =', 'Current IAB: ', ...tail]);
    expect(userns[1]).toContain(',cap_sys_resource,');
  });
  it('--decode=: a hex set as names', async () => {
    const { text } = await session('capsh --decode=0\ncapsh --decode=0x20\n');
    expect(outputs(text).get('capsh --decode=0')).toEqual(['0x0000000000000000=']);
    expect(outputs(text).get('capsh --decode=0x20')).toEqual(['0x0000000000000020=cap_kill']);
  });
  it("cap_to_text's forms: a base with additions and removals, an empty base", async () => {
    const { capText } = await import('../src/shell/programs/creds.js');
    const all = (1n << 41n) - 1n;
    const res = 1n << 24n, kill = 1n << 5n, chown = 1n, admin = 1n << 21n;
    // the real capsh of `setpriv --inh-caps +kill,+chown capsh --print` and of `setpriv --bounding-set -all,+kill,+sys_admin capsh --print`
    expect(capText(all & ~res, kill | chown, all & ~res)).toBe('=ep cap_chown,cap_kill+i cap_sys_resource-ep');
    expect(capText(kill | admin, 0n, kill | admin)).toBe('cap_kill,cap_sys_admin=ep');
    expect(capText(kill, kill, kill)).toBe('cap_kill=eip');
    expect(capText(0n, 0n, 0n)).toBe('=');
    // the real capsh of `capsh --caps="cap_kill,cap_setpcap=p cap_chown=ep" --print`
    expect(capText(chown, 0n, chown | kill | (1n << 8n))).toBe('cap_chown=ep cap_kill,cap_setpcap+p');
  });
});

// libcap 2.66's capsh --drop=, --caps= and -- as the real tool printed them in a throwaway sandbox
// on this machine (the same command lines; its syscalls seen with strace: the PR_CAPBSET_DROPs, a
// capset, execve of /bin/bash)
describe('capsh --drop, --caps, --', () => {
  it('drops from the bounding set, sets the sets, and runs bash -c', async () => {
    const lines = ['capsh --drop=cap_sys_admin,cap_net_admin --caps="cap_kill,cap_chown+eip" -- -c "getpcaps \\$\\$"',
      'capsh --caps="cap_kill,cap_setpcap=p cap_chown=ep" --drop=cap_kill --print'];
    const { text } = await session(`${lines.join('\n')}\n`);
    const o = outputs(text);
    // bash exec'd as root gets the bounding set back in its permitted and effective sets; the inheritable set stays
    expect(o.get(lines[0])!.at(-1)).toMatch(/^\d+: =ep cap_chown,cap_kill\+i cap_net_admin,cap_sys_admin,cap_sys_resource-ep$/);
    const print = o.get(lines[1])!;
    expect(print[0]).toBe('Current: cap_chown=ep cap_kill,cap_setpcap+p');
    expect(print[1]).not.toContain('cap_kill');
    expect(print[3]).toBe('Current IAB: !cap_kill,!cap_sys_resource');
  });
  it('says what capsh says for an unknown capability, bad text, a refused capset or BSET change (status 1)', async () => {
    const lines = ['capsh --drop=foo', 'capsh --caps=foo', 'capsh --caps=cap_kill=ep --drop=cap_kill', 'capsh --caps="cap_kill,cap_setpcap=p cap_chown+e"'];
    const { text } = await session(lines.map((l) => `${l}\necho "s $?"`).join('\n') + '\n');
    const o = outputs(text);
    expect(lines.map((l) => o.get(l))).toEqual([['capability [foo] is unknown to libcap'], ['unable to interpret [--caps=foo]'],
      ['unable to raise CAP_SETPCAP for BSET changes: Operation not permitted'], ['Unable to set capabilities [--caps=cap_kill,cap_setpcap=p cap_chown+e]']]);
    expect([...text.matchAll(/^s (\d+)$/gm)].map((m) => m[1])).toEqual(['1', '1', '1', '1']);
  });
});

describe('every program keeps --help', () => {
  it('prints help on stdout; status 0 (false: 1, as coreutils; hostname and its domainname names: 255, as hostname 3.23)', async () => {
    const names = [...programs().keys()].filter((n) => !/^(-|\.\/|\/)/.test(n) && !['sh', 'dash'].includes(n));
    const script = names.map((n) => `unshare ${n} --help\necho "${n} $?"`).join('\n');
    const { text } = await session(`${script}\n`);
    for (const n of names) {
      const status = n === 'false' ? 1 : /hostname|domainname/.test(n) ? 255 : 0;
      expect(text).toContain(`\n${n} ${status}\n`);
      expect(outputs(text).get(`unshare ${n} --help`)!.join('\n')).toMatch(/Usage|usage/);
    }
  });
});

describe('nsmodel scenario --help', () => {
  it('cites a scenario file that exists', async () => {
    const r = await nsmodel(['scenario', '--help']);
    const cited = /e\.g\. (sim\/scenarios\/\S+\.sh)/.exec(r.stdout)?.[1];
    expect(cited).toBeDefined();
    expect(existsSync(join(ROOT, cited!))).toBe(true);
  });
});

describe('ps aux, ps -o, sleep, /usr/bin/kill', () => {
  it('ps aux: procps\'s BSD user format, memory and CPU as the world\'s fixed 0 (not modelled)', async () => {
    const { text } = await session('ps aux\nps -o pid,foo\n');
    const o = outputs(text);
    expect(o.get('ps aux')).toEqual([
      'USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND',
      'root           1  0.0  0.0      0     0 ?        S    10:00   0:00 /sbin/init',
      'root           2  0.0  0.0      0     0 pts/0    S    10:00   0:00 -bash',
      'root           5  0.0  0.0      0     0 pts/0    R    10:00   0:00 ps aux',
    ]);
    expect(o.get('ps -o pid,foo')![0]).toBe('error: unknown user-defined format specifier "foo"');
  });

  it('sleep returns at once (no time in this world) and checks its operand; kill as a program sends signals', async () => {
    const { text } = await session('sleep 5\necho $?\nsleep x\nunshare -f sleep 1\necho $?\nnsenter -a -t 1 kill -s KILL 99999\n');
    const o = outputs(text);
    expect(o.get('sleep 5')).toEqual([]);
    expect(o.get('sleep x')).toEqual(["sleep: invalid time interval 'x'", "Try 'sleep --help' for more information."]);
    expect(o.get('nsenter -a -t 1 kill -s KILL 99999')).toEqual(['kill: (99999): No such process']);
  });
});

describe('the working directory', () => {
  it('cd, pwd and the prompt\'s \\w; ls lists the working directory (root\'s home, made by init in the world\'s own root, is empty)', async () => {
    const { text } = await session('ls\ncd /proc\npwd\ncd /proc/self\ncd /nowhere\ncd\npwd\n');
    expect(text).toContain('root@box:~# ls\nroot@box:~# cd /proc\n');
    expect(text).toContain('root@box:/proc# pwd\n/proc\n');
    // cd is chdir(2): a directory of /proc's is not one of the trace's (docs/TRACE-EXTENSIONS.md, "Paths")
    expect(text).toContain("-bash: cd: /proc/self: paths below /proc are not modelled in this shell's world\n");
    expect(text).toContain('-bash: cd: /nowhere: No such file or directory\n');
    expect(text).toContain('root@box:~# pwd\n/root\n');
  });
});
