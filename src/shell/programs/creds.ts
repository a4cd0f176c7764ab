// Programs that show credentials: util-linux setpriv's dump (`setpriv -d`), as setpriv
// 2.38.1 prints it on Linux 6.18, and libcap 2.66's `capsh --print` and `capsh --decode=`
// (each compared with the real tool in a throwaway sandbox here), and setpriv's forms that
// change credentials and run a program, making the syscalls setpriv 2.38.1 makes on this
// machine, in its order (seen with strace).

import { capNames } from '../../trace/labels.js';
import { CAPS, type CapName, type Step } from '../../trace/types.js';
import { ProcessGone, type Ctx } from '../runtime.js';
import { groupName, strerror, userName } from '../text.js';
import { getoptOrTry, type OptSpec, type Parsed } from './getopt.js';

const SETPRIV_USAGE = `
Usage:
 setpriv [options] <program> [<argument>...]

Run a program with different privilege settings.

Options:
 -d, --dump                  show current state (and do not exec)
 --nnp, --no-new-privs       disallow granting new privileges
 --ambient-caps <caps,...>   set ambient capabilities
 --inh-caps <caps,...>       set inheritable capabilities
 --bounding-set <caps>       set capability bounding set
 --ruid <uid|user>           set real uid
 --euid <uid|user>           set effective uid
 --rgid <gid|user>           set real gid
 --egid <gid|group>          set effective gid
 --reuid <uid|user>          set real and effective uid
 --regid <gid|group>         set real and effective gid
 --clear-groups              clear supplementary groups
 --keep-groups               keep supplementary groups

This is the teaching shell's setpriv: it takes the options above except --ruid, --euid,
--rgid and --egid (it sets real, effective and saved ids together: --reuid, --regid).
`;

/** A capability set as setpriv lists it: names without `cap_`, or [none]. */
function capList(hex: string): string {
  const names = capNames(BigInt(`0x${hex}`)).map((n) => n.slice(4).toLowerCase());
  return names.length ? names.join(',') : '[none]';
}

/** setpriv -d: the caller's ids, groups, no_new_privs, inheritable/ambient/bounding sets. */
export async function setpriv(ctx: Ctx, argv: string[]): Promise<number> {
  const args = argv.slice(1);
  if (args[0] === '--help' || args[0] === '-h') { ctx.out(SETPRIV_USAGE); return 0; }
  if (args[0] === '--version' || args[0] === '-V') { ctx.out('setpriv from util-linux 2.38.1\n'); return 0; }
  if (args.length === 0) { ctx.err('setpriv: No program specified\n'); return 1; }
  const parsed = getoptOrTry(ctx, 'setpriv', args, SETPRIV_OPTS);
  if (!parsed) return 1;
  const dumps = parsed.opts.filter((x) => x.key === 'dump').length;
  if (dumps > 0 && (dumps < parsed.opts.length || parsed.rest.length > 0)) { ctx.err('setpriv: --dump is incompatible with all other options\n'); return 1; }
  if (dumps === 0) return setprivRun(ctx, parsed);
  const s = ctx.rt.session;
  const me = (await s.process(ctx.proc))!;
  const c = me.snap.creds;
  if (!c) { ctx.err('setpriv: this backend shows no credentials\n'); return 1; }
  const ns = me.snap.ns.user;
  const uid = (k: number) => s.idIn(k, ns);
  const gid = (k: number) => s.idIn(k, ns, true);
  const groups: number[] = [];
  for (const g of c.groups) groups.push(await gid(g));
  ctx.out([
    `uid: ${await uid(c.uid[0])}`, `euid: ${await uid(c.uid[1])}`, `gid: ${await gid(c.gid[0])}`, `egid: ${await gid(c.gid[1])}`,
    `Supplementary groups: ${groups.length ? groups.join(',') : '[none]'}`,
    `no_new_privs: ${c.NoNewPrivs}`,
    `Inheritable capabilities: ${capList(c.CapInh)}`,
    `Ambient capabilities: ${capList(c.CapAmb)}`,
    `Capability bounding set: ${capList(c.CapBnd)}`,
    // no command of this shell changes securebits or a parent-death signal before setpriv runs
    'Securebits: [none]',
    'Parent death signal: [none]',
    '',
  ].join('\n'));
  return 0;
}

