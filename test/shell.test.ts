// The teaching shell: what it prints is what the real tools print (their messages and
// layouts are checked against output of util-linux 2.38.1, procps and bash on Debian 12),
// every command becomes steps of one valid trace that replays to the same results, and the
// session's exit status is its shell's.

import { describe, expect, it } from 'vitest';
import { ModelBackend } from '../src/model/backend.js';
import { KernelBackend } from '../src/kernel/backend.js';
import { getopt, GetoptError } from '../src/shell/programs/getopt.js';
import { lsnsColumns } from '../src/shell/programs/lsns.js';
import { parseLine, SyntaxError } from '../src/shell/parse.js';
import { formatJsonTable, formatTable } from '../src/shell/text.js';
import { runTrace, } from '../src/trace/backend.js';
import { parseTrace } from '../src/trace/validate.js';
import type { Setup } from '../src/trace/types.js';
import { describeKernel, useKernelBackend } from './helpers/kernel.js';
import { UTS_EXAMPLE_INPUT, UTS_EXAMPLE_TRANSCRIPT } from './helpers/article.js';
import { outputs, session } from './helpers/shell-session.js';

describe('the seed article\'s UTS example', () => {
  it('prints the initial hostname, then anotherbox, then the initial hostname again', async () => {
    const { text } = await session(UTS_EXAMPLE_INPUT);
    expect(text).toBe(UTS_EXAMPLE_TRANSCRIPT);
  });

  it('works for an unprivileged login too, in a user namespace of its own', async () => {
    const { text } = await session('hostname\nunshare -u\nunshare -ru\nhostname anotherbox\nhostname\nexit\nhostname\n', { user: 'unprivileged' });
    const o = outputs(text);
    expect(o.get('hostname')).toEqual(['box']); // the last one: the Map keeps the last
    expect(o.get('unshare -u')).toEqual(['unshare: unshare failed: Operation not permitted']);
    expect(text).toContain('root@box:~# hostname\nanotherbox\n');
    expect(text).toMatch(/^user@box:~\$ hostname\nbox\n/m);
  });
});

