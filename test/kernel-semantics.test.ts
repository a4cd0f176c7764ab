// The kernel backend beyond the golden traces: descriptor labels across shared and copied
// tables, exec, threads, dying PID namespaces, p0's exit, credentials, labels that never got
// made, and raw identities. Every expected value here was recorded on Linux 6.18 through this
// backend and checked against SEMANTICS.md (rule numbers in the comments).

import { expect, it } from 'vitest';
import type { KernelBackend } from '../src/kernel/backend.js';
import { isSnapshotValue, type Result, type Setup, type Snapshot, type Step } from '../src/trace/types.js';
import { describeKernel, useKernelBackend } from './helpers/kernel.js';

const ok = (value?: number | string): Result => (value === undefined ? { ok: true } : { ok: true, value });
const err = (name: string): Result => ({ err: name });
const dead: Result = { dead: true };

/** Results with snapshots replaced by [name, state, nspid] of their processes. */
type Brief = Result | { observe: [string, string, number[]][] };
function brief(results: Result[]): Brief[] {
  return results.map((r) => ('ok' in r && isSnapshotValue(r.value) ? { observe: procs(r.value) } : r));
}
function procs(s: Snapshot): [string, string, number[]][] {
  return s.processes.map((p) => [p.name, p.state, p.nspid]);
}

async function run(b: KernelBackend, steps: Step[], setup: Partial<Setup> = {}) {
  await b.start({ user: 'root', hostname: 'h', ...setup });
  try {
    const results = await b.run(steps);
    return { results, final: await b.snapshot() };
  } finally {
    await b.close();
  }
}

