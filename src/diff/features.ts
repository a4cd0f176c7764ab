// What this kernel offers for namespaces, for the conformance report: its release, which
// namespace files /proc/self/ns has, whether unprivileged user namespaces are allowed (the
// sysctls that govern them), and the per-type limits of /proc/sys/user.

import { existsSync, readFileSync } from 'node:fs';
import { machine, release, version } from 'node:os';
import { NS_FILES, NS_TYPE_FLAG, nsFileType, type NsFile, type NsType, type Trace } from '../trace/types.js';

export interface KernelFeatures {
  /** `uname -r`. */
  release: string;
  /** `uname -v`. */
  version: string;
  machine: string;
  /** Which of /proc/self/ns/* exist. */
  namespaces: Record<NsFile, boolean>;
  /** Whether an unprivileged process may create a user namespace, and the sysctls that say so. */
  unprivilegedUserns: { allowed: boolean; reason: string };
  /** The sysctls read: `kernel.unprivileged_userns_clone`, `user.max_user_namespaces`, ... (absent ones left out). */
  sysctls: Record<string, number>;
}

function readNumber(path: string): number | undefined {
  try {
    const n = Number(readFileSync(path, 'utf8').trim());
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

export function kernelFeatures(): KernelFeatures {
  const namespaces = {} as Record<NsFile, boolean>;
  for (const f of NS_FILES) namespaces[f] = existsSync(`/proc/self/ns/${f}`);
  const sysctls: Record<string, number> = {};
  const read = (name: string) => {
    const v = readNumber(`/proc/sys/${name.replace(/\./g, '/')}`);
    if (v !== undefined) sysctls[name] = v;
    return v;
  };
  const clone = read('kernel.unprivileged_userns_clone');
  const apparmor = read('kernel.apparmor_restrict_unprivileged_userns');
  const types: NsType[] = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'time', 'user', 'uts'];
  for (const t of types) read(`user.max_${t}_namespaces`);
  const max = sysctls['user.max_user_namespaces'];
  let unprivilegedUserns: KernelFeatures['unprivilegedUserns'];
  if (!namespaces.user) unprivilegedUserns = { allowed: false, reason: 'the kernel has no user namespaces' };
  else if (clone === 0) unprivilegedUserns = { allowed: false, reason: 'kernel.unprivileged_userns_clone = 0' };
  else if (max === 0) unprivilegedUserns = { allowed: false, reason: 'user.max_user_namespaces = 0' };
  else if (apparmor === 1) unprivilegedUserns = { allowed: false, reason: 'kernel.apparmor_restrict_unprivileged_userns = 1' };
  else {
    const why = [clone !== undefined ? `kernel.unprivileged_userns_clone = ${clone}` : '', max !== undefined ? `user.max_user_namespaces = ${max}` : '']
      .filter(Boolean).join(', ');
    unprivilegedUserns = { allowed: true, reason: why || 'no sysctl restricts them' };
  }
  return { release: release(), version: version(), machine: machine(), namespaces, unprivilegedUserns, sysctls };
}

/** Why `trace` cannot be run meaningfully on a kernel with these features, or undefined when it can. */
export function missingFeature(trace: Trace, f: KernelFeatures): string | undefined {
  const needed = new Set<NsType>();
  const flagType = new Map<string, NsType>(Object.entries(NS_TYPE_FLAG).map(([t, flag]) => [flag, t as NsType]));
  for (const s of trace.steps) {
    if (s.op === 'clone' || s.op === 'unshare') for (const fl of s.flags) { const t = flagType.get(fl); if (t) needed.add(t); }
    if (s.op === 'setns' && s.nstype !== 0) for (const fl of Array.isArray(s.nstype) ? s.nstype : [s.nstype]) needed.add(flagType.get(fl)!);
    if (s.op === 'open') needed.add(nsFileType(s.ns));
  }
  for (const file of NS_FILES) {
    if (!f.namespaces[file] && needed.has(nsFileType(file))) return `the kernel has no ${nsFileType(file)} namespaces (/proc/self/ns/${file} is missing)`;
  }
  if (trace.setup.user === 'unprivileged' && needed.has('user') && !f.unprivilegedUserns.allowed) {
    return `unprivileged user namespaces are not allowed here (${f.unprivilegedUserns.reason})`;
  }
  return undefined;
}

/** The features in a few lines for a report's header (no trailing newline). */
export function describeFeatures(f: KernelFeatures): string[] {
  const present = NS_FILES.filter((n) => f.namespaces[n]);
  const absent = NS_FILES.filter((n) => !f.namespaces[n]);
  const limits = Object.entries(f.sysctls).filter(([k]) => k.startsWith('user.max_')).map(([k, v]) => `${k.slice('user.max_'.length, -'_namespaces'.length)} ${v}`);
  return [
    `kernel: Linux ${f.release} ${f.machine} (${f.version})`,
    `namespace files: ${present.join(' ')}${absent.length > 0 ? `; missing: ${absent.join(' ')}` : ' (all)'}`,
    `unprivileged user namespaces: ${f.unprivilegedUserns.allowed ? 'allowed' : 'not allowed'} (${f.unprivilegedUserns.reason})`,
    ...(limits.length > 0 ? [`namespace limits (user.max_*_namespaces): ${limits.join(', ')}`] : []),
  ];
}
