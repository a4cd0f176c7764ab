// The kernel backend's promise to the host (ARCHITECTURE.md, "Rules of the house"): after any
// run, and after the harness is killed, the host has the same hostname, mounts, network
// devices, and no new processes or namespaces.

import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect, it } from 'vitest';
import { defaultAgentPath, KernelBackend } from '../src/kernel/backend.js';
import { runTrace } from '../src/trace/backend.js';
import type { Trace } from '../src/trace/types.js';
import { parseTrace } from '../src/trace/validate.js';
import { describeKernel } from './helpers/kernel.js';

const NS_FILES = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'pid_for_children', 'time', 'time_for_children', 'user', 'uts'];

function pids(): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
}

function tryRead(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function tryReadlink(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}

/** A kernel agent (build/nsagent, or build/nsagent-asan of the sanitizers' test, which may run meanwhile). */
const isAgent = (pid: number) => /\/nsagent(-asan)?$/.test(tryReadlink(`/proc/${pid}/exe`) ?? '');

/** Every namespace some process of the machine is in now (agents' too). */
function allNamespaces(): Set<string> {
  return new Set(pids().flatMap((pid) => NS_FILES.map((f) => tryReadlink(`/proc/${pid}/ns/${f}`))).filter((l): l is string => l !== null));
}

/**
 * A kernel backend that notes its sandboxes: before each ends, every traced process (and the
 * supervisor) by PID and start time, and their namespaces that no process of the machine had
 * before. Other tests — and other nsmodel runs on the machine — make processes and namespaces
 * of their own meanwhile, and the kernel reuses a freed namespace's inode number: so what is
 * left is judged by process, not by inode alone.
 */
class NotingKernel extends KernelBackend {
  readonly seen = new Set<string>();
  private readonly procs = new Set<string>();
  private readonly before = allNamespaces();

  override async close(): Promise<void> {
    for (const pid of await this.hostPids()) {
      this.procs.add(`${pid} ${startTime(pid)}`);
      for (const f of NS_FILES) {
        const l = tryReadlink(`/proc/${pid}/ns/${f}`);
        if (l !== null && !this.before.has(l)) this.seen.add(l);
      }
    }
    await super.close();
  }

  /** Processes of these sandboxes (or agents of this build) still there, with the noted namespaces they are in. */
  left(): string[] {
    const out: string[] = [];
    for (const pid of pids()) {
      const ours = this.procs.has(`${pid} ${startTime(pid)}`) || tryReadlink(`/proc/${pid}/exe`) === agentBinary;
      if (!ours) continue;
      const ns = NS_FILES.map((f) => tryReadlink(`/proc/${pid}/ns/${f}`)).filter((l) => l !== null && this.seen.has(l));
      out.push(`${pid} ${ns.join(' ')}`);
    }
    return out;
  }
}

/** This build's agent: build/nsagent of this package. */
const agentBinary = realpathSync(defaultAgentPath());

/**
 * The names in the machine's rootfs, below the machine's root, which no path of the host
 * reaches (`nsagent rootfs`: a throwaway private mount namespace whose / is detached).
 */
function machineRootfs(): string[] {
  const r = spawnSync(agentBinary, ['rootfs'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`nsagent rootfs: ${r.stderr}`);
  return r.stdout.split('\n').filter((n) => n !== '');
}

/** Every process descending from `root`. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const pid of pids()) {
    const stat = tryRead(`/proc/${pid}/stat`);
    if (!stat) continue;
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const out: number[] = [];
  for (let todo = [root]; todo.length > 0;) {
    const kids = children.get(todo.pop()!) ?? [];
    out.push(...kids);
    todo.push(...kids);
  }
  return out;
}

function hostView() {
  return {
    hostname: hostname(),
    mountinfo: readFileSync('/proc/self/mountinfo', 'utf8'),
    initMountinfo: readFileSync('/proc/1/mountinfo', 'utf8'),
    links: readdirSync('/sys/class/net').sort(),
    ownNamespaces: NS_FILES.map((f) => tryReadlink(`/proc/self/ns/${f}`)),
  };
}

/** A process identity that survives PID reuse: PID and start time. */
function startTime(pid: number): string | null {
  const stat = tryRead(`/proc/${pid}/stat`);
  return stat === null ? null : stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

function state(pid: number): string | null {
  const stat = tryRead(`/proc/${pid}/stat`);
  return stat === null ? null : stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
}

async function waitFor(done: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

const golden = join(import.meta.dirname, 'golden');
const goldenTraces: Trace[] = readdirSync(golden)
  .filter((f) => f.endsWith('.json') && !f.endsWith('.expected.json'))
  .map((f) => parseTrace(readFileSync(join(golden, f), 'utf8')));

/** A trace that changes everything it can inside its sandbox. */
const busy: Trace = {
  nsmodel: 1,
  setup: { user: 'root', hostname: 'busy' },
  steps: [
    { by: 'p0', op: 'sethostname', name: 'changed' },
    { by: 'p0', op: 'setdomainname', name: 'changed.example' },
    { by: 'p0', op: 'unshare', flags: ['CLONE_NEWNS', 'CLONE_NEWNET', 'CLONE_NEWUTS', 'CLONE_NEWIPC', 'CLONE_NEWCGROUP', 'CLONE_NEWTIME', 'CLONE_NEWPID'] },
    { by: 'p0', op: 'fork', as: 'a' },
    { by: 'a', op: 'clone', flags: ['CLONE_NEWUSER', 'CLONE_NEWNET', 'CLONE_NEWNS'], as: 'b' },
    { by: 'b', op: 'thread' },
    { by: 'a', op: 'exec' },
    { by: 'a', op: 'exit' },
  ],
};

/** Traces that try everything a hostile trace might against the host (issue 7's audit). */
function hostileTraces(): Trace[] {
  const t = (steps: Trace['steps'], user: 'root' | 'unprivileged' = 'root'): Trace => ({ nsmodel: 1, setup: { user, hostname: 'hostile' }, steps });
  const traces: Trace[] = [];
  for (const signal of ['SIGHUP', 'SIGINT', 'SIGKILL', 'SIGUSR1', 'SIGUSR2', 'SIGTERM'] as const) {
    // p0 (PID 1 of the sandbox) signalled by itself, by a child, by a grandchild in a nested PID namespace
    traces.push(t([
      { by: 'p0', op: 'fork', as: 'a' },
      { by: 'a', op: 'unshare', flags: ['CLONE_NEWPID'] },
      { by: 'a', op: 'fork', as: 'b' },
      { by: 'b', op: 'kill', target: 'p0', signal },
      { by: 'b', op: 'kill', target: 'a', signal },
      { by: 'a', op: 'kill', target: 'p0', signal },
      { by: 'p0', op: 'kill', target: 'p0', signal },
      { by: 'p0', op: 'observe' },
    ]));
  }
  // the namespaces above the sandbox's: reachable by NS_GET_PARENT / NS_GET_USERNS, never joinable
  const up: Trace['steps'] = [];
  for (const ns of ['pid', 'uts', 'net', 'mnt', 'ipc', 'cgroup', 'time', 'user'] as const) {
    up.push({ by: 'p0', op: 'open', target: 'p0', ns, as: `o_${ns}` });
    up.push({ by: 'p0', op: 'ioctl', fd: `o_${ns}`, request: 'NS_GET_USERNS', as: `u_${ns}` });
    up.push({ by: 'p0', op: 'setns', fd: `u_${ns}`, nstype: 0 });
    up.push({ by: 'p0', op: 'ioctl', fd: `o_${ns}`, request: 'NS_GET_PARENT', as: `p_${ns}` });
    up.push({ by: 'p0', op: 'setns', fd: `p_${ns}`, nstype: 0 });
  }
  up.push({ by: 'p0', op: 'fork', as: 'child' }, { by: 'child', op: 'sethostname', name: 'escaped' }, { by: 'child', op: 'getpid' });
  traces.push(t(up));
  // write_map of the initial user namespace, as root and as a user
  for (const user of ['root', 'unprivileged'] as const) {
    traces.push(t([
      { by: 'p0', op: 'write_map', target: 'p0', file: 'uid_map', data: '0 0 1\n' },
      { by: 'p0', op: 'write_map', target: 'p0', file: 'gid_map', data: '0 0 4294967295\n' },
      { by: 'p0', op: 'write_map', target: 'p0', file: 'setgroups', data: 'deny' },
      { by: 'p0', op: 'sethostname', name: 'escaped' },
    ], user));
  }
  // mount_proc in a loop, in the sandbox's and in new mount namespaces
  const mounts: Trace['steps'] = [];
  for (let k = 0; k < 30; k++) mounts.push({ by: 'p0', op: 'mount_proc' });
  mounts.push({ by: 'p0', op: 'unshare', flags: ['CLONE_NEWNS', 'CLONE_NEWPID'] }, { by: 'p0', op: 'fork', as: 'm' });
  for (let k = 0; k < 30; k++) mounts.push({ by: 'm', op: 'mount_proc' });
  traces.push(t(mounts));
  // odd exec argv: empty strings, many, long, the agent's own words
  traces.push(t([
    { by: 'p0', op: 'fork', as: 'e' },
    { by: 'e', op: 'exec', argv: [''] },
    { by: 'e', op: 'exec', argv: ['supervisor', '1'] },
    { by: 'e', op: 'exec', argv: ['agent', '3', 'p0'] },
    { by: 'e', op: 'exec', argv: Array.from({ length: 500 }, (_, k) => `arg${k}`) },
    { by: 'e', op: 'exec', argv: ['x'.repeat(4000), 'ü', '--help'] },
    { by: 'e', op: 'getpid' },
  ]));
  // names as long as a trace allows (the kernel takes 64 bytes: EINVAL)
  traces.push(t([{ by: 'p0', op: 'sethostname', name: 'h'.repeat(8192) }, { by: 'p0', op: 'setdomainname', name: 'd'.repeat(8192) }]));
  // 40 nested PID namespaces (Linux stops at 32 levels: ENOSPC), each level's init then exiting
  const nest: Trace['steps'] = [];
  let by = 'p0';
  for (let k = 0; k < 40; k++) {
    nest.push({ by, op: 'unshare', flags: ['CLONE_NEWPID', 'CLONE_NEWUTS'] }, { by, op: 'fork', as: `n${k}` });
    by = `n${k}`;
  }
  nest.push({ by: 'n0', op: 'exit' });
  traces.push(t(nest));
  return traces.map((x) => parseTrace(JSON.stringify(x)));
}

/** The recorded mount rule traces (test/rules/MNT-*), and traces that try what a hostile trace might with mounts. */
function mountTraces(): Trace[] {
  const recorded = ['rules', 'rules-pending'].flatMap((d) => readdirSync(join(import.meta.dirname, d))
    .filter((f) => (d !== 'rules' || f.startsWith('MNT-')) && f.endsWith('.json') && !f.endsWith('.expected.json'))
    .map((f) => parseTrace(readFileSync(join(import.meta.dirname, d, f), 'utf8'))));
  const t = (steps: Trace['steps'], user: 'root' | 'unprivileged' = 'root'): Trace => ({ nsmodel: 1, setup: { user, hostname: 'hostile', mounts: true }, steps });
  const hostile: Trace[] = [];
  // the trace's root detached, then stacked over, procfs everywhere, binds of /proc on /
  const stack: Trace['steps'] = [{ by: 'p0', op: 'readdir', path: '/' }, { by: 'p0', op: 'umount', target: '/', flags: ['MNT_DETACH'] }, { by: 'p0', op: 'readdir', path: '/' }];
  for (let k = 0; k < 20; k++) {
    stack.push({ by: 'p0', op: 'mount', target: '/', flags: [], fstype: k % 2 ? 'tmpfs' : 'proc' }, { by: 'p0', op: 'readdir', path: '/' });
    stack.push({ by: 'p0', op: 'mount', target: '/', flags: ['MS_BIND', 'MS_REC'], source: '/' }, { by: 'p0', op: 'umount', target: '/' });
  }
  stack.push({ by: 'p0', op: 'umount', target: '/', flags: ['MNT_DETACH'] }, { by: 'p0', op: 'readdir', path: '/' }, { by: 'p0', op: 'mkdir', path: '/x' });
  hostile.push(t(stack));
  // pivot_root out and back, put_old detached, the parent of / made shared again
  hostile.push(t([
    { by: 'p0', op: 'mount', target: '/', flags: ['MS_REC', 'MS_PRIVATE'] },
    { by: 'p0', op: 'mkdir', path: '/n' }, { by: 'p0', op: 'mount', target: '/n', flags: [], fstype: 'tmpfs' }, { by: 'p0', op: 'mkdir', path: '/n/o' },
    { by: 'p0', op: 'pivot_root', new_root: '/n', put_old: '/n/o' }, { by: 'p0', op: 'readdir', path: '/o' },
    { by: 'p0', op: 'pivot_root', new_root: '/', put_old: '/' }, { by: 'p0', op: 'pivot_root', new_root: '/o', put_old: '/o/n' },
    { by: 'p0', op: 'readdir', path: '/' }, { by: 'p0', op: 'umount', target: '/n', flags: ['MNT_DETACH'] },
    { by: 'p0', op: 'umount', target: '/', flags: ['MNT_DETACH'] }, { by: 'p0', op: 'readdir', path: '/' },
    { by: 'p0', op: 'mount', target: '/', flags: ['MS_REC', 'MS_SHARED'] }, { by: 'p0', op: 'umount', target: '/' },
  ]));
  // shared everywhere, namespaces of peers, mounts propagating between them, a user namespace's pivot
  const peers: Trace['steps'] = [{ by: 'p0', op: 'mount', target: '/', flags: ['MS_REC', 'MS_SHARED'] }, { by: 'p0', op: 'mkdir', path: '/m' }];
  for (let k = 0; k < 5; k++) {
    peers.push({ by: 'p0', op: 'fork', as: `c${k}` }, { by: `c${k}`, op: 'unshare', flags: ['CLONE_NEWNS'] });
    peers.push({ by: `c${k}`, op: 'mount', target: '/m', flags: [], fstype: 'tmpfs' }, { by: `c${k}`, op: 'mount', target: '/m', flags: ['MS_BIND'], source: '/m' });
  }
  peers.push({ by: 'p0', op: 'umount', target: '/m', flags: ['MNT_DETACH'] }, { by: 'p0', op: 'umount', target: '/proc', flags: ['MNT_DETACH'] });
  hostile.push(t(peers));
  hostile.push(t([
    { by: 'p0', op: 'unshare', flags: ['CLONE_NEWUSER', 'CLONE_NEWNS'] },
    { by: 'p0', op: 'write_map', target: 'p0', file: 'uid_map', data: '0 1000 1\n' },
    { by: 'p0', op: 'write_map', target: 'p0', file: 'setgroups', data: 'deny' },
    { by: 'p0', op: 'write_map', target: 'p0', file: 'gid_map', data: '0 1000 1\n' },
    { by: 'p0', op: 'umount', target: '/', flags: ['MNT_DETACH'] }, { by: 'p0', op: 'readdir', path: '/' },
    { by: 'p0', op: 'mount', target: '/', flags: ['MS_REC', 'MS_PRIVATE'] }, { by: 'p0', op: 'mount', target: '/proc', flags: [], fstype: 'tmpfs' },
    { by: 'p0', op: 'mkdir', path: '/t' }, { by: 'p0', op: 'mount', target: '/t', flags: [], fstype: 'tmpfs' },
    { by: 'p0', op: 'mkdir', path: '/t/x' }, { by: 'p0', op: 'pivot_root', new_root: '/t', put_old: '/t/x' }, { by: 'p0', op: 'readdir', path: '/x' },
  ], 'unprivileged'));
  return [...recorded, ...hostile.map((x) => parseTrace(JSON.stringify(x)))];
}

/** Names of the host's root directory: a trace that reads one of them sees the host. */
const hostRootNames = new Set(readdirSync('/').filter((n) => n !== 'proc'));

/**
 * Start a harness (test/helpers/FILE) that runs a trace in a sandbox of its own and prints the
 * host PIDs of its traced processes: the harness, its end, and those processes with their start
 * times (a PID alone may be reused).
 */
async function startHarness(file: string) {
  const harness = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'helpers', file)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => harness.on('exit', resolve));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: harness.stdout }).once('line', resolve);
    harness.once('exit', () => reject(new Error('the harness exited before printing its PIDs')));
  });
  const victims = (JSON.parse(line) as number[]).map((pid) => ({ pid, start: startTime(pid) }));
  return { harness, exited, victims };
}

