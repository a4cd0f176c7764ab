// The working directory and the root in the teaching shell: cd and pwd as bash makes them
// (chdir and getcwd steps), relative paths passed on as typed, a working directory holding
// its mount busy, and chroot(8) as coreutils 9.1 runs it (its messages and statuses recorded
// on Linux 6.18 in a throwaway sandbox; see src/shell/programs/chroot.ts), with findmnt and
// mountinfo as the chrooted process reads them (the shape recorded there too: only the
// mounts under the new root, mountpoints from it, no tree above them).

import { describe, expect, it } from 'vitest';
import { ModelBackend } from '../src/model/backend.js';
import type { Backend } from '../src/trace/backend.js';
import type { Step } from '../src/trace/types.js';
import { describeKernel, useKernelBackend } from './helpers/kernel.js';
import { ScriptSource } from '../src/shell/index.js';
import { outputs, session } from './helpers/shell-session.js';

/** The steps the command line `line` made (its first run). */
function stepsOf(s: { commands: { line: string; first: number; end: number }[]; trace: { steps: Step[] } }, line: string): Step[] {
  const rec = s.commands.find((c) => c.line === line);
  return rec ? s.trace.steps.slice(rec.first, rec.end) : [];
}

function suite(backend: () => Backend): void {
  it('relative paths reach the system calls as typed: mkdir a; cd a; mkdir b; ls', async () => {
    const { text, s } = await session('mkdir a\ncd a\nmkdir b\nls\nls ..\npwd\ncd b/..\npwd\n', {}, backend());
    const o = outputs(text);
    expect(o.get('ls')).toEqual(['b']);
    expect(o.get('ls ..')).toEqual(['a']);
    expect(text).toContain('root@box:~/a# pwd\n/root/a\n');
    expect(stepsOf(s, 'mkdir a').filter((st) => st.op === 'mkdir')).toEqual([{ by: expect.any(String), op: 'mkdir', path: 'a' }]);
    expect(stepsOf(s, 'mkdir b').filter((st) => st.op === 'mkdir')).toEqual([{ by: expect.any(String), op: 'mkdir', path: 'b' }]);
    expect(stepsOf(s, 'ls').filter((st) => st.op === 'readdir')).toEqual([{ by: expect.any(String), op: 'readdir', path: '.' }]);
    // bash's cd is logical: chdir($PWD/DIR), `..` taken by name — after a name of DIR's only
    // once the kernel has found it (bash stats it; here the walk of the path does)
    expect(stepsOf(s, 'cd a')).toEqual([{ by: expect.any(String), op: 'chdir', path: '/root/a' }]);
    expect(stepsOf(s, 'cd b/..')).toEqual([{ by: expect.any(String), op: 'chdir', path: '/root/a/b/..' }]);
    expect(text).toContain('root@box:~/a# cd b/..\nroot@box:~/a# pwd\n/root/a\n');
  });

  it('globs and Tab completion read relative paths from the working directory', async () => {
    const { text } = await session('mkdir -p ab ac/x b\necho a*\necho */x\necho z*\ncd ac\necho ../a?\n', {}, backend());
    const o = outputs(text);
    expect(o.get('echo a*')).toEqual(['ab ac']);
    expect(o.get('echo */x')).toEqual(['ac/x']);
    expect(o.get('echo z*')).toEqual(['z*']);
    expect(o.get('echo ../a?')).toEqual(['../ab ../ac']);
    const got: [string[], string][] = [];
    class Completing extends ScriptSource {
      complete?: (line: string) => Promise<[string[], string]>;
      setCompleter(c: (line: string) => Promise<[string[], string]>) { this.complete = c; }
      override async read(prompt: string) {
        if (this.complete && prompt.includes('~/ac') && got.length === 0) for (const l of ['ls ../a', 'ls x', 'cd ']) got.push(await this.complete(l));
        return super.read(prompt);
      }
    }
    await session('', {}, backend(), (io) => new Completing('mkdir -p ab ac/x\ncd ac\ntrue\n', io));
    expect(got).toEqual([[['../ab/', '../ac/'], '../a'], [['x/'], 'x'], [['x/'], '']]);
  });

  it('cd: no DIR is $HOME, - is $OLDPWD (printed), bash\'s messages and statuses', async () => {
    const { text } = await session('cd /proc\ncd\npwd\ncd -\ncd /nowhere\necho $?\ncd a b\necho $?\ncd /nowhere/..\ncd /proc/self\nsh -c "cd /nowhere"\necho $?\n', {}, backend());
    const o = outputs(text);
    expect(text).toContain('root@box:/proc# cd\nroot@box:~# pwd\n/root\n');
    expect(o.get('cd -')).toEqual(['/proc']);
    expect(o.get('cd /nowhere')).toEqual(['-bash: cd: /nowhere: No such file or directory']);
    expect(o.get('cd a b')).toEqual(['-bash: cd: too many arguments']);
    expect(o.get('cd /nowhere/..')).toEqual(['-bash: cd: /nowhere/..: No such file or directory']);
    expect([...text.matchAll(/echo \$\?\n(\d+)/g)].map((m) => Number(m[1]))).toEqual([1, 1, 2]);
    expect(o.get('cd /proc/self')).toEqual(["-bash: cd: /proc/self: paths below /proc are not modelled in this shell's world"]);
    expect(o.get('sh -c "cd /nowhere"')).toEqual(["sh: 1: cd: can't cd to /nowhere"]);
  });

  it('pwd prints $PWD; pwd -P and /usr/bin/pwd ask the kernel (getcwd)', async () => {
    const { text, s } = await session('cd /proc\npwd\npwd -P\n/usr/bin/pwd\n', {}, backend());
    const o = outputs(text);
    expect(o.get('pwd')).toEqual(['/proc']);
    expect(o.get('pwd -P')).toEqual(['/proc']);
    expect(o.get('/usr/bin/pwd')).toEqual(['/proc']);
    expect(stepsOf(s, 'pwd')).toEqual([]);
    expect(stepsOf(s, 'pwd -P')).toEqual([{ by: expect.any(String), op: 'getcwd' }]);
  });

  it('a working directory holds its mount busy: umount says "target is busy." (status 32) until the shell leaves it', async () => {
    const { text, s } = await session('mkdir /a\nmount -t tmpfs tmpfs /a\ncd /a\numount /a\necho $?\numount ../a\ncd /\numount a\necho $?\n', {}, backend());
    const o = outputs(text);
    expect(o.get('umount /a')).toEqual(['umount: /a: target is busy.']);
    expect(o.get('umount ../a')).toEqual(['umount: /a: target is busy.']);
    expect([...text.matchAll(/echo \$\?\n(\d+)/g)].map((m) => Number(m[1]))).toEqual([32, 0]);
    // libmount canonicalizes a relative operand from getcwd
    expect(stepsOf(s, 'umount a').map((st) => st.op).filter((op) => op === 'getcwd' || op === 'umount')).toEqual(['getcwd', 'umount']);
    expect(stepsOf(s, 'umount a').find((st) => st.op === 'umount')).toMatchObject({ target: '/a' });
  });

  it('chroot into a directory with a /proc of its own: pwd, ls, findmnt and mountinfo from the new root; exit returns', async () => {
    const script = [
      'mkdir -p /jail/proc /outside', 'mount -t proc proc /jail/proc', 'mount -t tmpfs tmpfs /outside',
      'chroot /jail', 'pwd', 'ls', 'ls /proc', 'findmnt', 'cat /proc/self/mountinfo', 'findmnt -o TARGET,ID,PARENT', 'exit',
      'pwd', 'findmnt -o TARGET',
    ].join('\n');
    const { text, s } = await session(`${script}\n`, {}, backend());
    const o = outputs(text);
    expect(text).toContain('root@box:~# chroot /jail\nroot@box:/# pwd\n/\n');
    expect(o.get('ls')).toEqual(['proc']);
    expect(o.get('ls /proc')![0]).toMatch(/^1 .*self\s+thread-self$/);
    expect(o.get('findmnt')).toEqual(['TARGET SOURCE FSTYPE OPTIONS', '/proc  proc   proc   rw,relatime']);
    expect(o.get('cat /proc/self/mountinfo')).toEqual(['23 22 0:42 / /proc rw,relatime shared:2 - proc proc rw']);
    // the new root's mount is not listed; the /proc mount's parent is its ID all the same
    expect(o.get('findmnt -o TARGET,ID,PARENT')).toEqual(['TARGET ID PARENT', '/proc  23     22']);
    expect(o.get('exit')).toEqual(['exit']);
    expect(text).toContain('root@box:~# pwd\n/root\n');
    expect(o.get('findmnt -o TARGET')).toEqual(['TARGET', '/', '├─/jail/proc', '├─/outside', '└─/proc']);
    // chroot(8): chroot(NEWROOT) as typed, chdir("/"), then '"$SHELL" -i'
    const st = stepsOf(s, 'chroot /jail');
    const chrooter = st.find((x) => x.op === 'chroot')!.by;
    expect(st.filter((x) => x.by === chrooter).slice(0, 4)).toEqual([
      { by: chrooter, op: 'exec', argv: ['chroot', '/jail'] },
      { by: chrooter, op: 'chroot', path: '/jail' },
      { by: chrooter, op: 'chdir', path: '/' },
      { by: chrooter, op: 'exec', argv: ['/bin/bash', '-i'] },
    ]);
  });

  it('chroot into a mountpoint: its mount is / and the tree hangs from it; a cwd in it holds it busy', async () => {
    const script = ['mkdir /m', 'mount -t tmpfs tmpfs /m', 'mkdir /m/proc /m/sub', 'mount -t proc proc /m/proc', 'mount -t tmpfs tmpfs /m/sub',
      'chroot /m', 'findmnt -o TARGET', 'cd sub', 'umount /sub', 'cd ..', 'umount sub', 'findmnt -o TARGET,FSTYPE', 'exit'].join('\n');
    const { text } = await session(`${script}\n`, {}, backend());
    const o = outputs(text);
    expect(o.get('findmnt -o TARGET')).toEqual(['TARGET', '/', '├─/proc', '└─/sub']);
    expect(o.get('umount /sub')).toEqual(['umount: /sub: target is busy.']);
    expect(o.get('umount sub')).toEqual([]);
    expect(o.get('findmnt -o TARGET,FSTYPE')).toEqual(['TARGET  FSTYPE', '/       tmpfs', '└─/proc proc']);
  });

  it('chroot: coreutils\' messages and statuses; a chrooted process may not make a user namespace', async () => {
    const script = ['mkdir /jail', 'chroot nowhere', 'echo $?', 'chroot', 'echo $?', 'chroot /jail /bin/nothing', 'echo $?',
      'setpriv --reuid=1000 --regid=1000 --clear-groups chroot /jail true', 'echo $?', 'chroot --skip-chdir /jail true', 'echo $?',
      'chroot --foo', 'chroot / pwd', 'chroot /jail unshare -U true', 'echo $?'].join('\n');
    const { text } = await session(`${script}\n`, {}, backend());
    const o = outputs(text);
    expect(o.get('chroot nowhere')).toEqual(["chroot: cannot change root directory to 'nowhere': No such file or directory"]);
    expect(o.get('chroot')).toEqual(['chroot: missing operand', "Try 'chroot --help' for more information."]);
    expect(o.get('chroot /jail /bin/nothing')).toEqual(['chroot: failed to run command ‘/bin/nothing’: No such file or directory']);
    expect(o.get('setpriv --reuid=1000 --regid=1000 --clear-groups chroot /jail true')).toEqual(["chroot: cannot change root directory to '/jail': Operation not permitted"]);
    expect(o.get('chroot --skip-chdir /jail true')).toEqual(["chroot: option --skip-chdir only permitted if NEWROOT is old '/'", "Try 'chroot --help' for more information."]);
    expect(o.get('chroot --foo')).toEqual(["chroot: unrecognized option '--foo'", "Try 'chroot --help' for more information."]);
    expect(o.get('chroot / pwd')).toEqual(['/']);
    // create_user_ns(): current_chrooted() is EPERM
    expect(o.get('chroot /jail unshare -U true')).toEqual(['unshare: unshare failed: Operation not permitted']);
    expect([...text.matchAll(/echo \$\?\n(\d+)/g)].map((m) => Number(m[1]))).toEqual([125, 125, 127, 125, 125, 1]);
  });

  it('the classic escape: nsenter --root keeps the working directory outside the new root, and `..` climbs out (bash\'s words recorded)', async () => {
    const script = ['mkdir -p /jail/proc', 'mount -t proc proc /jail/proc', 'chroot /jail', 'mkdir /cell', 'nsenter --root=/cell',
      'echo $PWD', 'pwd', 'ls', 'cd ..', 'pwd', 'ls', 'chroot .', 'findmnt -o TARGET', 'exit', 'exit', 'exit',
      'nsenter --root=/nowhere', 'setpriv --reuid=1000 --regid=1000 --clear-groups nsenter --root=/jail'].join('\n');
    const { text, s } = await session(`${script}\n`, {}, backend());
    const o = outputs(text);
    expect(o.get('nsenter --root=/cell')).toEqual(['shell-init: error retrieving current directory: getcwd: cannot access parent directories: No such file or directory']);
    // the shell keeps the $PWD it inherited; the kernel's getcwd says "(unreachable)/jail"
    expect(o.get('echo $PWD')).toEqual(['/']);
    expect(text).toContain('root@box:/# pwd\npwd: error retrieving current directory: getcwd: cannot access parent directories: No such file or directory\n');
    expect(text).toContain('root@box:/# ls\ncell  proc\n');
    // bash's $PWD is then '..' (its prompt too), and `..` went past the root to the namespace's /
    expect(text).toContain('root@box:/# cd ..\nchdir: error retrieving current directory: getcwd: cannot access parent directories: No such file or directory\nroot@box:..# pwd\n..\nroot@box:..# ls\njail  proc  root\n');
    expect(o.get('findmnt -o TARGET')).toEqual(['TARGET', '/', '├─/jail/proc', '└─/proc']);
    expect(s.trace.steps.some((st) => st.op === 'getcwd' && s.results[s.trace.steps.indexOf(st)] && JSON.stringify(s.results[s.trace.steps.indexOf(st)]).includes('(unreachable)/jail'))).toBe(true);
    expect(o.get('nsenter --root=/nowhere')).toEqual(['nsenter: cannot open /nowhere: No such file or directory']);
    expect(o.get('setpriv --reuid=1000 --regid=1000 --clear-groups nsenter --root=/jail')).toEqual(['nsenter: chroot failed: Operation not permitted']);
  });

  it('chroot --help is coreutils 9.1\'s', async () => {
    const { text } = await session('chroot --help\necho $?\n', {}, backend());
    const o = outputs(text);
    expect(o.get('chroot --help')![0]).toBe('Usage: chroot [OPTION] NEWROOT [COMMAND [ARG]...]');
    expect(o.get('chroot --help')).toContain('If no command is given, run \'"$SHELL" -i\' (default: \'/bin/sh -i\').');
    expect(o.get('echo $?')).toEqual(['0']);
  });
}

describe('the working directory and chroot on the model', () => {
  suite(() => new ModelBackend());
});

describeKernel('the working directory and chroot on the kernel', () => {
  const kernel = useKernelBackend();
  suite(kernel);
});
