// The mounts extension's format (docs/TRACE-EXTENSIONS.md, "Mounts"): validation of the new
// ops and setup.mounts, and canonicalize()'s ordering and numbering of mounts. The raw mounts
// below are /proc/self/mountinfo lines printed by Linux 6.18 in a sandbox: a shared tmpfs with
// a shared tmpfs on a/, its bind on b/ made a slave, and a tmpfs on a/x that propagated to
// b/x; then the same seen from a copy made by unshare -m (ids 93..97, listed as the kernel did).
// The probe ran in a directory of /tmp (not pivoted into), whose path is cut off here.
import { describe, expect, it } from 'vitest';
import { canonicalize, type RawMount, type RawNamespace, type RawProcess } from '../src/trace/canonical.js';
import { NS_FILES, type NsFile, type NsType } from '../src/trace/types.js';
import { parseTrace, TraceError } from '../src/trace/validate.js';

const trace = (steps: unknown[], setup: Record<string, unknown> = {}) => ({ nsmodel: 1, setup, steps });
const problem = (t: unknown): string => {
  try {
    parseTrace(t);
  } catch (e) {
    if (e instanceof TraceError) return e.message;
    throw e;
  }
  return 'valid';
};

describe('mount ops: validation', () => {
  it('accepts the ops of the contract and sets setup.mounts', () => {
    const t = parseTrace(trace([
      { by: 'p0', op: 'mkdir', path: '/a' },
      { by: 'p0', op: 'mount', target: '/a', fstype: 'tmpfs', flags: [] },
      { by: 'p0', op: 'mount', source: '/a', target: '/proc', flags: ['MS_BIND', 'MS_REC'] },
      { by: 'p0', op: 'mount', target: '/', flags: ['MS_REC', 'MS_PRIVATE'] },
      { by: 'p0', op: 'umount', target: '/a', flags: ['MNT_DETACH'] },
      { by: 'p0', op: 'umount', target: '/a' },
      { by: 'p0', op: 'pivot_root', new_root: '/a', put_old: '/a/old' },
      { by: 'p0', op: 'readdir', path: '/' },
    ]));
    expect(t.setup.mounts).toBe(true);
  });

  it('accepts relative paths and . and .. components, and the chdir, chroot and getcwd ops (which imply setup.mounts)', () => {
    const t = parseTrace(trace([
      { by: 'p0', op: 'chdir', path: 'a/../b/.' }, { by: 'p0', op: 'chroot', path: '..' }, { by: 'p0', op: 'getcwd' },
      { by: 'p0', op: 'mkdir', path: '/proc/..' }, { by: 'p0', op: 'readdir', path: '...' },
    ]));
    expect(t.setup.mounts).toBe(true);
    expect(t.steps.map((s) => s.op)).toEqual(['chdir', 'chroot', 'getcwd', 'mkdir', 'readdir']);
  });

  it('leaves setup.mounts unset in a trace without them (v1 traces unchanged)', () => {
    expect(parseTrace(trace([{ by: 'p0', op: 'mount_proc' }])).setup.mounts).toBeUndefined();
    expect(parseTrace(trace([], { mounts: true })).setup.mounts).toBe(true);
  });

  it.each([
    [[{ by: 'p0', op: 'mkdir', path: '' }], {}, "steps[0].path: must be a path: '/' or components of A-Z a-z 0-9 . _ - (or '.', '..') separated by single '/', no trailing '/'"],
    [[{ by: 'p0', op: 'chdir', path: 'a b' }], {}, "steps[0].path: must be a path: '/' or components of A-Z a-z 0-9 . _ - (or '.', '..') separated by single '/', no trailing '/'"],
    [[{ by: 'p0', op: 'mkdir', path: '/a//b' }], {}, "steps[0].path: must be a path: '/' or components of A-Z a-z 0-9 . _ - (or '.', '..') separated by single '/', no trailing '/'"],
    [[{ by: 'p0', op: 'mkdir', path: '/a/' }], {}, "steps[0].path: must be a path: '/' or components of A-Z a-z 0-9 . _ - (or '.', '..') separated by single '/', no trailing '/'"],
    [[{ by: 'p0', op: 'chroot', path: 'a/' }], {}, "steps[0].path: must be a path: '/' or components of A-Z a-z 0-9 . _ - (or '.', '..') separated by single '/', no trailing '/'"],
    [[{ by: 'p0', op: 'mkdir', path: '/a/../proc/x' }], {}, 'steps[0].path: paths below /proc are not modelled'],
    [[{ by: 'p0', op: 'getcwd', path: '/' }], {}, "steps[0]: unknown field 'path'"],
    [[{ by: 'p0', op: 'mkdir', path: '/proc/sys' }], {}, 'steps[0].path: paths below /proc are not modelled'],
    [[{ by: 'p0', op: 'mkdir', path: `/${'x'.repeat(65)}` }], {}, 'steps[0].path: a component has 65 characters (at most 64)'],
    [[{ by: 'p0', op: 'mkdir', path: '/a'.repeat(17) }], {}, 'steps[0].path: has 17 components (at most 16)'],
    [[{ by: 'p0', op: 'mkdir', path: 3 }], {}, 'steps[0].path: must be a path (a string)'],
    [[{ by: 'p0', op: 'mount', target: '/a', flags: ['MS_LAZYTIME'] }], {}, "steps[0].flags[0]: unknown mount flag 'MS_LAZYTIME' (one of MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND, MS_MOVE, MS_REC, MS_UNBINDABLE, MS_PRIVATE, MS_SLAVE, MS_SHARED)"],
    [[{ by: 'p0', op: 'mount', target: '/a', fstype: 'ext4', flags: [] }], {}, "steps[0].fstype: unknown filesystem type 'ext4' (one of tmpfs, proc)"],
    [[{ by: 'p0', op: 'mount', target: '/a' }], {}, "steps[0]: missing field 'flags'"],
    [[{ by: 'p0', op: 'umount', target: '/a', flags: ['MNT_FORCE'] }], {}, "steps[0].flags[0]: unknown umount flag 'MNT_FORCE' (one of MNT_DETACH)"],
    [[{ by: 'p0', op: 'pivot_root', new_root: '/a' }], {}, "steps[0]: missing field 'put_old'"],
    [[{ by: 'p0', op: 'readdir', path: '/' }], { mounts: false }, "steps[0].op: 'readdir' needs the trace's own root: setup.mounts must not be false"],
    [[], { mounts: 'yes' }, 'setup.mounts: must be true or false'],
  ])('refuses %j (setup %j)', (steps, setup, message) => {
    expect(problem(trace(steps, setup))).toBe(message);
  });
});

