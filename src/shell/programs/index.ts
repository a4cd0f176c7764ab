// The programs of the shell's world, by the names a command line uses.

import type { ProgramEntry } from '../runtime.js';
import { shellProgram } from '../shell.js';
import { cat, domainname, grep, hostname, id, ls, readlink, uname, whoami } from './basic.js';
import { cloneDemo, unshareDemo } from './demo.js';
import { echo, falseProgram, kill, pwd, sleep, trueProgram, wc, which } from './coreutils.js';
import { findmnt, mkdir, mount, umount } from './mounts.js';
import { chroot } from './chroot.js';
import { lsns } from './lsns.js';
import { ps, pstree } from './ps.js';
import { nsenter, unshare } from './unshare.js';
import { capsh, getpcaps, setpriv } from './creds.js';

export function programs(): Map<string, ProgramEntry> {
  const m = new Map<string, ProgramEntry>();
  const add = (names: string[], path: string, run: ProgramEntry['run'], help: string) => {
    for (const n of names) m.set(n, { path, run: OWN_HELP.has(path) ? run : withHelp(run, path, help), help });
  };
  add(['unshare'], '/usr/bin/unshare', unshare, 'run a program with some namespaces unshared from the parent');
  add(['nsenter'], '/usr/bin/nsenter', nsenter, 'run a program with namespaces of other processes');
  add(['lsns'], '/usr/bin/lsns', lsns, 'list namespaces');
  add(['hostname'], '/usr/bin/hostname', hostname, 'show or set the system\'s host name');
  add(['domainname', 'nisdomainname', 'ypdomainname'], '/usr/bin/domainname', domainname, 'show or set the NIS domain name');
  add(['uname'], '/usr/bin/uname', uname, 'print system information');
  add(['readlink'], '/usr/bin/readlink', readlink, 'print resolved symbolic links');
  add(['ls'], '/usr/bin/ls', ls, 'list directory contents');
  add(['cat'], '/usr/bin/cat', cat, 'concatenate files');
  add(['id'], '/usr/bin/id', id, 'print real and effective user and group IDs');
  add(['setpriv'], '/usr/bin/setpriv', setpriv, 'run a program with different Linux privilege settings');
  add(['capsh'], '/usr/sbin/capsh', capsh, 'capability shell wrapper (here: --print, --decode=, --drop=, --caps=, --)');
  add(['getpcaps'], '/usr/sbin/getpcaps', getpcaps, 'display process capabilities');
  add(['whoami'], '/usr/bin/whoami', whoami, 'print effective user name');
  add(['grep'], '/usr/bin/grep', grep, 'print lines that match patterns');
  add(['ps'], '/usr/bin/ps', ps, 'report a snapshot of the current processes');
  add(['pstree'], '/usr/bin/pstree', pstree, 'display a tree of processes');
  add(['echo'], '/usr/bin/echo', echo, 'display a line of text');
  add(['true'], '/usr/bin/true', trueProgram, 'do nothing, successfully');
  add(['false'], '/usr/bin/false', falseProgram, 'do nothing, unsuccessfully');
  add(['pwd'], '/usr/bin/pwd', pwd, 'print name of current/working directory');
  add(['sleep'], '/usr/bin/sleep', sleep, 'delay for a specified amount of time (returns at once: no time in this world)');
  add(['kill'], '/usr/bin/kill', kill, 'send a signal to a process');
  add(['wc'], '/usr/bin/wc', wc, 'print newline, word, and byte counts of standard input');
  add(['which'], '/usr/bin/which', which, 'locate a command');
  add(['mount'], '/usr/bin/mount', mount, 'mount a filesystem (tmpfs, proc, --bind, --rbind, --move, --make-*, -o remount)');
  add(['umount'], '/usr/bin/umount', umount, 'unmount filesystems (-l: lazily)');
  add(['findmnt'], '/usr/bin/findmnt', findmnt, 'find a filesystem (the mount tree: -o, -J, -l, -N PID, -M, -T, -t)');
  add(['mkdir'], '/usr/bin/mkdir', mkdir, 'make directories (-p)');
  add(['chroot'], '/usr/sbin/chroot', chroot, 'run command or interactive shell with special root directory (--skip-chdir)');
  add(['bash', '-bash'], '/usr/bin/bash', shellProgram, 'GNU Bourne-Again SHell');
  add(['sh', 'dash', '-sh', '/bin/sh'], '/usr/bin/dash', shellProgram, 'command interpreter (shell)');
  add(['./clone'], '/root/clone', cloneDemo, "the article's clone() program: a shell in a new UTS namespace");
  add(['./a.out'], '/root/a.out', unshareDemo, "the article's unshare() program");
  return m;
}

/** The programs that print their own --help (the real tool's text). */
const OWN_HELP = new Set(['/usr/bin/unshare', '/usr/bin/nsenter', '/usr/bin/lsns', '/usr/bin/hostname', '/usr/bin/domainname',
  '/usr/bin/ps', '/usr/bin/ls', '/usr/bin/setpriv', '/usr/sbin/capsh', '/usr/sbin/getpcaps', '/usr/bin/mount', '/usr/bin/umount', '/usr/bin/findmnt', '/usr/bin/mkdir', '/usr/sbin/chroot', '/usr/bin/dash', '/root/clone', '/root/a.out']);

/** --help for a program of this world that does not print the real tool's: what it is and what this shell's takes. */
function withHelp(run: ProgramEntry['run'], path: string, help: string): ProgramEntry['run'] {
  return async (ctx, argv) => {
    if (argv[1] !== '--help') return run(ctx, argv);
    const name = path.replace(/.*\//, '');
    ctx.out(`Usage: ${name} [OPTION]... [ARGUMENT]...\n${help[0].toUpperCase()}${help.slice(1)}.\n\nThis is the teaching shell's ${name}: it takes what \`help\` shows for it.\n`);
    // coreutils false exits unsuccessfully even with --help
    return name === 'false' ? 1 : 0;
  };
}
