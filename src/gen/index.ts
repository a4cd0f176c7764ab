// fast-check arbitraries for traces that mean something: steps by processes the trace has
// made, descriptors it has opened, the flag combinations the kernel treats differently,
// root and unprivileged setups. They shrink well: a trace is built from a list of step
// "intents" whose label references are indices taken modulo the labels defined so far, so
// dropping a step never leaves a dangling label.
//
// Exported for users' own properties:
//   fc.assert(fc.property(arbTrace(), (t) => ...))

import fc from 'fast-check';
import {
  CLONE_FLAGS, DOCKER_DEFAULT_CAPS, IOCTL_REQUESTS, MAP_FILES, NS_FILES, NS_TYPES, NS_TYPE_FLAG, SECUREBITS, SIGNALS,
  type CapName, type CapsetStep, type MountArgs, type MsFlag,
  type PrctlStep, type SetgroupsStep, type SetresgidStep, type SetresuidStep, type CloneFlag, type IoctlRequest, type MapFile, type NsFile, type NsFlag, type NsType, type Setup, type SignalName,
  type Step, type Trace,
} from '../trace/types.js';
import type { Oracle } from '../trace/oracle.js';

/**
 * Something that knows, while a trace is being built, which processes can still act
 * (src/trace/oracle.ts; the model backend provides one: src/model/oracle.ts). gen itself
 * knows no backend.
 */
export type { Oracle };

export interface TraceOptions {
  /** Steps are made by processes this oracle says are alive (default: any process). */
  oracle?: () => Oracle;
  /** How many steps at most (default 12). */
  maxSteps?: number;
  /** At least this many steps (default 1). */
  minSteps?: number;
  /** Only these namespace types appear in flags, setns types and namespace files (default: all). */
  types?: readonly NsType[];
  /** Fix the setup's user (default: both, root more often). */
  user?: Setup['user'];
  /**
   * Also the ops of docs/TRACE-EXTENSIONS.md — exec with argv, mount_proc, set_pdeathsig,
   * kill (default false: without it, the traces a seed gives are the ones it always gave).
   */
  extensions?: boolean;
  /**
   * Also traces with setup.mounts (about one in four): their steps include the mount ops of
   * docs/TRACE-EXTENSIONS.md, "Mounts" — mkdir, mount (new, bind, rbind, propagation,
   * remount, move), umount, pivot_root, readdir — and unshare(CLONE_NEWNS) more often.
   * Default false (without it, the traces a seed gives are the ones it always gave).
   * `'only'`: every trace is such a trace.
   */
  mounts?: boolean | 'only';
}

/** What a step is meant to do; labels are indices resolved when the trace is built. */
export interface StepIntent {
  /** False: the step is left out. Generated true; fast-check shrinks it to false, which removes any one step. */
  keep: boolean;
  op: Step['op'];
  by: number;
  target: number;
  fd: number;
  flags: CloneFlag[];
  nstype: 0 | NsFlag | NsFlag[];
  ns: NsFile;
  request: IoctlRequest;
  name: string;
  uid: number;
  file: MapFile;
  data: string;
  code: number;
  /** set_pdeathsig, kill (extensions only). */
  signal?: SignalName | 0;
  /** The arguments of a credential op (extensions only). */
  cred?: CredArgs;
  /** The arguments of a mount op (traces with setup.mounts only). */
  mnt?: MountArgs;
}

export type { MountArgs };

/** The paths mount ops name: few, so that they meet (a directory made, then mounted on, bound, unmounted). */
const GEN_PATHS = ['/a', '/b', '/a/b', '/b/a', '/a/a', '/c', '/', '/proc'] as const;
const arbPath = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('/a', '/b', '/a/b') },
  { weight: 3, arbitrary: fc.constantFrom(...GEN_PATHS) },
);
/**
 * Paths from the working directory, and absolute ones through `..`: what chdir and chroot
 * make interesting (a cwd left outside a chroot climbs out with `..`). Never below /proc
 * (validation), and never umount's: a relative `umount -l` could name the root.
 */
const arbAnyPath = fc.oneof(
  { weight: 6, arbitrary: arbPath },
  { weight: 4, arbitrary: fc.constantFrom('a', 'b', '.', '..', 'a/b', '../a', 'a/..', '../..', '/..', '/a/..') },
);
const PROPAGATION: MsFlag[] = ['MS_SHARED', 'MS_PRIVATE', 'MS_SLAVE', 'MS_UNBINDABLE'];
const PER_MOUNT: MsFlag[] = ['MS_RDONLY', 'MS_NOSUID', 'MS_NODEV', 'MS_NOEXEC'];
const withRec = (f: MsFlag[], rec: boolean): MsFlag[] => (rec ? [...f, 'MS_REC'] : f);

