// Programs that show credentials: util-linux setpriv's dump (`setpriv -d`), as setpriv
// 2.38.1 prints it on Linux 6.18 (compared with the real tool in a throwaway sandbox here).
// The forms of setpriv that change credentials and run a program are not in this shell.

import { capNames } from '../../trace/labels.js';
import type { Ctx } from '../runtime.js';

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
