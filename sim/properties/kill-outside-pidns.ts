// A process in a child PID namespace cannot signal the processes outside it.

import { defineProperty } from '../../src/explore/property.js';

export default defineProperty({
  name: 'kill-outside-pidns',
  title: 'Can root in a child PID namespace signal a process outside it?',
  explanation:
    'The world: root made `c`, PID 1 of a new PID namespace; `c` and what it makes may fork and kill any ' +
    'process of the trace (by the PID the caller\'s namespace gives it), with every capability. The ' +
    'invariant, over step results: no kill() of a process outside the caller\'s PID namespace succeeds. It ' +
    'holds: kill() names its target by a PID of the caller\'s PID namespace, and a process outside it has ' +
    'none there (ESRCH) — capabilities do not help. (A pidfd or a /proc descriptor is another matter: see ' +
    'proc-outside-pidns.)',
  setup: { user: 'root', hostname: 'host' },
  prefix: [
    { by: 'p0', op: 'fork', as: 'host' },
    { by: 'p0', op: 'clone', flags: ['CLONE_NEWPID'], as: 'c' },
  ],
  actors: ['c'],
  alphabet: { fork: true, kill: [0, 'SIGTERM'] },
  onStep: ({ step, result }, s) => {
    if (step.op !== 'kill' || !('ok' in result)) return undefined;
    const by = s.index(step.by);
    const target = s.index(step.target);
    // a target killed by the signal may be gone: its label was outside if it is not in the caller's namespace tree now
    if (by < 0) return undefined;
    if (target >= 0 && s.isAncestor(s.ns(by, 'pid'), s.ns(target, 'pid'))) return undefined;
    if (target < 0 && step.target !== 'host' && step.target !== 'p0') return undefined;
    return `${step.by} signalled ${step.target}, outside its PID namespace`;
  },
  depth: 4,
  expect: { verdict: 'holds', depth: 4 },
});
