// KernelBackend: traces on the machine's real Linux kernel.
//
// A long-lived supervisor process (build/nsagent, the C agent) makes a fresh sandbox per
// trace — p0 is PID 1 of new pid/uts/ipc/mnt/net/cgroup/time namespaces in the caller's
// user namespace — and one agent process per traced process makes the real system calls.
// A batch of steps crosses to the supervisor as one request and comes back as one answer.
// The supervisor stays up between traces (close() ends only the sandbox), so a trace costs
// a sandbox, not a process spawn; it dies with this process (PR_SET_PDEATHSIG), and the
// sandbox dies with it.

import { existsSync, statSync } from 'node:fs';
import { release } from 'node:os';
import { dirname, join } from 'node:path';
import { packageRoot } from '../paths.js';
import { BackendUnavailable, RunAborted, type Backend, type NsIdentity, type ShellView, type ViewProcess, type ViewUserNs } from '../trace/backend.js';
import { canonicalizeWithIds } from '../trace/canonical.js';
import { TraceError } from '../trace/validate.js';
import { KERNEL_LIMITS, type KernelLimits } from './limits.js';
import { capMask } from '../trace/labels.js';
import { CAPS, MOUNT_OPS, NS_FILES, NS_TYPES, type NsFile, type NsType, type Result, type Setup, type Snapshot, type Step } from '../trace/types.js';
import {
  decodeRawSnapshot, decodeResult, decodeSnapshot, decodeView, encodeStep, hexString, Labels, LineReader, ProtocolError,
} from './protocol.js';
import { Supervisor } from './supervisor.js';

export interface KernelBackendOptions {
  /** The agent binary; default: `build/nsagent` of this package, or $NSMODEL_AGENT. */
  agentPath?: string;
  /** Limits of each sandbox (README, "Limits"); the defaults are KERNEL_LIMITS. */
  limits?: Partial<KernelLimits>;
}

/** The oldest kernel with everything the agent uses (NS_GET_TGID_{FROM,IN}_PIDNS: 6.11). */
const MIN_KERNEL: [number, number] = [6, 11];

/**
 * The agent binary: $NSMODEL_AGENT, or build/nsagent of this package — never a path outside
 * the package found by searching (from src/ and dist/src/ alike, the package root is the
 * directory of nsmodel's package.json).
 */
export function defaultAgentPath(): string {
  if (process.env.NSMODEL_AGENT) return process.env.NSMODEL_AGENT;
  return join(packageRoot(), 'build', 'nsagent');
}

/**
 * Why this agent binary must not be run as root, or null when it may: the binary and its
 * directory must belong to root or to the user running nsmodel, and neither may be writable
 * by group or others (otherwise another user could put their own program there).
 */
export function agentTrustProblem(agent: string): string | null {
  const me = process.geteuid?.() ?? -1;
  for (const [path, what] of [[agent, 'the kernel agent'], [dirname(agent), "the kernel agent's directory"]] as const) {
    let st;
    try {
      st = statSync(path);
    } catch {
      return `${what} ${path} cannot be read`;
    }
    if (st.uid !== 0 && st.uid !== me) return `${what} ${path} belongs to uid ${st.uid}, neither root nor this user; it is not run`;
    if ((st.mode & 0o022) !== 0) return `${what} ${path} is writable by group or others (mode ${(st.mode & 0o777).toString(8)}); it is not run`;
  }
  return null;
}