// mountinfo lines of Linux 6.18 (see the head of the file), as a backend would read them
const line = (s: string): RawMount => {
  const [pre, post] = s.split(' - ');
  const f = pre.split(' ');
  const opt = f.slice(6);
  const peer = (k: string) => {
    const o = opt.find((x) => x.startsWith(`${k}:`));
    return o ? Number(o.slice(k.length + 1)) : null;
  };
  const [fstype, , superOpts] = post.split(' ');
  return {
    id: Number(f[0]), parent: Number(f[1]), sb: f[2], root: f[3], mountpoint: f[4],
    options: f[5].split(',').filter((o) => ['rw', 'ro', 'nosuid', 'nodev', 'noexec'].includes(o)),
    fstype: fstype as RawMount['fstype'], super: superOpts.split(',')[0] as 'rw' | 'ro',
    shared: peer('shared'), master: peer('master'), propagateFrom: peer('propagate_from'), unbindable: opt.includes('unbindable'),
  };
};
const ORIGINAL = [
  '67 46 0:41 / / rw,relatime shared:1 - tmpfs tmpfs rw',
  '68 67 0:42 / /a rw,relatime shared:2 - tmpfs t rw',
  '69 67 0:42 / /b rw,relatime master:2 - tmpfs t rw',
  '70 68 0:43 / /a/x rw,relatime shared:3 - tmpfs t2 rw',
  '71 69 0:43 / /b/x rw,relatime master:3 - tmpfs t2 rw',
].map(line);
const COPY = [
  '93 73 0:41 / / rw,relatime shared:1 - tmpfs tmpfs rw',
  '94 93 0:42 / /a rw,relatime shared:2 - tmpfs t rw',
  '95 94 0:43 / /a/x rw,relatime shared:3 - tmpfs t2 rw',
  '96 93 0:42 / /b rw,relatime master:2 - tmpfs t rw',
  '97 96 0:43 / /b/x rw,relatime master:3 - tmpfs t2 rw',
].map(line);