/** The mount ops' arguments, weighted toward what changes the tree. */
export const arbMountArgs: fc.Arbitrary<MountArgs> = fc.oneof(
  { weight: 6, arbitrary: arbAnyPath.map((path): MountArgs => ({ op: 'mkdir', path })) },
  { weight: 5, arbitrary: fc.tuple(arbAnyPath, fc.subarray(PER_MOUNT, { maxLength: 2 }))
    .map(([target, flags]): MountArgs => ({ op: 'mount', target, flags, fstype: 'tmpfs' })) },
  { weight: 1, arbitrary: fc.tuple(arbPath, fc.boolean())
    .map(([target, safe]): MountArgs => ({ op: 'mount', target, flags: safe ? ['MS_NOSUID', 'MS_NODEV', 'MS_NOEXEC'] : [], fstype: 'proc' })) },
  { weight: 4, arbitrary: fc.tuple(arbAnyPath, arbAnyPath, fc.boolean())
    .map(([target, source, rec]): MountArgs => ({ op: 'mount', target, flags: withRec(['MS_BIND'], rec), source })) },
  { weight: 5, arbitrary: fc.tuple(arbPath, fc.constantFrom(...PROPAGATION), fc.boolean())
    .map(([target, type, rec]): MountArgs => ({ op: 'mount', target, flags: withRec([type], rec) })) },
  { weight: 2, arbitrary: fc.tuple(arbPath, fc.boolean(), fc.subarray(PER_MOUNT, { maxLength: 2 }))
    .map(([target, bind, flags]): MountArgs => ({ op: 'mount', target, flags: bind ? ['MS_REMOUNT', 'MS_BIND', ...flags] : ['MS_REMOUNT', ...flags] })) },
  { weight: 2, arbitrary: fc.tuple(arbPath, arbPath).map(([target, source]): MountArgs => ({ op: 'mount', target, flags: ['MS_MOVE'], source })) },
  { weight: 1, arbitrary: fc.tuple(arbPath, fc.subarray<MsFlag>(['MS_SHARED', 'MS_SLAVE', 'MS_NOSUID', 'MS_BIND'], { minLength: 2 }))
    .map(([target, flags]): MountArgs => ({ op: 'mount', target, flags })) },
  // never umount -l /: a later setns into the mount namespace would land on the machine's rootfs
  // below the trace's root, which the kernel backend does not let a trace reach (host safety)
  { weight: 4, arbitrary: fc.tuple(arbPath, fc.boolean()).filter(([target, detach]) => !(detach && target === '/'))
    .map(([target, detach]): MountArgs => (detach ? { op: 'umount', target, flags: ['MNT_DETACH'] } : { op: 'umount', target })) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('/a', '/b', '/a/b'), fc.constantFrom('/a/b', '/a/a', '/b/a', '/a', '/c'))
    .map(([new_root, put_old]): MountArgs => ({ op: 'pivot_root', new_root, put_old })) },
  { weight: 2, arbitrary: arbAnyPath.map((path): MountArgs => ({ op: 'readdir', path })) },
  // roots and working directories (docs/TRACE-EXTENSIONS.md, "Roots and working directories")
  { weight: 3, arbitrary: arbAnyPath.map((path): MountArgs => ({ op: 'chdir', path })) },
  { weight: 2, arbitrary: arbAnyPath.map((path): MountArgs => ({ op: 'chroot', path })) },
  { weight: 2, arbitrary: fc.constant<MountArgs>({ op: 'getcwd' }) },
  // the runc idiom: pivot_root(".", ".") in the new root
  { weight: 1, arbitrary: fc.constant<MountArgs>({ op: 'pivot_root', new_root: '.', put_old: '.' }) },
);

