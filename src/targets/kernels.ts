// Kernel images for `--target kernel:PATH`: Debian's unsigned kernel packages, got with
// `apt-get download` and unpacked with `dpkg-deb -x` into a cache directory — never
// installed on the host. `linux-6.1` is bookworm's LTS kernel, `linux-6.12` bookworm-backports'.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { findProgram } from './qemu.js';
import { TargetUnavailable } from './unavailable.js';

/** The kernels `nsmodel target fetch` knows: each a Debian package name pattern (the newest ABI wins). */
export const KERNELS: Record<string, { pattern: RegExp; prefix: string; what: string }> = {
  'linux-6.1': {
    pattern: /^linux-image-6\.1\.0-(\d+)-amd64-unsigned$/,
    prefix: 'linux-image-6.1.0-',
    what: "Debian bookworm's 6.1 LTS kernel (linux-image-6.1.0-*-amd64-unsigned)",
  },
  'linux-6.12': {
    pattern: /^linux-image-6\.12\.(\d+)\+deb12-amd64-unsigned$/,
    prefix: 'linux-image-6.12.',
    what: "bookworm-backports' 6.12 kernel (linux-image-6.12.*+deb12-amd64-unsigned)",
  },
};

/** What a fetched kernel's directory records about itself (nsmodel-kernel.json). */
export interface FetchedKernel {
  name: string;
  package: string;
  version: string;
  release: string;
  vmlinuz: string;
  fetched: string;
}

/** The cache of fetched kernels: $NSMODEL_CACHE/kernels, else $XDG_CACHE_HOME/nsmodel/kernels, else ~/.cache/nsmodel/kernels. */
export function kernelCache(): string {
  const base = process.env.NSMODEL_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'nsmodel');
  return join(base, 'kernels');
}

/** A fetched kernel by name, or undefined. */
export function fetchedKernel(name: string): FetchedKernel | undefined {
  try {
    const k = JSON.parse(readFileSync(join(kernelCache(), name, 'nsmodel-kernel.json'), 'utf8')) as FetchedKernel;
    return existsSync(k.vmlinuz) ? k : undefined;
  } catch {
    return undefined;
  }
}

/** The fetched kernels. */
export function listKernels(): FetchedKernel[] {
  const dir = kernelCache();
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((n) => fetchedKernel(n))
    .filter((k): k is FetchedKernel => k !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** `--target kernel:X`: a path to an image, or the name of a fetched kernel (`linux-6.1`). */
export function resolveKernel(spec: string): string {
  if (Object.hasOwn(KERNELS, spec)) {
    const k = fetchedKernel(spec);
    if (!k) throw new TargetUnavailable(`kernel ${spec} is not fetched (nsmodel target fetch ${spec})`);
    return k.vmlinuz;
  }
  return spec;
}

/** The newest package of `name` apt knows, by its ABI number. */
export function newestPackage(names: string[], pattern: RegExp): string | undefined {
  let best: [number, string] | undefined;
  for (const n of names) {
    const m = pattern.exec(n);
    if (m && (!best || Number(m[1]) > best[0])) best = [Number(m[1]), n];
  }
  return best?.[1];
}

function run(cmd: string, args: string[], cwd?: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    const lines = (err.stderr || err.message).split('\n').filter((l) => l.trim() && !l.startsWith('W: Download is performed unsandboxed'));
    throw new TargetUnavailable(`${cmd} ${args.join(' ')}: ${lines.slice(-2).join(' ') || 'failed'}`);
  }
}

/** Download and unpack a kernel (not installed: only unpacked into the cache); gives its record. */
export function fetchKernel(name: string, progress: (line: string) => void = () => {}): FetchedKernel {
  const spec = KERNELS[name];
  if (!spec) throw new Error(`unknown kernel ${name}`);
  for (const tool of ['apt-cache', 'apt-get', 'dpkg-deb']) {
    if (!findProgram(tool))
      throw new TargetUnavailable(
        `${tool} is not installed: fetching a kernel needs Debian's apt (or unpack a kernel yourself and give its path: --target kernel:PATH)`,
      );
  }
  const names = run('apt-cache', ['pkgnames', spec.prefix]).split('\n');
  const pkg = newestPackage(names, spec.pattern);
  if (!pkg)
    throw new TargetUnavailable(
      `apt knows no package for ${name} (${spec.what}); is the apt source for it configured and 'apt-get update' run?`,
    );
  const cache = kernelCache();
  mkdirSync(cache, { recursive: true });
  const tmp = mkdtempSync(join(cache, `.${name}-`));
  try {
    progress(`downloading ${pkg}`);
    run('apt-get', ['download', '-o', 'APT::Sandbox::User=root', pkg], tmp);
    const deb = readdirSync(tmp).find((f) => f.endsWith('.deb'));
    if (!deb) throw new TargetUnavailable(`apt-get download ${pkg} gave no .deb`);
    const version = run('dpkg-deb', ['-f', join(tmp, deb), 'Version']).trim();
    const root = join(tmp, 'root');
    progress(`unpacking ${deb}`);
    run('dpkg-deb', ['-x', join(tmp, deb), root]);
    rmSync(join(tmp, deb));
    const image = readdirSync(join(root, 'boot')).find((f) => f.startsWith('vmlinuz-'));
    if (!image) throw new TargetUnavailable(`${pkg} has no boot/vmlinuz-*`);
    const release = image.slice('vmlinuz-'.length);
    const dest = join(cache, name);
    const record: FetchedKernel = {
      name,
      package: pkg,
      version,
      release,
      vmlinuz: join(dest, 'boot', image),
      fetched: new Date().toISOString(),
    };
    writeFileSync(join(root, 'nsmodel-kernel.json'), `${JSON.stringify(record, null, 2)}\n`);
    rmSync(dest, { recursive: true, force: true });
    renameSync(root, dest);
    return record;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