const SETPRIV_OPTS: OptSpec[] = [
  { long: 'nnp', arg: 'none', key: 'nnp' }, { long: 'no-new-privs', arg: 'none', key: 'nnp' },
  { long: 'ambient-caps', arg: 'required', key: 'ambient' }, { long: 'inh-caps', arg: 'required', key: 'inh' },
  { long: 'bounding-set', arg: 'required', key: 'bounding' },
  { long: 'reuid', arg: 'required', key: 'reuid' }, { long: 'regid', arg: 'required', key: 'regid' },
  { long: 'clear-groups', arg: 'none', key: 'clear' }, { long: 'keep-groups', arg: 'none', key: 'keep' },
  { short: 'd', long: 'dump', arg: 'none', key: 'dump' },
];

/** util-linux's cap list: comma-separated `+name`/`-name`/`+all`/`-all` applied to `start`; undefined for a bad string. */
function applyCapString(text: string, start: bigint): bigint | undefined {
  let set = start;
  const all = (1n << BigInt(CAPS.length)) - 1n;
  for (const item of text.split(',')) {
    const sign = item[0];
    if (sign !== '+' && sign !== '-') return undefined;
    const name = item.slice(1).toLowerCase();
    let mask: bigint;
    if (name === 'all') mask = all;
    else {
      const n = CAPS.findIndex((c) => c.toLowerCase() === `cap_${name.replace(/^cap_/, '')}`);
      if (n < 0) return undefined;
      mask = 1n << BigInt(n);
    }
    set = sign === '+' ? set | mask : set & ~mask;
  }
  return set;
}

/** A step without its `by` (distributed over the union). */
type Op = Step extends infer S ? (S extends Step ? Omit<S, 'by'> : never) : never;

const namesOf = (mask: bigint): CapName[] => CAPS.filter((_, n) => (mask >> BigInt(n)) & 1n);

/**
 * setpriv [options] COMMAND: what setpriv 2.38.1 does on this machine (strace): PR_SET_NO_NEW_PRIVS;
 * PR_SET_KEEPCAPS 1 and a capset of the sets it read (libcap-ng); setresuid then a capset of
 * those sets again (effective restored); setresgid; setgroups(0) for --clear-groups; a
 * PR_CAPBSET_DROP of every capability not in the new bounding set (only with CAP_SETPCAP
 * effective, else none); a capset with the new inheritable set; PR_CAP_AMBIENT_RAISE/LOWER
 * (their errors ignored, as setpriv does); then execvp.
 */
