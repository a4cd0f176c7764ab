// A process in a chroot jail, and the files outside it (issue 12: chroot, chdir). Two worlds:
// the jailed process keeps root's capabilities (the classic escape), or it dropped them.

import { defineProperty, type PropertyDefinition } from '../../src/explore/property.js';
import { DOCKER_DEFAULT_CAPS, type MountArgs, type Step } from '../../src/trace/types.js';

/** The world: /secret/keys outside the jail /jail; `c` chrooted into /jail and chdir'ed to its /. */
function jail(extra: Step[]): Step[] {
  return [
    { by: 'p0', op: 'mkdir', path: '/jail' },
    { by: 'p0', op: 'mkdir', path: '/secret' },
    { by: 'p0', op: 'mkdir', path: '/secret/keys' },
    { by: 'p0', op: 'fork', as: 'c' },
    { by: 'c', op: 'chroot', path: '/jail' },
    { by: 'c', op: 'chdir', path: '/' },
    ...extra,
  ];
}

/** What the jailed process may try: another chroot below, `..`, and looking for the secret. */
const JAIL_OPS: MountArgs[] = [
  { op: 'mkdir', path: 'x' },
  { op: 'chroot', path: 'x' },
  { op: 'chroot', path: '.' },
  { op: 'chdir', path: '..' },
  { op: 'readdir', path: '/secret' },
  { op: 'readdir', path: '../secret' },
];

/** The invariant, over step results: no readdir by the jailed processes shows `keys`. */
const secretStaysHidden: PropertyDefinition['onStep'] = ({ step, result }) => {
  if (step.op !== 'readdir' || !('ok' in result) || !Array.isArray(result.value)) return undefined;
  return result.value.includes('keys') ? `${step.by} read ${step.path} from inside the jail: keys, which lies outside it` : undefined;
};

export const chrootEscape = defineProperty({
  name: 'chroot-escape',
  title: 'Can a process chrooted into /jail, still root, read a directory outside the jail?',
  explanation:
    'The world (setup.mounts): root made /secret/keys and /jail, and a child `c` ran chroot("/jail") and ' +
    'chdir("/"), as chroot(8) does. The invariant: no readdir by `c` shows `keys`. It is broken in three ' +
    'steps: `c` makes a directory x, chroot("x") — which moves the root but leaves the working directory ' +
    'where it was, now outside the root — and readdir("../secret"): follow_dotdot() stops only at the ' +
    'root, and the walk from the working directory never passes it. chroot is not a boundary for a ' +
    'process that keeps CAP_SYS_CHROOT; that is why containers use pivot_root and a mount namespace.',
  setup: { user: 'root', hostname: 'host', mounts: true },
  prefix: jail([]),
  actors: ['c'],
  alphabet: { mounts: JAIL_OPS },
  onStep: secretStaysHidden,
  depth: 4,
  expect: { verdict: 'broken', depth: 3 },
});

export const chrootJailUnprivileged = defineProperty({
  name: 'chroot-jail-unprivileged',
  title: 'Can a process chrooted into /jail that dropped root read a directory outside the jail, even through a user namespace?',
  explanation:
    'The world: as in chroot-escape (with Docker\'s capabilities), but after chroot and chdir `c` ran ' +
    'setresuid(1000, 1000, 1000), which clears its capabilities. The invariant: no readdir by `c` (or its children) shows `keys`. It holds: ' +
    'chroot needs CAP_SYS_CHROOT (EPERM), `..` stops at the root, and the way around — a new user ' +
    'namespace, where `c` would have every capability, chroot included — is closed: create_user_ns() ' +
    'refuses a caller whose root is not its mount namespace\'s (current_chrooted(): EPERM).',
  // Docker's capabilities (CAP_SYS_CHROOT, CAP_SETUID among them): a sandbox can give them all
  setup: { user: 'root', hostname: 'host', mounts: true, caps: [...DOCKER_DEFAULT_CAPS] },
  prefix: jail([{ by: 'c', op: 'setresuid', ruid: 1000, euid: 1000, suid: 1000 }]),
  actors: ['c'],
  alphabet: {
    fork: true,
    unshare: [['CLONE_NEWUSER'], ['CLONE_NEWUSER', 'CLONE_NEWNS']],
    write_map: [{ file: 'uid_map', data: '0 1000 1' }],
    mounts: JAIL_OPS,
  },
  onStep: secretStaysHidden,
  depth: 4,
  expect: { verdict: 'holds', depth: 4 },
});