/** A step intent of a trace with setup.mounts: mount ops, unshare -m, and everything else. */
export function arbMountStepIntent(types: readonly NsType[] = NS_TYPES): fc.Arbitrary<StepIntent> {
  const newns: CloneFlag[][] = [['CLONE_NEWNS'], ['CLONE_NEWNS', 'CLONE_NEWUSER']];
  return fc.oneof(
    { weight: 4, arbitrary: arbExtendedStepIntent(types) },
    { weight: 5, arbitrary: fc.tuple(arbStepIntent(types), arbMountArgs).map(([s, mnt]) => ({ ...s, op: mnt.op, mnt })) },
    { weight: 1, arbitrary: fc.tuple(arbStepIntent(types), fc.constantFrom(...newns), fc.constantFrom<Step['op']>('unshare', 'clone'))
      .map(([s, flags, op]) => ({ ...s, op, flags })) },
  );
}

/** A credential step without its `by`. */
export type CredArgs =
  | Omit<SetresuidStep, 'by'> | Omit<SetresgidStep, 'by'> | Omit<SetgroupsStep, 'by'> | Omit<CapsetStep, 'by'>
  | Omit<PrctlStep, 'by'>;

/** The capabilities the model's checks use, and a few it does not: what credential ops name. */
const GEN_CAPS: CapName[] = [
  'CAP_SYS_ADMIN', 'CAP_SETUID', 'CAP_SETGID', 'CAP_SETPCAP', 'CAP_KILL', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE',
  'CAP_DAC_OVERRIDE', 'CAP_SETFCAP', 'CAP_CHOWN',
];

/**
 * p0's capabilities in a generated trace with credential ops (setup.caps): Docker's default
 * set, with CAP_SYS_ADMIN, the capabilities the model's checks use — never all 41, so that a
 * machine whose harness lacks one (CAP_SYS_RESOURCE, say) runs them all the same.
 */
export const GEN_CAP_PRESETS: readonly CapName[][] = [
  // the first is what shrinking goes to: the most capable, so that a shrunk trace keeps only
  // the steps its divergence needs
  GEN_CAPS,
  [...DOCKER_DEFAULT_CAPS, 'CAP_SYS_ADMIN'],
  [...DOCKER_DEFAULT_CAPS],
  GEN_CAPS.filter((c) => c !== 'CAP_SETPCAP'),
];

const arbCapList: fc.Arbitrary<CapName[]> = fc.subarray(GEN_CAPS, { maxLength: 4 });
const arbResId = fc.constantFrom(-1, -1, 0, 1000, 2000);
const arbCredArgs: fc.Arbitrary<CredArgs> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('setresuid' as const), ruid: arbResId, euid: arbResId, suid: arbResId }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('setresgid' as const), rgid: arbResId, egid: arbResId, sgid: arbResId }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('setgroups' as const), groups: fc.subarray([0, 10, 1000]) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('capset' as const), effective: arbCapList, permitted: arbCapList, inheritable: arbCapList }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('prctl' as const), option: fc.constantFrom('PR_CAPBSET_DROP' as const, 'PR_CAP_AMBIENT_RAISE' as const, 'PR_CAP_AMBIENT_LOWER' as const), cap: fc.constantFrom(...GEN_CAPS) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('prctl' as const), option: fc.constantFrom('PR_SET_KEEPCAPS' as const, 'PR_SET_DUMPABLE' as const), value: fc.constantFrom(0 as const, 1 as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('prctl' as const), option: fc.constantFrom('PR_CAP_AMBIENT_CLEAR_ALL' as const, 'PR_SET_NO_NEW_PRIVS' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('prctl' as const), option: fc.constant('PR_SET_SECUREBITS' as const), bits: fc.subarray([...SECUREBITS]) }) },
);

const OTHER_FLAGS: CloneFlag[] = ['CLONE_THREAD', 'CLONE_SIGHAND', 'CLONE_FS', 'CLONE_FILES', 'CLONE_SYSVSEM', 'CLONE_PARENT'];

function nsFlagsOf(types: readonly NsType[]): NsFlag[] {
  return types.map((t) => NS_TYPE_FLAG[t]);
}

function nsFilesOf(types: readonly NsType[]): NsFile[] {
  return NS_FILES.filter((f) => types.includes(f === 'pid_for_children' ? 'pid' : f === 'time_for_children' ? 'time' : f));
}

