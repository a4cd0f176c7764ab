// What `--target kernel:PATH` boots: the pieces of the QEMU run as pure functions (the
// initramfs's cpio archive, its /init, the job script run after switch_root, QEMU's command
// line), and the reading of a kernel image's release and of its modules' dependencies.
//
// The guest: one vCPU in software emulation (no /dev/kvm on these machines; two vCPUs made the
// host unstable), the host's root file system shared read-only over virtio-9p with a tmpfs
// overlay for writes, and a second 9p share (the job directory, on the host) that carries the
// job script in and the command's stdout, stderr, exit status and `uname -r` out. The
// initramfs loads that kernel's own 9p, virtio and overlay modules, then `switch_root`s into
// the overlay (not chroot: under chroot `unshare --user` fails with EPERM).

/** One file, directory, symlink or device of a newc cpio archive. */
export interface CpioEntry {
  name: string;
  /** st_mode, type bits included (0o100755 a file, 0o40755 a directory, 0o20600 a char device...). */
  mode: number;
  data?: Uint8Array;
  /** A device's major and minor number. */
  rdev?: [number, number];
}

const te = new TextEncoder();

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/** A newc ("070701") cpio archive of the entries, as the kernel unpacks into its rootfs. */
export function cpioNewc(entries: CpioEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let size = 0;
  const push = (b: Uint8Array): void => {
    parts.push(b);
    size += b.length;
  };
  const pad = (): void => {
    if (size % 4) push(new Uint8Array(4 - (size % 4)));
  };
  let ino = 1;
  for (const e of [...entries, { name: 'TRAILER!!!', mode: 0 }] as CpioEntry[]) {
    const name = te.encode(`${e.name}\0`);
    const data = e.data ?? new Uint8Array(0);
    const [rmaj, rmin] = e.rdev ?? [0, 0];
    const isDir = (e.mode & 0o170000) === 0o040000;
    const fields = [e.name === 'TRAILER!!!' ? 0 : ino++, e.mode, 0, 0, isDir ? 2 : 1, 0, data.length, 0, 0, rmaj, rmin, name.length, 0];
    push(te.encode(`070701${fields.map(hex8).join('')}`));
    push(name);
    pad();
    push(data);
    pad();
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A word quoted for a POSIX shell. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** 9p mount tags of the two shares. */
export const ROOT_TAG = 'nsroot';
export const JOB_TAG = 'nsjob';
/** Where the job share is mounted in the guest (inside the overlay root). */
export const GUEST_JOB_DIR = '/nsmodel-job';

/**
 * The initramfs's /init: load the modules (in the order given, dependencies first), mount the
 * host's root read-only over 9p with a tmpfs overlay on top, mount the job share inside it,
 * and switch_root into it running the job script with the job share's busybox. Every step
 * prints one `nsmodel-init:` line on the console, a failure `nsmodel-init: FAILED ...`.
 */
export function initScript(modules: string[]): string {
  const lines = [
    '#!/bin/busybox sh',
    '/bin/busybox --install -s /bin',
    'export PATH=/bin',
    'fail() { echo "nsmodel-init: FAILED $*"; poweroff -f; sleep 5; }',
    'mount -t devtmpfs dev /dev',
    'mount -t proc proc /proc',
    'echo "nsmodel-init: kernel $(uname -r) up; loading modules"',
    ...modules.map((m) => `insmod /modules/${m} || fail "insmod ${m}"`),
    'mkdir -p /lower /rw /newroot',
    `mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=262144 ${ROOT_TAG} /lower || fail "mount of the host's root over 9p (${ROOT_TAG}): the kernel needs 9p, 9pnet_virtio and virtio_pci, built in or as modules in lib/modules/RELEASE next to the image"`,
    'mount -t tmpfs -o size=1g,mode=0755 rw /rw || fail "tmpfs"',
    'mkdir -p /rw/upper /rw/work',
    'mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work overlay /newroot || fail "overlay mount: the kernel needs overlayfs"',
    `mkdir -p /newroot${GUEST_JOB_DIR}`,
    `mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 ${JOB_TAG} /newroot${GUEST_JOB_DIR} || fail "mount of the job share (${JOB_TAG})"`,
    'umount /proc',
    'umount /dev',
    'echo "nsmodel-init: switch_root"',
    `exec switch_root /newroot ${GUEST_JOB_DIR}/busybox sh ${GUEST_JOB_DIR}/job.sh`,
    'fail "switch_root"',
    '',
  ];
  return lines.join('\n');
}

/**
 * The job script, run as PID 1 (root) in the switched root: mount proc, sys, dev; run
 * argv in cwd with stdout and stderr into the job share; write its status and `uname -r`
 * there; power off.
 */
export function jobScript(argv: string[], cwd: string, env: Record<string, string> = {}): string {
  const b = `${GUEST_JOB_DIR}/busybox`;
  const j = GUEST_JOB_DIR;
  const envLines = Object.entries(env).map(([k, v]) => `export ${k}=${shellQuote(v)}`);
  return [
    'export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8',
    ...envLines,
    `B=${b}`,
    '$B mount -t proc proc /proc',
    '$B mount -t sysfs sys /sys',
    '$B mount -t devtmpfs dev /dev',
    '$B mkdir -p /dev/pts /dev/shm',
    '$B mount -t devpts -o newinstance,ptmxmode=0666 devpts /dev/pts',
    '$B mount -t tmpfs shm /dev/shm',
    '$B mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null',
    '$B hostname nsmodel-guest',
    `$B uname -r > ${j}/release`,
    `echo "nsmodel-job: running in $($B uname -r)"`,
    `if cd ${shellQuote(cwd)} 2> ${j}/stderr; then ${argv.map(shellQuote).join(' ')} > ${j}/stdout 2> ${j}/stderr < /dev/null; fi`,
    `echo $? > ${j}/status.tmp && $B mv ${j}/status.tmp ${j}/status`,
    'echo "nsmodel-job: done"',
    '$B sync',
    '$B poweroff -f',
    '',
  ].join('\n');
}

/** QEMU's arguments: software emulation, one vCPU, the two 9p shares, the console on stdout. */
export function qemuArgs(o: { kernel: string; initrd: string; jobDir: string; memoryMiB?: number; rootDir?: string }): string[] {
  return [
    '-nodefaults',
    '-no-user-config',
    '-accel',
    'tcg',
    '-cpu',
    'max',
    '-smp',
    '1',
    '-m',
    String(o.memoryMiB ?? 2048),
    '-display',
    'none',
    '-monitor',
    'none',
    '-serial',
    'stdio',
    '-no-reboot',
    '-kernel',
    o.kernel,
    '-initrd',
    o.initrd,
    '-append',
    'console=ttyS0 panic=-1 loglevel=3 rdinit=/init',
    '-fsdev',
    `local,id=nsroot,path=${o.rootDir ?? '/'},security_model=none,readonly=on,multidevs=remap`,
    '-device',
    `virtio-9p-pci,fsdev=nsroot,mount_tag=${ROOT_TAG}`,
    '-fsdev',
    `local,id=nsjob,path=${o.jobDir},security_model=none,multidevs=remap`,
    '-device',
    `virtio-9p-pci,fsdev=nsjob,mount_tag=${JOB_TAG}`,
  ];
}

/**
 * The release string of a bzImage (x86 boot protocol: "HdrS" at 0x202, the version string at
 * 0x200 + the 16-bit kernel_version field at 0x20e), or undefined.
 */
export function bzImageRelease(image: Uint8Array): string | undefined {
  if (image.length < 0x210) return undefined;
  const magic = String.fromCharCode(...image.subarray(0x202, 0x206));
  if (magic !== 'HdrS') return undefined;
  const off = image[0x20e] | (image[0x20f] << 8);
  if (!off) return undefined;
  const at = 0x200 + off;
  let end = at;
  while (end < image.length && end < at + 256 && image[end] !== 0 && image[end] !== 0x20) end++;
  const release = new TextDecoder().decode(image.subarray(at, end));
  return release || undefined;
}

/** A module's dependencies, from its .modinfo section's `depends=` string. */
export function moduleDepends(ko: Uint8Array): string[] {
  const needle = te.encode('\0depends=');
  outer: for (let i = 0; i + needle.length < ko.length; i++) {
    for (let k = 0; k < needle.length; k++) if (ko[i + k] !== needle[k]) continue outer;
    let end = i + needle.length;
    while (end < ko.length && ko[end] !== 0) end++;
    const s = new TextDecoder().decode(ko.subarray(i + needle.length, end));
    return s ? s.split(',').map(modName) : [];
  }
  return [];
}

/** A module's canonical name: `9pnet-virtio.ko.xz` → `9pnet_virtio`. */
export function modName(file: string): string {
  return (file.split('/').pop() ?? file).replace(/\.ko(\.(xz|zst|gz))?$/, '').replaceAll('-', '_');
}

/** The modules the guest needs for its root file system, by name. */
export const WANTED_MODULES = ['virtio_pci', '9pnet_virtio', '9p', 'overlay'];

/**
 * The load order of `wanted` and their dependencies (dependencies first), skipping built-in
 * ones and ones this kernel does not have as modules (assumed built in: the boot then says
 * whether the mount worked).
 */
export function moduleLoadOrder(
  wanted: string[],
  available: Set<string>,
  builtin: Set<string>,
  depends: (name: string) => string[],
): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (m: string): void => {
    if (seen.has(m)) return;
    seen.add(m);
    if (builtin.has(m) || !available.has(m)) return;
    for (const d of depends(m)) visit(d);
    order.push(m);
  };
  for (const w of wanted) visit(w);
  return order;
}
