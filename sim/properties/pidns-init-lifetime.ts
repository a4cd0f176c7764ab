// A PID namespace does not outlive its init.

import { defineProperty } from '../../src/explore/property.js';

export default defineProperty({
  name: 'pidns-init-lifetime',
  title: 'Can a process keep running in a PID namespace whose init has exited?',
  explanation:
    'The world: root made `c`, PID 1 of a new PID namespace; `c` and what it makes may fork, unshare a PID ' +
    'namespace, exit and wait. The invariant: every running process below the initial PID namespace shares ' +
    'its PID namespace with a running PID 1. It holds: when an init exits, zap_pid_ns_processes() kills every ' +
    'other process of its namespace (SIGKILL, which nothing survives), and a fork into that namespace ' +
    'afterwards fails (ENOMEM: the namespace no longer takes processes, PIDNS_ADDING is gone). Container ' +
    'runtimes rely on it: killing the container\'s PID 1 ends the container.',
  setup: { user: 'root', hostname: 'host' },
  prefix: [{ by: 'p0', op: 'clone', flags: ['CLONE_NEWPID'], as: 'c' }],
  actors: ['c'],
  alphabet: { fork: true, unshare: [['CLONE_NEWPID']], exit: true, wait: true },
  invariant: (s) => {
    for (let i = 0; i < s.processCount; i++) {
      if (!s.running(i) || s.pidLevel(i) === 0) continue;
      const ns = s.ns(i, 'pid');
      let init = false;
      for (let j = 0; j < s.processCount && !init; j++) init = s.running(j) && s.pid(j) === 1 && s.ns(j, 'pid') === ns;
      if (!init) return `${s.label(i)} runs in a PID namespace (level ${s.pidLevel(i)}) without a running init`;
    }
    return undefined;
  },
  depth: 6,
  expect: { verdict: 'holds', depth: 6 },
});
