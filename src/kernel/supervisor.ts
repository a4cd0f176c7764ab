// The supervisor process (build/nsagent in supervisor mode) and the line channel to it.
// Requests are serialised: one answer is read completely before the next request is sent.

import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { RunAborted } from '../trace/backend.js';
import type { KernelLimits } from './limits.js';

/**
 * The CPU index the next supervisor pins itself to (counted round the CPUs it may use). It
 * starts at this process's PID, so that the first sandboxes of several nsmodel processes
 * (parallel CI jobs) spread over the CPUs instead of all landing on the first.
 */
let nextCpu = process.pid;

/** The limits a supervisor enforces (the others are checked in KernelBackend). */
export type SupervisorLimits = Pick<KernelLimits, 'processes' | 'settleMs' | 'requestMs'>;

/** The supervisor ended (crashed, was killed, or the harness closed it). */
export class SupervisorGone extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SupervisorGone';
  }
}

type Waiter = { resolve: (line: string) => void; reject: (err: Error) => void };

export class Supervisor {
  private readonly child: ChildProcessByStdio<Writable, Readable, null>;
  private partial = '';
  private readonly lines: string[] = [];
  private waiter: Waiter | null = null;
  private gone: Error | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly exited: Promise<void>;

  constructor(agentPath: string, private readonly limits: SupervisorLimits) {
    // The supervisor dies with this process (PR_SET_PDEATHSIG), and checks that its parent
    // is still the one named here, for the race before it armed that signal.
    // (without NSAGENT_CTL, which would make the binary an agent: src/kernel/agent/main.c)
    const env = { ...process.env };
    delete env.NSAGENT_CTL;
    // each supervisor (with its sandbox) on a CPU of its own, round the CPUs (supervisor.c)
    if (process.env.NSMODEL_PIN !== '0') env.NSAGENT_CPU = String(nextCpu++);
    env.NSAGENT_MAX_PROCS = String(limits.processes);
    env.NSAGENT_SETTLE_MS = String(limits.settleMs);
    this.child = spawn(agentPath, ['supervisor', String(process.pid)], { stdio: ['pipe', 'pipe', 'inherit'], env });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => this.receive(chunk));
    this.child.stdin.on('error', () => { /* EPIPE: reported through 'exit' */ });
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.fail(new SupervisorGone(`the kernel agent exited (${signal ?? `status ${code}`})`));
        resolve();
      });
      this.child.on('error', (err) => {
        this.fail(new SupervisorGone(`the kernel agent could not run: ${err.message}`));
        resolve();
      });
    });
  }

  get alive(): boolean {
    return this.gone === null;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Send `text` (whole lines) and collect answer lines up to the one `last` accepts.
   * Requests queue behind each other.
   */
  request(text: string, last: (line: string) => boolean): Promise<string[]> {
    const run = async (): Promise<string[]> => {
      if (this.gone) throw this.gone;
      this.child.stdin.write(text);
      const out: string[] = [];
      // A request that takes longer than the limit ends the supervisor, and with it the
      // sandbox (PR_SET_PDEATHSIG: its PID 1 dies, and the kernel kills the rest).
      const timer = setTimeout(() => {
        this.fail(new RunAborted(`limit: time (one request to the kernel agent took over ${this.limits.requestMs} ms; the sandbox was ended)`));
        this.child.kill('SIGKILL');
      }, this.limits.requestMs);
      try {
        for (;;) {
          const line = await this.nextLine();
          out.push(line);
          if (last(line)) return out;
        }
      } finally {
        clearTimeout(timer);
      }
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  /** Keep the event loop alive while a sandbox exists; let the harness exit otherwise. */
  hold(active: boolean): void {
    const streams = [this.child.stdin, this.child.stdout] as unknown as { ref(): void; unref(): void }[];
    if (active) {
      this.child.ref();
      for (const s of streams) s.ref?.();
    } else {
      this.child.unref();
      for (const s of streams) s.unref?.();
    }
  }

  /** End the supervisor (it ends its sandbox first) and wait until it has exited. */
  async stop(): Promise<void> {
    if (this.gone) return;
    this.child.stdin.end('Q\n');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }

  private receive(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) {
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = null;
        w.resolve(line);
      } else {
        this.lines.push(line);
      }
    }
  }

  private nextLine(): Promise<string> {
    const line = this.lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.gone) return Promise.reject(this.gone);
    return new Promise((resolve, reject) => { this.waiter = { resolve, reject }; });
  }

  private fail(err: Error): void {
    if (this.gone) return;
    this.gone = err;
    const w = this.waiter;
    this.waiter = null;
    w?.reject(err);
  }
}
