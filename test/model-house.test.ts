// The model's house (issue 8): every namespace type answers one interface, its ops record in
// assembly/ns/<type>.ts, numbered by the table assembly/ns/table.ts; nothing else in
// assembly/ goes over the types by name. Read from the sources: a new type that needed edits
// elsewhere would show up here as a type named outside ns/.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CLONE_NEW, NS_FILES, NS_TYPES } from '../src/trace/types.js';

const ASSEMBLY = join(import.meta.dirname, '..', 'assembly');

function sources(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(join(ASSEMBLY, dir))) {
    if (f.endsWith('.ts')) out.set(join(dir, f), readFileSync(join(ASSEMBLY, dir, f), 'utf8'));
  }
  return out;
}

/** The code of a source without its comments and string literals. */
function code(src: string): string {
  return src
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '')
    .replace(/"(?:[^"\\\n]|\\.)*"/g, '""');
}

const top = sources('.');
const ns = sources('ns');
const table = ns.get(join('ns', 'table.ts'))!;

/** `export const NAME: i32 = N;` of the table. */
function tableConst(name: string): number {
  const m = new RegExp(`export const ${name}: i32 = (\\d+);`).exec(table);
  if (!m) throw new Error(`table.ts has no ${name}`);
  return Number(m[1]);
}

describe('the namespace types: one ops record each, one table', () => {
  it('numbers the types and files as the trace format does', () => {
    for (const [i, t] of NS_TYPES.entries()) expect(tableConst(`NS_${t.toUpperCase()}`)).toBe(i);
    expect(tableConst('NS_TYPES')).toBe(NS_TYPES.length);
    for (const [i, f] of NS_FILES.entries()) expect(tableConst(`F_${f.toUpperCase()}`)).toBe(i);
    expect(tableConst('NS_FILES')).toBe(NS_FILES.length);
  });

  // new NsOps(NS_X, "name", CLONE_NEWX, F_X, 0x..., ...)
  const records = [...ns].flatMap(([file, src]) =>
    [...src.matchAll(/new NsOps\(\s*NS_(\w+),\s*"(\w+)",\s*(CLONE_NEW\w+),\s*F_(\w+),\s*(0x[0-9A-Fa-f]+)/g)].map((m) => ({
      file, type: m[1].toLowerCase(), name: m[2], flag: m[3], procFile: m[4].toLowerCase(), inum: Number(m[5]),
    })),
  );

  it('has one record per type in ns/<type>.ts, and one per *_for_children file', () => {
    for (const type of NS_TYPES) {
      const own = records.filter((r) => r.type === type && r.name === type);
      expect(own.map((r) => r.file), type).toEqual([join('ns', `${type}.ts`)]);
    }
    expect(records.map((r) => r.procFile).sort()).toEqual([...NS_FILES].sort());
  });

  it('gives each record the name, flag and file the trace format gives the type', () => {
    const flagOf: Record<string, keyof typeof CLONE_NEW> = {
      cgroup: 'CLONE_NEWCGROUP', ipc: 'CLONE_NEWIPC', mnt: 'CLONE_NEWNS', net: 'CLONE_NEWNET',
      pid: 'CLONE_NEWPID', time: 'CLONE_NEWTIME', user: 'CLONE_NEWUSER', uts: 'CLONE_NEWUTS',
    };
    for (const r of records) {
      expect(r.name, r.file).toBe(r.procFile);
      expect(r.flag, r.file).toBe(flagOf[r.type]);
      expect(NS_FILES).toContain(r.name);
    }
    // include/uapi/linux/nsfs.h: the initial namespaces' inode numbers (*_INIT_INO)
    const nsfsH: Record<string, number> = {
      ipc: 0xefffffff, uts: 0xeffffffe, user: 0xeffffffd, pid: 0xeffffffc,
      cgroup: 0xeffffffb, time: 0xeffffffa, net: 0xeffffff9, mnt: 0xeffffff8,
    };
    for (const r of records) expect(r.inum, r.name).toBe(nsfsH[r.type]);
  });

  it('names no namespace type outside ns/ (but the uapi flag values in flags.ts)', () => {
    // cgroup and net namespaces have no rule of their own outside their file: whatever a new
    // type needs, they need, and they are found only in ns/ and the uapi flag list
    for (const type of ['cgroup', 'net']) {
      for (const [file, src] of top) {
        const hits = code(src).split('\n').filter((l) => new RegExp(type, 'i').test(l));
        if (file === 'flags.ts') expect(hits, file).toEqual([expect.stringMatching(/^export const CLONE_NEW\w+: u32 = 0x/)]);
        else expect(hits, `${file} names ${type}`).toEqual([]);
      }
    }
  });

  it('has no switch over types or files, and no per-type nsproxy fields', () => {
    for (const [file, src] of [...top, ...ns]) {
      expect(code(src), file).not.toMatch(/case (NS_(CGROUP|IPC|MNT|NET|PID|TIME|USER|UTS)|F_[A-Z_]+):/);
    }
    const nsproxy = code(top.get('nsproxy.ts')!);
    const cls = nsproxy.slice(nsproxy.indexOf('class NsProxy'), nsproxy.indexOf('function create_new_namespaces'));
    for (const field of ['mnt', 'uts', 'ipc', 'net', 'cgroup', 'pidForChildren', 'timeForChildren']) {
      expect(cls, field).not.toMatch(new RegExp(`\\b${field}\\s*:`));
    }
  });

  it('reports errors through fail() only: no side channels', () => {
    for (const [file, src] of [...top, ...ns, ...sources('mnt')]) {
      expect(code(src), file).not.toMatch(/\b(nsErr|nsproxyErr|credErr|credWhy|ioctlValue|setNsErr)\b/);
      // a bare -errno (return -ENOENT) instead of fail(ENOENT, why)
      expect(code(src), file).not.toMatch(/return -E[A-Z]+/);
    }
  });
});
