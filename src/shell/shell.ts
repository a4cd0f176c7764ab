// The shells of the teaching shell's world: bash (a login shell is `-bash`) and dash (`sh`),
// each an interactive loop in one process. A command that is not a builtin runs as a real
// shell runs it: fork, exec in the child, the child's program, its exit, and the shell's wait.

import { expandWord, globPattern, parseLine, SyntaxError, type Pipeline, type Word } from './parse.js';
import { globPaths } from './programs/proc.js';
import { callPath, getcwdStep, hasMounts, normalPath, worldPathProblem } from './programs/mounts.js';
import { ProcessGone, statusCode, type Ctx, type ProgramEntry, type Runtime, type Status } from './runtime.js';
import { KILL_L_TABLE, linuxSignalNumber, signalDescription, strerror, userName } from './text.js';
import { explain, help, tree } from './teach.js';

export type ShellKind = 'bash' | 'dash';

/** The shell a program name starts: bash for bash and -bash, dash for sh and dash. */
export function shellKind(argv0: string): ShellKind {
  const base = argv0.replace(/^-/, '').replace(/.*\//, '');
  return base === 'sh' || base === 'dash' ? 'dash' : 'bash';
}

/** `exit` or the end of the input ends a shell with a status. */
class ShellExit extends Error {
  constructor(readonly status: number) {
    super('exit');
  }
}

/** The shell's builtins (for `type` and Tab completion). */
export const BUILTIN_NAMES = ['exit', 'logout', 'echo', 'true', 'false', ':', 'kill', 'exec', 'pwd', 'cd', 'type', 'help', 'explain', 'tree'];
const BUILTINS = new Set(BUILTIN_NAMES);

export class Shell {
  readonly kind: ShellKind;
  readonly login: boolean;
  /** The name in its error messages: -bash, bash, sh. */
  readonly name: string;
  private status = 0;
  private pid = 0;
  private ppid = 0;
  private hostname = '';
  private euid = 0;
  private lineNo = 0;
  /**
   * $PWD: the working directory as the shell spells it (bash's and dash's logical one): set
   * from getcwd(2) when the shell starts, then by `cd` to the path it changed to; null when
   * getcwd could not say (the working directory is not under the root).
   */
  private pwd: string | null = null;
  /**
   * The variable $PWD (the prompt's \w): $PWD, or when getcwd failed at start-up, the one the
   * shell's environment had (bash keeps an inherited $PWD it could not check). Exported.
   */
  private pwdVar: string | null = null;
  /** $OLDPWD, for `cd -`. */
  private oldpwd: string | null = null;
  /** bash's hash table: the commands it found on $PATH and ran (`type` says "hashed"). */
  private readonly hashed = new Set<string>();

  /** Its argv[0] ($0). */
  private readonly argv0: string;

  constructor(readonly rt: Runtime, readonly proc: string, argv: string[]) {
    this.argv0 = argv[0];
    this.kind = shellKind(argv[0]);
    this.login = argv[0].startsWith('-');
    // bash names itself by its argv[0]'s base name (-bash as it is); dash by its argv[0]
    this.name = this.kind === 'dash' ? argv[0].replace(/^-/, '') : argv[0].startsWith('-') ? argv[0] : argv[0].replace(/.*\//, '');
  }

  /** `sh -c LINE`, `bash -c LINE`: one command line, no prompt, no start-up files. */
  async runString(line: string): Promise<number> {
    await this.init(false);
    // dash counts the -c string as line 1 (`sh: 1: cd: can't cd to /x`)
    this.lineNo = 1;
    const list = this.parse(line);
    if (!list) return 2;
    // one simple command that is not a builtin: bash execs it in its own process; dash (0.5.12)
    // forks for it like for any other
    if (this.kind === 'bash' && list.length === 1 && list[0].pipeline.length === 1) {
      const argv = await this.expand(list[0].pipeline[0]);
      const entry = BUILTINS.has(argv[0]) ? undefined : this.rt.lookup(argv[0]);
      if (entry) return this.rt.execProgram(this.proc, argv, entry);
    }
    try {
      await this.runList(line, list);
    } catch (e) {
      if (e instanceof ShellExit) return e.status;
      throw e;
    }
    return this.status;
  }

  /** A shell starting: what it reads once ($$, $PPID, the host name and the user for its prompt). */
  private async init(interactive = true): Promise<void> {
    const r = this.rt;
    const pid = await r.run({ by: this.proc, op: 'getpid' });
    const ppid = await r.run({ by: this.proc, op: 'getppid' });
    const host = await r.run({ by: this.proc, op: 'gethostname' });
    if ('dead' in pid || 'dead' in host) throw new ProcessGone(this.proc);
    this.pid = 'value' in pid ? Number(pid.value) : 0;
    this.ppid = 'value' in ppid ? Number(ppid.value) : 0;
    this.hostname = 'value' in host ? String(host.value) : '';
    const p = (await r.session.process(this.proc))!;
    this.euid = await r.session.idIn(p.snap.uid, p.snap.ns.user);
    await this.initPwd();
    // the start-up files of Debian 12 fork too: /etc/profile's $(id -u) for a login shell,
    // then root's ~/.profile runs `mesg n`; a user's ~/.bashrc (read by its ~/.profile too)
    // runs $(dircolors -b). Which files: those of $HOME, the login's.
    if (this.kind === 'bash' && interactive) {
      const rootHome = this.rt.env.HOME === '/root';
      const forks: string[][] = this.login ? [['id', '-u']] : [];
      if (rootHome && this.login) forks.push(['mesg', 'n']);
      if (!rootHome) forks.push(['dircolors', '-b']);
      for (const argv of forks) await this.startupCommand(argv);
    }
  }

  /**
   * $PWD at start-up: what getcwd(2) says (the shell is not told a $PWD it could trust: the
   * one in its environment may be another root's). When the working directory is not under
   * the process's root, glibc's getcwd() fails and the shell says so, as bash and dash do.
   */
  private async initPwd(): Promise<void> {
    const ctx = this.rt.ctx(this.proc);
    if (!hasMounts(ctx)) {
      this.setPwd(this.rt.cwdOf(this.proc));
      return;
    }
    const cwd = await getcwdStep(ctx);
    if (typeof cwd === 'string' && cwd.startsWith('/')) {
      this.setPwd(cwd);
      return;
    }
    this.pwd = null;
    this.pwdVar = this.rt.pwdEnv.get(this.proc) ?? null;
    if (this.kind === 'dash') ctx.err(`${this.name}: 0: getcwd() failed: No such file or directory\n`);
    else ctx.err('shell-init: error retrieving current directory: getcwd: cannot access parent directories: No such file or directory\n');
  }

  /** $PWD changed (and exported). */
  private setPwd(pwd: string): void {
    this.pwd = pwd;
    this.pwdVar = pwd;
    this.rt.pwdEnv.set(this.proc, pwd);
  }

  /** A command of a start-up file: run in a child, its output not shown. */
  private async startupCommand(argv: string[]): Promise<void> {
    const rt = this.rt;
    const forked = await rt.fork(this.proc, argv[0]);
    if ('err' in forked) {
      this.say(rt.ctx(this.proc), `fork: ${strerror(forked.err)}`);
      return;
    }
    const child = forked.child;
    await rt.lifeOf(this.proc, child, async () => {
      const r = await rt.run({ by: child, op: 'exec', argv });
      return 'ok' in r ? 0 : 126;
    });
  }

  prompt(): string {
    const root = this.euid === 0;
    if (this.kind === 'dash') return root ? '# ' : '$ ';
    const user = userName(this.euid) ?? 'I have no name!';
    const host = this.hostname.split('.')[0];
    // \w: $PWD, ~ for $HOME ('.' when the shell does not know it)
    const cwd = this.pwdVar ?? '.';
    const home = this.rt.env.HOME;
    const w = home && (cwd === home || cwd.startsWith(`${home}/`)) ? `~${cwd.slice(home.length)}` : cwd;
    return `${user}@${host}:${w}${root ? '#' : '$'} `;
  }

  /** Run interactively until `exit` or the end of the input; the exit status. */
  async run(): Promise<number> {
    await this.init();
    for (;;) {
      this.rt.reader = this.proc;
      const line = await this.rt.input.read(this.prompt());
      this.lineNo++;
      if (line === null) {
        if (this.kind === 'bash') this.rt.io.write(this.login ? 'logout\n' : 'exit\n', 'err');
        return this.status;
      }
      try {
        await this.runLine(line);
      } catch (e) {
        if (e instanceof ShellExit) return e.status;
        throw e;
      }
      await this.rt.mustRun(this.proc);
      // SIGCHLD: the shell and init reap what has ended (orphans init adopted, too)
      await this.rt.reap(this.proc);
      await this.rt.reap('p0');
    }
  }

  private say(ctx: { err(t: string): void }, msg: string): void {
    ctx.err(this.kind === 'dash' ? `${this.name}: ${this.lineNo}: ${msg}\n` : `${this.name}: ${msg}\n`);
  }

  private lookup(name: string): string {
    switch (name) {
      case '$': return String(this.pid);
      case '?': return String(this.status);
      case 'PPID': return String(this.ppid);
      // bash sets HOSTNAME (not exported) to the host name it read at start-up; dash does not
      case 'HOSTNAME': return this.kind === 'bash' ? this.hostname : this.rt.env[name] ?? '';
      case '0': return this.kind === 'dash' ? this.name : this.argv0;
      case 'PWD': return this.pwdVar ?? '';
      case 'OLDPWD': return this.oldpwd ?? '';
      case '#': return '0';
      default: return this.rt.env[name] ?? '';
    }
  }

  /** One command line. */
  async runLine(line: string): Promise<void> {
    const list = this.parse(line);
    if (!list) {
      this.status = 2;
      return;
    }
    await this.runList(line, list);
  }

  /** The line's commands, or null after saying what is wrong with it (as the shell does). */
  private parse(line: string): ReturnType<typeof parseLine> | null {
    try {
      return parseLine(line);
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
      this.say(this.rt.ctx(this.proc), e.message);
      return null;
    }
  }

  private async runList(line: string, list: ReturnType<typeof parseLine>): Promise<void> {
    if (list.length === 0) return;
    this.rt.session.beginCommand(line.trim());
    for (const { op, pipeline } of list) {
      if (op === '&&' && this.status !== 0) continue;
      if (op === '||' && this.status === 0) continue;
      this.status = await this.runPipeline(pipeline);
      await this.rt.mustRun(this.proc);
    }
  }

  /** Parameter expansion, then pathname expansion of words with unquoted * ? [ (kept as typed when nothing matches). */
  private async expand(words: Word[]): Promise<string[]> {
    const out: string[] = [];
    const lookup = (n: string) => this.lookup(n);
    for (const w of words) {
      const text = expandWord(w, lookup);
      const pattern = globPattern(w, lookup);
      if (pattern) {
        const matches = await globPaths(this.rt.ctx(this.proc), pattern, text);
        if (matches.length > 0) { out.push(...matches); continue; }
      }
      out.push(text);
    }
    return out;
  }

  private async runPipeline(pipeline: Pipeline): Promise<number> {
    const commands: string[][] = [];
    for (const c of pipeline) commands.push(await this.expand(c));
    if (commands.length === 1 && BUILTINS.has(commands[0][0])) {
      return this.builtin(commands[0], this.rt.ctx(this.proc));
    }
    const status = await this.external(commands);
    return status === null ? 126 : statusCode(status);
  }

  /**
   * A pipeline of commands as bash runs it: every command is a child of the shell, forked
   * and exec'd before any of them runs, so that all of them exist while they run (lsns counts
   * grep in `lsns | grep uts`); each one's output is the next one's input; the shell waits
   * for all. The last one's status; null when the first fork failed.
   */
  private async external(commands: string[][]): Promise<Status | null> {
    const rt = this.rt;
    const kids: { child: string; argv: string[]; entry?: ProgramEntry; execFailed?: boolean }[] = [];
    for (const argv of commands) {
      const forked = await rt.fork(this.proc, argv[0]);
      if ('err' in forked) {
        this.say(rt.ctx(this.proc), `fork: ${strerror(forked.err)}`);
        break;
      }
      kids.push({ child: forked.child, argv });
    }
    if (kids.length === 0) return null;
    // each child execs its program (a builtin runs in the child as it is)
    for (const k of kids) {
      const entry = BUILTINS.has(k.argv[0]) ? undefined : rt.lookup(k.argv[0]);
      if (!entry) continue;
      if (!k.argv[0].includes('/')) this.hashed.add(k.argv[0]);
      try {
        if (await rt.execStep(k.child, k.argv)) k.entry = entry;
        else k.execFailed = true;
      } catch (e) {
        if (!(e instanceof ProcessGone)) throw e;
        k.execFailed = true;
      }
    }
    let input: string | null = null;
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i];
      const out: string[] | undefined = i === kids.length - 1 ? undefined : [];
      const ctx = rt.ctx(k.child, out, input);
      try {
        let code: number;
        if (BUILTINS.has(k.argv[0])) code = await this.builtin(k.argv, ctx);
        else if (k.entry) code = await k.entry.run(ctx, k.argv);
        else if (k.execFailed) code = 126;
        else {
          // bash forks first, and the child finds no such command
          this.say(rt.ctx(k.child), this.kind === 'dash' ? `${k.argv[0]}: not found` : `${k.argv[0]}: command not found`);
          rt.session.note(`\`${k.argv[0]}\` is no program of this shell's world: the shell forked, the child found no such file on $PATH and exited with status 127 (no exec). \`help\` lists the commands.`);
          code = 127;
        }
        await rt.exit(k.child, code);
      } catch (e) {
        if (!(e instanceof ProcessGone) || (await rt.session.isRunning(k.child))) throw e;
      }
      input = out ? out.join('') : null;
    }
    let status: Status = { code: 0 };
    for (const k of kids) status = await rt.waitFor(this.proc, k.child);
    if ('signal' in status) {
      const d = signalDescription(status.signal);
      if (d) rt.io.write(`${d}\n`, 'err');
    }
    return status;
  }

  // ---- builtins ------------------------------------------------------------------------------

  private async builtin(argv: string[], ctx: Ctx): Promise<number> {
    const [cmd, ...args] = argv;
    switch (cmd) {
      case 'exit':
      case 'logout': {
        if (cmd === 'logout' && (this.kind === 'dash' || !this.login)) {
          this.say(ctx, 'logout: not login shell: use `exit\'');
          return 1;
        }
        if (this.kind === 'bash') ctx.err(this.login ? 'logout\n' : 'exit\n');
        let code = this.status;
        if (args.length > 0) {
          if (!/^-?\d+$/.test(args[0])) {
            this.say(ctx, `${cmd}: ${args[0]}: numeric argument required`);
            code = 2;
          } else {
            code = Number(args[0]) & 255;
          }
        }
        throw new ShellExit(code);
      }
      case 'echo': {
        let a = args;
        let newline = true;
        if (a[0] === '-n') { newline = false; a = a.slice(1); }
        ctx.out(a.join(' ') + (newline ? '\n' : ''));
        return 0;
      }
      case 'true':
      case ':':
        return 0;
      case 'false':
        return 1;
      case 'pwd':
        return this.pwdBuiltin(args, ctx);
      case 'cd':
        return this.cd(args, ctx);
      case 'type':
        return this.type(args, ctx);
      case 'kill':
        return this.kill(args, ctx);
      case 'exec':
        return this.exec(args, ctx);
      case 'help':
        return help(ctx, args);
      case 'explain':
        return explain(ctx, args);
      case 'tree':
        return tree(ctx, args);
      default:
        return 0;
    }
  }

  /**
   * pwd [-L|-P]: $PWD as the shell keeps it (bash's and dash's builtin); -P, or a shell that
   * does not know its $PWD, asks the kernel (a getcwd step).
   */
  private async pwdBuiltin(args: string[], ctx: Ctx): Promise<number> {
    let physical = false;
    for (const a of args) {
      if (a === '-P') physical = true;
      else if (a === '-L') physical = false;
      else if (a.startsWith('-') && a !== '-') {
        this.say(ctx, this.kind === 'dash' ? `pwd: Illegal option ${a}` : `pwd: ${a}: invalid option\npwd: usage: pwd [-LP]`);
        return 2;
      } else break;
    }
    if (!physical && this.pwd !== null) {
      ctx.out(`${this.pwd}\n`);
      return 0;
    }
    const cwd = hasMounts(ctx) ? await getcwdStep(ctx, true) : this.rt.cwdOf(ctx.proc);
    if (typeof cwd === 'string' && cwd.startsWith('/')) {
      if (ctx.proc === this.proc) this.setPwd(cwd);
      ctx.out(`${cwd}\n`);
      return 0;
    }
    // bash's get_working_directory("pwd") says it without the shell's name (recorded)
    if (this.kind === 'dash') this.say(ctx, 'pwd: getcwd() failed: No such file or directory');
    else ctx.err('pwd: error retrieving current directory: getcwd: cannot access parent directories: No such file or directory\n');
    return 1;
  }

  /**
   * cd [DIR]: chdir(2) as bash makes it — to $PWD/DIR with `.` and `..` taken away by name
   * (its logical mode; this world has no symbolic links), and if that fails, to DIR as typed
   * (bash's second try) — then $PWD is the path it changed to. No DIR: $HOME; `-`: $OLDPWD.
   */
  private async cd(args: string[], ctx: Ctx): Promise<number> {
    const a = args[0] === '--' ? args.slice(1) : args;
    if (a.length > 1 && this.kind === 'bash') {
      this.say(ctx, 'cd: too many arguments');
      return 1;
    }
    const home = this.rt.env.HOME;
    let dir = a[0];
    let print = false;
    if (dir === undefined || (dir === '~' && home !== undefined)) {
      if (home === undefined || home === '') {
        if (home === undefined) { this.say(ctx, 'cd: HOME not set'); return 1; }
        return 0;
      }
      dir = home;
    } else if (dir === '-') {
      if (this.oldpwd === null) { this.say(ctx, 'cd: OLDPWD not set'); return 1; }
      dir = this.oldpwd;
      print = true;
    } else if (dir.startsWith('~/') && home !== undefined) {
      dir = `${home}${dir.slice(1)}`;
    }
    const fail = (errno: string): number => {
      this.say(ctx, this.kind === 'dash' ? `cd: can't cd to ${dir}` : `cd: ${dir}: ${strerror(errno)}`);
      return this.kind === 'dash' ? 2 : 1;
    };
    if (dir === '') return 0;
    const problem = worldPathProblem(ctx, dir);
    if (problem) {
      this.say(ctx, `cd: ${dir}: ${problem}`);
      return 1;
    }
    if (!hasMounts(ctx)) return fail('ENOENT');
    const chdir = async (path: string): Promise<string | undefined> => {
      const r = await this.rt.run({ by: ctx.proc, op: 'chdir', path }, { decisive: true });
      if ('dead' in r) throw new ProcessGone(ctx.proc);
      return 'err' in r ? r.err : undefined;
    };
    // bash asks getcwd first when it does not know where it is (its words, without its
    // name, when that fails: recorded in a process whose working directory its root does
    // not reach); then the logical path, from $PWD — a relative $PWD stays relative
    let base = this.pwd;
    if (base === null) {
      const cwd = await getcwdStep(ctx);
      if (typeof cwd === 'string' && cwd.startsWith('/')) base = cwd;
      else if (this.kind === 'bash') ctx.err('chdir: error retrieving current directory: getcwd: cannot access parent directories: No such file or directory\n');
    }
    const full = dir.startsWith('/') || base === null ? dir : `${base}/${dir}`;
    let logical = full.startsWith('/') ? normalPath(full) : relativePath(full);
    let pwd = logical;
    // bash's canonicalization checks (stat) that a `..` follows a directory; when DIR itself
    // names one before a `..`, the kernel's walk of the path checks it: the path keeps it
    // (`cd nowhere/..` is ENOENT, as in bash), $PWD is the canonical one
    if (dotdotAfterName(dir)) logical = callPath(full).replace(/(^|\/)\.(?=\/|$)/g, '$1').replace(/\/+/g, '/');
    let err = await chdir(logical);
    if (err !== undefined && logical !== callPath(dir)) {
      // bash tries what was typed; then it asks getcwd where it is
      const second = await chdir(callPath(dir));
      if (second === undefined) {
        err = undefined;
        const cwd = await getcwdStep(ctx);
        pwd = typeof cwd === 'string' && cwd.startsWith('/') ? cwd : logical;
      }
    }
    if (err !== undefined) return fail(err);
    if (ctx.proc === this.proc) {
      this.oldpwd = this.pwdVar;
      this.setPwd(pwd);
    }
    if (pwd.startsWith('/')) this.rt.cwd.set(ctx.proc, pwd);
    else {
      // where it went, for /proc's pseudo-files: from the working directory the shell last knew
      const was = this.rt.cwdOf(ctx.proc);
      const unreachable = was.startsWith('(unreachable)');
      const abs = normalPath(`${was.replace(/^\(unreachable\)/, '')}/${pwd}`);
      this.rt.cwd.set(ctx.proc, unreachable ? `(unreachable)${abs}` : abs);
    }
    if (print) ctx.out(`${pwd}\n`);
    return 0;
  }

  /** type NAME...: builtin, or the program's file (bash's words). */
  private type(args: string[], ctx: Ctx): number {
    let status = 0;
    for (const a of args) {
      const entry = this.rt.lookup(a);
      if (BUILTINS.has(a)) ctx.out(`${a} is a shell builtin\n`);
      else if (entry && this.kind === 'bash' && this.hashed.has(a)) ctx.out(`${a} is hashed (${entry.path})\n`);
      else if (entry) ctx.out(`${a} is ${entry.path}\n`);
      else {
        this.say(ctx, this.kind === 'dash' ? `${a}: not found` : `type: ${a}: not found`);
        status = 1;
      }
    }
    return status;
  }

  /** A signal by name or number for kill: bash's message for no such signal; this world's for one the trace format cannot send. */
  private signal(spec: string, ctx: Ctx): number | undefined {
    const n = /^\d+$/.test(spec) ? Number(spec) : linuxSignalNumber(spec);
    if (n === undefined || (n > 64)) { this.say(ctx, `kill: ${spec}: invalid signal specification`); return undefined; }
    if (this.rt.signalNumber(String(n)) === undefined) {
      this.say(ctx, `kill: ${spec}: this shell's world sends SIGHUP, SIGINT, SIGKILL, SIGUSR1, SIGUSR2 and SIGTERM only (and 0)`);
      return undefined;
    }
    return n;
  }

  /** kill [-s SIG | -SIG | -n NUM] PID...: kill(2) by the PID the shell's PID namespace sees. */
  private async kill(args: string[], ctx: Ctx): Promise<number> {
    const rt = this.rt;
    let sig = 15;
    let a = args;
    const usage = () => {
      this.say(ctx, 'kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]');
      return 2;
    };
    if (a.length === 0) return usage();
    if (a[0] === '-l' || a[0] === '-L') {
      if (a.length === 1) { ctx.out(KILL_L_TABLE); return 0; }
      let st = 0;
      for (const x of a.slice(1)) {
        if (/^\d+$/.test(x)) {
          const m = new RegExp(`(?:^|\\s)${Number(x) > 128 ? Number(x) - 128 : Number(x)}\\) SIG(\\S+)`).exec(KILL_L_TABLE);
          if (m) ctx.out(`${m[1]}\n`); else { this.say(ctx, `kill: ${x}: invalid signal specification`); st = 1; }
        } else {
          const n = linuxSignalNumber(x);
          if (n !== undefined) ctx.out(`${n}\n`); else { this.say(ctx, `kill: ${x}: invalid signal specification`); st = 1; }
        }
      }
      return st;
    }
    if (a[0] === '-s' || a[0] === '-n') {
      if (a.length < 2) return usage();
      const n = this.signal(a[1], ctx);
      if (n === undefined) return 1;
      sig = n;
      a = a.slice(2);
    } else if (a[0].startsWith('-') && a[0] !== '--') {
      const n = this.signal(a[0].slice(1), ctx);
      if (n === undefined) return 1;
      sig = n;
      a = a.slice(1);
    }
    if (a[0] === '--') a = a.slice(1);
    if (a.length === 0) return usage();
    let status = 0;
    for (const arg of a) {
      if (!/^-?\d+$/.test(arg)) {
        this.say(ctx, `kill: ${arg}: arguments must be process or job IDs`);
        status = 1;
        continue;
      }
      const pid = Number(arg);
      if (pid <= 0) {
        this.say(ctx, `kill: (${pid}) - process groups are not supported by this shell`);
        status = 1;
        continue;
      }
      const err = await rt.kill(ctx.proc, pid, sig);
      if (err) {
        this.say(ctx, `kill: (${pid}) - ${strerror(err)}`);
        status = 1;
      }
    }
    return status;
  }

  /** exec PROGRAM ARGS: the shell's process becomes the program. */
  private async exec(args: string[], ctx: Ctx): Promise<number> {
    if (args.length === 0) return 0;
    const entry = this.rt.lookup(args[0]);
    if (!entry) {
      this.say(ctx, this.kind === 'dash' ? `exec: ${args[0]}: not found` : `${args[0]}: not found`);
      if (this.kind === 'bash') throw new ShellExit(127);
      return 127;
    }
    const code = await this.rt.execProgram(ctx.proc, args, entry);
    throw new ShellExit(code);
  }
}

