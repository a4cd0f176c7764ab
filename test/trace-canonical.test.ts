// canonicalize(): TRACE.md's numbering of namespaces, on hand-made raw snapshots whose keys
// (like the kernel's inode numbers) sort in an order unrelated to the canonical one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalize, SnapshotError, type RawNamespace, type RawProcess } from '../src/trace/canonical.js';
import { NS_FILES, type NsFile, type NsType } from '../src/trace/types.js';

// The initial namespaces: keys that sort after everything else.
const INIT: Record<NsType, string> = {
  cgroup: '9001', ipc: '9002', mnt: '9003', net: '9004', pid: '9005', time: '9006', user: '9007', uts: '9008',
};
const initNamespaces = (): [string, RawNamespace][] =>
  (Object.entries(INIT) as [NsType, string][]).map(([type, key]) => [key, { type, owner: type === 'user' ? null : INIT.user, parent: null, level: 0 }]);

/** A running process in the initial namespaces but for `ns`. */
function proc(name: string, ns: Partial<Record<NsFile, string | null>> = {}, more: Partial<RawProcess> = {}): RawProcess {
  const all = {} as Record<NsFile, string | null>;
  for (const f of NS_FILES) all[f] = INIT[f === 'pid_for_children' ? 'pid' : f === 'time_for_children' ? 'time' : f];
  return {
    name, state: 'running', nspid: [1], uid: 0, hostname: 'localhost', domainname: '(none)', ...more, ns: { ...all, ...ns },
  };
}
const ns = (type: NsType, owner: string | null, parent: string | null = null, level = 0): RawNamespace => ({ type, owner, parent, level });
const initIds = ['cgroup:0', 'ipc:0', 'mnt:0', 'net:0', 'pid:0', 'time:0', 'user:0', 'uts:0'];
const initEntry = (id: string) => ({ id, type: id.split(':')[0], owner: id === 'user:0' ? null : 'user:0', parent: null, level: 0 });