async function setprivRun(ctx: Ctx, parsed: Parsed): Promise<number> {
  const o = new Map(parsed.opts.map((x) => [x.key, x.value ?? '']));
  const fail = (msg: string) => { ctx.err(`setpriv: ${msg}\n`); return 1; };
  if (o.has('clear') && o.has('keep')) return fail('mutually exclusive arguments: --clear-groups --keep-groups --init-groups --groups');
  const parseId = (key: string, what: string, byName: (n: string) => number | undefined): number | undefined | null => {
    if (!o.has(key)) return undefined;
    const v = o.get(key)!;
    const n = /^\d+$/.test(v) ? Number(v) : byName(v);
    if (n === undefined || n > 4294967294) { fail(`failed to parse ${what}: '${v}'`); return null; }
    return n;
  };
  const uid = parseId('reuid', 'reuid', (n) => (n === 'root' ? 0 : undefined));
  if (uid === null) return 1;
  const gid = parseId('regid', 'regid', (n) => (n === 'root' ? 0 : undefined));
  if (gid === null) return 1;
  if (gid !== undefined && !o.has('clear') && !o.has('keep')) {
    return fail('--[re]gid requires --keep-groups, --clear-groups, --init-groups, or --groups');
  }
  if (parsed.rest.length === 0) return fail('No program specified');

  const rt = ctx.rt;
  const me = (await rt.session.process(ctx.proc))!;
  const c0 = me.snap.creds;
  if (!c0) return fail('this backend shows no credentials');
  const h = (x: string) => BigInt(`0x${x}`);
  const eff = h(c0.CapEff), prm = h(c0.CapPrm);
  let inh = h(c0.CapInh);
  const bounding = o.has('bounding') ? applyCapString(o.get('bounding')!, h(c0.CapBnd)) : undefined;
  const newInh = o.has('inh') ? applyCapString(o.get('inh')!, inh) : undefined;
  const ambItems = o.has('ambient') ? o.get('ambient')!.split(',') : [];

  const step = async (s: Op) => {
    const r = await rt.run({ by: ctx.proc, ...s } as Step, { decisive: true });
    if ('dead' in r) throw new ProcessGone(ctx.proc);
    return 'err' in r ? r.err : undefined;
  };
  const capsetNow = () => step({ op: 'capset', effective: namesOf(eff), permitted: namesOf(prm), inheritable: namesOf(inh) });
  if (o.has('nnp')) {
    const e = await step({ op: 'prctl', option: 'PR_SET_NO_NEW_PRIVS' });
    if (e) { ctx.err(`setpriv: disallow granting new privileges failed: ${strerror(e)}\n`); return 127; }
  }
  await step({ op: 'prctl', option: 'PR_SET_KEEPCAPS', value: 1 });
  await capsetNow();
  // the capability strings are checked after libcap-ng's first capset, as setpriv does
  if ((o.has('bounding') && bounding === undefined) || (o.has('inh') && newInh === undefined)) return fail('bad capability string');
  for (const item of ambItems) if (applyCapString(item, 0n) === undefined) return fail('bad capability string');
  if (uid !== undefined) {
    const e = await step({ op: 'setresuid', ruid: uid, euid: uid, suid: uid });
    if (e) { ctx.err(`setpriv: setresuid failed: ${strerror(e)}\n`); return 127; }
    await capsetNow();
  }
  if (gid !== undefined) {
    const e = await step({ op: 'setresgid', rgid: gid, egid: gid, sgid: gid });
    if (e) { ctx.err(`setpriv: setresgid failed: ${strerror(e)}\n`); return 127; }
  }
  if (o.has('clear')) {
    const e = await step({ op: 'setgroups', groups: [] });
    if (e) { ctx.err(`setpriv: setgroups failed: ${strerror(e)}\n`); return 127; }
  }
  if (bounding !== undefined && (eff >> 8n) & 1n) {
    for (let n = 0; n < CAPS.length; n++) {
      if ((bounding >> BigInt(n)) & 1n) continue;
      const e = await step({ op: 'prctl', option: 'PR_CAPBSET_DROP', cap: CAPS[n] });
      if (e) { ctx.err(`setpriv: apply bounding set: ${strerror(e)}\n`); return 127; }
    }
  }
  if (newInh !== undefined) {
    inh = newInh;
    const e = await capsetNow();
    if (e) { ctx.err(`setpriv: apply capabilities: ${strerror(e)}\n`); return 127; }
  }
  for (const item of ambItems) {
    const mask = applyCapString(`+${item.slice(1)}`, 0n)!;
    for (const cap of namesOf(mask)) {
      await step({ op: 'prctl', option: item[0] === '+' ? 'PR_CAP_AMBIENT_RAISE' : 'PR_CAP_AMBIENT_LOWER', cap });
    }
  }
  const rest = parsed.rest;
  const entry = rt.lookup(rest[0]);
  if (!entry) { ctx.err(`setpriv: failed to execute ${rest[0]}: No such file or directory\n`); return 127; }
  return rt.execProgram(ctx.proc, rest, entry, { stdin: ctx.stdin });
}

const E = 1, I = 2, P = 4;
const flagText = (f: number) => `${f & E ? 'e' : ''}${f & I ? 'i' : ''}${f & P ? 'p' : ''}`;
const capName = (n: number) => CAPS[n].toLowerCase();

/**
 * libcap's cap_to_text(): the most common combination of e/i/p over the 41 capabilities is
 * the base (`=ep`; ties go to the fewer flags), then each other combination's capabilities
 * with what they add (`+i`) and lack (`-ep`); with an empty base, `names=flags` first and
 * `names+flags` after (`cap_chown=ep cap_kill+p`).
 */
