// An unprivileged user and the machine's hostname.

import { defineProperty } from '../../src/explore/property.js';
import { hostHostnameStays } from './invariants.js';

export default defineProperty({
  name: 'unprivileged-hostname',
  title: 'Can an unprivileged user (uid 1000) change the host\'s hostname with namespaces?',
  explanation:
    'The world: a shell `sh` of uid 1000 with no capabilities. The invariant: the hostname of the initial UTS ' +
    'namespace never changes. It holds: `sh` can make a user namespace of its own (and gets every capability ' +
    'in it), a UTS namespace owned by it, and change that one\'s hostname; but setns() into the host\'s UTS ' +
    'namespace wants CAP_SYS_ADMIN over the initial user namespace, which no namespace it makes gives, and ' +
    'sethostname() in the host\'s namespace wants the same. Capabilities in a user namespace reach only down, ' +
    'never up (R14).',
  setup: { user: 'unprivileged', hostname: 'host' },
  prefix: [{ by: 'p0', op: 'fork', as: 'sh' }],
  actors: ['sh'],
  alphabet: {
    fork: true,
    unshare: [['CLONE_NEWUSER'], ['CLONE_NEWUTS'], ['CLONE_NEWUSER', 'CLONE_NEWUTS']],
    open: ['uts', 'user'],
    setns: [0],
    sethostname: ['evil'],
  },
  invariant: hostHostnameStays('host'),
  depth: 6,
  expect: { verdict: 'holds', depth: 6 },
});
