// What both backends pass for a step: labels as indices handed out in the order the trace
// defines them (p0 is process 0; -1 names a label that does not exist), and each op's
// arguments in one order. The model writes them as words into its memory
// (src/model/backend.ts), the kernel backend as a line to its supervisor
// (src/kernel/protocol.ts); both read them from here, so they cannot disagree.

import { flagsValue, nstypeValue } from './steps.js';
import {
  CAPS, FSTYPES, IOCTL_REQUESTS, MAP_FILES, MS_FLAGS, NS_FILES, OPS, SECUREBITS, SIGNALS, UMOUNT_FLAGS,
  type CapName, type PrctlStep, type Step,
} from './types.js';

/** Labels of one trace, by index in definition order. */
export class Labels {
  readonly procs: string[] = ['p0'];
  readonly fds: string[] = [];
  private procIndex = new Map<string, number>([['p0', 0]]);
  private fdIndex = new Map<string, number>();

  proc(label: string): number {
    return this.procIndex.get(label) ?? -1;
  }

  fd(label: string): number {
    return this.fdIndex.get(label) ?? -1;
  }

  /**
   * A new process label. A label defined twice (a trace that validate.ts would refuse) names
   * its latest definition, at a new index: what the earlier definition made keeps its index.
   */
  defineProc(label: string): number {
    this.procs.push(label);
    this.procIndex.set(label, this.procs.length - 1);
    return this.procs.length - 1;
  }

  /** A new descriptor label (a redefined one as defineProc()). */
  defineFd(label: string): number {
    this.fds.push(label);
    this.fdIndex.set(label, this.fds.length - 1);
    return this.fds.length - 1;
  }
}

const OP_CODE = new Map<string, number>(OPS.map((op, i) => [op, i]));
const NS_FILE_INDEX = new Map<string, number>(NS_FILES.map((f, i) => [f, i]));
const REQUEST_INDEX = new Map<string, number>(IOCTL_REQUESTS.map((r, i) => [r, i]));
const MAP_FILE_INDEX = new Map<string, number>(MAP_FILES.map((f, i) => [f, i]));
/** The ioctl requests that return a descriptor: the only ones whose `as` defines a label. */
const FD_REQUESTS = new Set<string>(['NS_GET_USERNS', 'NS_GET_PARENT']);

function index(map: Map<string, number>, key: string, what: string): number {
  const i = map.get(key);
  if (i === undefined) throw new TypeError(`unknown ${what} '${key}'`);
  return i;
}

/**
 * One step's arguments: the op (its index in OPS), the actor's label index, up to four
 * numbers, and at most one string, which comes after the numbers. Reused from step to step
 * (encodeStepArgs() overwrites it), so that encoding allocates nothing.
 */
export class StepArgs {
  op = 0;
  by = -1;
  /** How many of `nums` this step has. */
  count = 0;
  readonly nums: number[] = [0, 0, 0, 0];
  /** The string argument (hostname, map data, exec's argv as NUL-terminated strings), if any. */
  str: string | undefined = undefined;

  private push(n: number): void {
    this.nums[this.count++] = n;
  }

