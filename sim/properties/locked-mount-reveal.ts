// A locked mount in a less privileged mount namespace: what it covers stays hidden (issue 12).

import { defineProperty } from '../../src/explore/property.js';
import { mapRootToRoot } from './steps.js';

export default defineProperty({
  name: 'locked-mount-reveal',
  title: 'Can a container with its own user namespace remove a mount the host made, and see what it covers?',
  explanation:
    'The world (setup.mounts): the host made /a/secret and then mounted a tmpfs on /a, covering it; then root ' +
    'ran `unshare -U -r -m` — a shell `c`, root of a new user namespace with a new mount namespace. The ' +
    'invariant, over step results: no readdir of `c` shows `secret`. It holds: lock_mnt_tree() locked `c`\'s ' +
    'copy of /a to its parent (MNT_LOCKED), so umount is EINVAL (can_umount), with MNT_DETACH too; a bind of / ' +
    'without MS_REC is EINVAL while a locked mount is below (__do_loopback(): it would show what is under ' +
    'it); an rbind copies /a locked as well. A locked mount goes only with its parent, or when the host ' +
    'unmounts the original (propagate_mount_unlock()).',
  setup: { user: 'root', hostname: 'host', mounts: true },
  prefix: [
    { by: 'p0', op: 'mkdir', path: '/a' },
    { by: 'p0', op: 'mkdir', path: '/a/secret' },
    { by: 'p0', op: 'mkdir', path: '/b' },
    { by: 'p0', op: 'mount', target: '/a', flags: [], fstype: 'tmpfs' },
    { by: 'p0', op: 'fork', as: 'c' },
    { by: 'c', op: 'unshare', flags: ['CLONE_NEWUSER', 'CLONE_NEWNS'] },
    ...mapRootToRoot('c'),
  ],
  actors: ['c'],
  alphabet: {
    mounts: [
      { op: 'umount', target: '/a' },
      { op: 'umount', target: '/a', flags: ['MNT_DETACH'] },
      { op: 'mount', target: '/b', flags: ['MS_BIND'], source: '/' },
      { op: 'mount', target: '/b', flags: ['MS_BIND', 'MS_REC'], source: '/' },
      { op: 'umount', target: '/b/a', flags: ['MNT_DETACH'] },
      { op: 'mount', target: '/', flags: ['MS_REC', 'MS_PRIVATE'] },
      { op: 'readdir', path: '/a' },
      { op: 'readdir', path: '/b/a' },
    ],
  },
  onStep: ({ step, result }) => {
    if (step.op !== 'readdir' || !('ok' in result) || !Array.isArray(result.value)) return undefined;
    return result.value.includes('secret') ? `${step.by} read ${step.path}: secret, which the host's mount on /a covers` : undefined;
  },
  depth: 4,
  expect: { verdict: 'holds', depth: 4 },
});
