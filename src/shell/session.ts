// A shell session on a backend: every command of the shell becomes steps of one trace, run
// one at a time (a later step depends on what an earlier one returned, as in a real
// program). The session keeps the trace, the results, which step decided each command (for
// `explain`), and what the shell needs to show the world: the backend's display-only view.

import type { Backend, ShellView, Why } from '../trace/backend.js';
import { CAPS, type CapName, type NsFile, type Result, type Setup, type SnapshotNamespace, type SnapshotProcess, type Step, type Trace } from '../trace/types.js';

/** A command line and the steps it made (for `explain`). */
export interface CommandRecord {
  line: string;
  /** Index of its first step. */
  first: number;
  /** Index after its last step. */
  end: number;
  /** The step that decided its outcome, if a program named one. */
  decisive?: number;
  /** What decided it when no step did (a command that does not exist, a PID no process has), for `explain`. */
  note?: string;
}

/** A uid_map or gid_map as the kernel keeps it: extents [first, lower kernel id, count]. */
export type IdMap = [number, number, number][];

/** A process as the shell shows it (the snapshot's and the view's parts together). */
export interface ShownProcess {
  label: string;
  snap: SnapshotProcess;
  parent: string | null;
  cmdline: string[] | null;
  procPidNs: string | null;
}

export class Session {
  readonly trace: Trace;
  readonly results: Result[] = [];
  readonly commands: CommandRecord[] = [];
  /** Results of the same steps on the model, when the backend cannot say why (the kernel). */
  private readonly shadowResults: Result[] = [];
  private cached: ShellView | null = null;
  private counter = 0;
  /** The argv each process last exec'd with (kept after it dies: a zombie's comm). */
  private readonly argvs = new Map<string, string[]>();
  /** The gid of every process (the trace format has no setgid): the login user's. */
  readonly gid: number;

  constructor(
    readonly backend: Backend,
    setup: Setup,
    /** A model run alongside a backend without why(), to explain its steps. */
    private readonly shadow?: Backend,
  ) {
    // the session's world is this machine's: p0 starts with its bounding set, and snapshots
    // carry credentials (/proc/<pid>/status's Uid, Gid, Groups and Cap* lines) and mounts (a
    // root of the trace's own with /proc: mount, findmnt, ls and mkdir work on it)
    this.trace = { nsmodel: 1, name: 'nsmodel shell session', setup: { ...setup, caps: setup.caps ?? [...SHELL_CAPS], creds: true, mounts: setup.mounts ?? SHELL_MOUNTS }, steps: [] };
    this.gid = setup.user === 'root' ? 0 : 1000;
  }

  async start(): Promise<void> {
    await this.backend.start(this.trace.setup);
    await this.shadow?.start(this.trace.setup);
  }

  async close(): Promise<void> {
    await this.backend.close();
    await this.shadow?.close();
  }

