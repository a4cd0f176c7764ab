// The C floor of a trace: what its steps would cost if each were only its system calls
// (measured alone by bench/c/nsbench.c) plus one supervisor <-> agent round trip (both ends
// on one CPU: see roundTrip()).
//
// Each step is charged by what it did (its result on the model, which agrees with the kernel
// on these traces — the bench checks):
//   - a step by a process that is gone (`dead`): nothing (no agent is asked);
//   - a failed call (`err`): the round trip and one cheap system call (getpid): the kernel
//     rejects it in its first checks;
//   - a call that succeeded: the round trip and the calls of the op (table below; clone and
//     unshare add one unshare_<type> per CLONE_NEW* flag, measured in a fresh child each,
//     less what flags of one call share: (the eight alone - all eight at once) / 7 for each
//     flag after the first);
//   - `observe`: per process one round trip + uname (hostnames come from the agents) + the
//     /proc reads (status and ten ns links), per namespace the three ioctls.
// Settling after exit/wait (re-reading /proc for every unreaped process until two passes
// agree) is the backend's own work, not a system call a step needs: it is not in the floor.
import { nsFileType, NS_TYPES, type NsFlag, type NsType, type Result, type Snapshot, type Step, CLONE_NEW } from '../src/trace/types.js';

export type CCosts = Record<string, number>;

const FLAG_TYPE = new Map<string, NsType>(Object.entries(CLONE_NEW).map(([flag]) => [flag, NS_TYPES.find((t) => flagOf(t) === flag)!]));
function flagOf(t: NsType): NsFlag {
  return ({ cgroup: 'CLONE_NEWCGROUP', ipc: 'CLONE_NEWIPC', mnt: 'CLONE_NEWNS', net: 'CLONE_NEWNET', pid: 'CLONE_NEWPID', time: 'CLONE_NEWTIME', user: 'CLONE_NEWUSER', uts: 'CLONE_NEWUTS' } as const)[t];
}

function need(c: CCosts, name: string): number {
  const v = c[name];
  if (v === undefined) throw new Error(`nsbench gave no figure for ${name}`);
  return v;
}

/** ns of one setns of a type (user has no back-and-forth figure: the mean of the others). */
function setnsCost(c: CCosts, t: NsType | undefined): number {
  const known = NS_TYPES.filter((x) => c[`setns_${x}`] !== undefined).map((x) => c[`setns_${x}`]);
  const mean = known.reduce((a, b) => a + b, 0) / Math.max(1, known.length);
  return t && c[`setns_${t}`] !== undefined ? c[`setns_${t}`] : mean;
}

export interface FloorBreakdown {
  /** ns for the whole trace's steps */
  total: number;
  /** ns by op */
  byOp: Record<string, number>;
}