/** Whether the kernel backend can run here; if not, one sentence saying why. */
export function kernelAvailable(options: KernelBackendOptions = {}): { ok: true } | { ok: false; reason: string } {
  if (process.platform !== 'linux') {
    return { ok: false, reason: `the kernel backend runs only on Linux, and this is ${process.platform}.` };
  }
  const [major, minor] = release().split('.').map((n) => parseInt(n, 10));
  if (major < MIN_KERNEL[0] || (major === MIN_KERNEL[0] && minor < MIN_KERNEL[1])) {
    return { ok: false, reason: `the kernel backend needs Linux ${MIN_KERNEL.join('.')} or later, and this is ${release()}.` };
  }
  if (process.geteuid?.() !== 0) {
    return { ok: false, reason: 'the kernel backend needs root, to create the namespaces of its sandbox (run as root).' };
  }
  const agent = options.agentPath ?? defaultAgentPath();
  if (!existsSync(agent)) {
    return { ok: false, reason: `the kernel agent is not built: ${agent} is missing (run \`node scripts/build.mjs agent\`).` };
  }
  const trust = agentTrustProblem(agent);
  if (trust) return { ok: false, reason: `${trust}.` };
  return { ok: true };
}

/** __NEW_UTS_LEN: the longest hostname sethostname() accepts. */
const HOSTNAME_MAX = 64;

function unhexMessage(token: string): string {
  return Buffer.from(token.slice(1), 'hex').toString('utf8');
}

const NS_FILE_INDEX = new Map<string, number>(NS_FILES.map((f, i) => [f, i]));
const TYPES = new Set<string>(NS_TYPES);

export { KERNEL_LIMITS, type KernelLimits } from './limits.js';

export class KernelBackend implements Backend {
  readonly name = 'kernel';
  private supervisor: Supervisor | null = null;
  private labels = new Labels();
  private showCreds = false;
  /** The trace runs on a root of its own and snapshots show mounts (setup.mounts). */
  private showMounts = false;
  private started = false;
  /** Steps run since start(): where an abort's index in its batch counts from. */
  private stepsRun = 0;
  /** Fork generations since the last exec, by process label (KernelLimits.forkDepth). */
  private depth = new Map<string, number>();
  /** CLONE_NEW* flags asked for since start() (KernelLimits.namespaces). */
  private namespacesAsked = 0;

  /** The limits of this backend's sandboxes: the defaults, and what options.limits changes. */
  private readonly limits: KernelLimits;

  constructor(private readonly options: KernelBackendOptions = {}) {
    this.limits = { ...KERNEL_LIMITS, ...options.limits };
  }

  async start(setup: Setup): Promise<void> {
    const available = kernelAvailable(this.options);
    if (!available.ok) throw new BackendUnavailable(available.reason);
    if (Buffer.byteLength(setup.hostname, 'utf8') > HOSTNAME_MAX) {
      throw new RangeError(`setup.hostname: Linux takes at most ${HOSTNAME_MAX} bytes, and this one has ${Buffer.byteLength(setup.hostname, 'utf8')}`);
    }
    if (!this.supervisor?.alive) {
      this.supervisor = new Supervisor(this.options.agentPath ?? defaultAgentPath(), this.limits);
    }
    const sup = this.supervisor;
    sup.hold(true);
    this.started = false;
    // credentials shown: p0 starts from the setup's bounding set (default: all 41), C lines in snapshots
    this.showCreds = setup.creds === true;
    const caps = setup.creds || setup.caps ? ` caps ${capMask(setup.caps ?? CAPS).toString(16)}` : '';
    // the trace's own root (src/kernel/agent/mounts.c), and mounts in snapshots
    this.showMounts = setup.mounts === true;
    const mounts = this.showMounts ? ' mounts' : '';
    const [answer] = await sup.request(`S ${setup.user} ${hexString(setup.hostname)}${caps}${mounts}\n`, () => true);
    if (answer !== 'ok') {
      sup.hold(false);
      throw new BackendUnavailable(`the kernel backend cannot make its sandbox here: ${answer.replace(/^fail /, '')}.`);
    }
    this.labels = new Labels();
    this.stepsRun = 0;
    this.depth = new Map([['p0', 0]]);
    this.namespacesAsked = 0;
    this.started = true;
  }

