// Printing outputs: compact canonical JSON, the golden files' pretty layout, key order, and
// sameOutput().
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatOutput, formatResult, formatSnapshot, sameOutput } from '../src/trace/format.js';
import type { RunOutput, Snapshot } from '../src/trace/types.js';

const GOLDEN = join(import.meta.dirname, 'golden');
const expectedFiles = readdirSync(GOLDEN).filter((f) => f.endsWith('.expected.json'));
const read = (f: string) => readFileSync(join(GOLDEN, f), 'utf8');

/** The same value with every object's keys in reverse order. */
function reversedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversedKeys);
  if (typeof v === 'object' && v !== null) {
    return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversedKeys(x)]));
  }
  return v;
}

const tiny: Snapshot = {
  processes: [{
    name: 'p0', state: 'running', nspid: [1], uid: 0, hostname: 'h', domainname: '(none)',
    ns: { cgroup: 'cgroup:0', ipc: 'ipc:0', mnt: 'mnt:0', net: 'net:0', pid: 'pid:0', pid_for_children: 'pid:0', time: 'time:0', time_for_children: 'time:0', user: 'user:0', uts: 'uts:0' },
  }],
  namespaces: [{ id: 'user:0', type: 'user', owner: null, parent: null, level: 0 }],
};

describe('formatOutput', () => {
  it('finds the golden outputs', () => expect(expectedFiles).toHaveLength(4));

  it.each(expectedFiles)('--pretty reproduces %s byte for byte', (file) => {
    const text = read(file);
    expect(`${formatOutput(JSON.parse(text) as RunOutput, { pretty: true })}\n`).toBe(text);
  });

  it.each(expectedFiles)('puts keys in canonical order whatever order they came in (%s)', (file) => {
    const text = read(file);
    const shuffled = reversedKeys(JSON.parse(text)) as RunOutput;
    expect(`${formatOutput(shuffled, { pretty: true })}\n`).toBe(text);
    expect(formatOutput(shuffled)).toBe(JSON.stringify(JSON.parse(text)));
  });

  it.each(expectedFiles)('compact output is one line that parses back to the same output (%s)', (file) => {
    const parsed = JSON.parse(read(file));
    const compact = formatOutput(parsed);
    expect(compact).not.toContain('\n');
    expect(compact).not.toMatch(/[:,] /);
    expect(JSON.parse(compact)).toEqual(parsed);
  });

  it('prints an empty result list as []', () => {
    expect(formatOutput({ results: [], final: tiny }, { pretty: true }).split('\n').slice(0, 3))
      .toEqual(['{', '  "results": [],', '  "final": {']);
  });

  it('leaves out undefined values, as JSON does', () => {
    expect(formatResult({ ok: true, value: undefined })).toBe('{"ok":true}');
  });
});

describe('formatSnapshot and formatResult', () => {
  it('prints a snapshot pretty, one process and one namespace a line', () => {
    expect(formatSnapshot(tiny, { pretty: true })).toBe([
      '{',
      '  "processes": [',
      '    {"name": "p0", "state": "running", "nspid": [1], "uid": 0, "hostname": "h", "domainname": "(none)", "ns": {"cgroup": "cgroup:0", "ipc": "ipc:0", "mnt": "mnt:0", "net": "net:0", "pid": "pid:0", "pid_for_children": "pid:0", "time": "time:0", "time_for_children": "time:0", "user": "user:0", "uts": "uts:0"}}',
      '  ],',
      '  "namespaces": [',
      '    {"id": "user:0", "type": "user", "owner": null, "parent": null, "level": 0}',
      '  ]',
      '}',
    ].join('\n'));
    expect(JSON.parse(formatSnapshot(reversedKeys(tiny) as Snapshot))).toEqual(tiny);
    expect(formatSnapshot(reversedKeys(tiny) as Snapshot).startsWith('{"processes":[{"name":"p0","state":"running"')).toBe(true);
  });

  it('prints results with ok/value/err/dead in that order', () => {
    expect(formatResult({ value: 3, ok: true } as never)).toBe('{"ok":true,"value":3}');
    expect(formatResult({ err: 'EPERM' }, { pretty: true })).toBe('{"err": "EPERM"}');
    expect(formatResult({ dead: true })).toBe('{"dead":true}');
  });
});

describe('sameOutput', () => {
  const [a] = expectedFiles.map((f) => JSON.parse(read(f)));

  it('ignores key order and white space', () => {
    expect(sameOutput(a, reversedKeys(a))).toBe(true);
    expect(sameOutput(a, JSON.parse(formatOutput(a)))).toBe(true);
  });

  it('sees one changed value deep down', () => {
    const b = structuredClone(a);
    b.final.processes[0].ns.uts = 'uts:1';
    expect(sameOutput(a, b)).toBe(false);
  });

  it('sees an extra or a missing key, but not an undefined one', () => {
    expect(sameOutput({ ok: true }, { ok: true, value: 0 })).toBe(false);
    expect(sameOutput({ ok: true, value: 0 }, { ok: true })).toBe(false);
    expect(sameOutput({ ok: true }, { ok: true, value: undefined })).toBe(true);
  });

  it('keeps the order of lists and tells types apart', () => {
    expect(sameOutput([1, 2], [2, 1])).toBe(false);
    expect(sameOutput([1], [1, 1])).toBe(false);
    expect(sameOutput({ value: 2 }, { value: '2' })).toBe(false);
    expect(sameOutput({ parent: null }, { parent: {} })).toBe(false);
    expect(sameOutput([], {})).toBe(false);
  });
});