/** The C floor of running `steps` with these results (ns). */
export function cFloor(steps: readonly Step[], results: readonly Result[], c: CCosts): FloorBreakdown {
  const rt = roundTrip(c);
  const fdType = new Map<string, NsType | 'pidfd'>();
  const byOp: Record<string, number> = {};
  let total = 0;
  const newTypes = (flags: readonly string[]) => flags.map((f) => FLAG_TYPE.get(f)).filter((t): t is NsType => t !== undefined);
  const nsCost = (flags: readonly string[]) => {
    const types = newTypes(flags);
    if (types.length === 0) return 0;
    return types.reduce((a, t) => a + need(c, `unshare_${t}`), 0) - (types.length - 1) * sharedPerFlag(c);
  };
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    const r = results[i];
    let ns = 0;
    if ('dead' in r) ns = 0;
    else if ('err' in r) ns = rt + need(c, 'getpid');
    else {
      switch (s.op) {
        case 'fork':
        case 'clone': {
          const flags = s.op === 'clone' ? s.flags : [];
          const thread = flags.includes('CLONE_THREAD');
          // the agent: socketpair + clone3 + SCM_RIGHTS; the supervisor: pidfd, /proc dir, pidns ioctl
          ns = rt + need(c, thread ? 'thread' : 'fork_create') + need(c, 'socketpair_scm_rights') + need(c, 'pidfd_open_close') + need(c, 'open_ns_close');
          ns += nsCost(flags);
          break;
        }
        case 'unshare':
          ns = rt + nsCost(s.flags);
          break;
        case 'setns': {
          const ft = fdType.get(s.fd);
          const types = s.nstype === 0 ? [] : Array.isArray(s.nstype) ? s.nstype : [s.nstype];
          if (ft === 'pidfd' || types.length > 1) ns = rt + types.reduce((a, f) => a + setnsCost(c, FLAG_TYPE.get(f)), 0);
          else ns = rt + setnsCost(c, ft === undefined ? undefined : (ft as NsType));
          break;
        }
        case 'open': ns = rt + need(c, 'open_ns_close'); fdType.set(s.as, nsFileType(s.ns)); break;
        case 'pidfd_open': ns = rt + need(c, 'pidfd_open_close'); fdType.set(s.as, 'pidfd'); break;
        case 'close': ns = rt + need(c, 'close'); break;
        case 'ioctl':
          if (s.request === 'NS_GET_USERNS' || s.request === 'NS_GET_PARENT') {
            ns = rt + need(c, 'ioctl_userns_close');
            if (s.as) fdType.set(s.as, s.request === 'NS_GET_USERNS' ? 'user' : (fdType.get(s.fd) ?? 'user'));
          } else ns = rt + need(c, 'ioctl_nstype');
          break;
        case 'exec': ns = rt + Math.max(0, need(c, 'fork_exec_exit_wait') - need(c, 'fork_exit_wait')); break;
        case 'exit': ns = need(c, 'exit_until_zombie'); break; // no answer: the supervisor sees it exit
        case 'wait': ns = rt + need(c, 'wait_reap'); break;
        case 'sethostname': case 'setdomainname': ns = rt + need(c, 'sethostname'); break;
        case 'gethostname': case 'getdomainname': ns = rt + need(c, 'uname'); break;
        case 'getpid': case 'getppid': ns = rt + need(c, 'getpid'); break;
        case 'setuid': ns = rt + need(c, 'setuid_same'); break;
        case 'write_map': ns = rt + need(c, 'write_uid_map'); break;
        case 'thread': ns = rt + need(c, 'thread'); break;
        case 'observe': {
          const snap = (r as { value: Snapshot }).value;
          ns = observeFloor(snap, c);
          break;
        }
      }
    }
    byOp[s.op] = (byOp[s.op] ?? 0) + ns;
    total += ns;
  }
  return { total, byOp };
}

/** What each further flag of one unshare/clone does not cost again (0 without the all-eight figure). */
function sharedPerFlag(c: CCosts): number {
  if (c.unshare_all8 === undefined) return 0;
  const singles = NS_TYPES.reduce((a, t) => a + need(c, `unshare_${t}`), 0);
  return Math.max(0, (singles - c.unshare_all8) / (NS_TYPES.length - 1));
}

/**
 * One supervisor <-> agent round trip: both ends on one CPU (rt_seqpacket_samecpu). Unpinned
 * (rt_seqpacket, as the backend runs) it is bimodal on a VM: the same ~8 µs when the two
 * processes share a CPU, ~45 µs when each wake-up has to wake the other, idle, vCPU.
 */
export function roundTrip(c: CCosts): number {
  return c.rt_seqpacket_samecpu ?? need(c, 'rt_seqpacket');
}

/** The floor of one observation (a snapshot of this size). */
export function observeFloor(snap: Snapshot, c: CCosts): number {
  const running = snap.processes.filter((p) => p.state === 'running').length;
  return snap.processes.length * need(c, 'observe_process') + running * (roundTrip(c) + need(c, 'uname'))
    + snap.namespaces.length * need(c, 'observe_namespace');
}
