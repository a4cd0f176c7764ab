// The seed article's question again, with a user namespace: `unshare -U -r -u`.

import { defineProperty } from '../../src/explore/property.js';
import { mapRootToRoot } from './steps.js';
import { hostHostnameStays } from './invariants.js';

export default defineProperty({
  name: 'seed-nsenter-userns',
  title: 'Can a root shell that ran `unshare -U -r -u` change the host\'s hostname?',
  explanation:
    'The world: root ran `unshare -U -r -u` — a shell `sh` in a new user namespace (uid 0 inside mapped to ' +
    'uid 0 outside, setgroups denied) and a new UTS namespace. The invariant: the hostname of the initial UTS ' +
    'namespace never changes. It holds: `sh` may still open /proc/1/ns/uts, but setns() into it wants ' +
    'CAP_SYS_ADMIN over its owner, the initial user namespace, and `sh`\'s capabilities are now only those of ' +
    'its new user namespace (set_cred_user_ns()); going back to the initial user namespace wants CAP_SYS_ADMIN ' +
    'there too. Mapping uid 0 to uid 0 gives no capability outside. A user namespace is what makes the UTS ' +
    'namespace a boundary.',
  setup: { user: 'root', hostname: 'host' },
  prefix: [
    { by: 'p0', op: 'fork', as: 'sh' },
    { by: 'sh', op: 'unshare', flags: ['CLONE_NEWUSER', 'CLONE_NEWUTS'] },
    ...mapRootToRoot('sh'),
  ],
  actors: ['sh'],
  alphabet: {
    fork: true,
    unshare: [['CLONE_NEWUTS'], ['CLONE_NEWUSER']],
    open: ['uts', 'user'],
    setns: [0],
    sethostname: ['evil'],
  },
  invariant: hostHostnameStays('host'),
  depth: 6,
  expect: { verdict: 'holds', depth: 6 },
});
