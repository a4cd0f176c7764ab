// Which kernel interfaces the kernel backend and the traces rely on this kernel has
// (`nsagent probe`, probe.c): for `nsmodel check --target`, where the kernel under test may be
// older than the backend needs, or another implementation of the Linux ABI such as gVisor.
// The check reports each answer against the one recorded on Linux 6.18
// (test/targets/probe.expected.json), and, when the backend cannot observe traces here,
// skips them with the reason instead of aborting.

import { execFileSync } from 'node:child_process';
import { defaultAgentPath } from './backend.js';

/** Probe name -> `ok`, an errno's name (`ENOSYS`), or `unchanged` (the call made no new namespace). */
export type KernelProbe = Record<string, string>;

export function probeKernel(agent = defaultAgentPath()): KernelProbe {
  const out = execFileSync(agent, ['probe'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  const probe: KernelProbe = {};
  for (const line of out.split('\n')) {
    const m = /^(\S+) (\S+)$/.exec(line);
    if (m) probe[m[1]] = m[2];
  }
  return probe;
}

/** An ioctl the kernel knows (it may still refuse: EPERM is an answer; ENOTTY/EINVAL are not). */
const known = (answer: string | undefined) => answer === 'ok' || (answer !== undefined && answer !== 'ENOTTY' && answer !== 'EINVAL' && answer !== 'untested');

/**
 * What the supervisor cannot work without, each with what agent/compat.c does instead on
 * kernels without it (Linux 6.1): [probe, name in the reason, whether the kernel has it or a
 * replacement].
 */
const BACKEND_NEEDS: [string, string, (p: KernelProbe) => boolean][] = [
  // the books of live processes, settling (world.c, settle.c)
  ['pidfd_open', 'pidfd_open', (p) => p.pidfd_open === 'ok'],
  // whether a traced process still exists (world.c); compat: pidfd_send_signal(pidfd, 0)
  ['ioctl.PIDFD_GET_INFO', 'PIDFD_GET_INFO or pidfd_send_signal', (p) => p['ioctl.PIDFD_GET_INFO'] === 'ok' || p.pidfd_send_signal === 'ok'],
  // PIDs in the sandbox (world.c); compat: NStgid of /proc/PID/status with NS_GET_PARENT
  ['ioctl.NS_GET_TGID_IN_PIDNS', 'NS_GET_TGID_IN_PIDNS or NS_GET_PARENT', (p) => p['ioctl.NS_GET_TGID_IN_PIDNS'] === 'ok' || known(p['ioctl.NS_GET_PARENT'])],
  // namespace types and owners in snapshots (observe.c)
  ['ioctl.NS_GET_NSTYPE', 'NS_GET_NSTYPE', (p) => p['ioctl.NS_GET_NSTYPE'] === 'ok'],
  ['ioctl.NS_GET_USERNS', 'NS_GET_USERNS', (p) => p['ioctl.NS_GET_USERNS'] === 'ok'],
  // the sandbox's own /proc (agent.c, PROC_FD)
  ['fsmount.proc', 'fsmount of procfs', (p) => p['fsmount.proc'] === 'ok'],
  // PIDs in snapshots (observe.c), and compat's NStgid (the same kernels have both lines)
  ['proc.status.NSpid', 'NSpid in /proc/PID/status', (p) => p['proc.status.NSpid'] === 'ok'],
  // settling: an init in zap_pid_ns_processes (settle.c)
  ['proc.wchan', '/proc/PID/wchan', (p) => p['proc.wchan'] === 'ok'],
];

/**
 * Why the kernel backend cannot run traces on a kernel with this probe (one sentence naming
 * each missing interface and its answer), or undefined when it can.
 */
export function backendBlocked(probe: KernelProbe): string | undefined {
  const missing = BACKEND_NEEDS.filter(([name, , has]) => probe[name] !== undefined && probe[name] !== 'untested' && !has(probe)).map(([name, what]) => `${what} (${probe[name]})`);
  // the sandbox is made with every namespace type the kernel has a file for, in one clone3
  for (const t of ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'time', 'uts']) {
    if (probe[`nsfile.${t}`] === 'ok' && probe[`clone3.${t}`] !== 'ok') missing.push(`clone3 CLONE_NEW${t === 'mnt' ? 'NS' : t.toUpperCase()} (${probe[`clone3.${t}`]})`);
  }
  if (missing.length === 0) return undefined;
  return `the kernel backend cannot observe traces on this kernel: it lacks ${missing.join(', ')}`;
}
