// An unprivileged user namespace maps only its creator's uid.

import { defineProperty } from '../../src/explore/property.js';

export default defineProperty({
  name: 'rootless-map-other-uid',
  title: 'Can uid 1000 map another outside uid (root\'s) into a user namespace it made?',
  explanation:
    'The world: uid 1000 made a user namespace (`unshare -U`) and is root in it, with every capability there. ' +
    'The invariant, over step results: no uid_map write that maps outside uid 0 ever succeeds. It holds: ' +
    'new_idmap_permitted() lets a writer without CAP_SETUID in the parent user namespace map exactly one uid, ' +
    'its own euid (1000), and the capabilities of the new namespace do not count in the parent. This is why ' +
    'rootless containers need the set-uid newuidmap helper (and /etc/subuid) for more than one uid.',
  setup: { user: 'unprivileged', hostname: 'host' },
  prefix: [
    { by: 'p0', op: 'fork', as: 'sh' },
    { by: 'sh', op: 'unshare', flags: ['CLONE_NEWUSER'] },
  ],
  actors: ['sh'],
  alphabet: {
    fork: true,
    unshare: [['CLONE_NEWUSER']],
    write_map: [
      { file: 'uid_map', data: '0 0 1' }, { file: 'uid_map', data: '0 1000 1' }, { file: 'uid_map', data: '1 0 1' },
      { file: 'setgroups', data: 'deny' },
    ],
  },
  onStep: ({ step, result }) => {
    if (step.op !== 'write_map' || step.file !== 'uid_map' || !('ok' in result)) return undefined;
    const outside = step.data.trim().split(/\s+/).map(Number)[1];
    return outside === 0 ? `${step.by} mapped outside uid 0 into ${step.target}'s user namespace ('${step.data}')` : undefined;
  },
  depth: 4,
  expect: { verdict: 'holds', depth: 4 },
});
