// Issue 8: the shell reads what it shows from the backend only. The id maps and setgroups
// it shows are the view's (no bookkeeping of its own), and lsns's PNS/ONS are the answers of
// real `ioctl` steps (NS_GET_PARENT, NS_GET_USERNS) on descriptors it opened.

import { describe, expect, it } from 'vitest';
import { ModelBackend } from '../src/model/backend.js';
import type { ShellView } from '../src/trace/backend.js';
import { describeKernel, useKernelBackend } from './helpers/kernel.js';
import { session } from './helpers/shell-session.js';

/** The model, with its view's maps rewritten: what the shell shows must follow. */
class RemappedModel extends ModelBackend {
  override async view(): Promise<ShellView> {
    const v = await super.view();
    for (const [id, m] of Object.entries(v.userNs ?? {})) {
      const ns = v.snapshot.namespaces.find((n) => n.id === id);
      if (ns?.owner !== null) v.userNs![id] = { uidMap: [[42, 1000, 1]], gidMap: [[43, 1000, 1]], setgroups: m.setgroups };
    }
    return v;
  }
}

/** The model, keeping the last view the shell asked for in which a nested user namespace exists. */
class Keeping extends ModelBackend {
  last: ShellView | undefined;
  override async view(): Promise<ShellView> {
    const v = await super.view();
    if (v.snapshot.namespaces.some((n) => n.type === 'user' && n.owner !== null)) this.last = v;
    return v;
  }
}

describe('the shell asks the backend', () => {
  it('the view has each user namespace\'s maps and setgroups, and each descriptor\'s namespace', async () => {
    const b = new Keeping();
    await session('unshare -r\nid -u\n', { user: 'unprivileged' }, b);
    const v = b.last!;
    const nested = v.snapshot.namespaces.filter((n) => n.type === 'user' && n.owner !== null);
    expect(nested.length).toBe(1);
    expect(v.userNs?.[nested[0].id]).toEqual({ uidMap: [[0, 1000, 1]], gidMap: [[0, 1000, 1]], setgroups: 'deny' });
    expect(v.fds).toBeDefined();
  });

  it('ids and maps shown are the view\'s, not bookkeeping of the shell\'s own', async () => {
    const { text } = await session('unshare -r\nid\ncat /proc/self/uid_map\ncat /proc/self/setgroups\n', { user: 'unprivileged' }, new RemappedModel());
    expect(text).toContain('$ id\nuid=42 gid=43 groups=43\n');
    expect(text).toContain('cat /proc/self/uid_map\n        42       1000          1\n');
    expect(text).toContain('cat /proc/self/setgroups\ndeny\n');
  });

  it('lsns PNS and ONS are ioctl steps\' answers: EPERM out of scope gives 0', async () => {
    const b = new Keeping();
    const { text, s } = await session('unshare -U --map-root-user --fork --pid --mount-proc\nlsns -o TYPE,PNS,ONS -t user -t pid\n', { user: 'unprivileged' }, b);
    const requests = s.trace.steps.flatMap((x) => (x.op === 'ioctl' ? [x.request] : []));
    expect(requests).toEqual(expect.arrayContaining(['NS_GET_PARENT', 'NS_GET_USERNS']));
    const v = b.last!;
    const mine = v.inodes[v.snapshot.namespaces.find((n) => n.type === 'user' && n.owner !== null)!.id];
    const rows = text.split('\n').filter((l) => /^(user|pid) /.test(l)).map((l) => l.trim().split(/\s+/));
    // in the new user namespace, the initial one is out of scope (EPERM: 0); the new PID
    // namespace's parent is above the reader's (EPERM: 0), its owner is the reader's
    expect(rows).toEqual([['user', '0', '0'], ['pid', '0', String(mine)]]);
  });
});

describeKernel('the kernel\'s view', () => {
  const kernel = useKernelBackend();
  it('has the maps and setgroups the kernel keeps, and each descriptor\'s namespace', async () => {
    const k = kernel();
    let seen: ShellView | undefined;
    const view = k.view.bind(k);
    k.view = async () => {
      const v = await view();
      // while a process runs in a nested user namespace (the kernel's view reads the maps of running processes)
      const nested = v.snapshot.namespaces.find((n) => n.type === 'user' && n.owner !== null);
      if (nested && v.snapshot.processes.some((p) => p.state === 'running' && p.ns.user === nested.id)) seen = v;
      return v;
    };
    const { text } = await session('unshare -r\nlsns -o TYPE,ONS -t uts\ncat /proc/self/uid_map\n', { user: 'unprivileged' }, k);
    const nested = seen!.snapshot.namespaces.find((n) => n.type === 'user' && n.owner !== null)!;
    expect(seen!.userNs?.[nested.id]).toEqual({ uidMap: [[0, 1000, 1]], gidMap: [[0, 1000, 1]], setgroups: 'deny' });
    expect(text).toContain('cat /proc/self/uid_map\n         0       1000          1\n');
    // NS_GET_USERNS of the initial UTS namespace: its owner is above the reader's user namespace (EPERM: 0)
    expect(text).toMatch(/uts +0\n/);
  });
});
