// hostname, domainname, uname, readlink, ls, cat, id, whoami, grep: the small tools, with the
// output and messages of Debian's (hostname 3.23, coreutils 9.1, grep 3.8).

import type { NsFile } from '../../trace/types.js';
import type { Ctx } from '../runtime.js';
import { groupName, strerror, userName } from '../text.js';
import { getopt, GetoptError, type OptSpec } from './getopt.js';
import { comm, isNsFile, listDir, procNsOf, procTarget, readNsLink, splitProcPath, WORLD_TIME } from './proc.js';
import { mountinfoLine, mountsLine, mountsOf } from './mounts.js';

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

Program name:
       {yp,nis,}domainname=hostname -y
       dnsdomainname=hostname -d

Program options:
    -a, --alias            alias names
    -A, --all-fqdns        all long host names (FQDNs)
    -b, --boot             set default hostname if none available
    -d, --domain           DNS domain name
    -f, --fqdn, --long     long host name (FQDN)
    -F, --file             read host name or NIS domain name from given file
    -i, --ip-address       addresses for the host name
    -I, --all-ip-addresses all addresses for the host
    -s, --short            short host name
    -y, --yp, --nis        NIS/YP domain name

Description:
   This command can get or set the host name or the NIS domain name. You can
   also get the DNS domain or the FQDN (fully qualified domain name).
   Unless you are using bind or NIS for host lookups you can change the
   FQDN (Fully Qualified Domain Name) and the DNS domain name (which is
   part of the FQDN) in the /etc/hosts file.
`;

/** hostname(1)'s options (hostname 3.23; glibc getopt_long, permuting). */
const HOSTNAME_OPTS: OptSpec[] = [
  { short: 'a', long: 'alias', arg: 'none', key: 'unsupported' },
  { short: 'A', long: 'all-fqdns', arg: 'none', key: 'unsupported' },
  { short: 'b', long: 'boot', arg: 'none', key: 'boot' },
  { short: 'd', long: 'domain', arg: 'none', key: 'unsupported' },
  { short: 'f', long: 'fqdn', arg: 'none', key: 'unsupported' },
  { long: 'long', arg: 'none', key: 'unsupported' },
  { short: 'F', long: 'file', arg: 'required', key: 'unsupported' },
  { short: 'i', long: 'ip-address', arg: 'none', key: 'unsupported' },
  { short: 'I', long: 'all-ip-addresses', arg: 'none', key: 'unsupported' },
  { short: 's', long: 'short', arg: 'none', key: 'short' },
  { short: 'y', long: 'yp', arg: 'none', key: 'unsupported' },
  { long: 'nis', arg: 'none', key: 'unsupported' },
  { short: 'V', long: 'version', arg: 'none', key: 'version' },
  { short: 'h', long: 'help', arg: 'none', key: 'help' },
];

/** hostname [-s] [NAME]: gethostname() or sethostname(); usage() (stderr, status 255) for anything else. */
export async function hostname(ctx: Ctx, argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = getopt('hostname', argv.slice(1), HOSTNAME_OPTS, { permute: true });
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    ctx.err(`${e.message}\n${HOSTNAME_USAGE}`);
    return 255;
  }
  let short = false;
  for (const { key, name } of parsed.opts) {
    if (key === 'help') { ctx.out(HOSTNAME_USAGE); return 255; }
    if (key === 'version') { ctx.out('hostname 3.23\n'); return 0; }
    if (key === 'short') short = true;
    if (key === 'unsupported') {
      ctx.err(`hostname: option '${name}' is not supported by this shell's hostname (no resolver, no files)\n`);
      return 1;
    }
  }
  const args = parsed.rest;
  // one name at most: more is usage()
  if (args.length > 1) { ctx.err(HOSTNAME_USAGE); return 255; }
  if (args.length === 0) {
    const r = await ctx.rt.run({ by: ctx.proc, op: 'gethostname' }, { decisive: true });
    if ('ok' in r) ctx.out(`${short ? String(r.value).split('.')[0] : String(r.value)}\n`);
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
  // the same program as hostname: its usage, and status 255
  if (args[0] === '-h' || args[0] === '--help') { ctx.out(HOSTNAME_USAGE); return 255; }
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

/** ls's quoting of a name on a terminal (--quoting-style=shell-escape): 'name' when it has a character the shell would take. */
export function lsQuote(name: string): string {
  if (/^[A-Za-z0-9_./:@%+=,-]+$/.test(name)) return name;
  return `'${name.replace(/'/g, "'\\''")}'`;
}

/** The terminal's width: ls lays out names in columns that fit it. */
export const TERMINAL_COLUMNS = 80;

/**
 * Names in columns as GNU ls prints them on a terminal (-C): sorted down the columns, the most
 * columns whose line stays shorter than the width, each column two wider than its widest
 * name (not the last), padded with tabs of 8 where a tab fits, spaces otherwise.
 */
export function lsColumns(names: string[], width = TERMINAL_COLUMNS): string {
  const n = names.length;
  if (n === 0) return '';
  let best = { cols: 1, widths: [0] };
  for (let cols = Math.min(n, Math.max(1, Math.floor(width / 3))); cols >= 1; cols--) {
    const rows = Math.ceil(n / cols);
    const widths: number[] = new Array(cols).fill(0);
    names.forEach((name, f) => {
      const idx = Math.floor(f / rows);
      widths[idx] = Math.max(widths[idx], [...name].length + (idx === cols - 1 ? 0 : 2));
    });
    if (widths.reduce((a, b) => a + b, 0) < width || cols === 1) { best = { cols, widths }; break; }
  }
  const rows = Math.ceil(n / best.cols);
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    let line = '';
    let pos = 0;
    for (let f = r, col = 0; f < n; f += rows, col++) {
      const name = names[f];
      line += name;
      if (f + rows >= n) break;
      let from = pos + [...name].length;
      const to = pos + best.widths[col];
      while (from < to) {
        if (Math.floor(to / 8) > Math.floor((from + 1) / 8)) { line += '\t'; from += 8 - (from % 8); } else { line += ' '; from++; }
      }
      pos = to;
    }
    lines.push(`${line}\n`);
  }
  return lines.join('');
}

