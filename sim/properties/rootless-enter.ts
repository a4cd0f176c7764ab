// Another process of the same unprivileged user joins a rootless container's UTS namespace.

import { defineProperty } from '../../src/explore/property.js';

export default defineProperty({
  name: 'rootless-enter',
  title: 'Can another process of the same unprivileged user join a rootless container\'s UTS namespace?',
  explanation:
    'The world: uid 1000 made a user and a UTS namespace (`a`, as a rootless container does) and set its ' +
    'hostname; `b`, another uid-1000 process outside, acts. The invariant: `b` (and what it makes) never joins ' +
    'a\'s UTS namespace. It is broken in four steps: `b` opens a\'s user namespace and setns() into it — the ' +
    'owner rule (R14) gives the creator\'s uid every capability in a user namespace it owns, from its parent ' +
    'namespace — and then opens and joins a\'s UTS namespace, which that user namespace owns. A rootless ' +
    'container is no boundary against its own user; only a different uid (or a setns() in the wrong order: ' +
    'UTS first is EPERM) keeps `b` out.',
  setup: { user: 'unprivileged', hostname: 'host' },
  prefix: [
    { by: 'p0', op: 'fork', as: 'a' },
    { by: 'p0', op: 'fork', as: 'b' },
    { by: 'a', op: 'unshare', flags: ['CLONE_NEWUSER', 'CLONE_NEWUTS'] },
    { by: 'a', op: 'sethostname', name: 'container' },
  ],
  actors: ['b'],
  alphabet: {
    fork: true,
    open: ['user', 'uts'],
    setns: [0],
  },
  invariant: (s) => {
    const inner = s.nsOf('a', 'uts');
    if (inner < 0) return undefined;
    for (let i = 0; i < s.processCount; i++) {
      const l = s.label(i);
      if (l === 'a' || l === 'p0') continue;
      if (s.ns(i, 'uts') === inner) return `${l} is in a's UTS namespace (hostname '${s.hostname(inner)}')`;
    }
    return undefined;
  },
  depth: 5,
  expect: { verdict: 'broken', depth: 4 },
});
