// Runs a command inside a Linux kernel image booted under QEMU (issue 14, `--target
// kernel:PATH`). The pieces (initramfs, scripts, QEMU's arguments) are in initramfs.ts; this
// file finds the tools and the kernel's modules, boots, watches, and cleans up: QEMU is
// killed on timeout and dies with the harness (setpriv --pdeathsig), the temp files go.

import { execFileSync, spawn } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  constants,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  type CpioEntry,
  WANTED_MODULES,
  bzImageRelease,
  cpioNewc,
  initScript,
  jobScript,
  modName,
  moduleDepends,
  moduleLoadOrder,
  qemuArgs,
} from './initramfs.js';
import { TargetUnavailable } from './unavailable.js';

export interface QemuRun {
  status: number;
  stdout: string;
  stderr: string;
  release: string;
}

/** A program on PATH (or an absolute path that is executable), or undefined. */
export function findProgram(name: string): string | undefined {
  const dirs = name.includes('/') ? [''] : (process.env.PATH ?? '/usr/bin:/bin').split(delimiter);
  for (const d of dirs) {
    const p = d ? join(d, name) : name;
    try {
      accessSync(p, constants.X_OK);
      if (statSync(p).isFile()) return p;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

/** The release of a kernel image: its bzImage header's version string, else its file name's `vmlinuz-RELEASE`. */
export function kernelRelease(kernel: string): string | undefined {
  const fd = readFileSync(kernel);
  return bzImageRelease(fd) ?? /^(?:vmlinuz|bzImage)-(.+)$/.exec(basename(kernel))?.[1];
}

/** Where a kernel image's modules are: `lib/modules/RELEASE` of the unpacked package it came from, if there. */
export function modulesDir(kernel: string, release: string | undefined): string | undefined {
  if (!release) return undefined;
  const d = dirname(kernel);
  for (const c of [
    join(d, '..', 'lib', 'modules', release),
    join(d, 'lib', 'modules', release),
    join(d, '..', 'usr', 'lib', 'modules', release),
  ]) {
    if (existsSync(c)) return c;
  }
  return undefined;
}

function readModule(path: string): Uint8Array {
  if (path.endsWith('.ko')) return readFileSync(path);
  if (path.endsWith('.ko.gz')) return gunzipSync(readFileSync(path));
  const tool = path.endsWith('.ko.xz') ? 'xz' : path.endsWith('.ko.zst') ? 'zstd' : undefined;
  if (!tool) throw new TargetUnavailable(`module ${path}: unknown compression`);
  if (!findProgram(tool))
    throw new TargetUnavailable(
      `module ${path} is compressed and ${tool} is not installed (apt-get install ${tool === 'xz' ? 'xz-utils' : 'zstd'})`,
    );
  return execFileSync(tool, ['-dc', path], { maxBuffer: 1 << 28 });
}

function walk(dir: string, out: Map<string, string>): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (/\.ko(\.(xz|zst|gz))?$/.test(e.name)) out.set(modName(e.name), p);
  }
}

/** The modules to load into the initramfs, dependencies first, each as [file name, contents]. */
export function guestModules(dir: string | undefined): Array<[string, Uint8Array]> {
  if (!dir) return [];
  const files = new Map<string, string>();
  walk(join(dir, 'kernel'), files);
  const builtinFile = join(dir, 'modules.builtin');
  const builtin = new Set(existsSync(builtinFile) ? readFileSync(builtinFile, 'utf8').split('\n').filter(Boolean).map(modName) : []);
  const contents = new Map<string, Uint8Array>();
  const load = (m: string): Uint8Array => {
    let c = contents.get(m);
    if (!c) contents.set(m, (c = readModule(files.get(m) as string)));
    return c;
  };
  const order = moduleLoadOrder(WANTED_MODULES, new Set(files.keys()), builtin, (m) => moduleDepends(load(m)));
  return order.map((m, i) => [`${String(i).padStart(2, '0')}-${m}.ko`, load(m)]);
}

/** The initramfs: busybox, /init, /dev/console, the modules. */
export function buildInitramfs(busybox: string, modules: Array<[string, Uint8Array]>): Uint8Array {
  const dir = (name: string): CpioEntry => ({ name, mode: 0o40755 });
  const entries: CpioEntry[] = [
    dir('bin'),
    dir('dev'),
    { name: 'dev/console', mode: 0o20600, rdev: [5, 1] },
    dir('proc'),
    dir('sys'),
    dir('modules'),
    { name: 'bin/busybox', mode: 0o100755, data: readFileSync(busybox) },
    { name: 'init', mode: 0o100755, data: new TextEncoder().encode(initScript(modules.map(([n]) => n))) },
    ...modules.map(([n, data]): CpioEntry => ({ name: `modules/${n}`, mode: 0o100644, data })),
  ];
  return cpioNewc(entries);
}

/**
 * The temp directories of runs whose harness was killed (SIGKILL leaves no time to clean up;
 * QEMU itself died with it): each names its harness's PID in harness.pid, and goes once that
 * process is gone. A directory without the file (a run starting right now) stays.
 */
export function sweepStaleRuns(dir = tmpdir()): void {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.startsWith('nsmodel-qemu-'));
  } catch {
    return;
  }
  for (const n of names) {
    let pid: number;
    try {
      pid = Number.parseInt(readFileSync(join(dir, n, 'harness.pid'), 'utf8'), 10);
    } catch {
      continue;
    }
    if (!(pid > 1) || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
      continue; // its harness is alive
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') continue;
    }
    rmSync(join(dir, n), { recursive: true, force: true });
  }
}

