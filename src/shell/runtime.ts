// What every program of the teaching shell shares: the session, the terminal, the input, and
// the ways processes start and end — fork, exec, exit and wait made as steps, the way a real
// shell and a real program make them.

import type { Result, SignalName, Step } from '../trace/types.js';
import { SIGNALS } from '../trace/types.js';
import type { Session } from './session.js';
import { strerror } from './text.js';

/** Where the terminal's text goes. */
export interface Io {
  write(text: string, stream: 'out' | 'err'): void;
}

/** Where command lines come from: a script (echoed after the prompt) or a terminal. */
export interface LineSource {
  /** The next line, after showing `prompt`; null at the end of the input. */
  read(prompt: string): Promise<string | null>;
  /** Tab completion, where the source is a terminal: the completions of a line typed so far, and the word completed. */
  setCompleter?(complete: (line: string) => Promise<[string[], string]>): void;
}

/** A running program: its process, its output, its program name for messages. */
export interface Ctx {
  rt: Runtime;
  /** The label of the process running this code. */
  proc: string;
  out(text: string): void;
  err(text: string): void;
  /** Standard input: the previous command's output in a pipeline, else null (the terminal). */
  stdin: string | null;
}

/** A program: what runs in a process after exec. Returns its exit status. */
export type Program = (ctx: Ctx, argv: string[]) => Promise<number>;

/** The program a command name runs, and the file it is. */
export interface ProgramEntry {
  path: string;
  run: Program;
  /** One line for `help`. */
  help: string;
}

/** How a process ended, as its parent's wait() learns it. */
export type Status = { code: number } | { signal: number };

export function statusCode(s: Status): number {
  return 'code' in s ? s.code : 128 + s.signal;
}

/** The program ran to its end (exit() already made) or its process was ended under it. */
export class ProcessGone extends Error {}

export class Runtime {
  /** How each process that ended did (by label): its exit code, or the signal that ended it. */
  readonly fates = new Map<string, Status>();
  /** Parent-death signals asked for (by label). */
  readonly pdeath = new Map<string, number>();
  /** Signals the shell's `kill` sent that ended processes (by label). */
  readonly killedBy = new Map<string, number>();
  /** The processes of the login's terminal (its controlling tty, for ps): the login shell and its descendants. */
  private readonly terminal = new Set<string>();
  /**
   * The working directory of each process as the shell last learned it from the kernel (a
   * getcwd step, a chdir that succeeded): what tells the shell which of /proc's pseudo-files a
   * relative path names. Never what a system call is given (the kernel keeps the real one). A
   * child inherits its parent's; setns(CLONE_NEWNS) and chroot(8) set it to `/`.
   */
  readonly cwd = new Map<string, string>();
  /**
   * The root directory of each process as the shell knows it: an absolute path in its mount
   * namespace's whole tree (`/` unless a chroot(8) of this shell changed it). Only for showing
   * mountinfo as that process reads it (the snapshot lists a namespace's mounts as its first
   * process sees them; docs/TRACE-EXTENSIONS.md, "Snapshots"). Inherited like the working
   * directory; setns(CLONE_NEWNS) sets it to `/`.
   */
  readonly roots = new Map<string, string>();
  /** The $PWD a shell exported (bash exports PWD), as each process's environment has it. */
  readonly pwdEnv = new Map<string, string>();
  /** The process of the shell reading the next command line (what Tab completion reads as). */
  reader = '';

  constructor(
    readonly session: Session,
    readonly io: Io,
    readonly input: LineSource,
    readonly programs: Map<string, ProgramEntry>,
    /** The environment every process has (the login's). */
    readonly env: Record<string, string>,
  ) {}

  /** A context for code running in process `proc`, writing to the terminal (or into `capture`). */
  ctx(proc: string, capture?: string[], stdin: string | null = null): Ctx {
    const io = this.io;
    return {
      rt: this,
      proc,
      out: (t) => (capture ? capture.push(t) : io.write(t, 'out')),
      err: (t) => io.write(t, 'err'),
      stdin,
    };
  }

  run(step: Step, opts: { decisive?: boolean } = {}): Promise<Result> {
    return this.session.run(step, opts);
  }

