// `--target kernel:PATH` (src/targets/): the pieces of a QEMU run as pure functions (the
// initramfs's cpio archive, /init, the job script, QEMU's command line, a bzImage's release,
// module dependencies), `nsmodel target`'s argument errors (exit 2), a missing image (exit 3,
// TargetUnavailable, with the reason) — and, where QEMU and a fetched kernel are here, one
// real boot (a few seconds; skipped with the reason printed otherwise, or failed when
// NSMODEL_TARGETS=1 asks for it).

import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  bzImageRelease, cpioNewc, initScript, jobScript, modName, moduleDepends, moduleLoadOrder, qemuArgs, shellQuote,
} from '../src/targets/initramfs.js';
import { consoleTail, findProgram, runInQemu } from '../src/targets/qemu.js';
import { KERNELS, listKernels, newestPackage } from '../src/targets/kernels.js';
import { TargetUnavailable } from '../src/targets/unavailable.js';
import { runMain } from './cli-helpers.js';

const te = new TextEncoder();
const td = new TextDecoder();

/** The entries of a newc archive: name, mode, size, rdev, data — read back as the kernel reads it. */
function readCpio(a: Uint8Array) {
  const out: { name: string; mode: number; data: string; rdev: [number, number] }[] = [];
  let at = 0;
  const field = (i: number) => Number.parseInt(td.decode(a.subarray(at + 6 + i * 8, at + 14 + i * 8)), 16);
  for (;;) {
    expect(td.decode(a.subarray(at, at + 6))).toBe('070701');
    const mode = field(1);
    const size = field(6);
    const rdev: [number, number] = [field(9), field(10)];
    const nameSize = field(11);
    const name = td.decode(a.subarray(at + 110, at + 110 + nameSize - 1));
    at = Math.ceil((at + 110 + nameSize) / 4) * 4;
    const data = td.decode(a.subarray(at, at + size));
    at = Math.ceil((at + size) / 4) * 4;
    if (name === 'TRAILER!!!') break;
    out.push({ name, mode, data, rdev });
  }
  expect(at).toBe(a.length);
  return out;
}

