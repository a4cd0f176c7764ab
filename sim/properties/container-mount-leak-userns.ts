// container-mount-leak with a user namespace: `unshare -U -r -m` (issue 12).

import { defineProperty } from '../../src/explore/property.js';
import { CONTAINER_MOUNT_OPS, mapRootToRoot } from './steps.js';
import { hostMountsStay } from './invariants.js';

export default defineProperty({
  name: 'container-mount-leak-userns',
  title: 'Can a mount made inside a container with its own user namespace (`unshare -U -r -m`) appear in the host\'s mount namespace?',
  explanation:
    'The world (setup.mounts): the host\'s / and /proc are shared; root made /a and ran `unshare -U -r -m` — ' +
    'a shell `c`, root of a new user namespace (uid 0 mapped to 0) with a new mount namespace. The invariant: ' +
    'the host\'s mount namespace keeps its two mounts. It holds: the new mount namespace is owned by a less ' +
    'privileged user namespace, so copy_mnt_ns() copies with CL_SHARED_TO_SLAVE — `c`\'s copies are slaves ' +
    'of the host\'s peer groups: they receive the host\'s mounts and send none back, even when `c` makes its ' +
    'tree shared again (a new peer group of its own, still a slave of the host\'s).',
  setup: { user: 'root', hostname: 'host', mounts: true },
  prefix: [
    { by: 'p0', op: 'mkdir', path: '/a' },
    { by: 'p0', op: 'fork', as: 'c' },
    { by: 'c', op: 'unshare', flags: ['CLONE_NEWUSER', 'CLONE_NEWNS'] },
    ...mapRootToRoot('c'),
  ],
  actors: ['c'],
  alphabet: {
    mounts: [...CONTAINER_MOUNT_OPS],
  },
  invariant: hostMountsStay(2),
  depth: 3,
  expect: { verdict: 'holds', depth: 3 },
});