/** The console's last lines for a message: inline when one, else indented below it. */
export function consoleTail(tail: string[], n: number): string {
  const last = tail.slice(-n);
  if (last.length === 0) return ' (the console said nothing)';
  if (last.length === 1) return ` (console: ${last[0].trim()})`;
  return `; the console's last lines:\n${last.map((l) => `  ${l}`).join('\n')}`;
}

const live = new Set<import('node:child_process').ChildProcess>();
let exitHook = false;

/** Boots `kernel`, runs argv as root in cwd inside it, and gives its status, output and the guest's `uname -r`. */
export async function runInQemu(opts: {
  kernel: string;
  argv: string[];
  cwd: string;
  timeoutMs: number;
  onProgress?: (line: string) => void;
}): Promise<QemuRun> {
  const progress = opts.onProgress ?? (() => {});
  if (!existsSync(opts.kernel) || !statSync(opts.kernel).isFile()) throw new TargetUnavailable(`kernel image ${opts.kernel}: no such file`);
  const qemu = findProgram('qemu-system-x86_64');
  if (!qemu) throw new TargetUnavailable('qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)');
  const busybox = ['/usr/bin/busybox', '/bin/busybox'].find((p) => existsSync(p));
  if (!busybox) throw new TargetUnavailable('busybox is not installed (apt-get install busybox-static)');
  if (opts.argv.length === 0) throw new Error('runInQemu: empty argv');

  const release = kernelRelease(opts.kernel);
  const modules = guestModules(modulesDir(opts.kernel, release));
  sweepStaleRuns();
  const work = mkdtempSync(join(tmpdir(), 'nsmodel-qemu-'));
  writeFileSync(join(work, 'harness.pid'), String(process.pid));
  const jobDir = join(work, 'job');
  try {
    const initrd = join(work, 'initramfs.cpio');
    writeFileSync(initrd, buildInitramfs(busybox, modules));
    mkdirSync(jobDir);
    copyFileSync(busybox, join(jobDir, 'busybox'));
    chmodSync(join(jobDir, 'busybox'), 0o755);
    writeFileSync(join(jobDir, 'job.sh'), jobScript(opts.argv, opts.cwd));
    progress(
      `booting ${opts.kernel}${release ? ` (${release})` : ''} under QEMU (software emulation, 1 vCPU), ${modules.length} modules in the initramfs`,
    );
    return await boot(qemu, qemuArgs({ kernel: opts.kernel, initrd, jobDir }), jobDir, opts, progress);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function boot(
  qemu: string,
  args: string[],
  jobDir: string,
  opts: { kernel: string; timeoutMs: number },
  progress: (line: string) => void,
): Promise<QemuRun> {
  const setpriv = findProgram('setpriv');
  const [cmd, argv] = setpriv ? [setpriv, ['--pdeathsig', 'KILL', qemu, ...args]] : [qemu, args];
  const started = Date.now();
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const c of live) c.kill('SIGKILL');
    });
  }
  const tail: string[] = [];
  let pending = '';
  const secs = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const onConsole = (chunk: Buffer): void => {
    pending += chunk.toString('utf8');
    const lines = pending.split(/\r?\n/);
    pending = lines.pop() ?? '';
    for (const raw of lines) {
      const line = raw.replace(/\r/g, '');
      if (!line.trim()) continue;
      tail.push(line);
      if (tail.length > 30) tail.shift();
      if (/^nsmodel-(init|job):/.test(line) || /Kernel panic/.test(line)) progress(`[${secs()}] ${line}`);
    }
  };
  child.stdout.on('data', onConsole);
  child.stderr.on('data', onConsole);
  // The guest command's stderr (its progress lines), forwarded as it grows.
  let errSeen = 0;
  let errPending = '';
  const pollErr = (): void => {
    try {
      const buf = readFileSync(join(jobDir, 'stderr'));
      if (buf.length > errSeen) {
        errPending += buf.subarray(errSeen).toString('utf8');
        errSeen = buf.length;
        const lines = errPending.split('\n');
        errPending = lines.pop() ?? '';
        for (const l of lines) progress(`[${secs()}] guest: ${l}`);
      }
    } catch {
      /* not yet there */
    }
  };
  const poll = setInterval(pollErr, 2000);
  return new Promise<QemuRun>((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    const finish = (err?: Error): void => {
      clearTimeout(timer);
      clearInterval(poll);
      live.delete(child);
      if (err) return reject(err);
      pollErr();
      const statusFile = join(jobDir, 'status');
      if (timedOut) {
        return reject(
          new TargetUnavailable(
            `kernel ${opts.kernel}: the run did not finish within ${Math.round(opts.timeoutMs / 1000)} s (killed)${consoleTail(tail, 8)}`,
          ),
        );
      }
      if (!existsSync(statusFile)) {
        const failed = tail.find((l) => l.startsWith('nsmodel-init: FAILED'));
        const why = failed
          ? failed.replace('nsmodel-init: FAILED ', '')
          : `it stopped before running the job${consoleTail(tail, 12)}`;
        return reject(new TargetUnavailable(`kernel ${opts.kernel} did not boot to the job: ${why}`));
      }
      const read = (f: string): string => {
        try {
          return readFileSync(join(jobDir, f), 'utf8');
        } catch {
          return '';
        }
      };
      progress(`[${secs()}] QEMU exited`);
      resolve({
        status: Number.parseInt(read('status').trim(), 10),
        stdout: read('stdout'),
        stderr: read('stderr'),
        release: read('release').trim(),
      });
    };
    child.on('error', (e) => finish(new TargetUnavailable(`cannot start ${qemu}: ${e.message}`)));
    child.on('exit', () => finish());
  });
}