describeKernel('kernel backend semantics', () => {
  const backend = useKernelBackend();

  it('descriptor labels follow the kernel: CLONE_FILES shares a table, fork copies it, unshare(CLONE_FILES) copies it', async () => {
    const { results } = await run(backend(), [
      { by: 'p0', op: 'fork', as: 'a' },
      { by: 'a', op: 'clone', flags: ['CLONE_FILES'], as: 'b' },
      { by: 'a', op: 'open', target: 'a', ns: 'uts', as: 'f1' },
      { by: 'b', op: 'ioctl', fd: 'f1', request: 'NS_GET_NSTYPE' }, // shared: b sees a's open
      { by: 'b', op: 'close', fd: 'f1' },
      { by: 'a', op: 'ioctl', fd: 'f1', request: 'NS_GET_NSTYPE' }, // ... and a sees b's close
      { by: 'a', op: 'open', target: 'p0', ns: 'net', as: 'f2' },
      { by: 'a', op: 'fork', as: 'c' }, // c gets a copy holding f2
      { by: 'a', op: 'close', fd: 'f2' },
      { by: 'a', op: 'open', target: 'p0', ns: 'ipc', as: 'f3' }, // very likely f2's old number
      { by: 'c', op: 'ioctl', fd: 'f2', request: 'NS_GET_NSTYPE' }, // c still has f2 there
      { by: 'c', op: 'ioctl', fd: 'f3', request: 'NS_GET_NSTYPE' }, // and does not hold f3
      { by: 'b', op: 'ioctl', fd: 'f3', request: 'NS_GET_NSTYPE' },
      { by: 'b', op: 'unshare', flags: ['CLONE_FILES'] },
      { by: 'a', op: 'close', fd: 'f3' },
      { by: 'b', op: 'ioctl', fd: 'f3', request: 'NS_GET_NSTYPE' }, // b's copy keeps it
      { by: 'a', op: 'ioctl', fd: 'f3', request: 'NS_GET_NSTYPE' },
    ]);
    expect(results).toEqual([
      ok(2), ok(3), ok(), ok('CLONE_NEWUTS'), ok(), err('EBADF'), ok(), ok(4), ok(), ok(),
      ok('CLONE_NEWNET'), err('EBADF'), ok('CLONE_NEWIPC'), ok(), ok(), ok('CLONE_NEWIPC'), err('EBADF'),
    ]);
  });

  it('exec keeps open() descriptors and drops pidfds and NS_GET_* descriptors (close-on-exec)', async () => {
    const { results } = await run(backend(), [
      { by: 'p0', op: 'fork', as: 'a' },
      { by: 'a', op: 'unshare', flags: ['CLONE_NEWUTS'] },
      { by: 'a', op: 'open', target: 'a', ns: 'uts', as: 'f' },
      { by: 'a', op: 'pidfd_open', target: 'p0', as: 'pf' },
      { by: 'a', op: 'ioctl', fd: 'f', request: 'NS_GET_USERNS', as: 'u' },
      { by: 'a', op: 'ioctl', fd: 'pf', request: 'NS_GET_NSTYPE' }, // not nsfs: ENOTTY (R83)
      { by: 'a', op: 'exec' },
      { by: 'a', op: 'ioctl', fd: 'f', request: 'NS_GET_NSTYPE' },
      { by: 'a', op: 'ioctl', fd: 'u', request: 'NS_GET_NSTYPE' },
      { by: 'a', op: 'setns', fd: 'pf', nstype: 'CLONE_NEWUTS' },
      { by: 'a', op: 'getpid' },
      { by: 'a', op: 'getppid' },
      { by: 'a', op: 'setns', fd: 'f', nstype: 'CLONE_NEWUTS' }, // rejoining is allowed (R46)
      { by: 'a', op: 'setns', fd: 'f', nstype: ['CLONE_NEWUTS', 'CLONE_NEWNET'] }, // R41
    ]);
    expect(results).toEqual([
      ok(2), ok(), ok(), ok(), ok(), err('ENOTTY'), ok(), ok('CLONE_NEWUTS'), err('EBADF'), err('EBADF'),
      ok(2), ok(1), ok(), err('EINVAL'),
    ]);
  });

  it('threads take PIDs and make user-namespace changes and new threads fail as the kernel says', async () => {
    const { results, final } = await run(backend(), [
      { by: 'p0', op: 'fork', as: 'a' },
      { by: 'a', op: 'thread' }, // PID 3
      { by: 'a', op: 'thread' }, // PID 4
      { by: 'a', op: 'fork', as: 'b' },
      { by: 'a', op: 'unshare', flags: ['CLONE_NEWUSER'] }, // multithreaded: EINVAL (R20)
      { by: 'a', op: 'unshare', flags: ['CLONE_NEWPID'] }, // allowed (R19)
      { by: 'a', op: 'thread' }, // pid_for_children differs: EINVAL (R25)
      { by: 'a', op: 'fork', as: 'c' },
      { by: 'a', op: 'exit' },
      { by: 'p0', op: 'wait' },
      { by: 'b', op: 'getppid' }, // adopted by p0
      { by: 'c', op: 'getppid' }, // its parent is outside its PID namespace
      { by: 'c', op: 'getpid' },
    ]);
    expect(results).toEqual([ok(2), ok(), ok(), ok(5), err('EINVAL'), ok(), err('EINVAL'), ok(6), ok(), ok(2), ok(1), ok(0), ok(1)]);
    expect(procs(final)).toEqual([['p0', 'running', [1]], ['b', 'running', [5]], ['c', 'running', [6, 1]]]);
  });

  it('an init waits in zap_pid_ns_processes() for its child init, which waits for a zombie whose parent is outside', async () => {
    const { results } = await run(backend(), [
      { by: 'p0', op: 'fork', as: 'x' },
      { by: 'x', op: 'unshare', flags: ['CLONE_NEWPID'] },
      { by: 'x', op: 'fork', as: 'A' },
      { by: 'A', op: 'unshare', flags: ['CLONE_NEWPID'] },
      { by: 'A', op: 'fork', as: 'J' },
      { by: 'x', op: 'open', target: 'J', ns: 'pid', as: 'n2' },
      { by: 'x', op: 'setns', fd: 'n2', nstype: 'CLONE_NEWPID' },
      { by: 'x', op: 'fork', as: 'Z' }, // in J's namespace, parent x
      { by: 'Z', op: 'exit' },
      { by: 'A', op: 'exit' }, // A reaps its children first (do_wait), J waits for Z
      { by: 'p0', op: 'observe' },
      { by: 'x', op: 'wait' }, // Z: then J finishes, A reaps it, and A finishes
      { by: 'p0', op: 'observe' },
      { by: 'x', op: 'wait' },
      { by: 'x', op: 'wait' },
      { by: 'J', op: 'getpid' },
    ]);
    expect(brief(results)).toEqual([
      ok(2), ok(), ok(3), ok(), ok(2), ok(), ok(), ok(5), ok(), ok(),
      { observe: [['p0', 'running', [1]], ['x', 'running', [2]], ['A', 'exiting', [3, 1]], ['J', 'exiting', [4, 2, 1]], ['Z', 'zombie', [5, 3, 2]]] },
      ok(5),
      { observe: [['p0', 'running', [1]], ['x', 'running', [2]], ['A', 'zombie', [3, 1]]] },
      ok(3), err('ECHILD'), dead,
    ]);
  });

  it('when p0 exits everything else is killed and reaped, p0 stays a zombie, and nothing can act', async () => {
    const { results, final } = await run(backend(), [
      { by: 'p0', op: 'fork', as: 'a' },
      { by: 'a', op: 'fork', as: 'b' },
      { by: 'b', op: 'thread' },
      { by: 'p0', op: 'exit', code: 7 },
      { by: 'a', op: 'getpid' },
      { by: 'p0', op: 'getpid' },
      { by: 'p0', op: 'observe' },
      { by: 'p0', op: 'fork', as: 'c' },
    ]);
    expect(results).toEqual([ok(2), ok(3), ok(), ok(), dead, dead, dead, dead]);
    expect(final.processes).toEqual([{
      name: 'p0', state: 'zombie', nspid: [1], uid: 0, hostname: null, domainname: null,
      ns: {
        cgroup: null, ipc: null, mnt: null, net: null, pid: 'pid:0', pid_for_children: null,
        time: null, time_for_children: null, user: 'user:0', uts: null,
      },
    }]);
  });

  it('orphans are adopted by p0 and reaped after its own children, in order of adoption', async () => {
    const { results } = await run(backend(), [
      { by: 'p0', op: 'fork', as: 'a' },
      { by: 'a', op: 'fork', as: 'b' },
      { by: 'b', op: 'fork', as: 'c' },
      { by: 'b', op: 'exit' }, // c adopted by p0
      { by: 'c', op: 'exit' },
      { by: 'a', op: 'exit' }, // zombie b adopted by p0
      { by: 'p0', op: 'wait' },
      { by: 'p0', op: 'wait' },
      { by: 'p0', op: 'wait' },
      { by: 'p0', op: 'wait' },
    ]);
    expect(results).toEqual([ok(2), ok(3), ok(4), ok(), ok(), ok(), ok(2), ok(4), ok(3), err('ECHILD')]);
  });

  it('a CLONE_PARENT child is its caller\'s sibling and is reaped by a plain wait', async () => {
    // clone3 needs exit_signal 0 with CLONE_PARENT, but copy_process() gives the child the
    // caller's own exit signal (SIGCHLD), so waitpid() without __WALL sees it.
    const { results } = await run(backend(), [
      { by: 'p0', op: 'fork', as: 'a' },
      { by: 'a', op: 'clone', flags: ['CLONE_PARENT'], as: 'd' },
      { by: 'd', op: 'getppid' },
      { by: 'd', op: 'exit' },
      { by: 'a', op: 'wait' },
      { by: 'p0', op: 'wait' },
      { by: 'p0', op: 'clone', flags: ['CLONE_PARENT'], as: 'e' }, // an init: EINVAL (R31)
    ]);
    expect(results).toEqual([ok(2), ok(3), ok(1), ok(), err('ECHILD'), ok(3), err('EINVAL')]);
  });

  it('an unprivileged p0: uid 1000 without capabilities, owner of the user namespaces it makes', async () => {
    const { results, final } = await run(backend(), [
      { by: 'p0', op: 'getpid' },
      { by: 'p0', op: 'setuid', uid: 0 },
      { by: 'p0', op: 'sethostname', name: 'x' },
      { by: 'p0', op: 'fork', as: 'a' },
      { by: 'p0', op: 'open', target: 'a', ns: 'user', as: 'f' }, // dumpable, same uid
      { by: 'a', op: 'clone', flags: ['CLONE_NEWUSER', 'CLONE_NEWUTS', 'CLONE_NEWPID'], as: 'b' },
      { by: 'b', op: 'sethostname', name: 'inside' },
      { by: 'b', op: 'gethostname' },
      { by: 'b', op: 'getppid' },
      { by: 'a', op: 'write_map', target: 'b', file: 'uid_map', data: '0 1000 1' },
      { by: 'a', op: 'write_map', target: 'b', file: 'uid_map', data: '0 1000 1' }, // once only
      { by: 'a', op: 'write_map', target: 'b', file: 'gid_map', data: '0 1000 1' }, // setgroups first
      { by: 'a', op: 'write_map', target: 'b', file: 'setgroups', data: 'deny' },
      { by: 'a', op: 'write_map', target: 'b', file: 'gid_map', data: '0 1000 1' },
      { by: 'b', op: 'setuid', uid: 0 },
      { by: 'b', op: 'setuid', uid: 5 }, // unmapped
      { by: 'p0', op: 'setns', fd: 'f', nstype: 'CLONE_NEWUSER' }, // its own user ns (R47)
    ], { user: 'unprivileged' });
    expect(results).toEqual([
      ok(1), err('EPERM'), err('EPERM'), ok(2), ok(), ok(3), ok(), ok('inside'), ok(0),
      ok(), err('EPERM'), err('EPERM'), ok(), ok(), ok(), err('EINVAL'), err('EINVAL'),
    ]);
    expect(final.processes.map((p) => [p.name, p.uid, p.ns.user, p.hostname])).toEqual([
      ['p0', 1000, 'user:0', 'h'], ['a', 1000, 'user:0', 'h'], ['b', 1000, 'user:1', 'inside'],
    ]);
  });

  it('a process that dropped root is not dumpable until it execs (R107)', async () => {
    const { results } = await run(backend(), [
      { by: 'p0', op: 'fork', as: 'a' },
      { by: 'a', op: 'setuid', uid: 1000 },
      { by: 'a', op: 'open', target: 'a', ns: 'uts', as: 'g' }, // its own: allowed
      { by: 'a', op: 'unshare', flags: ['CLONE_NEWUSER'] },
      { by: 'a', op: 'write_map', target: 'a', file: 'uid_map', data: '0 1000 1' }, // root-owned file
      { by: 'a', op: 'exec' },
      { by: 'a', op: 'write_map', target: 'a', file: 'uid_map', data: '0 1000 1' }, // exec dropped its caps (R16)
    ]);
    expect(results).toEqual([ok(2), ok(), ok(), ok(), err('EACCES'), ok(), err('EPERM')]);
  });

  it('labels that were never made: their steps are dead, the calls naming them get the kernel\'s own errors', async () => {
    const { results, final } = await run(backend(), [
      { by: 'ghost', op: 'getpid' }, // never defined (a malformed trace, but no crash)
      { by: 'p0', op: 'fork', as: 'x' },
      { by: 'x', op: 'unshare', flags: ['CLONE_NEWPID'] },
      { by: 'x', op: 'fork', as: 'i' },
      { by: 'i', op: 'exit' },
      { by: 'x', op: 'wait' },
      { by: 'x', op: 'fork', as: 'never' }, // its PID namespace is dead: ENOMEM (R57)
      { by: 'never', op: 'getpid' },
      { by: 'never', op: 'observe' },
      { by: 'p0', op: 'open', target: 'never', ns: 'uts', as: 'f1' },
      { by: 'p0', op: 'pidfd_open', target: 'never', as: 'f2' },
      { by: 'p0', op: 'write_map', target: 'never', file: 'uid_map', data: '0 0 1' },
      { by: 'p0', op: 'pidfd_open', target: 'i', as: 'f3' }, // reaped
      { by: 'p0', op: 'open', target: 'i', ns: 'pid', as: 'f4' },
      { by: 'p0', op: 'close', fd: 'nofd' },
      { by: 'p0', op: 'setns', fd: 'f1', nstype: 0 }, // its open failed
      { by: 'p0', op: 'fork', as: 'z' }, // PID 4 was used up by the failed fork (R103)
      { by: 'z', op: 'exit', code: 3 },
      { by: 'p0', op: 'pidfd_open', target: 'z', as: 'f8' }, // a zombie has its PID
      { by: 'p0', op: 'setns', fd: 'f8', nstype: 'CLONE_NEWUTS' }, // but no namespaces (R42)
      { by: 'p0', op: 'open', target: 'z', ns: 'uts', as: 'f9' }, // R8
      { by: 'p0', op: 'open', target: 'z', ns: 'pid', as: 'f10' },
    ] as Step[]);
    expect(results).toEqual([
      dead, ok(2), ok(), ok(3), ok(), ok(3), err('ENOMEM'), dead, dead,
      err('ENOENT'), err('ESRCH'), err('ENOENT'), err('ESRCH'), err('ENOENT'), err('EBADF'), err('EBADF'),
      ok(5), ok(), ok(), err('ESRCH'), err('ENOENT'), ok(),
    ]);
    expect(procs(final)).toEqual([['p0', 'running', [1]], ['x', 'running', [2]], ['z', 'zombie', [5]]]);
  });

  it('identity() reads the real namespace links', async () => {
    const b = backend();
    await b.start({ user: 'root', hostname: 'h' });
    try {
      await b.run([
        { by: 'p0', op: 'fork', as: 'x' },
        { by: 'x', op: 'unshare', flags: ['CLONE_NEWPID', 'CLONE_NEWTIME'] },
        { by: 'p0', op: 'fork', as: 'z' },
        { by: 'z', op: 'exit' },
      ]);
      // The sandbox keeps the initial user namespace, whose inode is fixed (R4).
      expect(await b.identity('p0', 'user')).toEqual({ type: 'user', inode: 0xeffffffd });
      const uts = await b.identity('p0', 'uts');
      expect(uts?.type).toBe('uts');
      expect(uts?.inode).not.toBe(0xeffffffe); // the sandbox's own, not the machine's
      expect(await b.identity('x', 'uts')).toEqual(uts);
      expect((await b.identity('x', 'time_for_children'))?.type).toBe('time');
      expect(await b.identity('x', 'time_for_children')).not.toEqual(await b.identity('x', 'time'));
      expect(await b.identity('x', 'pid_for_children')).toBeNull(); // no PID 1 there yet (R9)
      await b.run([{ by: 'x', op: 'fork', as: 'y' }]);
      expect((await b.identity('x', 'pid_for_children'))?.type).toBe('pid');
      expect(await b.identity('x', 'pid_for_children')).toEqual(await b.identity('y', 'pid'));
      expect(await b.identity('x', 'pid_for_children')).not.toEqual(await b.identity('x', 'pid'));
      expect(await b.identity('z', 'uts')).toBeNull(); // a zombie's (R8)
      expect((await b.identity('z', 'pid'))?.type).toBe('pid');
      expect(await b.identity('nobody', 'uts')).toBeNull();
    } finally {
      await b.close();
    }
  });

  it('batches and single steps give the same results; an empty batch is fine', async () => {
    const steps: Step[] = [
      { by: 'p0', op: 'fork', as: 'a' },
      { by: 'a', op: 'unshare', flags: ['CLONE_NEWUTS'] },
      { by: 'a', op: 'sethostname', name: 'héllo wörld\t!' },
      { by: 'a', op: 'gethostname' },
      { by: 'a', op: 'setdomainname', name: '' },
      { by: 'a', op: 'getdomainname' },
      { by: 'a', op: 'sethostname', name: 'x'.repeat(65) },
    ];
    const batched = await run(backend(), steps);
    const b = backend();
    await b.start({ user: 'root', hostname: 'h' });
    const single: Result[] = [...(await b.run([]))];
    for (const step of steps) single.push(...(await b.run([step])));
    const final = await b.snapshot();
    await b.close();
    expect(single).toEqual(batched.results);
    expect(final).toEqual(batched.final);
    expect(batched.results).toEqual([ok(2), ok(), ok(), ok('héllo wörld\t!'), ok(), ok(''), err('EINVAL')]);
  });
});