  async run(steps: readonly Step[]): Promise<Result[]> {
    const sup = this.requireStarted();
    if (steps.length === 0) return [];
    this.checkLimits(steps);
    const lines = steps.map((step) => encodeStep(step, this.labels));
    const first = this.stepsRun;
    this.stepsRun += steps.length;
    const answer = await sup.request(`B ${lines.length}\n${lines.join('\n')}\n`, (line) => line === 'end');
    const reader = new LineReader(answer);
    const results: Result[] = [];
    for (let i = 0; i < steps.length; i++) {
      const line = reader.next();
      this.throwIfAborted(line, first);
      results.push(decodeResult(line, reader, this.labels, this.showCreds, this.showMounts));
    }
    const last = reader.next();
    this.throwIfAborted(last, first);
    if (last !== 'end') throw new ProtocolError('more results than steps');
    return results;
  }

  async snapshot(): Promise<Snapshot> {
    const sup = this.requireStarted();
    const answer = await sup.request('O\n', (line) => line === '.' || line.startsWith('fail'));
    const reader = new LineReader(answer);
    const first = reader.next();
    if (first !== 'snap') throw new ProtocolError(`expected a snapshot, got '${first}'`);
    return decodeSnapshot(reader, this.labels, this.showCreds, this.showMounts);
  }

  async identity(process: string, file: NsFile): Promise<NsIdentity | null> {
    const sup = this.requireStarted();
    const f = NS_FILE_INDEX.get(file);
    if (f === undefined) return null;
    const [answer] = await sup.request(`I ${this.labels.proc(process)} ${f}\n`, () => true);
    const t = answer.split(' ');
    if (t[0] !== 'id' || !TYPES.has(t[1])) return null;
    return { type: t[1] as NsType, inode: Number(t[2]) };
  }

  /**
   * The world now, for the teaching shell: the kernel's inode numbers, parents (PPid),
   * command lines (/proc/<pid>/cmdline) and the PID namespace each process's /proc shows.
   */
  async view(): Promise<ShellView> {
    const sup = this.requireStarted();
    const snap = new LineReader(await sup.request('O\n', (line) => line === '.' || line.startsWith('fail')));
    const first = snap.next();
    if (first !== 'snap') throw new ProtocolError(`expected a snapshot, got '${first}'`);
    const rawSnap = decodeRawSnapshot(snap, this.labels, this.showCreds, this.showMounts);
    const { snapshot, ids } = canonicalizeWithIds(rawSnap);
    const userNs: Record<string, ViewUserNs> = {};
    const raw = decodeView(new LineReader(await sup.request('V\n', (line) => line === '.')), this.labels);
    const inodes: Record<string, number> = {};
    for (const [key, id] of ids) inodes[id] = Number(key);
    const nsById = new Map(snapshot.namespaces.map((n) => [n.id, n]));
    const processes: Record<string, ViewProcess> = {};
    for (const p of snapshot.processes) {
      const v = raw.get(p.name);
      let procPidNs: string | null = null;
      const witness = v?.proc ? snapshot.processes.find((q) => q.name === v.proc!.witness) : undefined;
      if (v?.proc && witness) {
        // the witness's PID namespace, and up its parents to /proc's level
        let ns = witness.ns.pid === null ? undefined : nsById.get(witness.ns.pid);
        while (ns && ns.level > v.proc.level && ns.parent !== null) ns = nsById.get(ns.parent);
        procPidNs = ns && ns.level === v.proc.level ? ns.id : null;
      }
      processes[p.name] = { parent: v?.parent ?? null, cmdline: v?.cmdline ?? null, procPidNs };
      if (v?.maps && p.ns.user !== null && !userNs[p.ns.user]) {
        userNs[p.ns.user] = {
          uidMap: mapExtents(v.maps.uidMap), gidMap: mapExtents(v.maps.gidMap),
          setgroups: v.maps.setgroups === 'deny' ? 'deny' : 'allow',
        };
      }
    }
    const fds: Record<string, string> = {};
    for (const fd of rawSnap.fds) {
      const id = ids.get(fd.ns);
      if (id !== undefined) fds[fd.label] = id;
    }
    return { snapshot, inodes, processes, userNs, fds };
  }