describe('the initramfs', () => {
  it('is a newc cpio archive the kernel can unpack: every header and datum 4-byte aligned, a trailer', () => {
    const a = cpioNewc([
      { name: 'bin', mode: 0o40755 },
      { name: 'dev/console', mode: 0o20600, rdev: [5, 1] },
      { name: 'init', mode: 0o100755, data: te.encode('#!/bin/busybox sh\necho hi\n') },
      { name: 'x', mode: 0o100644, data: te.encode('12345') },
    ]);
    expect(a.length % 4).toBe(0);
    expect(readCpio(a)).toEqual([
      { name: 'bin', mode: 0o40755, data: '', rdev: [0, 0] },
      { name: 'dev/console', mode: 0o20600, data: '', rdev: [5, 1] },
      { name: 'init', mode: 0o100755, data: '#!/bin/busybox sh\necho hi\n', rdev: [0, 0] },
      { name: 'x', mode: 0o100644, data: '12345', rdev: [0, 0] },
    ]);
  });

  it('/init loads the modules in order, mounts the host root read-only over 9p with a tmpfs overlay, and switch_roots (not chroot)', () => {
    const s = initScript(['00-netfs.ko', '01-9pnet.ko']);
    expect(s.startsWith('#!/bin/busybox sh\n')).toBe(true);
    expect(s.indexOf('insmod /modules/00-netfs.ko')).toBeLessThan(s.indexOf('insmod /modules/01-9pnet.ko'));
    expect(s).toMatch(/mount -t 9p -o trans=virtio,version=9p2000.L,ro,[^ ]* nsroot \/lower/);
    expect(s).toContain('mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work overlay /newroot');
    expect(s).toContain('exec switch_root /newroot /nsmodel-job/busybox sh /nsmodel-job/job.sh');
    expect(s).not.toContain('chroot ');
  });

  it('the job script runs argv, quoted, as root in cwd, and writes its status and uname -r into the job share', () => {
    const s = jobScript(['node', 'a b', "it's", '$HOME'], '/work/my dir');
    expect(s).toContain(`if cd '/work/my dir' 2> /nsmodel-job/stderr; then node 'a b' 'it'\\''s' '$HOME' > /nsmodel-job/stdout 2> /nsmodel-job/stderr < /dev/null; fi`);
    expect(s).toContain('echo $? > /nsmodel-job/status.tmp && $B mv /nsmodel-job/status.tmp /nsmodel-job/status');
    expect(s).toContain('$B uname -r > /nsmodel-job/release');
    for (const fs of ['proc proc /proc', 'sysfs sys /sys', 'devtmpfs dev /dev']) expect(s).toContain(`mount -t ${fs}`);
    expect(s.trimEnd().endsWith('$B poweroff -f')).toBe(true);
  });

  it('shellQuote leaves plain words alone and quotes the rest', () => {
    expect(shellQuote('dist/src/cli/main.js')).toBe('dist/src/cli/main.js');
    expect(shellQuote('--format=json')).toBe('--format=json');
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('a;b')).toBe("'a;b'");
  });

  it("QEMU's command line: software emulation, one vCPU, ~2G, the host's root read-only, no network", () => {
    const a = qemuArgs({ kernel: '/k/vmlinuz', initrd: '/t/initrd', jobDir: '/t/job' });
    const arg = (flag: string) => a[a.indexOf(flag) + 1];
    expect(arg('-accel')).toBe('tcg');
    expect(arg('-smp')).toBe('1');
    expect(arg('-m')).toBe('2048');
    expect(arg('-kernel')).toBe('/k/vmlinuz');
    expect(arg('-initrd')).toBe('/t/initrd');
    expect(a).toContain('-nodefaults');
    expect(a).toContain('-no-reboot');
    expect(a).toContain('local,id=nsroot,path=/,security_model=none,readonly=on,multidevs=remap');
    expect(a).toContain('local,id=nsjob,path=/t/job,security_model=none,multidevs=remap');
    expect(a.join(' ')).not.toMatch(/kvm|-smp [^1]|-netdev|-nic/);
  });
});

describe("a kernel image's release and modules", () => {
  it('reads the release from a bzImage header (HdrS, kernel_version)', () => {
    const img = new Uint8Array(0x400);
    img.set(te.encode('HdrS'), 0x202);
    img[0x20e] = 0x00;
    img[0x20f] = 0x01; // the string at 0x200 + 0x100
    img.set(te.encode('6.1.0-57-amd64 (debian-kernel@lists.debian.org) #1 SMP\0'), 0x300);
    expect(bzImageRelease(img)).toBe('6.1.0-57-amd64');
    expect(bzImageRelease(new Uint8Array(0x400))).toBeUndefined();
    expect(bzImageRelease(new Uint8Array(10))).toBeUndefined();
  });

  it("reads a module's dependencies from its .modinfo strings", () => {
    const ko = te.encode('\x7fELF...\0license=GPL\0depends=9pnet,netfs\0retpoline=Y\0name=9p\0');
    expect(moduleDepends(ko)).toEqual(['9pnet', 'netfs']);
    expect(moduleDepends(te.encode('\0depends=\0name=netfs\0'))).toEqual([]);
    expect(moduleDepends(te.encode('no modinfo'))).toEqual([]);
    expect(modName('kernel/net/9p/9pnet-virtio.ko.xz')).toBe('9pnet_virtio');
    expect(modName('overlay.ko')).toBe('overlay');
  });

  it('loads dependencies first, once each, and skips built-in modules and ones it does not have', () => {
    const deps: Record<string, string[]> = {
      '9p': ['9pnet', 'netfs'], '9pnet_virtio': ['9pnet', 'virtio_ring'], '9pnet': [], netfs: ['fscache'], fscache: [], overlay: [],
      virtio_pci: ['virtio_pci_modern_dev'], virtio_pci_modern_dev: [],
    };
    const available = new Set(Object.keys(deps));
    const order = moduleLoadOrder(['virtio_pci', '9pnet_virtio', '9p', 'overlay'], available, new Set(['virtio_ring']), (m) => deps[m]);
    expect(order).toEqual(['virtio_pci_modern_dev', 'virtio_pci', '9pnet', '9pnet_virtio', 'fscache', 'netfs', '9p', 'overlay']);
    // a kernel with everything built in needs no module
    expect(moduleLoadOrder(['9p', 'overlay'], new Set(), new Set(), () => [])).toEqual([]);
  });

  it("picks the newest Debian package of a kernel by its ABI number", () => {
    const names = ['linux-image-6.1.0-9-amd64-unsigned', 'linux-image-6.1.0-57-amd64-unsigned', 'linux-image-6.1.0-57-cloud-amd64-unsigned', 'linux-image-6.12.117+deb12-amd64-unsigned'];
    expect(newestPackage(names, KERNELS['linux-6.1'].pattern)).toBe('linux-image-6.1.0-57-amd64-unsigned');
    expect(newestPackage(names, KERNELS['linux-6.12'].pattern)).toBe('linux-image-6.12.117+deb12-amd64-unsigned');
    expect(newestPackage([], KERNELS['linux-6.1'].pattern)).toBeUndefined();
  });
});

