// hostname, domainname, uname, readlink, ls, cat, id, whoami, grep: the small tools, with the
// output and messages of Debian's (hostname 3.23, coreutils 9.1, grep 3.8).

import type { NsFile } from '../../trace/types.js';
import { NS_FILES } from '../../trace/types.js';
import type { Ctx } from '../runtime.js';
import { groupName, strerror, userName } from '../text.js';
import { comm, isNsFile, procNsOf, procTarget, readNsLink, splitProcPath, WORLD_TIME } from './proc.js';

/** hostname(1)'s check_name(): letters, digits, '-' and '.', not at the ends, no '..' or '.-'. */
function validHostname(name: string): boolean {
  const alnum = (c: string | undefined) => c !== undefined && /^[A-Za-z0-9]$/.test(c);
  if (!name.length || !alnum(name[0]) || !alnum(name[name.length - 1])) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (!alnum(c) && c !== '-' && c !== '.') return false;
    if (c === '-' && (name[i - 1] === '.' || name[i + 1] === '.')) return false;
    if (c === '.' && name[i - 1] === '.') return false;
  }
  return true;
}

const HOSTNAME_USAGE = `Usage: hostname [-b] {hostname|-F file}         set host name (from file)
       hostname [-a|-A|-d|-f|-i|-I|-s|-y]       display formatted name
       hostname                                 display host name

       {yp,nis,}domainname {nisdomain|-F file}  set NIS domain name (from file)
       {yp,nis,}domainname                      display NIS domain name

       dnsdomainname                            display dns domain name

       hostname -V|--version|-h|--help          print info and exit
`;

/** hostname [NAME]: gethostname() or sethostname(). */
export async function hostname(ctx: Ctx, argv: string[]): Promise<number> {
  const args = argv.slice(1);
  if (args[0] === '-h' || args[0] === '--help') { ctx.out(HOSTNAME_USAGE); return 0; }
  if (args.length > 0 && args[0].startsWith('-')) {
    ctx.err(`hostname: option '${args[0]}' is not supported by this shell's hostname\n`);
    return 1;
  }
  if (args.length === 0) {
    const r = await ctx.rt.run({ by: ctx.proc, op: 'gethostname' }, { decisive: true });
    if ('ok' in r) ctx.out(`${String(r.value)}\n`);
    return 'ok' in r ? 0 : 1;
  }
  const name = args[0];
  if (!validHostname(name)) { ctx.err('hostname: the specified hostname is invalid\n'); return 1; }
  const r = await ctx.rt.run({ by: ctx.proc, op: 'sethostname', name }, { decisive: true });
  if ('err' in r) {
    ctx.err(r.err === 'EPERM' ? 'hostname: you must be root to change the host name\n'
      : r.err === 'EINVAL' ? 'hostname: name too long\n' : `hostname: ${strerror(r.err)}\n`);
    return 1;
  }
  return 0;
}