export function capText(eff: bigint, inh: bigint, prm: bigint): string {
  const state = (n: number) => {
    const b = 1n << BigInt(n);
    return (eff & b ? E : 0) | (inh & b ? I : 0) | (prm & b ? P : 0);
  };
  const histo = new Array<number>(8).fill(0);
  for (let n = 0; n < CAPS.length; n++) histo[state(n)]++;
  let m = 7;
  for (let t = 6; t >= 0; t--) if (histo[t] >= histo[m]) m = t;
  const parts: string[] = m ? [`=${flagText(m)}`] : [];
  for (let t = 7; t >= 0; t--) {
    if (t === m || !histo[t]) continue;
    let part = CAPS.map((_, n) => n).filter((n) => state(n) === t).map(capName).join(',');
    const add = t & ~m, drop = m & ~t;
    // with an empty base the first clause says `=` (all else cleared), the later ones `+`
    if (add) part += `${m || parts.length ? '+' : '='}${flagText(add)}`;
    if (drop) part += `-${flagText(drop)}`;
    parts.push(part);
  }
  return parts.length ? parts.join(' ') : '=';
}

/** libcap's cap_iab_to_text(): per capability, ^ ambient, % inheritable but not bounding, ! not bounding, else inheritable. */
function iabText(inh: bigint, amb: bigint, bnd: bigint): string {
  const out: string[] = [];
  for (let n = 0; n < CAPS.length; n++) {
    const b = 1n << BigInt(n);
    const i = (inh & b) !== 0n, a = (amb & b) !== 0n, nb = (bnd & b) === 0n;
    if (a) out.push(`^${capName(n)}`);
    else if (i && nb) out.push(`%${capName(n)}`);
    else if (nb) out.push(`!${capName(n)}`);
    else if (i) out.push(capName(n));
  }
  return out.join(',');
}

const setNames = (mask: bigint) => CAPS.map((_, n) => n).filter((n) => (mask >> BigInt(n)) & 1n).map(capName).join(',');

/** One credential step of the caller: its errno, if it failed. */
async function credStep(ctx: Ctx, s: Op): Promise<string | undefined> {
  const r = await ctx.rt.run({ by: ctx.proc, ...s } as Step, { decisive: true });
  if ('dead' in r) throw new ProcessGone(ctx.proc);
  return 'err' in r ? r.err : undefined;
}

/**
 * libcap's cap_from_text(): clauses split by spaces, each `names` (comma-separated, `all` or
 * none for every capability) and operators `=`, `+`, `-` with flags e, i, p. [eff, inh, prm].
 */
export function capFromText(text: string): [bigint, bigint, bigint] | undefined {
  const sets: [bigint, bigint, bigint] = [0n, 0n, 0n];
  const all = (1n << BigInt(CAPS.length)) - 1n;
  for (const clause of text.trim().split(/\s+/)) {
    if (clause === '') continue;
    const m = /^([A-Za-z0-9_,]*)((?:[=+-][eipEIP]*)+)$/.exec(clause);
    if (!m) return undefined;
    let mask = 0n;
    if (m[1] === '' || m[1].toLowerCase() === 'all') mask = all;
    else {
      for (const name of m[1].split(',')) {
        const n = CAPS.findIndex((c) => c.toLowerCase() === name.toLowerCase());
        if (n < 0) return undefined;
        mask |= 1n << BigInt(n);
      }
    }
    if (m[1] === '' && !m[2].startsWith('=')) return undefined;
    for (const op of m[2].match(/[=+-][eipEIP]*/g)!) {
      const flags = op.slice(1).toLowerCase();
      const which = [flags.includes('e'), flags.includes('i'), flags.includes('p')];
      for (let k = 0; k < 3; k++) {
        if (op[0] === '=') sets[k] = which[k] ? sets[k] | mask : sets[k] & ~mask;
        else if (which[k]) sets[k] = op[0] === '+' ? sets[k] | mask : sets[k] & ~mask;
      }
    }
  }
  return sets;
}

/**
 * capsh --drop=LIST: CAP_SETPCAP raised in the effective set if it is not there (a capset),
 * a PR_CAPBSET_DROP per capability, then the sets as they were (a capset).
 */
