// A mount made in a container's mount namespace, with the host's / shared (issue 12).

import { defineProperty } from '../../src/explore/property.js';
import { CONTAINER_MOUNT_OPS } from './steps.js';
import { hostMountsStay } from './invariants.js';

export default defineProperty({
  name: 'container-mount-leak',
  title: 'Can a mount made inside a container (a privileged `unshare -m`) appear in the host\'s mount namespace?',
  explanation:
    'The world (setup.mounts): the host\'s / and /proc are shared, as systemd leaves them; root made /a and ' +
    'ran `unshare -m` — a shell `c` in a new mount namespace, and nothing else. The invariant: the host\'s ' +
    'mount namespace keeps its two mounts. It is broken in one step: `c` mounts a tmpfs on /a. copy_mnt_ns() ' +
    'made `c`\'s copies of the shared mounts peers of the host\'s (same user namespace: no CL_SHARED_TO_SLAVE), ' +
    'so propagate_mnt() puts a copy of every mount on them into the host too. Container runtimes make the ' +
    'copy private or slave first (`mount --make-rslave /`), or use a user namespace (container-mount-leak-userns).',
  setup: { user: 'root', hostname: 'host', mounts: true },
  prefix: [
    { by: 'p0', op: 'mkdir', path: '/a' },
    { by: 'p0', op: 'fork', as: 'c' },
    { by: 'c', op: 'unshare', flags: ['CLONE_NEWNS'] },
  ],
  actors: ['c'],
  alphabet: {
    mounts: [...CONTAINER_MOUNT_OPS],
  },
  invariant: hostMountsStay(2),
  depth: 3,
  expect: { verdict: 'broken', depth: 1 },
});
