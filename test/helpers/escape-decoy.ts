// The stale-PID escape of issue 7, replayed: kernel-sandbox.test.ts runs this file as PID 1 of
// a throwaway PID namespace of its own (`unshare --pid --fork --mount-proc --uts ...`), so the
// "host" here — the decoy, /proc/sys/kernel/ns_last_pid — is that namespace, never the machine.
//
// A traced process is reaped; a decoy process in a UTS namespace of its own is put on the host
// PID the traced process had; then the trace opens the reaped label's uts file, joins it and
// sets the hostname. With NSAGENT_FAULT=stale-books the supervisor's books keep the reaped
// label as alive with that PID (as the original defect did after a timed-out settle), so only
// the sandbox's own procfs stands between the trace and the decoy.
//
// Prints one JSON line: { decoyPid, hostPid, results, decoyHostname }.

import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { KernelBackend } from '../../src/kernel/backend.js';

const backend = new KernelBackend();
await backend.start({ user: 'root', hostname: 'sandbox' });
await backend.run([
  { by: 'p0', op: 'unshare', flags: ['CLONE_NEWPID'] },
  { by: 'p0', op: 'fork', as: 'i' },
  { by: 'i', op: 'fork', as: 'c0' },
  { by: 'c0', op: 'fork', as: 'c1' },
]);
const pids = await backend.hostPids();
const hostPid = pids[pids.length - 1]; // c1's PID in this (the harness's) PID namespace
await backend.run([{ by: 'i', op: 'exit' }]); // the kernel kills c0 and c1; i's wait reaps them

// The decoy, on c1's freed PID: ns_last_pid makes the next PID of this namespace hostPid.
let decoy: ReturnType<typeof spawn> | undefined;
for (let attempt = 0; attempt < 20 && decoy?.pid !== hostPid; attempt++) {
  decoy?.kill('SIGKILL');
  writeFileSync('/proc/sys/kernel/ns_last_pid', String(hostPid - 1));
  decoy = spawn('unshare', ['--uts', 'sh', '-c', 'hostname decoy && exec sleep 60'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 50));
}
if (decoy?.pid !== hostPid) throw new Error(`could not place the decoy on PID ${hostPid}`);

const results = await backend.run([
  { by: 'p0', op: 'open', target: 'c1', ns: 'uts', as: 'f' },
  { by: 'p0', op: 'setns', fd: 'f', nstype: 'CLONE_NEWUTS' },
  { by: 'p0', op: 'sethostname', name: 'escaped' },
]);
const decoyHostname = spawnSync('nsenter', ['-t', String(hostPid), '-u', 'hostname'], { encoding: 'utf8' }).stdout.trim();
process.stdout.write(`${JSON.stringify({ decoyPid: decoy.pid, hostPid, results, decoyHostname })}\n`);
decoy.kill('SIGKILL');
await backend.dispose();
process.exit(0);
