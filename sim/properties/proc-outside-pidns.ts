// A new PID namespace without a /proc of its own still reaches the host's processes.

import { defineProperty } from '../../src/explore/property.js';

export default defineProperty({
  name: 'proc-outside-pidns',
  title: 'Can a process in a new PID namespace reach a process outside it through /proc?',
  explanation:
    'The world: root ran `unshare -p -f` without --mount-proc — `c` is PID 1 of a new PID namespace, but ' +
    '/proc is still the machine\'s procfs. The invariant, over step results: an open of /proc/<pid>/ns/* ' +
    'succeeds only for a process of the caller\'s PID namespace or one below it. It is broken in one step: ' +
    '`c` opens /proc/<host pid>/ns/uts. A PID namespace hides PIDs from the system calls that take one ' +
    '(kill, pidfd_open: ESRCH), but a procfs shows the PID namespace it was mounted for; only a /proc ' +
    'mounted inside (`--mount-proc`, in a mount namespace of its own) shows just the container\'s ' +
    'processes — and with root\'s capabilities, the descriptor it opens is a way back (see seed-nsenter).',
  setup: { user: 'root', hostname: 'host' },
  prefix: [{ by: 'p0', op: 'clone', flags: ['CLONE_NEWPID'], as: 'c' }],
  actors: ['c'],
  alphabet: { fork: true, open: ['uts'], pidfd_open: true },
  onStep: ({ step, result }, s) => {
    if ((step.op !== 'open' && step.op !== 'pidfd_open') || !('ok' in result)) return undefined;
    const by = s.index(step.by), target = s.index(step.target);
    if (by < 0 || target < 0) return undefined;
    if (s.isAncestor(s.ns(by, 'pid'), s.ns(target, 'pid'))) return undefined;
    return `${step.by} ${step.op === 'open' ? 'opened /proc/<pid>/ns/' + step.ns + ' of' : 'got a pidfd of'} ${step.target}, outside its PID namespace`;
  },
  depth: 4,
  expect: { verdict: 'broken', depth: 1 },
});
