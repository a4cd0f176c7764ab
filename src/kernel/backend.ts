// KernelBackend: traces on the machine's real Linux kernel.
//
// A long-lived supervisor process (build/nsagent, the C agent) makes a fresh sandbox per
// trace — p0 is PID 1 of new pid/uts/ipc/mnt/net/cgroup/time namespaces in the caller's
// user namespace — and one agent process per traced process makes the real system calls.
// A batch of steps crosses to the supervisor as one request and comes back as one answer.
// The supervisor stays up between traces (close() ends only the sandbox), so a trace costs
// a sandbox, not a process spawn; it dies with this process (PR_SET_PDEATHSIG), and the
// sandbox dies with it.

import { existsSync } from 'node:fs';
import { release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BackendUnavailable, type Backend, type NsIdentity, type ShellView, type ViewProcess, type ViewUserNs } from '../trace/backend.js';
import { canonicalizeWithIds } from '../trace/canonical.js';
import { NS_FILES, NS_TYPES, type NsFile, type NsType, type Result, type Setup, type Snapshot, type Step } from '../trace/types.js';
import {
  decodeRawSnapshot, decodeResult, decodeSnapshot, decodeView, encodeStep, hexString, Labels, LineReader, ProtocolError,
} from './protocol.js';
import { Supervisor } from './supervisor.js';

export interface KernelBackendOptions {
  /** The agent binary; default: `build/nsagent` of this package, or $NSMODEL_AGENT. */
  agentPath?: string;
}

/** The oldest kernel with everything the agent uses (NS_GET_TGID_{FROM,IN}_PIDNS: 6.11). */
const MIN_KERNEL: [number, number] = [6, 11];

/** The agent binary: $NSMODEL_AGENT, or build/nsagent in the package (from src/ or dist/src/). */
export function defaultAgentPath(): string {
  if (process.env.NSMODEL_AGENT) return process.env.NSMODEL_AGENT;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'build', 'nsagent');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'build', 'nsagent');
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
  return { ok: true };
}

/** __NEW_UTS_LEN: the longest hostname sethostname() accepts. */
const HOSTNAME_MAX = 64;

const NS_FILE_INDEX = new Map<string, number>(NS_FILES.map((f, i) => [f, i]));
const TYPES = new Set<string>(NS_TYPES);

export class KernelBackend implements Backend {
  readonly name = 'kernel';
  private supervisor: Supervisor | null = null;
  private labels = new Labels();
  private started = false;

  constructor(private readonly options: KernelBackendOptions = {}) {}

  async start(setup: Setup): Promise<void> {
    const available = kernelAvailable(this.options);
    if (!available.ok) throw new BackendUnavailable(available.reason);
    if (Buffer.byteLength(setup.hostname, 'utf8') > HOSTNAME_MAX) {
      throw new RangeError(`setup.hostname: Linux takes at most ${HOSTNAME_MAX} bytes, and this one has ${Buffer.byteLength(setup.hostname, 'utf8')}`);
    }
    if (!this.supervisor?.alive) this.supervisor = new Supervisor(this.options.agentPath ?? defaultAgentPath());
    const sup = this.supervisor;
    sup.hold(true);
    this.started = false;
    const [answer] = await sup.request(`S ${setup.user} ${hexString(setup.hostname)}\n`, () => true);
    if (answer !== 'ok') {
      sup.hold(false);
      throw new BackendUnavailable(`the kernel backend cannot make its sandbox here: ${answer.replace(/^fail /, '')}.`);
    }
    this.labels = new Labels();
    this.started = true;
  }

  async run(steps: readonly Step[]): Promise<Result[]> {
    const sup = this.requireStarted();
    if (steps.length === 0) return [];
    const lines = steps.map((step) => encodeStep(step, this.labels));
    const answer = await sup.request(`B ${lines.length}\n${lines.join('\n')}\n`, (line) => line === 'end');
    const reader = new LineReader(answer);
    const results = steps.map(() => decodeResult(reader.next(), reader, this.labels));
    if (reader.next() !== 'end') throw new ProtocolError('more results than steps');
    return results;
  }

  async snapshot(): Promise<Snapshot> {
    const sup = this.requireStarted();
    const answer = await sup.request('O\n', (line) => line === '.' || line.startsWith('fail'));
    const reader = new LineReader(answer);
    const first = reader.next();
    if (first !== 'snap') throw new ProtocolError(`expected a snapshot, got '${first}'`);
    return decodeSnapshot(reader, this.labels);
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
    const rawSnap = decodeRawSnapshot(snap, this.labels);
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
