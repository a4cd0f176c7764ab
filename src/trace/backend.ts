// The one interface both backends answer to (ARCHITECTURE.md): start with a setup, run steps
// (one or a batch), take a canonical snapshot, show a namespace's raw identity (display
// only), close.

import type { NsFile, NsType, Result, RunOutput, Setup, Snapshot, Step, Trace } from './types.js';

/** The raw identity of a namespace, for display only (the shell's `readlink`, `lsns`). */
export interface NsIdentity {
  type: NsType;
  /** The inode number: the kernel's real one, or the model's imitation of the kernel's numbering. */
  inode: number;
}

/** One process as the teaching shell shows it (display only; docs/TRACE-EXTENSIONS.md). */
export interface ViewProcess {
  /** The parent's label; null when the parent is outside the trace (p0's). */
  parent: string | null;
  /**
   * The command line (/proc/<pid>/cmdline) since the process or an ancestor last ran `exec`
   * with `argv`: null before that, [] for a zombie or an exiting init.
   */
  cmdline: string[] | null;
  /**
   * The PID namespace the process's /proc shows (a canonical id of the view's snapshot): the
   * machine's /proc shows the trace's initial one; after `mount_proc`, the mounter's active
   * one. Null when it is none of the snapshot's namespaces (then no process of the trace is
   * in it or below it), or when the process is not running.
   */
  procPidNs: string | null;
}

/**
 * What the teaching shell shows besides the canonical snapshot: display only, never compared
 * between backends (the inode numbers differ by nature) and never part of a trace's output.
 */
export interface ShellView {
  snapshot: Snapshot;
  /** The inode number of each namespace of `snapshot`, by canonical id. */
  inodes: Record<string, number>;
  /** Each process of `snapshot`, by label. */
  processes: Record<string, ViewProcess>;
  /**
   * The id maps and setgroups of each user namespace of `snapshot` the backend can read, by
   * canonical id: extents [first, lower, count] with lower ids as the trace's initial user
   * namespace sees them (kernel ids), as the kernel keeps them. Optional (additive).
   */
  userNs?: Record<string, ViewUserNs>;
  /** The namespace each open namespace descriptor refers to (canonical id), by fd label. Optional (additive). */
  fds?: Record<string, string>;
}

/** A user namespace's maps, as ShellView shows them. */
export interface ViewUserNs {
  uidMap: [number, number, number][];
  gidMap: [number, number, number][];
  setgroups: 'allow' | 'deny';
}

/** Why a step had its result: the named check of the model that decided it. */
export interface Why {
  /** The kernel function the model's check is written after, e.g. `check_unshare_flags`. */
  check: string;
  /** The rule of SEMANTICS.md it implements, e.g. `R24`. */
  rule?: string;
  /** One sentence for people. */
  text?: string;
}

export interface Backend {
  readonly name: string;
  /** Make a fresh world: p0 alone, as the setup says. Throws BackendUnavailable when it cannot run here. */
  start(setup: Setup): Promise<void>;
  /** Run steps in order; one result per step. Steps continue the trace started by `start`. */
  run(steps: readonly Step[]): Promise<Result[]>;
  /** The canonical snapshot of the world now. */
  snapshot(): Promise<Snapshot>;
  /** The raw identity of `process`'s namespace file, or null where the kernel would not open it. */
  identity(process: string, file: NsFile): Promise<NsIdentity | null>;
  /** The check that decided the result of step `index` (counted from `start`), where the backend knows it. */
  why?(index: number): Why | undefined;
  /** The world now, for display (the teaching shell), where the backend can show it. */
  view?(): Promise<ShellView>;
  /** Free everything; the backend may be started again. */
  close(): Promise<void>;
  /**
   * Also free what outlives one world (the kernel backend's supervisor process), where the
   * backend has such a thing; it may be started again. Call it instead of close() when done.
   */
  dispose?(): Promise<void>;
}

/** This backend cannot run on this machine; `message` is one sentence saying why. */
export class BackendUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendUnavailable';
  }
}

/**
 * A run that a backend began and could not finish: a limit was reached (time, processes,
 * descriptors) or the kernel did not settle what a step started. `message` is one sentence
 * that names the limit; `step` is the index of the step that ended the run, where known.
 */
export class RunAborted extends Error {
  constructor(message: string, readonly step?: number) {
    super(step === undefined ? message : `steps[${step}]: ${message}`);
    this.name = 'RunAborted';
  }
}

/** Run a whole trace on a backend: the results of its steps and the final snapshot. */
export async function runTrace(backend: Backend, trace: Trace): Promise<RunOutput> {
  await backend.start(trace.setup);
  try {
    const results = await backend.run(trace.steps);
    const final = await backend.snapshot();
    return { results, final };
  } finally {
    await backend.close();
  }
}
