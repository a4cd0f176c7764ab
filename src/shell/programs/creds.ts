// Programs that show credentials: util-linux setpriv's dump (`setpriv -d`), as setpriv
// 2.38.1 prints it on Linux 6.18, and libcap 2.66's `capsh --print` and `capsh --decode=`
// (each compared with the real tool in a throwaway sandbox here). The forms that change
// credentials and run a program are not in this shell.

import { capNames } from '../../trace/labels.js';
import { CAPS } from '../../trace/types.js';
import type { Ctx } from '../runtime.js';
import { groupName, userName } from '../text.js';

const SETPRIV_USAGE = `
Usage:
 setpriv [options] <program> [<argument>...]

Run a program with different privilege settings.

Options:
 -d, --dump                  show current state (and do not exec)

This is the teaching shell's setpriv: it takes -d (--dump) alone; the options that change
credentials are trace ops (setresuid, capset, prctl: docs/TRACE-EXTENSIONS.md), not yet
commands of this shell.
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
  const dumps = args.filter((a) => a === '-d' || a === '--dump').length;
  if (args.length === 0) { ctx.err('setpriv: No program specified\n'); return 1; }
  if (dumps > 0 && dumps < args.length) { ctx.err('setpriv: --dump is incompatible with all other options\n'); return 1; }
  if (dumps === 0) {
    ctx.err(`setpriv: only -d (--dump) is in this shell's world: credentials change through the trace ops (docs/TRACE-EXTENSIONS.md)\n`);
    return 1;
  }
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

const E = 1, I = 2, P = 4;
const flagText = (f: number) => `${f & E ? 'e' : ''}${f & I ? 'i' : ''}${f & P ? 'p' : ''}`;
const capName = (n: number) => CAPS[n].toLowerCase();

/**
 * libcap's cap_to_text(): the most common combination of e/i/p over the 41 capabilities is
 * the base (`=ep`; ties go to the fewer flags), then each other combination's capabilities
 * with what they add (`+i`) and lack (`-ep`); with an empty base, `names=flags`.
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
    if (add) part += `${m ? '+' : '='}${flagText(add)}`;
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

const CAPSH_USAGE = `usage: capsh [args ...]
  --decode=xxx   decode a hex string to a list of caps
  --help, -h     this message (or try 'man capsh')
  --print        display capability relevant state

This is the teaching shell's capsh: it takes --print and --decode=; the options that change
credentials are trace ops (docs/TRACE-EXTENSIONS.md), not yet commands of this shell.
`;

/** capsh --print, capsh --decode=HEX. */
export async function capsh(ctx: Ctx, argv: string[]): Promise<number> {
  const args = argv.slice(1);
  if (args.length === 0) return 0; // without -- capsh simply exits 0
  for (const a of args) {
    if (a === '--help' || a === '-h') { ctx.out(CAPSH_USAGE); return 0; }
    if (a.startsWith('--decode=')) {
      const hex = a.slice(9);
      if (!/^(0x)?[0-9a-fA-F]+$/.test(hex)) { ctx.err(`capsh: unrecognized --decode value: ${hex}\n`); return 1; }
      const v = BigInt(hex.startsWith('0x') ? hex : `0x${hex}`);
      ctx.out(`0x${v.toString(16).padStart(16, '0')}=${setNames(v)}\n`);
      continue;
    }
    if (a !== '--print') {
      ctx.err(`capsh: only --print and --decode= are in this shell's world (not ${a})\n`);
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