const INIT: Record<NsType, string> = {
  cgroup: 'c', ipc: 'i', mnt: 'm0', net: 'n', pid: 'p', time: 't', user: 'u', uts: 'h',
};
function proc(name: string, mnt: string): RawProcess {
  const ns = {} as Record<NsFile, string | null>;
  for (const f of NS_FILES) ns[f] = INIT[f === 'pid_for_children' ? 'pid' : f === 'time_for_children' ? 'time' : f];
  return { name, state: 'running', nspid: [1], uid: 0, hostname: 'h', domainname: '(none)', ns: { ...ns, mnt } };
}
function world(mounts: Record<string, RawMount[] | null>, procs: RawProcess[]) {
  const namespaces = new Map<string, RawNamespace>();
  for (const [type, key] of Object.entries(INIT) as [NsType, string][]) {
    namespaces.set(key, { type, owner: type === 'user' ? null : 'u', parent: null, level: 0 });
  }
  for (const [key, list] of Object.entries(mounts)) namespaces.set(key, { type: 'mnt', owner: 'u', parent: null, level: 0, mounts: list });
  return canonicalize({ processes: procs, fds: [], namespaces });
}

describe('canonicalize: mounts', () => {
  it('orders each tree depth first by mountpoint and numbers mounts, super blocks and peer groups over the snapshot', () => {
    // the copy's namespace is met first (p0 is in it): its mounts get the low numbers
    const snap = world({ m0: ORIGINAL, m1: [...COPY].reverse() }, [proc('p0', 'm1'), proc('p1', 'm0')]);
    const [copy, original] = snap.namespaces.filter((n) => n.type === 'mnt');
    expect(copy.id).toBe('mnt:0');
    const brief = (n: typeof copy) => n.mounts!.map((m) => `${m.id} ${m.parent} ${m.mountpoint} ${m.fs} ${m.propagation.join(',')}`);
    expect(brief(copy)).toEqual([
      '0 null / tmpfs:0 shared:1', '1 0 /a tmpfs:1 shared:2', '2 1 /a/x tmpfs:2 shared:3', '3 0 /b tmpfs:1 master:2', '4 3 /b/x tmpfs:2 master:3',
    ]);
    expect(brief(original)).toEqual([
      '5 null / tmpfs:0 shared:1', '6 5 /a tmpfs:1 shared:2', '7 6 /a/x tmpfs:2 shared:3', '8 5 /b tmpfs:1 master:2', '9 8 /b/x tmpfs:2 master:3',
    ]);
    expect(copy.mounts![0]).toEqual({ id: 0, parent: null, mountpoint: '/', root: '/', fs: 'tmpfs:0', options: ['rw'], super: 'rw', propagation: ['shared:1'] });
  });

  it('gives the same canonical mounts whatever the raw ids and their order', () => {
    const shift = (ms: RawMount[], by: number) => ms.map((m) => ({
      ...m, id: m.id + by, parent: m.parent === null ? null : m.parent + by,
      shared: m.shared === null ? null : m.shared + 1000, master: m.master === null ? null : m.master + 1000, sb: `x${m.sb}`,
    }));
    const a = world({ m0: ORIGINAL }, [proc('p0', 'm0')]);
    const b = world({ m0: shift([...ORIGINAL].reverse(), 5000) }, [proc('p0', 'm0')]);
    expect(b).toEqual(a);
  });

  it('shows null for a mount namespace no running process is in, and no field at all without setup.mounts', () => {
    const snap = world({ m0: null }, [proc('p0', 'm0')]);
    expect(snap.namespaces.find((n) => n.id === 'mnt:0')!.mounts).toBeNull();
    const plain = world({}, [proc('p0', 'm0')]);
    expect(plain.namespaces.find((n) => n.id === 'mnt:0')).not.toHaveProperty('mounts');
  });
});