async function capshDrop(ctx: Ctx, list: string): Promise<number> {
  const caps: CapName[] = [];
  for (const name of list.split(',')) {
    const n = CAPS.findIndex((c) => c.toLowerCase() === name.toLowerCase());
    if (n < 0) { ctx.err(`capability [${name}] is unknown to libcap\n`); return 1; }
    caps.push(CAPS[n]);
  }
  const c = (await ctx.rt.session.process(ctx.proc))!.snap.creds;
  if (!c) { ctx.err('capsh: this backend shows no credentials\n'); return 1; }
  const h = (x: string) => BigInt(`0x${x}`);
  const eff = h(c.CapEff), prm = h(c.CapPrm), inh = h(c.CapInh);
  const setpcap = 1n << 8n;
  const raise = !(eff & setpcap);
  if (raise) {
    const e = await credStep(ctx, { op: 'capset', effective: namesOf(eff | setpcap), permitted: namesOf(prm), inheritable: namesOf(inh) });
    if (e) { ctx.err(`unable to raise CAP_SETPCAP for BSET changes: ${strerror(e)}\n`); return 1; }
  }
  for (const cap of caps) {
    const e = await credStep(ctx, { op: 'prctl', option: 'PR_CAPBSET_DROP', cap });
    if (e) { ctx.err(`failed to drop [${list}=${CAPS.indexOf(cap)}]\n`); return 1; }
  }
  if (raise) {
    const e = await credStep(ctx, { op: 'capset', effective: namesOf(eff), permitted: namesOf(prm), inheritable: namesOf(inh) });
    if (e) { ctx.err(`unable to lower CAP_SETPCAP post BSET change: ${strerror(e)}\n`); return 1; }
  }
  return 0;
}

const CAPSH_USAGE = `usage: capsh [args ...]
  --decode=xxx   decode a hex string to a list of caps
  --help, -h     this message (or try 'man capsh')
  --print        display capability relevant state
  --drop=xxx     drop xxx,yyy capabilities from the bounding set
  --caps=xxx     set caps as per cap_from_text()
  --             remaining arguments are for /bin/bash

This is the teaching shell's capsh: it takes the options above.
`;

/** capsh --print, capsh --decode=HEX. */
export async function capsh(ctx: Ctx, argv: string[]): Promise<number> {
  const args = argv.slice(1);
  if (args.length === 0) return 0; // without -- capsh simply exits 0
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--help' || a === '-h') { ctx.out(CAPSH_USAGE); return 0; }
    if (a === '--') {
      // capsh execs /bin/bash with the arguments that follow
      const entry = ctx.rt.lookup('bash')!;
      return ctx.rt.execProgram(ctx.proc, ['/bin/bash', ...args.slice(i + 1)], entry, { stdin: ctx.stdin });
    }
    if (a.startsWith('--drop=')) {
      const code = await capshDrop(ctx, a.slice(7));
      if (code) return code;
      continue;
    }
    if (a.startsWith('--caps=')) {
      const sets = capFromText(a.slice(7));
      if (!sets) { ctx.err(`unable to interpret [${a}]\n`); return 1; }
      const e = await credStep(ctx, { op: 'capset', effective: namesOf(sets[0]), permitted: namesOf(sets[2]), inheritable: namesOf(sets[1]) });
      if (e) { ctx.err(`Unable to set capabilities [${a}]\n`); return 1; }
      continue;
    }
    if (a.startsWith('--decode=')) {
      const hex = a.slice(9);
      if (!/^(0x)?[0-9a-fA-F]+$/.test(hex)) { ctx.err(`capsh: unrecognized --decode value: ${hex}\n`); return 1; }
      const v = BigInt(hex.startsWith('0x') ? hex : `0x${hex}`);
      ctx.out(`0x${v.toString(16).padStart(16, '0')}=${setNames(v)}\n`);
      continue;
    }
    if (a !== '--print') {
      ctx.err(`capsh: only --print, --decode=, --drop=, --caps= and -- are in this shell's world (not ${a})\n`);
      return 1;
    }
    const s = ctx.rt.session;
    const me = (await s.process(ctx.proc))!;
    const c = me.snap.creds;
    if (!c) { ctx.err('capsh: this backend shows no credentials\n'); return 1; }
    const h = (x: string) => BigInt(`0x${x}`);
    const ns = me.snap.ns.user;
    const uid = await s.idIn(c.uid[0], ns), euid = await s.idIn(c.uid[1], ns), gid = await s.idIn(c.gid[0], ns, true);
    const groups: string[] = [];
    for (const g of c.groups) { const n = await s.idIn(g, ns, true); groups.push(`${n}(${groupName(n) ?? n})`); }
    const bnd = setNames(h(c.CapBnd)), amb = setNames(h(c.CapAmb));
    ctx.out([
      `Current: ${capText(h(c.CapEff), h(c.CapInh), h(c.CapPrm))}`,
      `Bounding set =${bnd}`,
      `Ambient set =${amb}`,
      `Current IAB: ${iabText(h(c.CapInh), h(c.CapAmb), h(c.CapBnd))}`,
      // no command of this shell changes securebits
      `Securebits: 00/0x0/1'b0 (no-new-privs=${c.NoNewPrivs})`,
      ' secure-noroot: no (unlocked)', ' secure-no-suid-fixup: no (unlocked)', ' secure-keep-caps: no (unlocked)',
      ' secure-no-ambient-raise: no (unlocked)',
      `uid=${uid}(${userName(uid) ?? uid}) euid=${euid}(${userName(euid) ?? euid})`,
      `gid=${gid}(${groupName(gid) ?? gid})`,
      `groups=${groups.join(',')}`,
      'Guessed mode: HYBRID (4)',
      '',
    ].join('\n'));
  }
  return 0;
}

