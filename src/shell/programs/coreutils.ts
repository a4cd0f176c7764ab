// The shell builtins that are programs too (coreutils 9.1 echo, true, false, pwd, sleep; procps
// kill), and which, wc: what `nsenter ... echo hi`, `unshare ... true` or a pipeline's `wc`
// run. Each is a program in its own process, after exec.

import type { Ctx } from '../runtime.js';
import { getcwdStep, hasMounts } from './mounts.js';
import { KILL_L_TABLE, linuxSignalNumber, strerror, utf8Bytes } from '../text.js';

const base = (argv0: string) => argv0.replace(/.*\//, '');

/** echo [-n] [-e] ARG...: coreutils echo (no escapes interpreted). */
export async function echo(ctx: Ctx, argv: string[]): Promise<number> {
  let a = argv.slice(1);
  let newline = true;
  while (a.length > 0 && /^-[neE]+$/.test(a[0])) {
    if (a[0].includes('n')) newline = false;
    a = a.slice(1);
  }
  ctx.out(a.join(' ') + (newline ? '\n' : ''));
  return 0;
}

export async function trueProgram(): Promise<number> {
  return 0;
}

export async function falseProgram(): Promise<number> {
  return 1;
}

/**
 * pwd (coreutils 9.1, -P unless told -L): getcwd(2) as a step. When the working directory is
 * not under the root, glibc's getcwd() fails and coreutils walks `..` itself until it finds
 * the root's inode, which it never does (recorded on Linux 6.18: from /tmp outside a chroot,
 * "couldn't find directory entry in ‘../..’ with matching i-node", status 1).
 */
export async function pwd(ctx: Ctx, argv: string[]): Promise<number> {
  if (!hasMounts(ctx)) {
    ctx.out(`${ctx.rt.cwdOf(ctx.proc)}\n`);
    return 0;
  }
  const cwd = await getcwdStep(ctx, true);
  if (typeof cwd === 'string' && cwd.startsWith('/')) {
    ctx.out(`${cwd}\n`);
    return 0;
  }
  if (typeof cwd !== 'string') {
    ctx.err(`${argv[0]}: ${strerror(cwd.err)}\n`);
    return 1;
  }
  const depth = cwd.replace(/^\(unreachable\)/, '').split('/').filter(Boolean).length + 1;
  ctx.err(`${argv[0]}: couldn't find directory entry in ‘${Array(depth).fill('..').join('/')}’ with matching i-node\n`);
  return 1;
}

/** sleep NUMBER[smhd]...: time is not part of this world: it returns at once. */
export async function sleep(ctx: Ctx, argv: string[]): Promise<number> {
  const args = argv.slice(1);
  if (args.length === 0) {
    ctx.err("sleep: missing operand\nTry 'sleep --help' for more information.\n");
    return 1;
  }
  for (const a of args) {
    if (!/^(\d+(\.\d*)?|\.\d+)[smhd]?$/.test(a) && a !== 'infinity') {
      ctx.err(`sleep: invalid time interval '${a}'\nTry 'sleep --help' for more information.\n`);
      return 1;
    }
  }
  return 0;
}

/** wc [-l] [-w] [-c]: counts of standard input, as GNU wc prints them (width 7, one count unpadded). */
export async function wc(ctx: Ctx, argv: string[]): Promise<number> {
  let l = false, w = false, c = false;
  for (const a of argv.slice(1)) {
    if (/^-[lwc]+$/.test(a)) { l ||= a.includes('l'); w ||= a.includes('w'); c ||= a.includes('c'); continue; }
    if (a.startsWith('-')) {
      ctx.err(`wc: invalid option -- '${a.replace(/^-+/, '')[0]}'\nTry 'wc --help' for more information.\n`);
      return 1;
    }
    ctx.err(`wc: ${a}: this shell's wc counts standard input only (try: cat ${a} | wc)\n`);
    return 1;
  }
  if (!l && !w && !c) l = w = c = true;
  const text = ctx.stdin ?? '';
  const counts: number[] = [];
  if (l) counts.push((text.match(/\n/g) ?? []).length);
  if (w) counts.push(text.split(/\s+/).filter(Boolean).length);
  if (c) counts.push(utf8Bytes(text));
  ctx.out(counts.length === 1 ? `${counts[0]}\n` : `${counts.map((n) => String(n).padStart(7)).join(' ')}\n`);
  return 0;
}

/** which NAME...: the program's file on $PATH; nothing (status 1) for a name that is none. */
export async function which(ctx: Ctx, argv: string[]): Promise<number> {
  let status = 0;
  for (const name of argv.slice(1).filter((a) => !a.startsWith('-'))) {
    const entry = ctx.rt.lookup(name);
    if (entry && !name.includes('/') && entry.path.startsWith('/usr/bin/')) ctx.out(`${entry.path}\n`);
    else if (entry && name.includes('/')) ctx.out(`${name}\n`);
    else status = 1;
  }
  return status;
}

/** kill [-SIGNAL | -s SIGNAL] PID... | -l: procps kill(1). */
export async function kill(ctx: Ctx, argv: string[]): Promise<number> {
  const prog = argv[0];
  const rt = ctx.rt;
  let a = argv.slice(1);
  const usage = () => {
    ctx.err(`\nUsage:\n ${base(prog)} [options] <pid> [...]\n\nFor more details see kill(1).\n`);
    return 1;
  };
  if (a.length === 0) return usage();
  if (a[0] === '-l' || a[0] === '--list') {
    ctx.out(`${KILL_L_TABLE.split(/\s+/).filter((t) => t.startsWith('SIG')).map((t) => t.slice(3)).join(' ')}\n`);
    return 0;
  }
  let sig = 15;
  const named = (spec: string): number | undefined => (/^\d+$/.test(spec) ? Number(spec) : linuxSignalNumber(spec));
  if (a[0] === '-s' || a[0] === '--signal') {
    const n = a[1] === undefined ? undefined : named(a[1]);
    if (n === undefined) { ctx.err(`${prog}: unknown signal: ${a[1] ?? ''}\n`); return 1; }
    sig = n;
    a = a.slice(2);
  } else if (a[0].startsWith('-') && a[0] !== '--' && !/^-\d+$/.test(a[0]) || /^-\d+$/.test(a[0]) && a.length > 1) {
    const n = named(a[0].slice(1));
    if (n === undefined) { ctx.err(`${prog}: unknown signal: ${a[0].slice(1)}\n`); return 1; }
    sig = n;
    a = a.slice(1);
  }
  if (a[0] === '--') a = a.slice(1);
  if (a.length === 0) return usage();
  if (rt.signalNumber(String(sig)) === undefined) {
    ctx.err(`${prog}: signal ${sig}: this shell's world sends SIGHUP, SIGINT, SIGKILL, SIGUSR1, SIGUSR2 and SIGTERM only (and 0)\n`);
    return 1;
  }
  let status = 0;
  for (const p of a) {
    if (!/^\d+$/.test(p) || Number(p) <= 0) {
      ctx.err(`${prog}: (${p}): process groups and names are not supported by this shell's kill\n`);
      status = 1;
      continue;
    }
    const err = await rt.kill(ctx.proc, Number(p), sig);
    if (err) { ctx.err(`${prog}: (${p}): ${strerror(err)}\n`); status = 1; }
  }
  return status;
}
