// The seed article's closing question: a root shell that ran `unshare -u` can undo it with
// `nsenter -a -t 1` and change the host's hostname.

import { defineProperty } from '../../src/explore/property.js';
import { hostHostnameStays } from './invariants.js';

export default defineProperty({
  name: 'seed-nsenter',
  title: 'Can a root shell that ran `unshare -u` change the host\'s hostname?',
  explanation:
    'The world: root (uid 0, every capability in the initial user namespace) ran `unshare -u` — a shell `sh` ' +
    'in a new UTS namespace, as in the seed article. The invariant: the hostname of the initial UTS namespace ' +
    '(the one p0, the host\'s PID 1, is in) never changes. It is broken in three steps: `sh` opens ' +
    '/proc/1/ns/uts, setns() into it (utsns_install() asks for CAP_SYS_ADMIN over the namespace\'s owner, the ' +
    'initial user namespace, which root has), and sethostname() — what `nsenter -a -t 1 hostname evil` does. ' +
    'A new UTS namespace is not a boundary for a process that keeps its capabilities in the user namespace ' +
    'that owns the host\'s: "by using namespaces alone it may not be possible to prevent system modifications".',
  setup: { user: 'root', hostname: 'host' },
  prefix: [
    { by: 'p0', op: 'fork', as: 'sh' },
    { by: 'sh', op: 'unshare', flags: ['CLONE_NEWUTS'] },
  ],
  actors: ['sh'],
  alphabet: {
    fork: true,
    unshare: [['CLONE_NEWUTS']],
    open: ['uts', 'mnt'],
    setns: [0],
    close: true,
    sethostname: ['evil'],
  },
  invariant: hostHostnameStays('host'),
  depth: 6,
  expect: { verdict: 'broken', depth: 3 },
});