/** Does a path name a component and then `..` after it (`a/..`, `/x/y/../z`)? */
function dotdotAfterName(p: string): boolean {
  let named = false;
  for (const c of p.split('/')) {
    if (c === '..' && named) return true;
    if (c !== '' && c !== '.' && c !== '..') named = true;
  }
  return false;
}

/** A relative path with `.` and repeated slashes taken away, and `..` after a name (bash's sh_canonpath): leading `..` stay. */
function relativePath(p: string): string {
  const out: string[] = [];
  for (const c of p.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else out.push(c);
  }
  return out.length > 0 ? out.join('/') : '.';
}

/** The program of a shell: bash, -bash, sh, dash; interactive, or `-c LINE`. */
export async function shellProgram(ctx: Ctx, argv: string[]): Promise<number> {
  const name = argv[0].replace(/^-/, '');
  if (argv[1] === '-c') {
    if (argv.length < 3) {
      ctx.err(shellKind(argv[0]) === 'dash' ? `${name}: 0: -c requires an argument\n` : `${name}: -c: option requires an argument\n`);
      return 2;
    }
    return new Shell(ctx.rt, ctx.proc, [argv[0]]).runString(argv[2]);
  }
  // -i: interactive (what chroot(8) runs: '"$SHELL" -i'); this shell is interactive anyway
  if (argv.length > 2 || (argv.length === 2 && argv[1] !== '-i')) {
    ctx.err(`${name}: this shell's ${name} runs interactively (-i) or with -c COMMAND (no other options, no scripts)\n`);
    return 2;
  }
  return new Shell(ctx.rt, ctx.proc, [argv[0]]).run();
}
