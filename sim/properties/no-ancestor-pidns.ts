// setns(CLONE_NEWPID) may only go down the PID-namespace tree.

import { defineProperty } from '../../src/explore/property.js';
import type { StateView } from '../../src/explore/view.js';

function check(s: StateView): string | undefined {
  const c = s.nsOf('c', 'pid');
  if (c < 0) return undefined;
  for (let i = 0; i < s.processCount; i++) {
    const pid = s.ns(i, 'pid');
    if (pid < 0 || !s.isAncestor(c, pid)) continue;
    const pfc = s.ns(i, 'pid_for_children');
    if (pfc >= 0 && !s.isAncestor(c, pfc)) {
      return `${s.label(i)}, inside c's PID namespace, has a pid_for_children outside it (level ${s.level(pfc)})`;
    }
  }
  return undefined;
}

export default defineProperty({
  name: 'no-ancestor-pidns',
  title: 'Can a process of a child PID namespace make its children in an ancestor PID namespace?',
  explanation:
    'The world: root made a child `c` in a new PID namespace (clone(CLONE_NEWPID)); `c` and every process it ' +
    'makes act, as root, with every capability. The invariant: no process of c\'s PID namespace (or one below ' +
    'it) ever has a pid_for_children outside that namespace\'s subtree. It holds: `c` can open /proc/1/ns/pid ' +
    'of the host, and has the capabilities setns() asks for, but pidns_install() refuses any PID namespace that ' +
    'is not the caller\'s active one or below it (EINVAL) — a PID namespace is a one-way door even for root. ' +
    '(The explorer\'s mutation check builds the model without that check and finds the escape in two steps; ' +
    'the kernel replay then says it is not reproduced.)',
  setup: { user: 'root', hostname: 'host' },
  prefix: [{ by: 'p0', op: 'clone', flags: ['CLONE_NEWPID'], as: 'c' }],
  actors: ['c'],
  alphabet: {
    fork: true,
    unshare: [['CLONE_NEWPID']],
    open: ['pid', 'pid_for_children'],
    setns: [0, 'CLONE_NEWPID'],
  },
  invariant: check,
  depth: 5,
  expect: { verdict: 'holds', depth: 5 },
});
