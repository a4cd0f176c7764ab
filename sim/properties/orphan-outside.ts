// getppid() is 0 only for an init... or is it?

import { defineProperty } from '../../src/explore/property.js';

export default defineProperty({
  name: 'orphan-outside',
  title: 'Does getppid() return 0 only in the init (PID 1) of a PID namespace?',
  explanation:
    'The world: uid 1000 ran `unshare -U -p` — a shell `sh` whose pid_for_children is a new PID namespace, ' +
    'while `sh` itself stays in the old one. The invariant, over step results: getppid() returns 0 only to a ' +
    'process that is PID 1 of its PID namespace (whose parent is necessarily outside it). It is broken: ' +
    'getppid() is 0 whenever the parent is not visible in the caller\'s PID namespace, and that is not only the ' +
    'init\'s case — every child `sh` makes after the first is also in the new namespace, with `sh` outside it ' +
    '(and an orphan is adopted by the reaper of its dying parent\'s namespace, which may be outside its own). ' +
    'Tools that take "ppid 0" to mean "I am a container\'s init" are wrong.',
  setup: { user: 'unprivileged', hostname: 'host' },
  prefix: [
    { by: 'p0', op: 'fork', as: 'sh' },
    { by: 'sh', op: 'unshare', flags: ['CLONE_NEWUSER', 'CLONE_NEWPID'] },
  ],
  actors: ['sh'],
  alphabet: { fork: true, exit: true, getppid: true },
  onStep: ({ step, result }, s) => {
    if (step.op !== 'getppid' || !('ok' in result) || result.value !== 0) return undefined;
    const i = s.index(step.by);
    if (i < 0 || s.pid(i) === 1) return undefined;
    return `getppid() returned 0 to ${step.by}, which is PID ${s.pid(i)} of its PID namespace, not its init`;
  },
  depth: 5,
  expect: { verdict: 'broken' },
});