describe('canonicalize', () => {
  it('numbers by first appearance: processes in order, each one\'s files in NS_FILES order', () => {
    const snap = canonicalize({
      processes: [
        proc('p0'),
        proc('a', { pid_for_children: '500', time_for_children: '400', uts: '300' }),
        proc('b', { pid: '500', pid_for_children: '500', time: '400', time_for_children: '400', uts: '200' }, { nspid: [3, 1] }),
      ],
      fds: [],
      namespaces: new Map([
        ...initNamespaces(),
        ['500', ns('pid', INIT.user, INIT.pid, 1)], ['400', ns('time', INIT.user)],
        ['300', ns('uts', INIT.user)], ['200', ns('uts', INIT.user)],
      ]),
    });
    expect(snap.processes[1].ns).toEqual({
      cgroup: 'cgroup:0', ipc: 'ipc:0', mnt: 'mnt:0', net: 'net:0', pid: 'pid:0', pid_for_children: 'pid:1',
      time: 'time:0', time_for_children: 'time:1', user: 'user:0', uts: 'uts:1',
    });
    expect(snap.processes[2].ns).toMatchObject({ pid: 'pid:1', pid_for_children: 'pid:1', time: 'time:1', uts: 'uts:2' });
    expect(snap.processes[2].nspid).toEqual([3, 1]);
    expect(snap.namespaces.map((n) => n.id)).toEqual([
      'cgroup:0', 'ipc:0', 'mnt:0', 'net:0', 'pid:0', 'pid:1', 'time:0', 'time:1', 'user:0', 'uts:0', 'uts:1', 'uts:2',
    ]);
    expect(snap.namespaces[5]).toEqual({ id: 'pid:1', type: 'pid', owner: 'user:0', parent: 'pid:0', level: 1 });
  });

  it('names namespaces reached only through a descriptor after the processes\', in label order', () => {
    const snap = canonicalize({
      processes: [proc('p0'), proc('a', { uts: '70' })],
      fds: [{ label: 'f', ns: '80' }, { label: 'g', ns: '9008' }, { label: 'h', ns: '60' }],
      namespaces: new Map([
        ...initNamespaces(), ['70', ns('uts', INIT.user)], ['80', ns('uts', INIT.user)], ['60', ns('net', INIT.user)],
      ]),
    });
    expect(snap.namespaces.map((n) => n.id)).toEqual([...initIds.slice(0, 4), 'net:1', ...initIds.slice(4), 'uts:1', 'uts:2']);
    // uts:1 is a's (a process comes first), uts:2 the one held by fd f alone; g's is p0's own.
    expect(snap.processes[1].ns.uts).toBe('uts:1');
  });

  it('then goes breadth-first through owners and parents, owner before parent', () => {
    // c sits three user namespaces deep; fd f holds a pid namespace whose owner and parent
    // are reached only through it. The owner being queued before the parent decides that
    // the owner's owner (UZ) is named before the parent's owner (UY).
    const snap = canonicalize({
      processes: [proc('p0'), proc('c', { user: 'U3', uts: 'UT' }, { uid: 1000 })],
      fds: [{ label: 'f', ns: 'P2' }],
      namespaces: new Map([
        ...initNamespaces(),
        ['U3', ns('user', 'U2', 'U2', 3)], ['U2', ns('user', 'U1', 'U1', 2)], ['U1', ns('user', INIT.user, INIT.user, 1)],
        ['UT', ns('uts', 'U3')],
        ['P2', ns('pid', 'UX', 'P1', 2)], ['P1', ns('pid', 'UY', INIT.pid, 1)],
        ['UX', ns('user', 'UZ', 'UZ', 2)], ['UZ', ns('user', INIT.user, INIT.user, 1)], ['UY', ns('user', INIT.user, INIT.user, 1)],
      ]),
    });
    expect(snap.processes[1].ns.user).toBe('user:1');
    expect(snap.namespaces).toEqual([
      initEntry('cgroup:0'), initEntry('ipc:0'), initEntry('mnt:0'), initEntry('net:0'), initEntry('pid:0'),
      { id: 'pid:1', type: 'pid', owner: 'user:3', parent: 'pid:2', level: 2 }, // P2, from the fd
      { id: 'pid:2', type: 'pid', owner: 'user:6', parent: 'pid:0', level: 1 }, // P1, P2's parent
      initEntry('time:0'), initEntry('user:0'),
      { id: 'user:1', type: 'user', owner: 'user:2', parent: 'user:2', level: 3 }, // U3, c's
      { id: 'user:2', type: 'user', owner: 'user:4', parent: 'user:4', level: 2 }, // U2, U3's owner
      { id: 'user:3', type: 'user', owner: 'user:5', parent: 'user:5', level: 2 }, // UX, P2's owner
      { id: 'user:4', type: 'user', owner: 'user:0', parent: 'user:0', level: 1 }, // U1, U2's owner
      { id: 'user:5', type: 'user', owner: 'user:0', parent: 'user:0', level: 1 }, // UZ, UX's owner (UX was queued before P1)
      { id: 'user:6', type: 'user', owner: 'user:0', parent: 'user:0', level: 1 }, // UY, P1's owner
      initEntry('uts:0'),
      { id: 'uts:1', type: 'uts', owner: 'user:1', parent: null, level: 0 },
    ]);
  });

  it('sorts by type, then by number (uts:2 before uts:10)', () => {
    const keys = Array.from({ length: 11 }, (_, i) => `u${i}`);
    const snap = canonicalize({
      processes: [proc('p0'), ...keys.map((k, i) => proc(`c${i}`, { uts: k }))],
      fds: [],
      namespaces: new Map([...initNamespaces(), ...keys.map((k): [string, RawNamespace] => [k, ns('uts', INIT.user)])]),
    });
    const uts = snap.namespaces.filter((n) => n.type === 'uts').map((n) => n.id);
    expect(uts).toEqual(Array.from({ length: 12 }, (_, i) => `uts:${i}`));
  });

  it('lists only what is reachable; a zombie\'s dropped namespaces are null and unnamed', () => {
    const zombieNs = Object.fromEntries(NS_FILES.map((f) => [f, null])) as Record<NsFile, null>;
    const snap = canonicalize({
      processes: [proc('p0'), { ...proc('z'), state: 'zombie', hostname: null, domainname: null, ns: { ...zombieNs, pid: INIT.pid, user: INIT.user } }],
      fds: [],
      namespaces: new Map([...initNamespaces(), ['gone', ns('uts', INIT.user)]]),
    });
    expect(snap.processes[1].ns).toEqual({ ...zombieNs, pid: 'pid:0', user: 'user:0' });
    expect(snap.namespaces.map((n) => n.id)).toEqual(initIds);
  });

  it('refuses a raw snapshot naming a namespace it does not describe', () => {
    expect(() => canonicalize({ processes: [proc('p0', { uts: 'nowhere' })], fds: [], namespaces: new Map(initNamespaces()) }))
      .toThrow(SnapshotError);
  });

  it('gives the final snapshot of golden g4 from a raw view of it', () => {
    const expected = JSON.parse(readFileSync(join(import.meta.dirname, 'golden', 'g4-unprivileged-user-namespace.expected.json'), 'utf8'));
    const snap = canonicalize({
      processes: [
        proc('p0', {}, { uid: 1000, hostname: 'host' }),
        proc('u', { user: '4026532100', uts: '4026532001' }, { nspid: [2], uid: 1000, hostname: 'mine' }),
      ],
      fds: [{ label: 'uf', ns: '4026532100' }],
      namespaces: new Map([
        ...initNamespaces(),
        ['4026532100', ns('user', INIT.user, INIT.user, 1)], ['4026532001', ns('uts', '4026532100')],
      ]),
    });
    expect(snap).toEqual(expected.final);
  });
});