/** ls [-l] [-1] PATH...: the directories of this world (/proc, /proc/PID, /proc/PID/ns) and the namespace links, as coreutils ls shows them on a terminal. */
export async function ls(ctx: Ctx, argv: string[]): Promise<number> {
  let long = false, one = false;
  const paths: string[] = [];
  for (const a of argv.slice(1)) {
    if (a === '--help') { ctx.out("Usage: ls [OPTION]... [FILE]...\nList information about the FILEs (the current directory by default).\nThis shell's ls takes -l and -1, and lists the world's directories, /proc, /proc/PID and /proc/PID/ns (-l: /proc/PID/ns only).\n"); return 0; }
    if (/^-[la1]+$/.test(a)) { if (a.includes('l')) long = true; if (a.includes('1')) one = true; } else if (a.startsWith('-')) {
      ctx.err(`ls: option '${a}' is not supported by this shell's ls\n`);
      return 2;
    } else paths.push(a);
  }
  if (paths.length === 0) paths.push('.');
  let status = 0;
  const s = ctx.rt.session;
  const me = (await s.process(ctx.proc))!;
  const lsDate = WORLD_TIME.lsDate;
  // one line of ls -l for a namespace link of `target`
  const linkLine = async (target: string, file: NsFile, name: string, shown: string): Promise<string> => {
    const p = (await s.process(target))!;
    const uid = await s.idIn(p.snap.uid, me.snap.ns.user);
    const gid = await s.idIn(s.gid, me.snap.ns.user, true);
    const owner = `${userName(uid) ?? uid} ${groupName(gid) ?? gid}`;
    const r = await readNsLink(ctx, target, file);
    if ('err' in r) {
      ctx.err(`ls: cannot read symbolic link '${name}': ${strerror(r.err)}\n`);
      status = Math.max(status, 1);
    }
    return `lrwxrwxrwx 1 ${owner} 0 ${lsDate} ${lsQuote(shown)}${'text' in r ? ` -> ${lsQuote(r.text)}` : ''}\n`;
  };
  const files: string[] = [];
  const dirs: { path: string; names: string[] }[] = [];
  for (const path of paths) {
    const names = await listDir(ctx, path);
    if (names) { dirs.push({ path, names: [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) }); continue; }
    const parts = splitProcPath(path);
    const m = parts ? /^ns\/([a-z_]+)$/.exec(parts.rest) : null;
    const target = parts && m && isNsFile(m[1]) ? await procTarget(ctx, parts.who) : undefined;
    if (!target || 'err' in target) {
      ctx.err(`ls: cannot access '${path}': No such file or directory\n`);
      status = 2;
      continue;
    }
    files.push(path);
  }
  // files first, then each directory (with its name when there is more than one thing to list)
  if (files.length > 0) {
    if (long) {
      for (const f of files) {
        const parts = splitProcPath(f)!;
        const target = (await procTarget(ctx, parts.who)) as { label: string };
        ctx.out(await linkLine(target.label, parts.rest.slice(3) as NsFile, f, f));
      }
    } else ctx.out(one ? files.map((f) => `${lsQuote(f)}\n`).join('') : lsColumns(files.map(lsQuote)));
  }
  for (const [i, d] of dirs.entries()) {
    if (paths.length > 1) ctx.out(`${i > 0 || files.length > 0 ? '\n' : ''}${d.path}:\n`);
    if (!long) {
      ctx.out(one ? d.names.map((n) => `${lsQuote(n)}\n`).join('') : lsColumns(d.names.map(lsQuote)));
      continue;
    }
    const parts = splitProcPath(d.path.replace(/\/$/, ''));
    if (!parts || parts.rest !== 'ns') {
      ctx.err(`ls: -l of ${d.path}: this shell's ls shows long listings of /proc/PID/ns only\n`);
      status = 2;
      continue;
    }
    const target = (await procTarget(ctx, parts.who)) as { label: string };
    const lines: string[] = [];
    for (const n of d.names) lines.push(await linkLine(target.label, n as NsFile, `${d.path.replace(/\/$/, '')}/${n}`, n));
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
    const ns = parts ? /^ns\/([a-z_]+)$/.exec(parts.rest) : null;
    if (parts && !('err' in target) && (ns || parts.rest === 'ns' || parts.rest === '')) {
      // a namespace file opens (the kernel's checks: an open step) but read() says EINVAL; a directory is EISDIR
      let err = 'EISDIR';
      if (ns) {
        if (!isNsFile(ns[1])) err = 'ENOENT';
        else {
          const r = await readNsLink(ctx, target.label, ns[1]);
          err = 'err' in r ? r.err : 'EINVAL';
        }
      }
      ctx.err(`cat: ${f}: ${strerror(err)}\n`);
      status = 1;
      continue;
    }
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
    case 'mountinfo':
    case 'mounts': {
      // the target's mount namespace, as the snapshot shows it (src/shell/programs/mounts.ts)
      const list = await mountsOf(ctx, label);
      if (!list) return '';
      return list.map(file === 'mountinfo' ? mountinfoLine : mountsLine).join('');
    }
    case 'comm':
      return `${comm(p.cmdline ?? s.argvOf(label) ?? null)}\n`;
    default:
      return null;
  }
}

