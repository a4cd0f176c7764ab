// The seed article's two C programs, compiled into the home directory of the shell's world:
//
//   ./clone  — clone(run, stack, CLONE_NEWUTS | SIGCHLD, 0): the child runs a shell
//              (execv("/bin/sh")) in a new UTS namespace; the parent waits for it.
//   ./a.out  — unshare(CLONE_NEWUTS); system("hostname"); system("hostname testname");
//              system("hostname"); system("lsns"); execvp("/bin/sh").
//
// system() is glibc's: /bin/sh -c COMMAND in a child (dash 0.5.12 forks again for the
// command), and the caller waits for it.

import { ProcessGone, statusCode, type Ctx } from '../runtime.js';
import { strerror } from '../text.js';

export async function cloneDemo(ctx: Ctx, _argv: string[]): Promise<number> {
  const rt = ctx.rt;
  const child = rt.session.label('sh');
  const r = await rt.run({ by: ctx.proc, op: 'clone', flags: ['CLONE_NEWUTS'], as: child }, { decisive: true });
  if ('dead' in r) throw new ProcessGone(ctx.proc);
  if ('err' in r) {
    // the article's listing has no error handling: clone() returns -1 and main() returns 0
    return 0;
  }
  rt.adopt(ctx.proc, child);
  const status = await rt.lifeOf(ctx.proc, child, async () => {
    const sh = rt.lookup('sh')!;
    return rt.execProgram(child, ['/bin/sh'], sh);
  });
  void status;
  return 0;
}

/** system(3): /bin/sh -c COMMAND in a child (dash forks for the command too); its status. */
export async function system(ctx: Ctx, command: string): Promise<number> {
  const rt = ctx.rt;
  const forked = await rt.fork(ctx.proc, 'sh');
  if ('err' in forked) return 127;
  const child = forked.child;
  const status = await rt.lifeOf(ctx.proc, child, () => rt.execProgram(child, ['sh', '-c', command], rt.lookup('sh')!));
  return statusCode(status);
}

export async function unshareDemo(ctx: Ctx, _argv: string[]): Promise<number> {
  const rt = ctx.rt;
  const r = await rt.run({ by: ctx.proc, op: 'unshare', flags: ['CLONE_NEWUTS'] }, { decisive: true });
  if ('dead' in r) throw new ProcessGone(ctx.proc);
  void ('err' in r ? strerror(r.err) : ''); // no error handling in the listing
  await system(ctx, 'hostname');
  await system(ctx, 'hostname testname');
  await system(ctx, 'hostname');
  await system(ctx, 'lsns');
  const sh = rt.lookup('sh')!;
  return rt.execProgram(ctx.proc, ['/bin/sh'], sh);
}
