// chroot(8) as coreutils 9.1 runs it, each system call a step: chroot(NEWROOT) (not made when
// NEWROOT is the old root), chdir("/") (not with --skip-chdir, which only the old root takes),
// then execvp of COMMAND, or of '"$SHELL" -i'. No fork: the shell forked the process that runs
// it, and the command (a nested shell by default) runs in that process; `exit` ends it.
//
// The messages and exit statuses were recorded on Linux 6.18 (in a throwaway sandbox):
//   chroot: cannot change root directory to 'nowhere': No such file or directory   (125)
//   chroot: cannot change root directory to 'b': Operation not permitted           (125)
//   chroot: failed to run command ‘/bin/true’: No such file or directory           (127)
//   chroot: missing operand / Try 'chroot --help' for more information.            (125)
// This world's programs are in every root (its files are only directories), so a command of
// the world runs wherever the root is.

import { ProcessGone, type Ctx } from '../runtime.js';
import { strerror } from '../text.js';
import { getoptOrTry, type OptSpec } from './getopt.js';
import { absPath, callPath, hasMounts, treePath, worldPathProblem } from './mounts.js';

const CHROOT_USAGE = `Usage: chroot [OPTION] NEWROOT [COMMAND [ARG]...]
  or:  chroot OPTION
Run COMMAND with root directory set to NEWROOT.

      --groups=G_LIST        specify supplementary groups as g1,g2,..,gN
      --userspec=USER:GROUP  specify user and group (ID or name) to use
      --skip-chdir           do not change working directory to '/'
      --help        display this help and exit
      --version     output version information and exit

If no command is given, run '"$SHELL" -i' (default: '/bin/sh -i').

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/chroot>
or available locally via: info '(coreutils) chroot invocation'
`;

const CHROOT_OPTS: OptSpec[] = [
  { long: 'groups', arg: 'required', key: 'unsupported' },
  { long: 'userspec', arg: 'required', key: 'unsupported' },
  { long: 'skip-chdir', arg: 'none', key: 'skip-chdir' },
  { long: 'help', arg: 'none', key: 'help' },
  { long: 'version', arg: 'none', key: 'version' },
];

/** EXIT_CANCELED: chroot itself failed. */
const CANCELED = 125;

/** coreutils' quoteaf(): shell-escape quoting, always quoted. */
function quoteaf(s: string): string {
  return `'${s.replace(/'/g, "'\\''")}'`;
}

export async function chroot(ctx: Ctx, argv: string[]): Promise<number> {
  const rt = ctx.rt;
  const parsed = getoptOrTry(ctx, 'chroot', argv.slice(1), CHROOT_OPTS);
  if (!parsed) return CANCELED;
  let skipChdir = false;
  for (const { key, name } of parsed.opts) {
    if (key === 'help') { ctx.out(CHROOT_USAGE); return 0; }
    if (key === 'version') { ctx.out('chroot (GNU coreutils) 9.1\n'); return 0; }
    if (key === 'unsupported') { ctx.err(`chroot: ${name} is not supported in this shell's world (setuid and setgroups are not made here)\n`); return CANCELED; }
    if (key === 'skip-chdir') skipChdir = true;
  }
  if (parsed.rest.length === 0) {
    ctx.err("chroot: missing operand\nTry 'chroot --help' for more information.\n");
    return CANCELED;
  }
  const [newroot, ...command] = parsed.rest;
  if (!hasMounts(ctx)) {
    ctx.err("chroot: this shell's world has no directories to change root to (a session without mounts)\n");
    return CANCELED;
  }
  const problem = worldPathProblem(ctx, newroot);
  if (problem) {
    ctx.err(`chroot: cannot change root directory to ${quoteaf(newroot)}: ${problem}\n`);
    return CANCELED;
  }
  // is_root(): coreutils compares NEWROOT's inode with that of "/" and makes no chroot(2) for
  // the old root (the shell compares the names from its working directory)
  const oldRoot = absPath(ctx, newroot) === '/' && !rt.cwdOf(ctx.proc).startsWith('(unreachable)');
  if (skipChdir && !oldRoot) {
    ctx.err("chroot: option --skip-chdir only permitted if NEWROOT is old '/'\nTry 'chroot --help' for more information.\n");
    return CANCELED;
  }
  if (!oldRoot) {
    const r = await rt.run({ by: ctx.proc, op: 'chroot', path: callPath(newroot) }, { decisive: true });
    if ('dead' in r) throw new ProcessGone(ctx.proc);
    if ('err' in r) {
      ctx.err(`chroot: cannot change root directory to ${quoteaf(newroot)}: ${strerror(r.err)}\n`);
      return CANCELED;
    }
    rt.roots.set(ctx.proc, treePath(ctx, newroot));
  }
  if (!skipChdir) {
    const r = await rt.run({ by: ctx.proc, op: 'chdir', path: '/' }, { decisive: true });
    if ('dead' in r) throw new ProcessGone(ctx.proc);
    if ('err' in r) {
      ctx.err(`chroot: cannot chdir to root directory: ${strerror(r.err)}\n`);
      return CANCELED;
    }
    rt.cwd.set(ctx.proc, '/');
  }
  // execvp(COMMAND), or '"$SHELL" -i'
  const run = command.length > 0 ? command : [rt.env.SHELL ?? '/bin/sh', '-i'];
  const entry = rt.lookup(command.length > 0 ? run[0] : run[0].replace(/.*\//, ''));
  if (!entry) {
    ctx.err(`chroot: failed to run command ‘${run[0]}’: No such file or directory\n`);
    return 127;
  }
  return rt.execProgram(ctx.proc, run, entry, { stdin: ctx.stdin });
}