/**
 * /proc/<pid>/status: the lines the backends can answer truthfully, in the kernel's order.
 * Left out, because nothing in the model or the trace knows them (README, "not modelled"):
 * NSpgid and NSsid (process groups and sessions), the Vm* lines (memory), Sig* (signal
 * masks and queues) and the lines between them; the Cap* lines, NoNewPrivs and Seccomp come
 * after Threads as the kernel prints them (the session's world starts from this machine's
 * bounding set: src/shell/session.ts SHELL_CAPS).
 */
async function status(ctx: Ctx, label: string, pid: number): Promise<string> {
  const s = ctx.rt.session;
  const ns = await procNsOf(ctx);
  const me = (await s.process(ctx.proc))!;
  const p = (await s.process(label))!;
  const level = ns ? await s.level(ns) : 0;
  const c = p.snap.creds;
  const ids = async (kids: number[] | undefined, kid: number, gid: boolean) => {
    const out: number[] = [];
    for (const k of kids ?? [kid, kid, kid, kid]) out.push(await s.idIn(k, me.snap.ns.user, gid));
    return out.join('\t');
  };
  const uids = await ids(c?.uid, p.snap.uid, false);
  const gids = await ids(c?.gid, s.gid, true);
  const gl: number[] = [];
  for (const g of c?.groups ?? []) gl.push(await s.idIn(g, me.snap.ns.user, true));
  const groups = gl.join(' ');
  const caps = c
    ? [`CapInh:\t${c.CapInh}`, `CapPrm:\t${c.CapPrm}`, `CapEff:\t${c.CapEff}`, `CapBnd:\t${c.CapBnd}`, `CapAmb:\t${c.CapAmb}`,
      `NoNewPrivs:\t${c.NoNewPrivs}`, 'Seccomp:\t0', 'Seccomp_filters:\t0']
    : [];
  const state = p.snap.state === 'zombie' ? 'Z (zombie)' : label === ctx.proc ? 'R (running)' : 'S (sleeping)';
  const ppid = p.parent ? await s.pidIn(p.parent, ns) : 0;
  const nspid = p.snap.nspid.slice(level).join('\t');
  const name = comm(p.cmdline ?? s.argvOf(label) ?? null);
  return [
    `Name:\t${name}`, 'Umask:\t0022', `State:\t${state}`, `Tgid:\t${pid}`, 'Ngid:\t0', `Pid:\t${pid}`,
    `PPid:\t${ppid}`, 'TracerPid:\t0', `Uid:\t${uids}`, `Gid:\t${gids}`,
    'FDSize:\t64', `Groups:\t${groups} `, `NStgid:\t${nspid}`, `NSpid:\t${nspid}`,
    'Kthread:\t0', 'Threads:\t1', ...caps, '',
  ].join('\n');
}