  /** The program a name (or a path) runs. */
  lookup(name: string): ProgramEntry | undefined {
    const base = name.includes('/') ? name : undefined;
    if (base) {
      for (const p of this.programs.values()) if (p.path === name) return p;
      const short = name.replace(/^\.\//, './');
      return this.programs.get(short);
    }
    return this.programs.get(name);
  }

  /** A new process of `parent`'s: it has the parent's terminal. */
  adopt(parent: string, child: string): void {
    if (this.terminal.has(parent)) this.terminal.add(child);
    const cwd = this.cwd.get(parent);
    if (cwd !== undefined) this.cwd.set(child, cwd);
    const root = this.roots.get(parent);
    if (root !== undefined) this.roots.set(child, root);
    const pwd = this.pwdEnv.get(parent);
    if (pwd !== undefined) this.pwdEnv.set(child, pwd);
  }

  /** The root directory of a process, as a path of its mount namespace's whole tree ('/' where not changed). */
  rootOf(proc: string): string {
    return this.roots.get(proc) ?? '/';
  }

  /** The working directory of a process ('/' where not known). */
  cwdOf(proc: string): string {
    return this.cwd.get(proc) ?? '/';
  }

  /** The login shell's process: the terminal's first. */
  setLogin(label: string): void {
    this.terminal.add(label);
  }

  onTerminal(label: string): boolean {
    return this.terminal.has(label);
  }

  /** fork(): a new process made by `parent`, or the errno. */
  async fork(parent: string, name: string, decisive = false): Promise<{ child: string } | { err: string }> {
    const child = this.session.label(name);
    const r = await this.run({ by: parent, op: 'fork', as: child }, { decisive });
    if ('err' in r) return { err: r.err };
    if ('dead' in r) throw new ProcessGone(parent);
    this.adopt(parent, child);
    return { child };
  }

  /** exit() of a process that is still running; how it ended otherwise. */
  async exit(proc: string, code: number): Promise<void> {
    if (!(await this.session.isRunning(proc))) return;
    await this.run({ by: proc, op: 'exit', code: code & 255 });
    this.fates.set(proc, { code: code & 255 });
  }

  /** How a process that is gone ended: its exit, the signal that was sent to end it, or SIGKILL (a PID namespace's end). */
  fateOf(proc: string): Status {
    const f = this.fates.get(proc);
    if (f) return f;
    const k = this.killedBy.get(proc) ?? this.pdeath.get(proc) ?? SIGNALS.SIGKILL;
    return { signal: k };
  }

  /** waitpid() for one child: wait steps until it is reaped (other zombies reaped on the way, as a shell does). */
  async waitFor(parent: string, child: string): Promise<Status> {
    const pid = await this.session.pidIn(child, (await this.session.process(parent))?.snap.ns.pid ?? null);
    for (let i = 0; i < 64; i++) {
      if (!(await this.session.isRunning(parent))) throw new ProcessGone(parent);
      const r = await this.run({ by: parent, op: 'wait' });
      if ('dead' in r) throw new ProcessGone(parent);
      if ('err' in r) break; // ECHILD: not our child any more (adopted elsewhere)
      if (!('value' in r) || r.value === 0) break;
      if (r.value === pid) break;
    }
    return this.fateOf(child);
  }

  /**
   * A SIGCHLD handler's work: `parent` (init, a shell) reaps every zombie child it has —
   * orphans it adopted too, as init and bash do.
   */
  async reap(parent: string): Promise<void> {
    for (let i = 0; i < 64; i++) {
      const v = await this.session.view();
      const me = v.snapshot.processes.find((p) => p.name === parent);
      if (!me || me.state !== 'running') return;
      const zombie = v.snapshot.processes.some((p) => p.state === 'zombie' && v.processes[p.name]?.parent === parent);
      if (!zombie) return;
      const r = await this.run({ by: parent, op: 'wait' });
      if (!('ok' in r) || r.value === 0) return;
    }
  }

  /** Does `proc` still run? If not, the code running in it stops here. */
  async mustRun(proc: string): Promise<void> {
    if (!(await this.session.isRunning(proc))) throw new ProcessGone(proc);
  }

  /** A signal's number by name or number (`KILL`, `SIGKILL`, `9`), if the trace format has it. */
  signalNumber(name: string): number | undefined {
    const values: number[] = Object.values(SIGNALS);
    if (/^\d+$/.test(name)) return Number(name) === 0 || values.includes(Number(name)) ? Number(name) : undefined;
    return (SIGNALS as Record<string, number>)[`SIG${name.toUpperCase().replace(/^SIG/, '')}`];
  }

  /**
   * kill(2) of `pid` as `proc`'s active PID namespace numbers it, with signal `sig`: the
   * errno, or undefined when it was sent. Throws ProcessGone when `proc` itself ended.
   */
  async kill(proc: string, pid: number, sig: number): Promise<string | undefined> {
    const s = this.session;
    const me = (await s.process(proc))!;
    let target: string | undefined;
    for (const p of (await s.view()).snapshot.processes) {
      if ((await s.pidIn(p.name, me.snap.ns.pid)) === pid) { target = p.name; break; }
    }
    if (!target) return 'ESRCH';
    const r = await this.run({ by: proc, op: 'kill', target, signal: this.signalName(sig) }, { decisive: true });
    let err: string | undefined;
    if ('err' in r) err = r.err;
    else if (!(await s.isRunning(target)) && !this.fates.has(target)) this.killedBy.set(target, sig);
    if ('dead' in r || !(await s.isRunning(proc))) throw new ProcessGone(proc);
    return err;
  }

  signalName(n: number): SignalName | 0 {
    const e = Object.entries(SIGNALS).find(([, v]) => v === n);
    return e ? (e[0] as SignalName) : 0;
  }

  /** The exec step alone: true when the process now runs `argv`. */
  async execStep(proc: string, argv: string[]): Promise<boolean> {
    const r = await this.run({ by: proc, op: 'exec', argv });
    if ('dead' in r) throw new ProcessGone(proc);
    return !('err' in r);
  }

  /** exec() of `argv` in process `proc`, then the program. The status it ends with. */
  async execProgram(proc: string, argv: string[], entry: ProgramEntry, io?: { out?: string[]; stdin?: string | null }): Promise<number> {
    const r = await this.run({ by: proc, op: 'exec', argv });
    if ('dead' in r) throw new ProcessGone(proc);
    if ('err' in r) return 126;
    return entry.run(this.ctx(proc, io?.out, io?.stdin ?? null), argv);
  }

  /**
   * Run `body` as the life of child process `child` of `parent`: when it returns, the child
   * exits with its status (if still running), and the parent waits for it. If the child is
   * ended under it, the parent learns how. Throws ProcessGone if the parent itself ends.
   */
  async lifeOf(parent: string, child: string, body: () => Promise<number>): Promise<Status> {
    try {
      const code = await body();
      await this.exit(child, code);
    } catch (e) {
      if (!(e instanceof ProcessGone) || (await this.session.isRunning(child))) throw e;
    }
    return this.waitFor(parent, child);
  }
}

/** The message of a failed call, as err(3) prints it: `prog: what: strerror`. */
export function errLine(prog: string, what: string, errno: string): string {
  return `${prog}: ${what}: ${strerror(errno)}\n`;
}
