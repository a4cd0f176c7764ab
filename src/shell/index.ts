// The teaching shell: a login session on a backend. p0 plays init (/sbin/init), the login
// shell (-bash) is its child, and every command becomes steps of one trace.

import type { Backend } from '../trace/backend.js';
import type { Setup } from '../trace/types.js';
import { programs } from './programs/index.js';
import { ProcessGone, Runtime, type Io, type LineSource } from './runtime.js';
import { Session } from './session.js';
import { Shell } from './shell.js';
import { complete } from './complete.js';
import { homeOf, userName } from './text.js';

export { Session } from './session.js';
export type { Io, LineSource, Runtime } from './runtime.js';

export interface ShellOptions {
  backend: Backend;
  /** A model run alongside a backend that cannot say why (the kernel), for `explain`. */
  shadow?: Backend;
  setup: Setup;
  io: Io;
  input: LineSource;
  /** Told the session and its runtime once the session has started (the playground's diagram reads them). */
  onStart?(session: Session, rt: Runtime): void;
}

/** Run a login session until its shell exits (or the input ends); the shell's exit status. */
export async function runShell(opts: ShellOptions): Promise<{ status: number; session: Session }> {
  const session = new Session(opts.backend, opts.setup, opts.shadow);
  await session.start();
  try {
    const uid = opts.setup.user === 'root' ? 0 : 1000;
    const env: Record<string, string> = {
      HOME: homeOf(uid), USER: userName(uid)!, LOGNAME: userName(uid)!, SHELL: '/bin/bash',
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', TERM: 'xterm',
    };
    const rt = new Runtime(session, opts.io, opts.input, programs(), env);
    opts.input.setCompleter?.((line) => complete(rt, rt.reader, line));
    opts.onStart?.(session, rt);
    // init, and the login shell it starts
    await session.run({ by: 'p0', op: 'exec', argv: ['/sbin/init'] });
    // the world's root is the trace's own tmpfs (setup.mounts): the login's home is made in it
    if (session.trace.setup.mounts) {
      const parts = env.HOME.split('/').filter(Boolean);
      for (let i = 1; i <= parts.length; i++) await session.run({ by: 'p0', op: 'mkdir', path: `/${parts.slice(0, i).join('/')}` });
      // init starts the login in its home (the recorded sandbox's init: chdir, then fork)
      await session.run({ by: 'p0', op: 'chdir', path: env.HOME });
      rt.cwd.set('p0', env.HOME);
    }
    const forked = await rt.fork('p0', 'bash');
    if ('err' in forked) throw new Error(`the login shell could not be started: ${forked.err}`);
    const login = forked.child;
    rt.setLogin(login);
    // a world without files: the shell's own idea of the login's home
    if (!session.trace.setup.mounts) rt.cwd.set(login, env.HOME);
    await session.run({ by: login, op: 'exec', argv: ['-bash'] });
    let status = 0;
    try {
      status = await new Shell(rt, login, ['-bash']).run();
      await rt.exit(login, status);
      await rt.waitFor('p0', login);
    } catch (e) {
      if (!(e instanceof ProcessGone)) throw e;
      status = 128 + 9;
    }
    return { status, session };
  } finally {
    await session.close();
  }
}

/** Command lines from a script: each is shown after its prompt, as a terminal shows what is typed. */
export class ScriptSource implements LineSource {
  private i = 0;
  private readonly lines: string[];
  constructor(text: string, private readonly io: Io) {
    this.lines = text.split('\n');
    if (this.lines[this.lines.length - 1] === '') this.lines.pop();
  }

  async read(prompt: string): Promise<string | null> {
    this.io.write(prompt, 'out');
    if (this.i >= this.lines.length) return null;
    const line = this.lines[this.i++];
    this.io.write(`${line}\n`, 'out');
    return line;
  }
}