describe('bash, as Debian 12 runs it', () => {
  it('forks for a command it cannot find; the child says so; $? is 127', async () => {
    const { text } = await session('foo\necho $?\n');
    expect(outputs(text).get('foo')).toEqual(['-bash: foo: command not found']);
    expect(outputs(text).get('echo $?')).toEqual(['127']);
  });

  it('unshare -p without --fork: the first child is PID 1 and exits, then fork fails with ENOMEM', async () => {
    const { text } = await session('unshare -p\necho $$\nhostname\nexplain\n');
    const o = outputs(text);
    // the login shell's start-up files fork: $(id -u) becomes PID 1, `mesg n` cannot fork
    expect(o.get('unshare -p')).toEqual(['-bash: fork: Cannot allocate memory']);
    expect(o.get('echo $$')).toEqual(['5']);
    expect(o.get('hostname')).toEqual(['-bash: fork: Cannot allocate memory']);
    expect(o.get('explain')?.join('\n')).toMatch(/fork\(\) failed with ENOMEM.*\nWhy: The PID namespace's init has exited.*\n.*alloc_pid\(\).*R57.*\nSee: clone\(2\), pid_namespaces\(7\)/);
  });

  it('a syntax error is one message and status 2', async () => {
    const { text } = await session("echo 'a\necho $?\nls &\n");
    const o = outputs(text);
    expect(o.get("echo 'a")).toEqual(["-bash: unexpected EOF while looking for matching `''"]);
    expect(o.get('echo $?')).toEqual(['2']);
    expect(o.get('ls &')).toEqual(['-bash: background jobs (&) are not supported by this shell']);
  });

  it('the session ends with its shell\'s exit status', async () => {
    expect((await session('exit 3\n')).status).toBe(3);
    expect((await session('false\n')).status).toBe(1);
  });

  it('dash (sh) prompts with # and numbers its lines in messages', async () => {
    const { text } = await session('sh\nfoo\nexit\n');
    expect(text).toContain('root@box:~# sh\n# foo\nsh: 1: foo: not found\n# exit\nroot@box:~# ');
  });
});

describe('the tools\' messages', () => {
  const cases: [string, string[], Partial<Setup>?][] = [
    ['unshare --foo', ["unshare: unrecognized option '--foo'", "Try 'unshare --help' for more information."]],
    ['unshare -z', ["unshare: invalid option -- 'z'", "Try 'unshare --help' for more information."]],
    ['unshare --kill-child=FOO', ['unshare: unknown signal: FOO']],
    ['unshare -u nosuchprogram', ['unshare: failed to execute nosuchprogram: No such file or directory']],
    ['unshare -u', ['unshare: unshare failed: Operation not permitted'], { user: 'unprivileged' }],
    ['unshare -Urm --mount-proc', ['unshare: mount /proc failed: Operation not permitted'], { user: 'unprivileged' }],
    ['hostname foo', ['hostname: you must be root to change the host name'], { user: 'unprivileged' }],
    ['domainname foo', ['domainname: you must be root to change the domain name'], { user: 'unprivileged' }],
    ['hostname a..b', ['hostname: the specified hostname is invalid']],
    [`hostname ${'x'.repeat(65)}`, ['hostname: name too long']],
    ['nsenter -a', ['nsenter: no target PID specified for --all']],
    ['nsenter -t 99 -u', ['nsenter: cannot open /proc/99/ns/uts: No such file or directory']],
    // init is the login's uid here (setup.user): it may open init's links, but not join them
    ['nsenter -t 1 -u', ["nsenter: reassociate to namespace 'ns/uts' failed: Operation not permitted"], { user: 'unprivileged' }],
    ['lsns -t foo', ['lsns: unknown namespace type: foo']],
    ['lsns 123', ['lsns: not found namespace: 123']],
    ['readlink /proc/99/ns/uts', []],
    ['readlink -v /proc/99/ns/uts', ['readlink: /proc/99/ns/uts: No such file or directory']],
    ['cat /proc/99/status', ['cat: /proc/99/status: No such file or directory']],
    ['kill -9 99', ['-bash: kill: (99) - No such process']],
    ['kill -FOO 2', ['-bash: kill: FOO: invalid signal specification']],
    ['whoami', ['root']],
    ['id', ['uid=0(root) gid=0(root) groups=0(root)']],
    ['id', ['uid=1000(user) gid=1000(user) groups=1000(user)'], { user: 'unprivileged' }],
  ];
  for (const [cmd, lines, setup] of cases) {
    it(`${cmd}${setup?.user === 'unprivileged' ? ' (unprivileged)' : ''}`, async () => {
      const { text } = await session(`${cmd}\n`, setup);
      expect(outputs(text).get(cmd)).toEqual(lines);
    });
  }
});

describe('layouts of the real tools', () => {
  // lsns -t net, util-linux 2.38.1 on this machine (a shorter command line)
  it('lsns: columns one space apart, each as wide as its widest cell or its width hint', () => {
    const cols = lsnsColumns(['NS', 'TYPE', 'NPROCS', 'PID', 'USER', 'NETNSID', 'NSFS', 'COMMAND'], 'COMMAND');
    const rows = [{ cells: ['4026532179', 'net', '2', '1', 'root', 'unassigned', null, 'bash'], children: [
      { cells: ['4026532248', 'net', '1', '2', 'root', 'unassigned', null, 'sleep 5'] }] }];
    expect(formatTable(cols, rows)).toBe(
      '        NS TYPE NPROCS PID USER    NETNSID NSFS COMMAND\n' +
      '4026532179 net       2   1 root unassigned      bash\n' +
      '4026532248 net       1   2 root unassigned      └─sleep 5\n');
    // a 4-character TYPE grows to its hint (5); PID of 4 digits to 5: `lsns -t user -p 1`, `lsns`
    expect(formatTable(lsnsColumns(['NS', 'TYPE', 'NPROCS', 'PID', 'USER', 'COMMAND'], 'COMMAND'),
      [{ cells: ['4026531837', 'user', '3', '1', 'root', 'bash'] }])).toBe(
      '        NS TYPE  NPROCS PID USER COMMAND\n4026531837 user       3   1 root bash\n');
    expect(formatTable(lsnsColumns(['NS', 'TYPE', 'NPROCS', 'PID', 'USER', 'COMMAND'], 'COMMAND'),
      [{ cells: ['4026534130', 'mnt', '4', '3191', 'root', 'unshare'] }])).toBe(
      '        NS TYPE NPROCS   PID USER COMMAND\n4026534130 mnt       4  3191 root unshare\n');
  });

  it('lsns -o NS,TYPE,PATH,PPID,UID,PNS,ONS,NETNSID and the owner tree', () => {
    const cols = lsnsColumns(['NS', 'TYPE', 'PATH', 'PPID', 'UID', 'PNS', 'ONS', 'NETNSID']);
    expect(formatTable(cols, [
      { cells: ['4026531837', 'user', '/proc/1/ns/user', '0', '0', '0', '0', null] },
      { cells: ['4026532181', 'mnt', '/proc/1/ns/mnt', '0', '0', '0', '4026531837', null] },
      { cells: ['4026532192', 'cgroup', '/proc/1/ns/cgroup', '0', '0', '0', '4026531837', null] },
      { cells: ['4026532201', 'net', '/proc/1/ns/net', '0', '0', '0', '4026531837', 'unassigned'] },
    ])).toBe([
      '        NS TYPE   PATH              PPID UID PNS        ONS    NETNSID',
      '4026531837 user   /proc/1/ns/user      0   0   0          0 ',
      '4026532181 mnt    /proc/1/ns/mnt       0   0   0 4026531837 ',
      '4026532192 cgroup /proc/1/ns/cgroup    0   0   0 4026531837 ',
      '4026532201 net    /proc/1/ns/net       0   0   0 4026531837 unassigned', ''].join('\n'));
    expect(formatTable(lsnsColumns(['NS', 'TYPE', 'NPROCS', 'PID', 'USER', 'COMMAND'], 'NS'), [
      { cells: ['4026531837', 'user', '3', '1', 'root', 'bash'], children: [
        { cells: ['4026531834', 'time', '3', '1', 'root', 'bash'] },
        { cells: ['4026531835', 'cgroup', '3', '1', 'root', 'bash'] },
        { cells: ['4026532179', 'net', '2', '1', 'root', 'bash'] }] },
    ])).toBe([
      'NS           TYPE   NPROCS PID USER COMMAND',
      '4026531837   user        3   1 root bash',
      '├─4026531834 time        3   1 root bash',
      '├─4026531835 cgroup      3   1 root bash',
      '└─4026532179 net         2   1 root bash', ''].join('\n'));
  });

  it('lsns -J: libsmartcols JSON, numbers as numbers, children nested', () => {
    expect(formatJsonTable('namespaces', ['ns', 'type', 'nprocs', 'pid', 'user', 'command'], [true, false, true, true, false, false], [
      { cells: ['4026532187', 'ipc', '4', '1', 'root', 'bash'], children: [{ cells: ['4026532188', 'uts', '1', '4', 'root', 'sleep 50'] }] },
      { cells: ['4026532191', 'pid', '4', '1', 'root', 'bash'] },
    ])).toBe(`{
   "namespaces": [
      {
         "ns": 4026532187,
         "type": "ipc",
         "nprocs": 4,
         "pid": 1,
         "user": "root",
         "command": "bash",
         "children": [
            {
               "ns": 4026532188,
               "type": "uts",
               "nprocs": 1,
               "pid": 4,
               "user": "root",
               "command": "sleep 50"
            }
         ]
      },{
         "ns": 4026532191,
         "type": "pid",
         "nprocs": 4,
         "pid": 1,
         "user": "root",
         "command": "bash"
      }
   ]
}
`);
  });

  it('ps -ef and ps: procps columns', async () => {
    const { text } = await session('ps -ef\nps\n');
    const o = outputs(text);
    expect(o.get('ps -ef')).toEqual([
      'UID          PID    PPID  C STIME TTY          TIME CMD',
      'root           1       0  0 10:00 ?        00:00:00 /sbin/init',
      'root           2       1  0 10:00 pts/0    00:00:00 -bash',
      'root           5       2  0 10:00 pts/0    00:00:00 ps -ef',
    ]);
    expect(o.get('ps')).toEqual([
      '    PID TTY          TIME CMD',
      '      2 pts/0    00:00:00 bash',
      '      6 pts/0    00:00:00 ps',
    ]);
  });
});

describe('the shell\'s trace', () => {
  const script = 'unshare -Urpf --mount-proc\nhostname x\nunshare -u\nhostname x\nnsenter -a -t 1\nexit\nexit\nexit\nlsns\nps -ef --forest\n';
  it('is a valid trace that replays on a fresh model to the same results', async () => {
    const { s } = await session(script, { user: 'unprivileged' });
    const trace = parseTrace(JSON.parse(JSON.stringify(s.trace)));
    expect(trace.steps.length).toBeGreaterThan(50);
    const { results } = await runTrace(new ModelBackend(), trace);
    expect(results).toEqual(s.results);
  });
});

describe('parsing', () => {
  it('words, quotes, parameters, lists and pipelines', () => {
    const l = parseLine(`echo "a $$" 'b $x' c\\ d; false || true && lsns | grep uts # no`);
    expect(l.map((x) => x.op)).toEqual([';', ';', '||', '&&']);
    expect(l[0].pipeline[0]).toEqual([[{ lit: 'echo' }], [{ lit: 'a ' }, { param: '$' }], [{ lit: 'b $x' }], [{ lit: 'c d' }]]);
    expect(l[3].pipeline.length).toBe(2);
    expect(() => parseLine('ls > x')).toThrow(SyntaxError);
    expect(() => parseLine('echo $(id)')).toThrow(SyntaxError);
    expect(() => parseLine('; ls')).toThrow('syntax error near unexpected token `;\'');
  });

  it('getopt as util-linux calls it', () => {
    const specs = [
      { short: 'p', long: 'pid', arg: 'optional' as const, shortArg: 'none' as const, key: 'pid' },
      { short: 'f', long: 'fork', arg: 'none' as const, key: 'fork' },
      { short: 't', long: 'target', arg: 'required' as const, key: 'target' },
    ];
    expect(getopt('x', ['-pf', 'cmd', '-f'], specs)).toEqual({ opts: [{ key: 'pid', name: '-p' }, { key: 'fork', name: '-f' }], rest: ['cmd', '-f'] });
    expect(getopt('x', ['--pid=f', '-t1', '--tar', '2'], specs).opts.map((o) => o.value)).toEqual(['f', '1', '2']);
    expect(() => getopt('x', ['-t'], specs)).toThrow(new GetoptError("x: option requires an argument -- 't'"));
    expect(() => getopt('x', ['--fork=1'], specs)).toThrow(new GetoptError("x: option '--fork' doesn't allow an argument"));
  });
});

describeKernel('the shell on the kernel', () => {
  const kernel = useKernelBackend();
  it('the article\'s UTS example, for real', async () => {
    const { text } = await session('hostname\nunshare -u\nhostname anotherbox\nhostname\nexit\nhostname\n', {}, kernel());
    expect(text).toContain('root@box:~# hostname\nanotherbox\n');
    expect(text.match(/^box$/gm)).toHaveLength(2);
  });

  it('the session\'s trace gives the same results when run again on the kernel', async () => {
    const { s } = await session('unshare -Urpf --mount-proc\nhostname x\nunshare -u\nnsenter -a -t 1\nexit\nexit\nexit\n', { user: 'unprivileged' }, kernel());
    const { results } = await runTrace(new KernelBackend(), parseTrace(JSON.parse(JSON.stringify(s.trace))));
    expect(results).toEqual(s.results);
  });
});

describe('bad input never crashes the shell', () => {
  // fragments of command lines, good and bad, in any order: every session ends, every
  // command gets the tool's answer, and the session's trace still replays on the model
  const words = ['unshare', 'nsenter', 'lsns', 'hostname', 'domainname', 'readlink', 'ls', 'cat', 'ps', 'pstree', 'id',
    'whoami', 'kill', 'exec', 'bash', 'sh', 'exit', 'echo', 'explain', 'tree', 'help', './a.out', './clone', 'grep', 'uname',
    '-u', '-U', '-r', '-p', '-f', '-m', '-n', '-i', '-C', '-T', '-a', '-t', '1', '2', '99', '$$', '$PPID', '-9', '--fork',
    '--mount-proc', '--kill-child', '--kill-child=SIGTERM', '-J', '-l', '-o', 'NS,PNS', '--', '-x', 'uts', '/proc/self/ns/uts',
    '/proc/1/ns', '/proc/$$/status', '|', ';', '&&', '||', "'", '"', 'x'.repeat(70), 'é', '-ef', '--forest', '-Urpf'];
  it('random command lines (fast-check)', async () => {
    const fc = (await import('fast-check')).default;
    await fc.assert(fc.asyncProperty(
      fc.array(fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 5 }).map((w) => w.join(' ')), { minLength: 1, maxLength: 12 }),
      fc.constantFrom<Setup['user']>('root', 'unprivileged'),
      async (lines, user) => {
        const { s, text } = await session(`${lines.join('\n')}\n`, { user });
        expect(text.length).toBeGreaterThan(0);
        const { results } = await runTrace(new ModelBackend(), parseTrace(JSON.parse(JSON.stringify(s.trace))));
        expect(results).toEqual(s.results);
      }), { numRuns: 150, seed: 4 });
  }, 120_000);
});

describe('sh -c and bash -c', () => {
  it('run one command line; a single command is exec\'d in the shell\'s own process', async () => {
    const { text, s } = await session("unshare -r sh -c 'id; hostname'\nbash -c hostname\nsh -c\n", { user: 'unprivileged' });
    const o = outputs(text);
    expect(o.get("unshare -r sh -c 'id; hostname'")).toEqual(['uid=0(root) gid=0(root) groups=0(root)', 'box']);
    expect(o.get('bash -c hostname')).toEqual(['box']);
    expect(o.get('sh -c')).toEqual(['sh: 0: -c requires an argument']);
    // bash -c hostname: fork, exec bash, exec hostname (no second fork)
    const argvs = s.trace.steps.filter((x) => x.op === 'exec' && x.argv).map((x) => (x as { argv: string[] }).argv.join(' '));
    expect(argvs.slice(-3, -1)).toEqual(['bash -c hostname', 'hostname']);
  });
});