  /** End the sandbox (the kernel kills every traced process) and wait until it is gone. */
  async close(): Promise<void> {
    const sup = this.supervisor;
    this.started = false;
    if (!sup?.alive) return;
    try {
      await sup.request('C\n', () => true);
    } finally {
      sup.hold(false);
    }
  }

  /** Also end the supervisor process. A backend is usable again after start(). */
  async dispose(): Promise<void> {
    this.started = false;
    const sup = this.supervisor;
    this.supervisor = null;
    await sup?.stop();
  }

  /**
   * Host PIDs of the supervisor and of every traced process not yet reaped (the
   * supervisor's first). For host-safety tests and diagnostics.
   */
  async hostPids(): Promise<number[]> {
    const sup = this.supervisor;
    if (!sup?.alive) return [];
    const [answer] = await sup.request('H\n', () => true);
    return answer.split(' ').slice(1).map(Number);
  }

  /** An `abort <index in the batch> x<why>` answer ends the run: RunAborted, the step counted from start(). */
  private throwIfAborted(line: string, batchStart: number): void {
    const abort = /^abort (\d+) (x[0-9a-f]*)$/.exec(line);
    if (!abort) return;
    this.started = false;
    throw new RunAborted(unhexMessage(abort[2]), batchStart + Number(abort[1]));
  }

  /**
   * Refuse, before any of them runs, steps that would go past a limit checked up front
   * (TraceError naming the limit: the trace is refused, exit status 2): a chain of forks deeper
   * than `forkDepth` (an exec starts again at 0: a new address space), or more namespaces than
   * `namespaces`.
   */
  private checkLimits(steps: readonly Step[]): void {
    const limits = this.limits;
    const depth = new Map(this.depth);
    let asked = this.namespacesAsked;
    steps.forEach((step, i) => {
      const where = `steps[${this.stepsRun + i}]`;
      // on the sandbox's private copy of the host's tree a mkdir would make a host directory
      if (!this.showMounts && (MOUNT_OPS as readonly string[]).includes(step.op)) {
        throw new TraceError(`${where}.op`, `'${step.op}' needs the trace's own root: start with setup.mounts`);
      }
      const d = depth.get(step.by) ?? 0;
      if (step.op === 'fork' || step.op === 'clone') {
        if (d + 1 > limits.forkDepth) {
          throw new TraceError(where, `the kernel backend refuses chains of more than ${limits.forkDepth} forks without exec (limit: fork depth); Linux's cost for each fork and exit grows with the chain's depth`);
        }
        depth.set(step.as, d + 1);
      } else if (step.op === 'exec') {
        depth.set(step.by, 0);
      }
      if (step.op === 'clone' || step.op === 'unshare') {
        asked += step.flags.filter((f) => f.startsWith('CLONE_NEW')).length;
        if (asked > limits.namespaces) {
          throw new TraceError(where, `the kernel backend refuses traces that ask for more than ${limits.namespaces} namespaces (limit: namespaces); each costs the kernel memory`);
        }
      }
    });
    this.depth = depth;
    this.namespacesAsked = asked;
  }

  private requireStarted(): Supervisor {
    if (!this.started || !this.supervisor) throw new Error('KernelBackend: start() first');
    return this.supervisor;
  }
}

/** /proc/<pid>/uid_map's text as extents [first, lower, count]. */
function mapExtents(text: string): [number, number, number][] {
  return text.split('\n').map((l) => l.trim().split(/\s+/).map(Number)).filter((n) => n.length === 3 && n.every(Number.isFinite))
    .map((n) => [n[0], n[1], n[2]] as [number, number, number]);
}