describe('nsmodel target', () => {
  it.each([
    [['target', 'fetch'], 'nsmodel: target: fetch takes one NAME'],
    [['target', 'fetch', 'linux-4.19'], "nsmodel: target: unknown kernel 'linux-4.19' (known: linux-6.1, linux-6.12)"],
    [['target', 'fetch', 'linux-6.1', 'linux-6.12'], 'nsmodel: target: fetch takes one NAME'],
    [['target', 'fetch', '--bogus'], "nsmodel: target: unknown option '--bogus'"],
    [['target', 'frobnicate'], "nsmodel: target: unknown subcommand 'frobnicate' (fetch, list, exec)"],
    [['target', 'list', 'x'], 'nsmodel: target: list takes no arguments'],
    [['target', 'exec', '/k'], 'nsmodel: target: exec: no COMMAND after --'],
    [['target', 'exec', '/k', '--timeout', '0', '--', 'true'], "nsmodel: target: --timeout: seconds from 1 to 86400, not '0'"],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const r = await runMain(argv);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(message);
    expect(r.stdout).toBe('');
  });

  it('has --help for itself and each subcommand', async () => {
    for (const argv of [['target', '--help'], ['target', 'fetch', '--help'], ['target', 'list', '--help'], ['target', 'exec', '--help']]) {
      const r = await runMain(argv);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^Usage: nsmodel target/);
    }
  });

  it('a kernel image that is not there: exit 3 with the reason (TargetUnavailable from runInQemu)', async () => {
    const r = await runMain(['target', 'exec', '/nonexistent/vmlinuz', '--', 'true']);
    expect(r.status).toBe(3);
    expect(r.stderr).toBe('nsmodel: kernel image /nonexistent/vmlinuz: no such file\n');
    expect(consoleTail([], 3)).toBe(' (the console said nothing)');
    expect(consoleTail(['a', 'qemu: linux kernel too old to load a ram disk '], 1)).toBe(' (console: qemu: linux kernel too old to load a ram disk)');
    expect(consoleTail(['a', 'b', 'c'], 2)).toBe("; the console's last lines:\n  b\n  c");
    await expect(runInQemu({ kernel: '/nonexistent/vmlinuz', argv: ['true'], cwd: '/', timeoutMs: 1000 })).rejects.toThrow(TargetUnavailable);
  });

  it('a fetched kernel named but not fetched: exit 3 with the command that fetches it', async () => {
    const prev = process.env.NSMODEL_CACHE;
    process.env.NSMODEL_CACHE = '/nonexistent/nsmodel-cache';
    try {
      const r = await runMain(['target', 'exec', 'linux-6.1', '--', 'true']);
      expect(r.status).toBe(3);
      expect(r.stderr).toBe('nsmodel: kernel linux-6.1 is not fetched (nsmodel target fetch linux-6.1)\n');
    } finally {
      if (prev === undefined) delete process.env.NSMODEL_CACHE;
      else process.env.NSMODEL_CACHE = prev;
    }
  });
});