/** Flag lists: mostly one or two CLONE_NEW* flags, sometimes the others that change outcomes. */
export function arbFlags(types: readonly NsType[] = NS_TYPES): fc.Arbitrary<CloneFlag[]> {
  const ns = nsFlagsOf(types);
  const one = fc.constantFrom(...ns);
  const sorted = (fs: CloneFlag[]) => [...new Set(fs)].sort((a, b) => CLONE_FLAGS[a] - CLONE_FLAGS[b]);
  const several = ns.length >= 2
    ? [{ weight: 3, arbitrary: fc.uniqueArray(one, { minLength: 2, maxLength: Math.min(3, ns.length) }).map(sorted) }]
    : [];
  return fc.oneof(
    { weight: 5, arbitrary: one.map((f) => [f] as CloneFlag[]) },
    ...several,
    { weight: 1, arbitrary: fc.constant([] as CloneFlag[]) },
    { weight: 2, arbitrary: fc.tuple(fc.subarray(ns, { maxLength: Math.min(2, ns.length) }), fc.subarray(OTHER_FLAGS, { minLength: 1, maxLength: 2 }))
      .map(([a, b]) => sorted([...a, ...b])) },
    // everything at once, as a container runtime does
    ...(ns.includes('CLONE_NEWUSER') ? [{ weight: 1, arbitrary: fc.constant<CloneFlag[]>(sorted([...ns])) }] : []),
  );
}

const arbHostname: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('box', 'guest', 'anotherbox', 'c1', 'host', '') },
  { weight: 2, arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/) },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(64), 'y'.repeat(65), 'é'.repeat(32), 'é'.repeat(33)) },
);

const arbMapData: fc.Arbitrary<{ file: MapFile; data: string }> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ file: fc.constant<MapFile>('uid_map'), data: fc.constantFrom('0 1000 1', '0 0 1', '0 1000 1\n', '1000 1000 1', '0 1000 2', '0 0 4294967295', '0 65534 1', '5 1000 1', 'x', '') }) },
  { weight: 4, arbitrary: fc.record({ file: fc.constant<MapFile>('gid_map'), data: fc.constantFrom('0 1000 1', '0 0 1', '1000 1000 1', '0 1000 2', '0 0 1\n1 1 1') }) },
  { weight: 3, arbitrary: fc.record({ file: fc.constant<MapFile>('setgroups'), data: fc.constantFrom('deny', 'allow', 'deny\n', 'maybe') }) },
);

/** A step intent that may also be one of the extension ops (docs/TRACE-EXTENSIONS.md). */
export function arbExtendedStepIntent(types: readonly NsType[] = NS_TYPES): fc.Arbitrary<StepIntent> {
  const signals = [0, ...Object.keys(SIGNALS)] as (SignalName | 0)[];
  return fc.oneof(
    { weight: 6, arbitrary: arbStepIntent(types) },
    { weight: 1, arbitrary: fc.tuple(arbStepIntent(types), fc.constantFrom<Step['op']>('mount_proc', 'set_pdeathsig', 'kill', 'kill', 'exec'),
      fc.constantFrom(...signals)).map(([s, op, signal]) => ({ ...s, op, signal })) },
    { weight: 2, arbitrary: fc.tuple(arbStepIntent(types), arbCredArgs).map(([s, cred]) => ({ ...s, op: cred.op, cred })) },
  );
}

/** One step intent; `types` restricts the namespace types it touches. */
export function arbStepIntent(types: readonly NsType[] = NS_TYPES): fc.Arbitrary<StepIntent> {
  const nsFlags = nsFlagsOf(types);
  const nsFiles = nsFilesOf(types);
  const op = fc.oneof(
    { weight: 10, arbitrary: fc.constant<Step['op']>('fork') },
    { weight: 8, arbitrary: fc.constant<Step['op']>('clone') },
    { weight: 12, arbitrary: fc.constant<Step['op']>('unshare') },
    { weight: 8, arbitrary: fc.constant<Step['op']>('setns') },
    { weight: 8, arbitrary: fc.constant<Step['op']>('open') },
    { weight: 3, arbitrary: fc.constant<Step['op']>('pidfd_open') },
    { weight: 2, arbitrary: fc.constant<Step['op']>('close') },
    { weight: 5, arbitrary: fc.constant<Step['op']>('ioctl') },
    { weight: 3, arbitrary: fc.constant<Step['op']>('exec') },
    { weight: 4, arbitrary: fc.constant<Step['op']>('exit') },
    { weight: 4, arbitrary: fc.constant<Step['op']>('wait') },
    { weight: 3, arbitrary: fc.constantFrom<Step['op']>('sethostname', 'setdomainname') },
    { weight: 3, arbitrary: fc.constantFrom<Step['op']>('gethostname', 'getdomainname') },
    { weight: 3, arbitrary: fc.constantFrom<Step['op']>('getpid', 'getppid') },
    { weight: 2, arbitrary: fc.constant<Step['op']>('setuid') },
    { weight: 5, arbitrary: fc.constant<Step['op']>('write_map') },
    { weight: 2, arbitrary: fc.constant<Step['op']>('thread') },
    { weight: 1, arbitrary: fc.constant<Step['op']>('observe') },
  );
  const nstype: fc.Arbitrary<0 | NsFlag | NsFlag[]> = fc.oneof(
    { weight: 4, arbitrary: fc.constant<0>(0) },
    { weight: 4, arbitrary: fc.constantFrom(...nsFlags) },
    { weight: 2, arbitrary: fc.uniqueArray(fc.constantFrom(...nsFlags), { minLength: 1, maxLength: 3 }) },
  );
  return fc.record({
    // 1 in 25 left out; integers shrink toward 0, so while shrinking any step can be dropped
    keep: fc.nat(24).map((n) => n !== 0),
    op,
    by: fc.nat(7),
    target: fc.nat(7),
    fd: fc.nat(7),
    flags: arbFlags(types),
    nstype,
    ns: fc.constantFrom(...nsFiles),
    request: fc.constantFrom(...IOCTL_REQUESTS),
    name: arbHostname,
    uid: fc.constantFrom(0, 1000, 65534, 4242, 4294967294),
    map: arbMapData,
    code: fc.nat(3),
  }).map(({ map, ...s }) => ({ ...s, ...map }));
}