const GETPCAPS_USAGE = `usage: getcaps [opts] <pid> [<pid> ...]

  This program displays the capabilities on the queried process(es).
  The capabilities are displayed in the cap_from_text(3) format.

  Optional arguments:
     --help, -h or --usage display this message.
     --verbose             use a more verbose output format.
     --ugly or --legacy    use the archaic legacy output format.
     --iab                 show IAB of process too.
     --license             display license info
`;

/**
 * libcap 2.66's getpcaps PID...: each process's sets (capget() of the PID in the caller's PID
 * namespace) in cap_to_text form; a PID it cannot read is a message and status 1, the others
 * are still printed. The usage goes to stderr, as getpcaps writes it.
 */
export async function getpcaps(ctx: Ctx, argv: string[]): Promise<number> {
  const args = argv.slice(1);
  if (args.length === 0) { ctx.err(GETPCAPS_USAGE); return 1; }
  let verbose: '' | 'verbose' | 'legacy' = '', iab = false, status = 0;
  const s = ctx.rt.session;
  const me = (await s.process(ctx.proc))!;
  for (const a of args) {
    if (a === '--help' || a === '-h' || a === '--usage') { ctx.err(GETPCAPS_USAGE); return 0; }
    if (a === '--verbose') { verbose = 'verbose'; continue; }
    if (a === '--ugly' || a === '--legacy') { verbose = 'legacy'; continue; }
    if (a === '--iab') { iab = true; continue; }
    if (!/^\d+$/.test(a)) { ctx.err(`Cannot parse pid ${a}: (Invalid argument)\n`); status = 1; continue; }
    // capget() of PID 0 is the caller's own
    const label = Number(a) === 0 ? ctx.proc : await s.byPid(Number(a), me.snap.ns.pid);
    const c = label ? (await s.process(label))?.snap.creds : undefined;
    if (!c) { ctx.err(`Failed to get cap's for process ${a}: (No such process)\n`); status = 1; continue; }
    const h = (x: string) => BigInt(`0x${x}`);
    const text = capText(h(c.CapEff), h(c.CapInh), h(c.CapPrm));
    if (iab) ctx.out(`${a}: "${text}" [${iabText(h(c.CapInh), h(c.CapAmb), h(c.CapBnd))}]\n`);
    else if (verbose === 'verbose') ctx.out(`Capabilities for '${a}': ${text}\n`);
    else if (verbose === 'legacy') ctx.out(`Capabilities for \`${a}': ${text}\n`);
    else ctx.out(`${a}: ${text}\n`);
  }
  return status;
}