/** domainname [NAME]: getdomainname() or setdomainname(). */
export async function domainname(ctx: Ctx, argv: string[]): Promise<number> {
  const prog = argv[0].replace(/.*\//, '');
  const args = argv.slice(1);
  if (args[0] === '-h' || args[0] === '--help') { ctx.out(HOSTNAME_USAGE); return 0; }
  if (args.length === 0) {
    const r = await ctx.rt.run({ by: ctx.proc, op: 'getdomainname' }, { decisive: true });
    if ('ok' in r) ctx.out(`${String(r.value)}\n`);
    return 'ok' in r ? 0 : 1;
  }
  const r = await ctx.rt.run({ by: ctx.proc, op: 'setdomainname', name: args[0] }, { decisive: true });
  if ('err' in r) {
    ctx.err(r.err === 'EPERM' ? `${prog}: you must be root to change the domain name\n`
      : r.err === 'EINVAL' ? `${prog}: name too long\n` : `${prog}: ${strerror(r.err)}\n`);
    return 1;
  }
  return 0;
}

/** uname [-s|-n|-a]: the node name comes from the UTS namespace. */
export async function uname(ctx: Ctx, argv: string[]): Promise<number> {
  const opt = argv[1] ?? '-s';
  if (opt === '-s') { ctx.out('Linux\n'); return 0; }
  const r = await ctx.rt.run({ by: ctx.proc, op: 'gethostname' }, { decisive: true });
  const node = 'ok' in r ? String(r.value) : '';
  if (opt === '-n') { ctx.out(`${node}\n`); return 0; }
  if (opt === '-a') { ctx.out(`Linux ${node} 6.18.0 #1 SMP PREEMPT_DYNAMIC x86_64 GNU/Linux\n`); return 0; }
  ctx.err(`uname: invalid option -- '${opt.replace(/^-+/, '')}'\nTry 'uname --help' for more information.\n`);
  return 1;
}

/** readlink [-v] FILE...: the /proc links this world has (/proc/<pid>/ns/*, /proc/self). */
export async function readlink(ctx: Ctx, argv: string[]): Promise<number> {
  let verbose = false;
  const files: string[] = [];
  for (const a of argv.slice(1)) {
    if (a === '-v' || a === '--verbose') verbose = true;
    else if (a === '-n' || a === '--no-newline') continue;
    else if (a.startsWith('-') && a !== '-') {
      ctx.err(`readlink: invalid option -- '${a.replace(/^-+/, '')}'\nTry 'readlink --help' for more information.\n`);
      return 1;
    } else files.push(a);
  }
  if (files.length === 0) {
    ctx.err("readlink: missing operand\nTry 'readlink --help' for more information.\n");
    return 1;
  }
  let status = 0;
  for (const f of files) {
    const r = await readOneLink(ctx, f);
    if ('text' in r) ctx.out(`${r.text}\n`);
    else {
      status = 1;
      if (verbose) ctx.err(`readlink: ${f}: ${strerror(r.err)}\n`);
    }
  }
  return status;
}

async function readOneLink(ctx: Ctx, path: string): Promise<{ text: string } | { err: string }> {
  const parts = splitProcPath(path);
  if (!parts) return { err: 'EINVAL' };
  const target = await procTarget(ctx, parts.who);
  if ('err' in target) return target;
  if (parts.rest === '') return parts.who === 'self' ? { text: String(target.pid) } : { err: 'EINVAL' };
  const m = /^ns\/([a-z_]+)$/.exec(parts.rest);
  if (!m) return { err: parts.rest === 'ns' ? 'EINVAL' : 'ENOENT' };
  if (!isNsFile(m[1])) return { err: 'ENOENT' };
  return readNsLink(ctx, target.label, m[1]);
}

/** ls [-l] /proc/PID/ns: the namespace links, as coreutils ls shows them. */
export async function ls(ctx: Ctx, argv: string[]): Promise<number> {
  let long = false;
  const paths: string[] = [];
  for (const a of argv.slice(1)) {
    if (/^-[la1]+$/.test(a)) { if (a.includes('l')) long = true; } else if (a.startsWith('-')) {
      ctx.err(`ls: option '${a}' is not supported by this shell's ls\n`);
      return 2;
    } else paths.push(a);
  }
  if (paths.length === 0) {
    ctx.err("ls: this shell's world has only /proc/PID/ns to list (try: ls -l /proc/$$/ns)\n");
    return 2;
  }
  let status = 0;
  for (const [i, path] of paths.entries()) {
    const parts = splitProcPath(path);
    const target = parts ? await procTarget(ctx, parts.who) : { err: 'ENOENT' as const };
    if (!parts || parts.rest.replace(/\/$/, '') !== 'ns' || 'err' in target) {
      ctx.err(`ls: cannot access '${path}': No such file or directory\n`);
      status = 2;
      continue;
    }
    if (paths.length > 1) ctx.out(`${i > 0 ? '\n' : ''}${path}:\n`);
    const names = [...NS_FILES].sort();
    if (!long) {
      ctx.out(`${names.join('  ')}\n`);
      continue;
    }
    // owner: the process's euid and gid as the reader's user namespace sees them
    const s = ctx.rt.session;
    const me = (await s.process(ctx.proc))!;
    const uid = await s.idIn(target.p.snap.uid, me.snap.ns.user);
    const gid = await s.idIn(s.gid, me.snap.ns.user, true);
    const owner = `${userName(uid) ?? uid} ${groupName(gid) ?? gid}`;
    const lines: string[] = [];
    for (const n of names) {
      const r = await readNsLink(ctx, target.label, n as NsFile);
      if ('err' in r) {
        ctx.err(`ls: cannot read symbolic link '${path.replace(/\/$/, '')}/${n}': ${strerror(r.err)}\n`);
        status = 1;
      }
      lines.push(`lrwxrwxrwx 1 ${owner} 0 ${WORLD_TIME.lsDate} ${n}${'text' in r ? ` -> ${r.text}` : ''}\n`);
    }
    ctx.out(`total 0\n${lines.join('')}`);
  }
  return status;
}

/** cat FILE...: /proc/PID/status, uid_map, gid_map, setgroups; or standard input. */
export async function cat(ctx: Ctx, argv: string[]): Promise<number> {
  const files = argv.slice(1);
  if (files.length === 0) { ctx.out(ctx.stdin ?? ''); return 0; }
  let status = 0;
  for (const f of files) {
    const parts = splitProcPath(f);
    const target = parts ? await procTarget(ctx, parts.who) : { err: 'ENOENT' as const };
    const text = parts && !('err' in target) ? await procFile(ctx, target.label, target.pid, parts.rest) : null;
    if (text === null) {
      ctx.err(`cat: ${f}: No such file or directory\n`);
      status = 1;
    } else ctx.out(text);
  }
  return status;
}

async function procFile(ctx: Ctx, label: string, pid: number, file: string): Promise<string | null> {
  const s = ctx.rt.session;
  const me = (await s.process(ctx.proc))!;
  const p = (await s.process(label))!;
  switch (file) {
    case 'status': return status(ctx, label, pid);
    case 'uid_map':
    case 'gid_map': {
      if (p.snap.ns.user === null) return '';
      const map = await s.mapOf(p.snap.ns.user, file === 'gid_map');
      if (!map) return '';
      // lower ids as the reader sees them; from inside, as the parent sees them (uid_m_show)
      const own = await s.namespace(p.snap.ns.user);
      const lowerNs = me.snap.ns.user === p.snap.ns.user && own?.owner ? own.owner : me.snap.ns.user;
      const rows: string[] = [];
      for (const [first, kid, count] of map) {
        const lower = await s.idIn(kid, lowerNs, file === 'gid_map', true);
        rows.push(`${String(first).padStart(10)} ${String(lower).padStart(10)} ${String(count).padStart(10)}\n`);
      }
      return rows.join('');
    }
    case 'setgroups':
      return `${await s.setgroupsOf(p.snap.ns.user)}\n`;
    case 'cmdline':
      return (p.cmdline ?? []).map((a) => `${a}\0`).join('');
    case 'comm':
      return `${comm(p.cmdline ?? s.argvOf(label) ?? null)}\n`;
    default:
      return null;
  }
}

/** /proc/<pid>/status, the lines up to Threads (without the memory lines). */
async function status(ctx: Ctx, label: string, pid: number): Promise<string> {
  const s = ctx.rt.session;
  const ns = await procNsOf(ctx);
  const me = (await s.process(ctx.proc))!;
  const p = (await s.process(label))!;
  const level = ns ? await s.level(ns) : 0;
  const uid = await s.idIn(p.snap.uid, me.snap.ns.user);
  const gid = await s.idIn(s.gid, me.snap.ns.user, true);
  const state = p.snap.state === 'zombie' ? 'Z (zombie)' : label === ctx.proc ? 'R (running)' : 'S (sleeping)';
  const ppid = p.parent ? await s.pidIn(p.parent, ns) : 0;
  const nspid = p.snap.nspid.slice(level).join('\t');
  // the session is p0's (the sandbox's init is its leader): its PID at each level, 0 where unseen
  const p0 = (await s.process('p0'))?.snap.nspid ?? [];
  const nssid = p.snap.nspid.slice(level).map((_, i) => p0[level + i] ?? 0).join('\t');
  const name = comm(p.cmdline ?? s.argvOf(label) ?? null);
  return [
    `Name:\t${name}`, 'Umask:\t0022', `State:\t${state}`, `Tgid:\t${pid}`, 'Ngid:\t0', `Pid:\t${pid}`,
    `PPid:\t${ppid}`, 'TracerPid:\t0', `Uid:\t${uid}\t${uid}\t${uid}\t${uid}`, `Gid:\t${gid}\t${gid}\t${gid}\t${gid}`,
    'FDSize:\t64', 'Groups:\t ', `NStgid:\t${nspid}`, `NSpid:\t${nspid}`, `NSpgid:\t${nssid}`, `NSsid:\t${nssid}`,
    'Kthread:\t0', 'Threads:\t1', '',
  ].join('\n');
}

/** id [-u|-g|-n]: coreutils id, the ids as the process's user namespace sees them. */
export async function id(ctx: Ctx, argv: string[]): Promise<number> {
  const s = ctx.rt.session;
  const me = (await s.process(ctx.proc))!;
  const uid = await s.idIn(me.snap.uid, me.snap.ns.user);
  const gid = await s.idIn(s.gid, me.snap.ns.user, true);
  const args = argv.slice(1);
  const named = (n: number, name: string | undefined) => (name ? `${n}(${name})` : String(n));
  if (args.length === 0) {
    ctx.out(`uid=${named(uid, userName(uid))} gid=${named(gid, groupName(gid))} groups=${named(gid, groupName(gid))}\n`);
    return 0;
  }
  const flags = args.join('');
  if (/^-[ugn]+$/.test(flags.replace(/ /g, '')) || args.every((a) => /^-[ugn]+$/.test(a))) {
    const all = args.join('');
    const n = all.includes('n');
    if (all.includes('u')) { ctx.out(`${n ? userName(uid) ?? uid : uid}\n`); return 0; }
    if (all.includes('g')) { ctx.out(`${n ? groupName(gid) ?? gid : gid}\n`); return 0; }
  }
  ctx.err(`id: this shell's id takes no arguments but -u, -g and -n\n`);
  return 1;
}

/** whoami: the name of the effective uid. */
export async function whoami(ctx: Ctx): Promise<number> {
  const s = ctx.rt.session;
  const me = (await s.process(ctx.proc))!;
  const uid = await s.idIn(me.snap.uid, me.snap.ns.user);
  const name = userName(uid);
  if (!name) { ctx.err(`whoami: cannot find name for user ID ${uid}\n`); return 1; }
  ctx.out(`${name}\n`);
  return 0;
}

/** grep [-v] [-i] [-c] PATTERN: lines of standard input (a fixed string or a simple regex). */
export async function grep(ctx: Ctx, argv: string[]): Promise<number> {
  let invert = false, ignore = false, count = false;
  const rest: string[] = [];
  for (const a of argv.slice(1)) {
    if (/^-[vic]+$/.test(a)) {
      invert ||= a.includes('v'); ignore ||= a.includes('i'); count ||= a.includes('c');
    } else rest.push(a);
  }
  if (rest.length !== 1) {
    ctx.err("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
    return 2;
  }
  let re: RegExp;
  try {
    re = new RegExp(rest[0], ignore ? 'i' : '');
  } catch {
    ctx.err(`grep: invalid pattern '${rest[0]}'\n`);
    return 2;
  }
  const lines = (ctx.stdin ?? '').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const hits = lines.filter((l) => re.test(l) !== invert);
  ctx.out(count ? `${hits.length}\n` : hits.map((l) => `${l}\n`).join(''));
  return hits.length > 0 ? 0 : 1;
}
