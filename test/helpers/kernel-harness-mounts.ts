// A harness to be killed, with mounts (kernel-host-safety.test.ts): a sandbox on the trace's
// own root with mounts in several mount namespaces — peers of the initial one, a slave in a
// user namespace, a pivot_root — prints the host PIDs of the supervisor and of every traced
// process as one JSON line, and then waits to be SIGKILLed.

import { KernelBackend } from '../../src/kernel/backend.js';

const backend = new KernelBackend();
await backend.start({ user: 'root', hostname: 'harness', mounts: true });
await backend.run([
  { by: 'p0', op: 'mkdir', path: '/a' },
  { by: 'p0', op: 'mkdir', path: '/b' },
  { by: 'p0', op: 'mount', target: '/a', flags: [], fstype: 'tmpfs' },
  { by: 'p0', op: 'fork', as: 'c' },
  { by: 'c', op: 'unshare', flags: ['CLONE_NEWNS'] },
  { by: 'c', op: 'mount', target: '/b', flags: [], fstype: 'tmpfs' },
  { by: 'c', op: 'mount', target: '/b', flags: ['MS_BIND', 'MS_REC'], source: '/proc' },
  { by: 'p0', op: 'clone', flags: ['CLONE_NEWUSER', 'CLONE_NEWNS', 'CLONE_NEWPID'], as: 'u' },
  { by: 'p0', op: 'write_map', target: 'u', file: 'uid_map', data: '0 0 1\n' },
  { by: 'p0', op: 'write_map', target: 'u', file: 'gid_map', data: '0 0 1\n' },
  { by: 'u', op: 'mount', target: '/proc', flags: [], fstype: 'proc' },
  { by: 'u', op: 'mount', target: '/', flags: ['MS_REC', 'MS_PRIVATE'] },
  { by: 'u', op: 'mount', target: '/a', flags: [], fstype: 'tmpfs' },
  { by: 'u', op: 'mkdir', path: '/a/old' },
  { by: 'u', op: 'pivot_root', new_root: '/a', put_old: '/a/old' },
  { by: 'u', op: 'fork', as: 'v' },
  { by: 'v', op: 'thread' },
]);
process.stdout.write(`${JSON.stringify(await backend.hostPids())}\n`);
setInterval(() => undefined, 60_000);