/**
 * Build a trace from intents: processes and descriptors are referred to by index modulo the
 * labels defined so far (the most recent more often, since `by` favours small numbers counted
 * from the newest), so every label is defined before it is used. p0 exits only as the last
 * step (its exit kills everything, which would leave the rest of the trace dead).
 */
export function buildTrace(setup: Setup, intents: readonly StepIntent[], name = 'generated', oracle?: Oracle): Trace {
  const procs = ['p0'];
  oracle?.reset(setup);
  const fds: string[] = [];
  let nextProc = 1;
  let nextFd = 1;
  const pick = (list: string[], i: number) => list[list.length - 1 - (i % list.length)];
  const steps: Step[] = [];
  const kept = intents.filter((s) => s.keep);
  for (let n = 0; n < kept.length; n++) {
    const s = kept[n];
    let by = pick(procs, s.by);
    if (oracle && !oracle.alive(by)) {
      const live = procs.filter((p) => oracle.alive(p));
      if (live.length === 0) break;
      by = pick(live, s.by);
    }
    const before = steps.length;
    const target = pick(procs, s.target);
    // a descriptor op with no descriptor yet opens one instead
    const needsFd = s.op === 'setns' || s.op === 'close' || s.op === 'ioctl';
    const op = needsFd && fds.length === 0 ? 'open' : s.op;
    switch (op) {
      case 'fork': { const as = `c${nextProc++}`; procs.push(as); steps.push({ by, op, as }); break; }
      case 'clone': { const as = `c${nextProc++}`; procs.push(as); steps.push({ by, op, flags: s.flags, as }); break; }
      case 'unshare': steps.push({ by, op, flags: s.flags }); break;
      case 'setns': steps.push({ by, op, fd: pick(fds, s.fd), nstype: s.nstype }); break;
      case 'open': { const as = `f${nextFd++}`; fds.push(as); steps.push({ by, op, target, ns: s.ns, as }); break; }
      case 'pidfd_open': { const as = `f${nextFd++}`; fds.push(as); steps.push({ by, op, target, as }); break; }
      case 'close': steps.push({ by, op, fd: pick(fds, s.fd) }); break;
      case 'ioctl': {
        const fd = pick(fds, s.fd);
        if (s.request === 'NS_GET_USERNS' || s.request === 'NS_GET_PARENT') {
          const as = `f${nextFd++}`;
          fds.push(as);
          steps.push({ by, op, fd, request: s.request, as });
        } else {
          steps.push({ by, op, fd, request: s.request });
        }
        break;
      }
      case 'exit':
        // p0's exit ends the trace's world: only as the last step, so that traces stay alive
        if (by === 'p0' && n < kept.length - 1) {
          const others = procs.filter((p) => p !== 'p0' && (!oracle || oracle.alive(p)));
          if (others.length === 0) { steps.push({ by, op: 'getpid' }); break; }
          by = others[others.length - 1];
        }
        steps.push(s.code === 0 ? { by, op } : { by, op, code: s.code });
        break;
      case 'sethostname': case 'setdomainname': steps.push({ by, op, name: s.name }); break;
      case 'setuid': steps.push({ by, op, uid: s.uid }); break;
      case 'write_map': steps.push({ by, op, target, file: s.file, data: s.data }); break;
      case 'exec':
        // an exec intent from the extended arbitrary carries a signal field: it names a program
        steps.push(s.signal === undefined ? { by, op } : { by, op, argv: [`prog${n}`, 'arg'] });
        break;
      case 'wait': case 'gethostname': case 'getdomainname': case 'getpid': case 'getppid':
      case 'thread': case 'observe': case 'mount_proc':
        steps.push({ by, op });
        break;
      case 'set_pdeathsig': steps.push({ by, op, signal: s.signal ?? 'SIGKILL' }); break;
      case 'kill': steps.push({ by, op, target, signal: s.signal ?? 'SIGTERM' }); break;
      case 'setresuid': case 'setresgid': case 'setgroups': case 'capset': case 'prctl':
        if (s.cred) steps.push({ by, ...s.cred } as Step);
        break;
      case 'mkdir': case 'mount': case 'umount': case 'pivot_root': case 'readdir': case 'chdir': case 'chroot': case 'getcwd':
        // only in a trace with mounts (validation would make any other one a mounts trace)
        if (s.mnt && setup.mounts) steps.push({ by, ...s.mnt } as Step);
        break;
    }
    if (oracle && steps.length > before) oracle.run(steps[steps.length - 1]);
  }
  return { nsmodel: 1, name, setup, steps };
}