/** id [-u|-g|-n]: coreutils id, the ids as the process's user namespace sees them. */
export async function id(ctx: Ctx, argv: string[]): Promise<number> {
  const s = ctx.rt.session;
  const me = (await s.process(ctx.proc))!;
  const ns = me.snap.ns.user;
  const c = me.snap.creds;
  // real/effective ids and supplementary groups from the backend's credentials when it shows them
  const ruid = await s.idIn(c ? c.uid[0] : me.snap.uid, ns), euid = c ? await s.idIn(c.uid[1], ns) : ruid;
  const rgid = await s.idIn(c ? c.gid[0] : s.gid, ns, true), egid = c ? await s.idIn(c.gid[1], ns, true) : rgid;
  const supp: number[] = [];
  for (const g of c?.groups ?? []) supp.push(await s.idIn(g, ns, true));
  // coreutils: the real gid, the effective one if it differs, then the supplementary groups not among them
  const groups = [rgid, ...(egid !== rgid ? [egid] : []), ...supp.filter((g) => g !== rgid && g !== egid)];
  const args = argv.slice(1);
  const named = (n: number, name: string | undefined) => (name ? `${n}(${name})` : String(n));
  if (args.length === 0) {
    ctx.out(`uid=${named(ruid, userName(ruid))} ${euid !== ruid ? `euid=${named(euid, userName(euid))} ` : ''}`
      + `gid=${named(rgid, groupName(rgid))} ${egid !== rgid ? `egid=${named(egid, groupName(egid))} ` : ''}`
      + `groups=${groups.map((g) => named(g, groupName(g))).join(',')}\n`);
    return 0;
  }
  const flags = args.join('');
  if (/^-[ugGn]+$/.test(flags.replace(/ /g, '')) || args.every((a) => /^-[ugGn]+$/.test(a))) {
    const all = args.join('');
    const n = all.includes('n');
    if (all.includes('u')) { ctx.out(`${n ? userName(euid) ?? euid : euid}\n`); return 0; }
    if (all.includes('G')) { ctx.out(`${groups.map((g) => (n ? groupName(g) ?? g : g)).join(' ')}\n`); return 0; }
    if (all.includes('g')) { ctx.out(`${n ? groupName(egid) ?? egid : egid}\n`); return 0; }
  }
  ctx.err(`id: this shell's id takes no arguments but -u, -g, -G and -n\n`);
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