  /** A fresh process label, readable in a dumped trace: `bash3`, `unshare4`. */
  label(base: string): string {
    const clean = base.replace(/^-/, '').replace(/.*\//, '').replace(/[^A-Za-z0-9_.-]/g, '') || 'proc';
    return `${clean}${++this.counter}`;
  }

  /** Run one step; `decisive` marks it as the step that decides the current command. */
  async run(step: Step, opts: { decisive?: boolean } = {}): Promise<Result> {
    const index = this.trace.steps.length;
    this.trace.steps.push(step);
    this.cached = null;
    const [result] = await this.backend.run([step]);
    this.results.push(result);
    if ('ok' in result) {
      if (step.op === 'fork' || step.op === 'clone') {
        const a = this.argvs.get(step.by);
        if (a) this.argvs.set(step.as, a);
      } else if (step.op === 'exec' && step.argv) {
        this.argvs.set(step.by, step.argv);
      }
    }
    if (this.shadow) {
      const [s] = await this.shadow.run([step]);
      this.shadowResults.push(s);
    }
    const cmd = this.commands[this.commands.length - 1];
    if (cmd) {
      cmd.end = index + 1;
      if (opts.decisive) cmd.decisive = index;
    }
    return result;
  }

  /** The argv a process last exec'd with (or its parent's, before its first exec). */
  argvOf(label: string): string[] | undefined {
    return this.argvs.get(label);
  }

  /** Start recording the steps of a command line. */
  beginCommand(line: string): void {
    const n = this.trace.steps.length;
    this.commands.push({ line, first: n, end: n });
  }

  /** Say what decided the current command when no step did (the first note stays). */
  note(text: string): void {
    const cmd = this.commands[this.commands.length - 1];
    if (cmd && cmd.note === undefined) cmd.note = text;
  }

  /** Say that the current command was decided by the program itself, after any step it made before (a tool that refuses without a system call). */
  refusal(text: string): void {
    const cmd = this.commands[this.commands.length - 1];
    if (!cmd) return;
    cmd.decisive = undefined;
    cmd.note = text;
  }

  /** Why step `index` had its result: the backend's own check, or the shadow model's. */
  why(index: number): { why?: Why; fromShadow: boolean; shadowAgrees: boolean } {
    if (this.backend.why) return { why: this.backend.why(index), fromShadow: false, shadowAgrees: true };
    const why = this.shadow?.why?.(index);
    const agrees = JSON.stringify(this.shadowResults[index]) === JSON.stringify(this.results[index]);
    return { why, fromShadow: true, shadowAgrees: agrees };
  }

  /** The world now (cached until the next step). */
  async view(): Promise<ShellView> {
    if (!this.cached) {
      if (!this.backend.view) throw new Error(`the ${this.backend.name} backend cannot show its world`);
      this.cached = await this.backend.view();
    }
    return this.cached;
  }

  async process(label: string): Promise<ShownProcess | undefined> {
    const v = await this.view();
    const snap = v.snapshot.processes.find((p) => p.name === label);
    if (!snap) return undefined;
    const vp = v.processes[label];
    return { label, snap, parent: vp?.parent ?? null, cmdline: vp?.cmdline ?? null, procPidNs: vp?.procPidNs ?? null };
  }

  async isRunning(label: string): Promise<boolean> {
    return (await this.process(label))?.snap.state === 'running';
  }

  async namespace(id: string | null): Promise<SnapshotNamespace | undefined> {
    if (id === null) return undefined;
    return (await this.view()).snapshot.namespaces.find((n) => n.id === id);
  }

  /** The inode number of a process's namespace file, or null where the kernel would not open it. */
  async inode(label: string, file: NsFile): Promise<number | null> {
    const v = await this.view();
    const p = v.snapshot.processes.find((q) => q.name === label);
    const id = p?.ns[file];
    return id ? v.inodes[id] ?? null : null;
  }

  /** The number of a namespace by canonical id. */
  async inodeOf(id: string): Promise<number> {
    return (await this.view()).inodes[id] ?? 0;
  }

  // ---- PIDs as a /proc shows them ---------------------------------------------------------

  /** The level of a PID namespace (by canonical id). */
  async level(pidNs: string): Promise<number> {
    return (await this.namespace(pidNs))?.level ?? 0;
  }

  /**
   * Is `pidNs` on the way up from process p's PID namespace? A reading of the snapshot's
   * parent links (the backend's data), which /proc's listing follows: no permission rule.
   */
  async inPidNs(p: SnapshotProcess, pidNs: string): Promise<boolean> {
    const v = await this.view();
    const byId = new Map(v.snapshot.namespaces.map((n) => [n.id, n]));
    for (let id = p.ns.pid; id !== null; id = byId.get(id)?.parent ?? null) if (id === pidNs) return true;
    return false;
  }

  /** The PID of a process in PID namespace `pidNs` (0: not seen there). */
  async pidIn(label: string, pidNs: string | null): Promise<number> {
    if (pidNs === null) return 0;
    const p = (await this.view()).snapshot.processes.find((q) => q.name === label);
    if (!p || !(await this.inPidNs(p, pidNs))) return 0;
    return p.nspid[await this.level(pidNs)] ?? 0;
  }

  /** The processes a /proc of PID namespace `pidNs` lists, by PID there. */
  async visible(pidNs: string | null): Promise<{ label: string; pid: number; p: ShownProcess }[]> {
    if (pidNs === null) return [];
    const v = await this.view();
    const level = await this.level(pidNs);
    const out: { label: string; pid: number; p: ShownProcess }[] = [];
    for (const snap of v.snapshot.processes) {
      if (!(await this.inPidNs(snap, pidNs))) continue;
      const p = (await this.process(snap.name))!;
      out.push({ label: snap.name, pid: snap.nspid[level], p });
    }
    return out.sort((a, b) => a.pid - b.pid);
  }

  /** The process that PID `pid` names in `pidNs`, if any. */
  async byPid(pid: number, pidNs: string | null): Promise<string | undefined> {
    return (await this.visible(pidNs)).find((x) => x.pid === pid)?.label;
  }

  // ---- ids as a user namespace shows them ------------------------------------------------------
  // The maps and setgroups are the backend's (the view); the shell keeps none of its own.

  /**
   * from_kuid_munged(): a kernel uid (or gid) as user namespace `userNs` sees it, by the
   * namespace's map as the backend keeps it (lower ids are kernel ids): 65534 if unmapped, or
   * 4294967295 with `unmunged` (from_kuid(), as uid_map shows an unmapped lower id).
   */
  async idIn(kid: number, userNs: string | null, gid = false, unmunged = false): Promise<number> {
    if (userNs === null) return kid;
    const map = await this.mapOf(userNs, gid);
    const ext = map?.find(([, lower, count]) => kid >= lower && kid < lower + count);
    if (!ext) return unmunged ? 4294967295 : 65534;
    return ext[0] + (kid - ext[1]);
  }

  /** setgroups of a user namespace, as the backend keeps it. */
  async setgroupsOf(userNs: string | null): Promise<'allow' | 'deny'> {
    if (userNs === null) return 'allow';
    return (await this.view()).userNs?.[userNs]?.setgroups ?? 'allow';
  }

  /** The map of a user namespace as the backend keeps it (kernel ids); undefined when it cannot say. */
  async mapOf(userNs: string, gid: boolean): Promise<IdMap | undefined> {
    const v = await this.view();
    const m = v.userNs?.[userNs];
    if (m) return gid ? m.gidMap : m.uidMap;
    const ns = await this.namespace(userNs);
    if (ns && ns.owner === null) return [[0, 0, 4294967295]];
    return undefined;
  }

  /** The namespace an open descriptor refers to (canonical id), as the backend says. */
  async fdNamespace(fd: string): Promise<string | undefined> {
    return (await this.view()).fds?.[fd];
  }
}

/**
 * The bounding set the shell's world starts from: this machine's (a root whose harness, in a
 * container, lacks CAP_SYS_RESOURCE — its /proc/self/status says CapBnd 000001fffeffffff). A
 * fact of the model's world like its namespace limits (docs/SEMANTICS-NOTES.md), so that the
 * model prints the same on every machine and the kernel backend what it printed here; a
 * machine that lacks more refuses the kernel sandbox with the capability's name.
 */
export const SHELL_CAPS: readonly CapName[] = CAPS.filter((c) => c !== 'CAP_SYS_RESOURCE');

/** Does a session run with setup.mounts unless told (docs/TRACE-EXTENSIONS.md, "Mounts")? */
export const SHELL_MOUNTS = true;