export function arbSetup(user?: Setup['user']): fc.Arbitrary<Setup> {
  return fc.record({
    user: user ? fc.constant(user) : fc.oneof({ withCrossShrink: true }, { weight: 3, arbitrary: fc.constant<Setup['user']>('root') }, { weight: 2, arbitrary: fc.constant<Setup['user']>('unprivileged') }),
    hostname: fc.constantFrom('host', 'box', 'localhost'),
  });
}

/** Traces that mean something (see the top of this file). */
export function arbTrace(options: TraceOptions = {}): fc.Arbitrary<Trace> {
  const types = options.types && options.types.length > 0 ? options.types : NS_TYPES;
  const plain = fc.tuple(
    arbSetup(options.user),
    fc.array(options.extensions ? arbExtendedStepIntent(types) : arbStepIntent(types),
      { minLength: options.minSteps ?? 1, maxLength: options.maxSteps ?? 12 }),
    // only with the extensions: v1 traces stay the ones a seed always gave
    options.extensions ? fc.nat(GEN_CAP_PRESETS.length - 1) : fc.constant(0),
  ).map(([setup0, intents, preset]) => {
    // credential ops: p0 starts from one of the presets, and snapshots show credentials
    const creds = intents.some((s) => s.keep && s.cred !== undefined);
    const setup = creds ? { ...setup0, caps: [...GEN_CAP_PRESETS[preset]], creds: true } : setup0;
    return buildTrace(setup, intents, 'generated', options.oracle?.());
  });
  if (!options.mounts) return plain;
  // about one trace in four runs on a root of its own, with mount ops
  const mounts = fc.tuple(
    arbSetup(options.user),
    fc.array(arbMountStepIntent(types), { minLength: options.minSteps ?? 1, maxLength: options.maxSteps ?? 12 }),
    fc.nat(GEN_CAP_PRESETS.length - 1),
  ).map(([setup0, intents, preset]) => {
    const creds = intents.some((s) => s.keep && s.cred !== undefined);
    const setup: Setup = { ...setup0, ...(creds ? { caps: [...GEN_CAP_PRESETS[preset]], creds: true } : {}), mounts: true };
    return buildTrace(setup, intents, 'generated', options.oracle?.());
  });
  if (options.mounts === 'only') return mounts;
  // withCrossShrink: a divergence that needs no mount op shrinks to a trace without mounts
  return fc.oneof({ withCrossShrink: true }, { weight: 3, arbitrary: plain }, { weight: 1, arbitrary: mounts });
}

/** Parse a `--types pid,user` list; throws on an unknown type. */
export function parseTypes(list: string): NsType[] {
  const out: NsType[] = [];
  for (const t of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!(NS_TYPES as readonly string[]).includes(t)) throw new Error(`unknown namespace type '${t}' (one of ${NS_TYPES.join(', ')})`);
    out.push(t as NsType);
  }
  return out;
}

export { MAP_FILES };
