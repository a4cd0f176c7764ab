// The mounts extension on the kernel backend (docs/TRACE-EXTENSIONS.md, "Mounts"): the
// trace's own root, the mount ops, mountinfo in snapshots. The recorded mount rule traces
// (test/rules/MNT-*.json, recorded with scripts/record-expected.ts: three runs, one answer)
// must come out exactly as recorded; rules.test.ts runs them on the model too.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeRawSnapshot, decodeResult, encodeStep, Labels, LineReader } from '../src/kernel/protocol.js';
import { KernelBackend } from '../src/kernel/backend.js';
import { packageRoot } from '../src/paths.js';
import { RunAborted, runTrace } from '../src/trace/backend.js';
import { parseTrace } from '../src/trace/validate.js';
import { describeKernel, useKernelBackend } from './helpers/kernel.js';

const traceFiles = (dir: string, prefix: string) => readdirSync(join(import.meta.dirname, dir))
  .filter((f) => f.startsWith(prefix) && f.endsWith('.json') && !f.endsWith('.expected.json')).sort().map((f) => `${dir}/${f}`);
// test/rules-pending: recorded on the kernel, not matched by the model yet (its README says which)
const files = [...traceFiles('rules', 'MNT-'), ...traceFiles('rules-pending', '')];

describe('the mount ops in the kernel protocol', () => {
  it('encodes paths as strings; mount with its source (else the fstype, else none) and an empty fstype for NULL', () => {
    const labels = new Labels();
    expect(encodeStep({ by: 'p0', op: 'mkdir', path: '/a' }, labels)).toBe('mkdir 0 x2f61');
    expect(encodeStep({ by: 'p0', op: 'mount', target: '/a', flags: ['MS_BIND', 'MS_REC'], source: '/b' }, labels))
      .toBe('mount 0 20480 x2f61 x2f62 x');
    expect(encodeStep({ by: 'p0', op: 'mount', target: '/a', flags: [], fstype: 'tmpfs' }, labels)).toBe('mount 0 0 x2f61 x746d706673 x746d706673');
    expect(encodeStep({ by: 'p0', op: 'mount', target: '/', flags: ['MS_PRIVATE'] }, labels)).toBe('mount 0 262144 x2f x6e6f6e65 x');
    expect(encodeStep({ by: 'p0', op: 'umount', target: '/a', flags: ['MNT_DETACH'] }, labels)).toBe('umount 0 2 x2f61');
    expect(encodeStep({ by: 'p0', op: 'umount', target: '/a' }, labels)).toBe('umount 0 0 x2f61');
    expect(encodeStep({ by: 'p0', op: 'pivot_root', new_root: '/a', put_old: '/a/b' }, labels)).toBe('pivot_root 0 x2f61 x2f612f62');
    expect(encodeStep({ by: 'p0', op: 'readdir', path: '/' }, labels)).toBe('readdir 0 x2f');
  });

  it("decodes readdir's names and mountinfo lines (M) into RawMount; mounts null for a mount namespace without them", () => {
    const labels = new Labels();
    expect(decodeResult('ok l x6100620000', new LineReader([]), labels)).toEqual({ ok: true, value: ['a', 'b', ''] });
    expect(decodeResult('ok l x', new LineReader([]), labels)).toEqual({ ok: true, value: [] });
    const hex = (s: string) => `x${Buffer.from(s).toString('hex')}`;
    const raw = decodeRawSnapshot(new LineReader([
      'N 10 mnt 1 - 0', 'N 11 mnt 1 - 0', 'N 12 mnt 1 - 0', 'N 1 user - - 0', 'R 10', 'R 12',
      `M 10 68 45 0:42 ${hex('/')} ${hex('/')} rw,relatime shared:1 tmpfs rw`,
      `M 10 69 68 0:43 ${hex('/')} ${hex('/a\\040b')} ro,nosuid,noexec,relatime master:3,propagate_from:2,unbindable proc ro,size=4k`,
      '.',
    ]), labels, false, true);
    expect(raw.namespaces.get('10')!.mounts).toEqual([
      { id: 68, parent: 45, sb: '0:42', root: '/', mountpoint: '/', fstype: 'tmpfs', options: ['rw'], super: 'rw', shared: 1, master: null, propagateFrom: null, unbindable: false },
      { id: 69, parent: 68, sb: '0:43', root: '/', mountpoint: '/a b', fstype: 'proc', options: ['ro', 'nosuid', 'noexec'], super: 'ro', shared: null, master: 3, propagateFrom: 2, unbindable: true },
    ]);
    expect(raw.namespaces.get('11')!.mounts).toBeNull();
    expect(raw.namespaces.get('12')!.mounts).toEqual([]);
    expect(raw.namespaces.get('1')!.mounts).toBeUndefined();
  });
});

describeKernel('mounts on the kernel', () => {
  const kernel = useKernelBackend();
  it('has the recorded mount rule traces', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
  });
  for (const f of files) {
    it(`test/${f}`, async () => {
      const trace = parseTrace(readFileSync(join(import.meta.dirname, f), 'utf8'));
      const expected = JSON.parse(readFileSync(join(import.meta.dirname, f.replace(/\.json$/, '.expected.json')), 'utf8'));
      expect(await runTrace(kernel(), trace)).toEqual(expected);
    });
  }

  // build/nsagent-asan is linked dynamically (as build/nsagent is where no static C library is)
  const dynamicAgent = join(packageRoot(), 'build', 'nsagent-asan');
  it.skipIf(!existsSync(dynamicAgent))('a dynamically linked agent refuses, with one sentence, what it cannot do on a trace\'s own root: exec, an unprivileged p0', async () => {
    const backend = new KernelBackend({ agentPath: dynamicAgent });
    try {
      await expect(backend.start({ user: 'unprivileged', hostname: 'h', mounts: true })).rejects.toThrow(/linked dynamically/);
      await backend.start({ user: 'root', hostname: 'h', mounts: true });
      expect(await backend.run([{ by: 'p0', op: 'mkdir', path: '/a' }, { by: 'p0', op: 'readdir', path: '/' }])).toEqual([{ ok: true }, { ok: true, value: ['a', 'proc'] }]);
      await expect(backend.run([{ by: 'p0', op: 'fork', as: 'c' }, { by: 'c', op: 'exec' }])).rejects.toThrow(RunAborted);
      await backend.start({ user: 'unprivileged', hostname: 'h' });
      expect(await backend.run([{ by: 'p0', op: 'exec' }])).toEqual([{ ok: true }]);
    } finally {
      await backend.dispose();
    }
  });

  it('a trace without mounts shows no mounts and runs on the sandbox as before', async () => {
    const out = await runTrace(kernel(), parseTrace(JSON.stringify({ nsmodel: 1, steps: [{ by: 'p0', op: 'unshare', flags: ['CLONE_NEWNS'] }] })));
    expect(out.final.namespaces.every((n) => !('mounts' in n))).toBe(true);
  });
});