  /**
   * Fill in `step`'s arguments. Labels the step defines are defined here, before the step
   * runs: a fork that fails still defines a (never made) process. Throws TypeError for an op,
   * file or request the trace format does not have.
   */
  encode(step: Step, labels: Labels): this {
    this.op = index(OP_CODE, step.op, 'op');
    this.by = labels.proc(step.by);
    this.count = 0;
    this.str = undefined;
    switch (step.op) {
      case 'fork': this.push(labels.defineProc(step.as)); break;
      case 'clone': this.push(flagsValue(step.flags)); this.push(labels.defineProc(step.as)); break;
      case 'unshare': this.push(flagsValue(step.flags)); break;
      case 'setns': this.push(labels.fd(step.fd)); this.push(nstypeValue(step.nstype)); break;
      case 'open':
        this.push(labels.proc(step.target));
        this.push(index(NS_FILE_INDEX, step.ns, 'namespace file'));
        this.push(labels.defineFd(step.as));
        break;
      case 'pidfd_open': this.push(labels.proc(step.target)); this.push(labels.defineFd(step.as)); break;
      case 'close': this.push(labels.fd(step.fd)); break;
      case 'ioctl':
        this.push(labels.fd(step.fd));
        this.push(index(REQUEST_INDEX, step.request, 'ioctl request'));
        this.push(step.as !== undefined && FD_REQUESTS.has(step.request) ? labels.defineFd(step.as) : -1);
        break;
      case 'exit': this.push(step.code ?? 0); break;
      case 'sethostname':
      case 'setdomainname': this.str = step.name; break;
      case 'setuid': this.push(step.uid); break;
      case 'write_map':
        this.push(labels.proc(step.target));
        this.push(index(MAP_FILE_INDEX, step.file, 'map file'));
        this.str = step.data;
        break;
      case 'exec': if (step.argv) this.str = step.argv.map((a) => `${a}\0`).join(''); break;
      case 'set_pdeathsig': this.push(step.signal === 0 ? 0 : SIGNALS[step.signal]); break;
      case 'kill':
        this.push(labels.proc(step.target));
        this.push(step.signal === 0 ? 0 : SIGNALS[step.signal]);
        break;
      case 'setresuid': this.push(step.ruid ?? -1); this.push(step.euid ?? -1); this.push(step.suid ?? -1); break;
      case 'setresgid': this.push(step.rgid ?? -1); this.push(step.egid ?? -1); this.push(step.sgid ?? -1); break;
      case 'setgroups': this.str = step.groups.join(' '); break;
      case 'capset': this.str = `${capHex(step.effective)} ${capHex(step.permitted)} ${capHex(step.inheritable)}`; break;
      case 'prctl': { const [o, a2, a3] = prctlArgs(step); this.push(o); this.push(a2); this.push(a3); break; }
      // mounts: paths are strings; two paths are one string, NUL between them
      case 'mkdir': case 'readdir': case 'chdir': case 'chroot': this.str = step.path; break;
      case 'mount':
        this.push(step.flags.reduce((v, f) => v | MS_FLAGS[f], 0));
        // the fstype (0 none, 1 tmpfs, 2 proc) and, in bit 4, whether there is a source path
        this.push((step.fstype === undefined ? 0 : FSTYPES.indexOf(step.fstype) + 1) | (step.source === undefined ? 0 : 16));
        this.str = `${step.target}\0${step.source ?? ''}`;
        break;
      case 'umount':
        this.push((step.flags ?? []).reduce((v, f) => v | UMOUNT_FLAGS[f], 0));
        this.str = step.target;
        break;
      case 'pivot_root': this.str = `${step.new_root}\0${step.put_old}`; break;
      default: break; // wait, gethostname, getdomainname, getpid, getppid, thread, observe, mount_proc, getcwd
    }
    return this;
  }
}

/** A capability set as a bit mask (bit n: capability n of CAPS). */
export function capMask(names: readonly CapName[]): bigint {
  let m = 0n;
  for (const n of names) m |= 1n << BigInt(CAPS.indexOf(n));
  return m;
}

/** A capability set as /proc/<pid>/status prints it: 16 hex digits. */
export function capHex(names: readonly CapName[]): string {
  return capMask(names).toString(16).padStart(16, '0');
}

/** The capability names of a mask. */
export function capNames(mask: bigint): CapName[] {
  return CAPS.filter((_, i) => (mask >> BigInt(i)) & 1n);
}

/** prctl(option, arg2, arg3) of a `prctl` step, with Linux's numbers (include/uapi/linux/prctl.h). */
export function prctlArgs(step: PrctlStep): [number, number, number] {
  const cap = step.cap === undefined ? 0 : CAPS.indexOf(step.cap);
  switch (step.option) {
    case 'PR_CAPBSET_DROP': return [24, cap, 0];
    case 'PR_CAP_AMBIENT_RAISE': return [47, 2, cap];
    case 'PR_CAP_AMBIENT_LOWER': return [47, 3, cap];
    case 'PR_CAP_AMBIENT_CLEAR_ALL': return [47, 4, 0];
    case 'PR_SET_KEEPCAPS': return [8, step.value ?? 0, 0];
    case 'PR_SET_SECUREBITS': {
      let bits = 0;
      for (const b of step.bits ?? []) bits |= 1 << SECUREBITS.indexOf(b);
      return [28, bits, 0];
    }
    case 'PR_SET_NO_NEW_PRIVS': return [38, 1, 0];
    case 'PR_SET_DUMPABLE': return [4, step.value ?? 0, 0];
  }
}