// One real boot, where it can happen: QEMU installed and a kernel fetched (nsmodel target fetch).
const kernel = listKernels()[0];
const why = !findProgram('qemu-system-x86_64') ? 'qemu-system-x86_64 is not installed' : !existsSync('/usr/bin/busybox') && !existsSync('/bin/busybox') ? 'busybox is not installed' : !kernel ? 'no kernel fetched (nsmodel target fetch linux-6.1)' : '';
if (why && process.env.NSMODEL_TARGETS === '1') throw new Error(`NSMODEL_TARGETS=1, but ${why}`);
if (why) process.stderr.write(`targets-qemu.test.ts: the real QEMU boot is skipped: ${why}\n`);
describe.skipIf(why !== '')('a real boot under QEMU', () => {
  it(`boots ${kernel?.name} and runs a command as root in it`, async () => {
    const lines: string[] = [];
    const r = await runInQemu({ kernel: kernel.vmlinuz, argv: ['sh', '-c', 'id -u; cat /proc/self/status | grep -c ^NSpid; echo err >&2; exit 7'], cwd: '/', timeoutMs: 240_000, onProgress: (l) => lines.push(l) });
    expect(r).toEqual({ status: 7, stdout: '0\n1\n', stderr: 'err\n', release: kernel.release });
    expect(lines.some((l) => l.includes('nsmodel-job: running'))).toBe(true);
  }, 300_000);

  it('a file that is not a kernel, and a kernel without its 9p modules: TargetUnavailable, exit 3, with the reason', async () => {
    const { copyFileSync, mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'nsmodel-bare-'));
    try {
      writeFileSync(join(dir, 'notakernel'), 'not a kernel\n');
      const r = await runMain(['target', 'exec', join(dir, 'notakernel'), '--', 'true']);
      expect(r.status).toBe(3);
      expect(r.stderr).toMatch(/\nnsmodel: kernel \S+notakernel did not boot to the job: it stopped before running the job \(console: qemu: .*\)\n$/);
      // the image alone, its modules not next to it
      copyFileSync(kernel.vmlinuz, join(dir, 'bzImage'));
      await expect(runInQemu({ kernel: join(dir, 'bzImage'), argv: ['true'], cwd: '/', timeoutMs: 240_000 })).rejects.toThrow(
        new TargetUnavailable(`kernel ${join(dir, 'bzImage')} did not boot to the job: mount of the host's root over 9p (nsroot): the kernel needs 9p, 9pnet_virtio and virtio_pci, built in or as modules in lib/modules/RELEASE next to the image`),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});

describe('the temp directories of runs whose harness died', () => {
  it('go once their harness is gone; a live one and one without harness.pid stay', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, existsSync: exists } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { spawnSync } = await import('node:child_process');
    const { sweepStaleRuns } = await import('../src/targets/qemu.js');
    const dir = mkdtempSync(join(tmpdir(), 'nsmodel-sweep-'));
    const dead = spawnSync('sh', ['-c', 'echo $$']).stdout.toString().trim(); // a PID that has exited
    for (const [name, pid] of [['nsmodel-qemu-dead', dead], ['nsmodel-qemu-live', String(process.pid)], ['nsmodel-qemu-new', undefined], ['other-dead', dead]] as const) {
      mkdirSync(join(dir, name));
      if (pid) writeFileSync(join(dir, name, 'harness.pid'), pid);
    }
    sweepStaleRuns(dir);
    expect(['nsmodel-qemu-dead', 'nsmodel-qemu-live', 'nsmodel-qemu-new', 'other-dead'].map((n) => exists(join(dir, n)))).toEqual([false, true, true, true]);
  });
});
