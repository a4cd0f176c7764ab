// A harness to be killed: kernel-host-safety.test.ts runs this file in its own Node process
// (node --import tsx). It makes a sandbox in a busy state — nested PID namespaces, a
// thread, a zombie, an init waiting in zap_pid_ns_processes() — prints the host PIDs of the
// supervisor and of every traced process as one JSON line, and then waits to be SIGKILLed.

import { KernelBackend } from '../../src/kernel/backend.js';

const backend = new KernelBackend();
await backend.start({ user: 'root', hostname: 'harness' });
await backend.run([
  { by: 'p0', op: 'fork', as: 'x' },
  { by: 'x', op: 'unshare', flags: ['CLONE_NEWPID', 'CLONE_NEWUTS', 'CLONE_NEWNET'] },
  { by: 'x', op: 'fork', as: 'init' },
  { by: 'init', op: 'fork', as: 'b' },
  { by: 'b', op: 'thread' },
  { by: 'x', op: 'fork', as: 'c' },
  { by: 'init', op: 'exit' },
  { by: 'p0', op: 'fork', as: 'z' },
  { by: 'z', op: 'exit' },
  { by: 'p0', op: 'fork', as: 'alive' },
  { by: 'alive', op: 'thread' },
]);
process.stdout.write(`${JSON.stringify(await backend.hostPids())}\n`);
setInterval(() => undefined, 60_000);