describeKernel('host safety of the kernel backend', () => {
  it('hostile traces leave hostname, mounts, links, namespaces and processes as they were', { timeout: 60_000 }, async () => {
    const before = hostView();
    const backend = new NotingKernel();
    for (const trace of hostileTraces()) {
      const out = await runTrace(backend, trace);
      // nothing above the sandbox was joined: setns towards it fails every time
      trace.steps.forEach((step, i) => {
        if (step.op === 'setns' && step.fd.startsWith('u_')) expect(out.results[i], `${i}`).not.toEqual({ ok: true });
        if (step.op === 'setns' && step.fd.startsWith('p_')) expect(out.results[i], `${i}`).not.toEqual({ ok: true });
      });
    }
    await backend.dispose();
    expect(hostView()).toEqual(before);
    expect(backend.seen.size).toBeGreaterThan(7);
    expect(backend.left()).toEqual([]);
    expect(descendants(process.pid).filter(isAgent)).toEqual([]);
  });

  it('leaves hostname, mounts, network links, namespaces and processes as they were', async () => {
    const before = hostView();
    const backend = new NotingKernel();
    for (const trace of [...goldenTraces, busy]) await runTrace(backend, trace);
    await backend.dispose();

    expect(hostView()).toEqual(before);
    expect(backend.seen.size).toBeGreaterThan(7);
    expect(backend.left()).toEqual([]);
    expect(descendants(process.pid).filter(isAgent)).toEqual([]);
  });

  it('mount traces never show the host, and leave its mount table, namespaces and processes as they were', { timeout: 120_000 }, async () => {
    const before = hostView();
    const backend = new NotingKernel();
    for (const trace of mountTraces()) {
      const out = await runTrace(backend, trace);
      // no readdir ever lists the host's root (a trace's root is its own tmpfs, or what it mounted)
      out.results.forEach((r, i) => {
        if (trace.steps[i].op === 'readdir' && 'ok' in r && Array.isArray(r.value)) {
          expect(r.value.filter((n) => hostRootNames.has(n) && !['a', 'b', 'n', 'o', 'x', 'm', 't'].includes(n)), `${trace.name} ${i}`).toEqual([]);
        }
      });
    }
    // while a sandbox with mounts lives, its mounts are not in the host's table either
    await backend.start({ user: 'root', hostname: 'h', mounts: true });
    await backend.run([
      { by: 'p0', op: 'mkdir', path: '/live' },
      { by: 'p0', op: 'mount', target: '/live', flags: [], fstype: 'tmpfs' },
      { by: 'p0', op: 'mount', target: '/', flags: ['MS_REC', 'MS_SHARED'] },
      { by: 'p0', op: 'fork', as: 'c' },
      { by: 'c', op: 'unshare', flags: ['CLONE_NEWNS'] },
      { by: 'c', op: 'mount', target: '/live', flags: [], fstype: 'tmpfs' },
    ]);
    expect(hostView()).toEqual(before);
    await backend.close();
    await backend.dispose();
    expect(hostView()).toEqual(before);
    expect(backend.seen.size).toBeGreaterThan(7);
    expect(backend.left()).toEqual([]);
    expect(descendants(process.pid).filter(isAgent)).toEqual([]);
  });

  it('the mount ops are refused on a sandbox started without mounts (a mkdir there would be the host\'s)', async () => {
    const backend = new KernelBackend();
    await backend.start({ user: 'root', hostname: 'h' });
    await expect(backend.run([{ by: 'p0', op: 'mkdir', path: '/nsmodel-must-not-exist' }])).rejects.toThrow(/needs the trace's own root/);
    await backend.dispose();
    expect(readdirSync('/').includes('nsmodel-must-not-exist')).toBe(false);
  });

  // Every way found to uncover the machine's rootfs below the trace's root, each followed by a
  // setns into the mount namespace whose `/` is gone (docs/SEMANTICS-NOTES.md, host safety).
  const uncovered: [string, Trace['steps']][] = [
    ['umount -l /', [
      { by: 'p0', op: 'open', target: 'p0', ns: 'mnt', as: 'f' },
      { by: 'p0', op: 'umount', target: '/', flags: ['MNT_DETACH'] },
      { by: 'p0', op: 'setns', fd: 'f', nstype: 0 },
    ]],
    ['chroot /a, then umount -l of the cwd (the trace\'s /, outside the root)', [
      { by: 'p0', op: 'open', target: 'p0', ns: 'mnt', as: 'f' },
      { by: 'p0', op: 'mkdir', path: '/a' }, { by: 'p0', op: 'chroot', path: '/a' },
      { by: 'p0', op: 'umount', target: '.', flags: ['MNT_DETACH'] },
      { by: 'p0', op: 'setns', fd: 'f', nstype: 0 },
    ]],
    ['pivot_root, then umount -l / (the new root, on the rootfs now)', [
      { by: 'p0', op: 'open', target: 'p0', ns: 'mnt', as: 'f' },
      { by: 'p0', op: 'mount', target: '/', flags: ['MS_REC', 'MS_PRIVATE'] },
      { by: 'p0', op: 'mkdir', path: '/n' }, { by: 'p0', op: 'mount', target: '/n', flags: [], fstype: 'tmpfs' }, { by: 'p0', op: 'mkdir', path: '/n/o' },
      { by: 'p0', op: 'pivot_root', new_root: '/n', put_old: '/n/o' },
      { by: 'p0', op: 'umount', target: '/', flags: ['MNT_DETACH'] },
      { by: 'p0', op: 'setns', fd: 'f', nstype: 0 },
    ]],
    ['umount -l / in a new mount namespace, setns by a pidfd', [
      { by: 'p0', op: 'fork', as: 'c' },
      { by: 'c', op: 'unshare', flags: ['CLONE_NEWNS'] },
      { by: 'c', op: 'umount', target: '/', flags: ['MNT_DETACH'] },
      { by: 'c', op: 'pidfd_open', target: 'c', as: 'pf' },
      { by: 'c', op: 'setns', fd: 'pf', nstype: ['CLONE_NEWNS'] },
    ]],
    ['clone(CLONE_NEWNS) after umount -l / (the copy holds the rootfs alone), setns into it', [
      { by: 'p0', op: 'umount', target: '/', flags: ['MNT_DETACH'] },
      { by: 'p0', op: 'clone', flags: ['CLONE_NEWNS'], as: 'c' },
      { by: 'c', op: 'open', target: 'c', ns: 'mnt', as: 'f' },
      { by: 'c', op: 'setns', fd: 'f', nstype: 0 },
    ]],
  ];
  for (const fault of ['none', 'one-guard']) {
    it(`a trace that uncovers the machine's rootfs below its root and setns-es onto it ends before its next step, nothing made there (NSAGENT_FAULT=${fault})`, async () => {
      // Linux 6.18: mntns_install() looks the root up from the namespace's first mount, the
      // sandbox's copy of the machine's rootfs (its super block the machine's own). Found by
      // `nsmodel fuzz --mounts` (seed 20261202), which saw a rootfs line in mountinfo. With
      // one-guard the supervisor's mountinfo check after setns is off: hostsafe.c's check of
      // every root and working directory alone must end the run.
      const rootfsBefore = machineRootfs();
      const hostBefore = hostView();
      process.env.NSAGENT_FAULT = fault;
      try {
        for (const [how, uncover] of uncovered) {
          const steps = [...uncover, { by: uncover.at(-1)!.by, op: 'mkdir', path: '/nsmodel-must-not-exist' }, { by: uncover.at(-1)!.by, op: 'mkdir', path: 'nsmodel-must-not-exist-either' }];
          const backend = new KernelBackend();
          await backend.start({ user: 'root', hostname: 'h', mounts: true });
          const run = backend.run(parseTrace(JSON.stringify({ nsmodel: 1, setup: { mounts: true }, steps })).steps);
          await expect(run, how).rejects.toThrow(/host safety: after setns the process's root is the machine's rootfs/);
          await backend.dispose();
        }
      } finally {
        delete process.env.NSAGENT_FAULT;
      }
      expect(machineRootfs()).toEqual(rootfsBefore);
      expect(machineRootfs()).not.toContain('nsmodel-must-not-exist');
      expect(readdirSync('/').filter((n) => n.startsWith('nsmodel-must-not'))).toEqual([]);
      expect(hostView()).toEqual(hostBefore);
    });
  }

  it('MS_MOVE of / cannot uncover the rootfs (ELOOP: every target is below the root)', async () => {
    const steps = [{ by: 'p0', op: 'open', target: 'p0', ns: 'mnt', as: 'f' }, { by: 'p0', op: 'mkdir', path: '/a' },
      { by: 'p0', op: 'mount', target: '/a', flags: [], fstype: 'tmpfs' }, { by: 'p0', op: 'mount', source: '/', target: '/a', flags: ['MS_MOVE'] },
      { by: 'p0', op: 'setns', fd: 'f', nstype: 0 }, { by: 'p0', op: 'readdir', path: '/' }];
    const backend = new KernelBackend();
    await backend.start({ user: 'root', hostname: 'h', mounts: true });
    const results = await backend.run(parseTrace(JSON.stringify({ nsmodel: 1, setup: { mounts: true }, steps })).steps);
    expect(results[3]).toEqual({ err: 'ELOOP' });
    expect(results[5]).toEqual({ ok: true, value: ['a', 'proc'] });
    await backend.dispose();
  });

  it('chroot, chdir and \'..\' never leave the trace\'s own filesystems: the classic escape ends at the trace\'s /, a detached cwd\'s \'..\' stays in it', { timeout: 60_000 }, async () => {
    const rootfsBefore = machineRootfs();
    const hostBefore = hostView();
    const t = (steps: Trace['steps']): Trace => parseTrace(JSON.stringify({ nsmodel: 1, setup: { user: 'root', hostname: 'h', mounts: true }, steps }));
    const up = (by: string, n: number): Trace['steps'] => Array.from({ length: n }, () => ({ by, op: 'chdir', path: '..' }));
    const look = (by: string): Trace['steps'] => [{ by, op: 'getcwd' }, { by, op: 'readdir', path: '.' }, { by, op: 'readdir', path: '/' }, { by, op: 'readdir', path: '..' }, { by, op: 'readdir', path: '/..' }];
    const traces = [
      // the classic escape: chroot below, cwd left outside, '..' up to the top, chroot .
      t([{ by: 'p0', op: 'mkdir', path: '/a' }, { by: 'p0', op: 'chroot', path: '/a' }, ...up('p0', 5), { by: 'p0', op: 'chroot', path: '.' }, ...look('p0'), { by: 'p0', op: 'mkdir', path: 'x' }]),
      // the same after umount -l / (the root detached: '..' stays on it)
      t([{ by: 'p0', op: 'mkdir', path: '/a' }, { by: 'p0', op: 'umount', target: '/', flags: ['MNT_DETACH'] }, { by: 'p0', op: 'chroot', path: '/a' }, ...up('p0', 5), { by: 'p0', op: 'chroot', path: '.' }, ...look('p0'), { by: 'p0', op: 'mkdir', path: 'x' }]),
      // chroot /a, then the trace's / (the cwd, outside the root) detached, then '..' from it, unshare -m, clone
      t([{ by: 'p0', op: 'mkdir', path: '/a' }, { by: 'p0', op: 'chroot', path: '/a' }, { by: 'p0', op: 'umount', target: '.', flags: ['MNT_DETACH'] }, ...up('p0', 3),
        { by: 'p0', op: 'chroot', path: '.' }, ...look('p0'), { by: 'p0', op: 'unshare', flags: ['CLONE_NEWNS'] }, ...look('p0'),
        { by: 'p0', op: 'clone', flags: ['CLONE_NEWNS'], as: 'c' }, ...up('c', 3), ...look('c'), { by: 'c', op: 'mkdir', path: 'y' }]),
      // a cwd on a mount that is then detached: '..' stays in the detached mount
      t([{ by: 'p0', op: 'mkdir', path: '/m' }, { by: 'p0', op: 'mount', target: '/m', flags: [], fstype: 'tmpfs' }, { by: 'p0', op: 'mkdir', path: '/m/d' },
        { by: 'p0', op: 'chdir', path: '/m/d' }, { by: 'p0', op: 'umount', target: '/m', flags: ['MNT_DETACH'] }, ...up('p0', 4), ...look('p0'), { by: 'p0', op: 'chroot', path: '.' }, ...look('p0'), { by: 'p0', op: 'mkdir', path: 'x' }]),
      // pivot_root, the old root detached with a process's cwd in it, '..' from there
      t([{ by: 'p0', op: 'mount', target: '/', flags: ['MS_REC', 'MS_PRIVATE'] }, { by: 'p0', op: 'mkdir', path: '/n' }, { by: 'p0', op: 'mount', target: '/n', flags: [], fstype: 'tmpfs' },
        { by: 'p0', op: 'mkdir', path: '/n/o' }, { by: 'p0', op: 'fork', as: 'c' }, { by: 'c', op: 'chdir', path: '/proc' },
        { by: 'p0', op: 'pivot_root', new_root: '/n', put_old: '/n/o' }, { by: 'p0', op: 'chdir', path: '/o' }, { by: 'p0', op: 'umount', target: '/o', flags: ['MNT_DETACH'] },
        ...up('p0', 3), ...look('p0'), ...up('c', 3), ...look('c'), { by: 'c', op: 'chroot', path: '.' }, ...look('c')]),
      // a mount on /, then '/..' and chroot to it; a chrooted process's unshare -m and pivot_root
      t([{ by: 'p0', op: 'mount', target: '/', flags: [], fstype: 'tmpfs' }, { by: 'p0', op: 'chdir', path: '/..' }, ...up('p0', 3), ...look('p0'), { by: 'p0', op: 'chroot', path: '/..' }, ...look('p0'),
        { by: 'p0', op: 'mkdir', path: '/a' }, { by: 'p0', op: 'chroot', path: '/a' }, { by: 'p0', op: 'unshare', flags: ['CLONE_NEWNS'] }, ...up('p0', 3), ...look('p0'),
        { by: 'p0', op: 'pivot_root', new_root: '.', put_old: '.' }, ...look('p0')]),
    ];
    const backend = new NotingKernel();
    for (const trace of traces) {
      const out = await runTrace(backend, trace);
      out.results.forEach((r, i) => {
        if (trace.steps[i].op === 'readdir' && 'ok' in r && Array.isArray(r.value)) {
          expect(r.value.filter((n) => (hostRootNames.has(n) || rootfsBefore.includes(n)) && !['a', 'm', 'n', 'o', 'x', 'y', 'd', 'proc'].includes(n)), `${i}`).toEqual([]);
        }
      });
    }
    await backend.dispose();
    expect(machineRootfs()).toEqual(rootfsBefore);
    expect(hostView()).toEqual(hostBefore);
    expect(backend.left()).toEqual([]);
  });

  it('closing a backend ends its sandbox: no traced process is left', async () => {
    const backend = new KernelBackend();
    await backend.start({ user: 'root', hostname: 'h' });
    await backend.run(busy.steps.slice(3, 6));
    const [supervisor, ...traced] = await backend.hostPids();
    expect(traced.length).toBeGreaterThan(0);
    await backend.close();
    expect(traced.filter((pid) => startTime(pid) !== null && isAgent(pid))).toEqual([]);
    expect(startTime(supervisor)).not.toBeNull(); // the supervisor stays for the next trace
    await backend.dispose();
    expect(descendants(process.pid).filter(isAgent)).toEqual([]);
  });

  it('after SIGKILL of the harness, no traced process is left within a second', { timeout: 30_000 }, async () => {
    const { harness, exited, victims } = await startHarness('kernel-harness.ts');
    expect(victims.length).toBeGreaterThan(5);
    expect(victims.every((v) => v.start !== null)).toBe(true);

    harness.kill('SIGKILL');
    await exited;
    // Within a second nothing runs any more: every traced process (and the supervisor) is
    // gone, or a zombie. The zombies are p0's and the supervisor's, orphaned to the host's
    // PID 1, which reaps them in its own time (this VM's init polls every second or two).
    const alive = () => victims.filter((v) => startTime(v.pid) === v.start && state(v.pid) !== 'Z');
    await waitFor(() => alive().length === 0, 1000);
    expect(alive()).toEqual([]);
    const remaining = () => victims.filter((v) => startTime(v.pid) === v.start);
    expect(remaining().length).toBeLessThanOrEqual(2);
    await waitFor(() => remaining().length === 0, 10_000);
    expect(remaining()).toEqual([]);
  });

  it('after SIGKILL of the harness in the middle of a mount trace, no traced process, mount or namespace is left', { timeout: 30_000 }, async () => {
    const before = hostView();
    const namespacesBefore = allNamespaces();
    const { harness, exited, victims } = await startHarness('kernel-harness-mounts.ts');
    expect(victims.length).toBeGreaterThan(4);
    expect(hostView()).toEqual(before); // the sandbox's mounts are its own while it lives
    // the sandbox's namespaces: those of its processes that no host process had before
    // (other test files make namespaces of their own meanwhile: only these are followed)
    const sandboxNs = new Set(victims.flatMap((v) => NS_FILES.map((f) => tryReadlink(`/proc/${v.pid}/ns/${f}`)))
      .filter((l): l is string => l !== null && !namespacesBefore.has(l)));
    expect(sandboxNs.size).toBeGreaterThan(3);

    harness.kill('SIGKILL');
    await exited;
    const remaining = () => victims.filter((v) => startTime(v.pid) === v.start);
    await waitFor(() => remaining().length === 0, 10_000);
    expect(remaining()).toEqual([]);
    expect(hostView()).toEqual(before);
    // no agent of this build is left in one of them (an inode alone may be reused by now)
    const left = pids().filter((pid) => tryReadlink(`/proc/${pid}/exe`) === agentBinary)
      .filter((pid) => NS_FILES.some((f) => sandboxNs.has(tryReadlink(`/proc/${pid}/ns/${f}`) ?? '')));
    expect(left).toEqual([]);
  });

  // Issue 7, defect 1: a label whose process was reaped, its host PID reused by a host process
  // in a UTS namespace of its own. With the supervisor's books deliberately stale
  // (NSAGENT_FAULT=stale-books), `open` + `setns` + `sethostname` on that label must still
  // not reach the decoy: the steps name processes only in the sandbox's own procfs. The whole
  // thing runs in a throwaway PID namespace, whose ns_last_pid the decoy is placed with.
  for (const fault of ['stale-books', 'none']) {
    it(`a reaped label never names a host process on its old PID (NSAGENT_FAULT=${fault})`, { timeout: 60_000 }, () => {
      const run = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', '--uts', '--ipc', '--net', '--mount', '--propagation', 'private',
        process.execPath, '--import', 'tsx', join(import.meta.dirname, 'helpers', 'escape-decoy.ts')], {
        encoding: 'utf8', timeout: 50_000, env: { ...process.env, NSAGENT_FAULT: fault },
      });
      expect(run.status, run.stderr).toBe(0);
      const out = JSON.parse(run.stdout.trim().split('\n').pop()!) as { decoyPid: number; hostPid: number; results: unknown[]; decoyHostname: string };
      expect(out.decoyPid).toBe(out.hostPid);
      expect(out.decoyHostname).toBe('decoy');
      // as the model says for a reaped target: ENOENT, then EBADF for the never-opened descriptor
      expect(out.results).toEqual([{ err: 'ENOENT' }, { err: 'EBADF' }, { ok: true }]);
    });
  }

  // The kernel clears a process's parent-death signal when its credentials change: a trace in
  // which p0 itself changes its uid must still end with the supervisor (p0 re-arms it).
  const credentialChanges: [string, Trace['steps']][] = [
    ['p0 setuid', [{ by: 'p0', op: 'setuid', uid: 1000 }]],
    ['p0 exec, then setuid', [{ by: 'p0', op: 'exec' }, { by: 'p0', op: 'setuid', uid: 1000 }]],
    ['p0 exec with argv, then setuid', [{ by: 'p0', op: 'exec', argv: ['init'] }, { by: 'p0', op: 'setuid', uid: 1000 }]],
  ];
  for (const [what, steps] of credentialChanges) {
    it(`when the supervisor dies, the sandbox dies with it (${what})`, async () => {
      const backend = new KernelBackend();
      await backend.start({ user: 'root', hostname: 'h' });
      const results = await backend.run([{ by: 'p0', op: 'fork', as: 'a' }, ...steps]);
      expect(results.at(-1)).toEqual({ ok: true });
      const [supervisor, ...traced] = await backend.hostPids();
      const victims = traced.map((pid) => ({ pid, start: startTime(pid) }));
      process.kill(supervisor, 'SIGKILL');
      const alive = () => victims.filter((v) => startTime(v.pid) === v.start && state(v.pid) !== 'Z');
      await waitFor(() => alive().length === 0, 1000);
      expect(alive()).toEqual([]);
      await backend.dispose();
    });
  }
});
