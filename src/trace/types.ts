// The trace format, version 1 (TRACE.md). Types only: validation lives in validate.ts,
// the canonical snapshot in canonical.ts.

/** Namespace types, alphabetical (the order of the snapshot's `namespaces`). */
export const NS_TYPES = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'time', 'user', 'uts'] as const;
export type NsType = (typeof NS_TYPES)[number];

/** Namespace files of /proc/<pid>/ns, in the order TRACE.md numbers them. */
export const NS_FILES = [
  'cgroup', 'ipc', 'mnt', 'net', 'pid', 'pid_for_children',
  'time', 'time_for_children', 'user', 'uts',
] as const;
export type NsFile = (typeof NS_FILES)[number];

/** The namespace type a namespace file refers to. */
export function nsFileType(file: NsFile): NsType {
  if (file === 'pid_for_children') return 'pid';
  if (file === 'time_for_children') return 'time';
  return file;
}

/** Linux's values of the CLONE_NEW* flags. */
export const CLONE_NEW = {
  CLONE_NEWCGROUP: 0x02000000,
  CLONE_NEWIPC: 0x08000000,
  CLONE_NEWNET: 0x40000000,
  CLONE_NEWNS: 0x00020000,
  CLONE_NEWPID: 0x20000000,
  CLONE_NEWTIME: 0x00000080,
  CLONE_NEWUSER: 0x10000000,
  CLONE_NEWUTS: 0x04000000,
} as const;
export type NsFlag = keyof typeof CLONE_NEW;

/** Every flag a trace may name (TRACE.md: "nothing else"), with Linux's values. */
export const CLONE_FLAGS = {
  ...CLONE_NEW,
  CLONE_THREAD: 0x00010000,
  CLONE_SIGHAND: 0x00000800,
  CLONE_FS: 0x00000200,
  CLONE_FILES: 0x00000400,
  CLONE_SYSVSEM: 0x00040000,
  CLONE_PARENT: 0x00008000,
} as const;
export type CloneFlag = keyof typeof CLONE_FLAGS;

/** The CLONE_NEW* flag of each namespace type. */
export const NS_TYPE_FLAG: Record<NsType, NsFlag> = {
  cgroup: 'CLONE_NEWCGROUP', ipc: 'CLONE_NEWIPC', mnt: 'CLONE_NEWNS', net: 'CLONE_NEWNET',
  pid: 'CLONE_NEWPID', time: 'CLONE_NEWTIME', user: 'CLONE_NEWUSER', uts: 'CLONE_NEWUTS',
};

export const IOCTL_REQUESTS = ['NS_GET_USERNS', 'NS_GET_PARENT', 'NS_GET_NSTYPE', 'NS_GET_OWNER_UID'] as const;
export type IoctlRequest = (typeof IOCTL_REQUESTS)[number];

export const MAP_FILES = ['uid_map', 'gid_map', 'setgroups'] as const;
export type MapFile = (typeof MAP_FILES)[number];

/**
 * The signals a trace may name (docs/TRACE-EXTENSIONS.md), with Linux's numbers (the same on
 * x86-64 and arm64). Each one's default action ends the process; `0` (no signal) is allowed
 * where the call takes it: `kill` then only checks, `set_pdeathsig` clears.
 */
export const SIGNALS = {
  SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGUSR1: 10, SIGUSR2: 12, SIGTERM: 15,
} as const;
export type SignalName = keyof typeof SIGNALS;

/**
 * The 41 capabilities of Linux 6.18, in the kernel's numbering (the index is the bit:
 * include/uapi/linux/capability.h). docs/TRACE-EXTENSIONS.md, "Credentials and capabilities".
 */
export const CAPS = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE', 'CAP_NET_BROADCAST', 'CAP_NET_ADMIN',
  'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE', 'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE', 'CAP_SYS_PACCT', 'CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_NICE', 'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME', 'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE', 'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG', 'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
] as const;
export type CapName = (typeof CAPS)[number];

/** Docker's default capability set (moby oci/caps/defaults.go): 14 capabilities. */
export const DOCKER_DEFAULT_CAPS: readonly CapName[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];

/** The securebits a trace may name (include/uapi/linux/securebits.h), the index is the bit. */
export const SECUREBITS = [
  'SECBIT_NOROOT', 'SECBIT_NOROOT_LOCKED', 'SECBIT_NO_SETUID_FIXUP', 'SECBIT_NO_SETUID_FIXUP_LOCKED',
  'SECBIT_KEEP_CAPS', 'SECBIT_KEEP_CAPS_LOCKED', 'SECBIT_NO_CAP_AMBIENT_RAISE', 'SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED',
] as const;
export type SecurebitName = (typeof SECUREBITS)[number];

/** The prctl options of the `prctl` op, with what each takes. */
export const PRCTL_OPTIONS = [
  'PR_CAPBSET_DROP', 'PR_CAP_AMBIENT_RAISE', 'PR_CAP_AMBIENT_LOWER', 'PR_CAP_AMBIENT_CLEAR_ALL',
  'PR_SET_KEEPCAPS', 'PR_SET_SECUREBITS', 'PR_SET_NO_NEW_PRIVS', 'PR_SET_DUMPABLE',
] as const;
export type PrctlOption = (typeof PRCTL_OPTIONS)[number];

/** The ops of credentials and capabilities: a trace using one shows credentials in its snapshots. */
export const CRED_OPS = ['setresuid', 'setresgid', 'setgroups', 'capset', 'prctl'] as const;

/** The mount flags a trace may name (docs/TRACE-EXTENSIONS.md, "Mounts"), with Linux's values. */
export const MS_FLAGS = {
  MS_RDONLY: 1, MS_NOSUID: 2, MS_NODEV: 4, MS_NOEXEC: 8, MS_REMOUNT: 32, MS_BIND: 4096, MS_MOVE: 8192,
  MS_REC: 16384, MS_UNBINDABLE: 1 << 17, MS_PRIVATE: 1 << 18, MS_SLAVE: 1 << 19, MS_SHARED: 1 << 20,
} as const;
export type MsFlag = keyof typeof MS_FLAGS;

/** umount2's flags a trace may name. */
export const UMOUNT_FLAGS = { MNT_DETACH: 2 } as const;
export type UmountFlag = keyof typeof UMOUNT_FLAGS;

/** The filesystem types a trace may mount. */
export const FSTYPES = ['tmpfs', 'proc'] as const;
export type FsType = (typeof FSTYPES)[number];
/**
 * The filesystem types a snapshot may show: those, and `rootfs`, the machine's root below the
 * trace's own `/`, which a process sees again after `umount -l /` and a `setns` into its mount
 * namespace (mntns_install() looks the root up from the namespace's first mount).
 */
export type SnapshotFsType = FsType | 'rootfs';

/** The ops of mounts: a trace using one runs on a root of its own and shows mounts in its snapshots. */
export const MOUNT_OPS = ['mkdir', 'mount', 'umount', 'pivot_root', 'readdir', 'chdir', 'chroot', 'getcwd'] as const;

export interface Setup {
  /** `root`: uid 0 with every capability; `unprivileged`: uid/gid 1000, no capabilities. */
  user: 'root' | 'unprivileged';
  hostname: string;
  /**
   * Extension: p0's bounding set — for `root` also its permitted and effective sets
   * (default: all 41). Setting it shows credentials in snapshots.
   */
  caps?: CapName[];
  /** Extension: snapshots show each process's credentials (`creds`). Implied by caps or a credential op. */
  creds?: boolean;
  /**
   * Extension: the trace runs on a root of its own (a tmpfs `/` and a procfs `/proc`, both
   * shared) and snapshots show each mount namespace's mounts. Implied by a mount op.
   */
  mounts?: boolean;
}

export const DEFAULT_SETUP: Setup = { user: 'root', hostname: 'localhost' };

interface StepBase { by: string }
export interface ForkStep extends StepBase { op: 'fork'; as: string }
export interface CloneStep extends StepBase { op: 'clone'; flags: CloneFlag[]; as: string }
export interface UnshareStep extends StepBase { op: 'unshare'; flags: CloneFlag[] }
export interface SetnsStep extends StepBase { op: 'setns'; fd: string; nstype: 0 | NsFlag | NsFlag[] }
export interface OpenStep extends StepBase { op: 'open'; target: string; ns: NsFile; as: string }
export interface PidfdOpenStep extends StepBase { op: 'pidfd_open'; target: string; as: string }
export interface CloseStep extends StepBase { op: 'close'; fd: string }
export interface IoctlStep extends StepBase { op: 'ioctl'; fd: string; request: IoctlRequest; as?: string }
/** `argv`: the program's command line (display only: /proc/<pid>/cmdline, ps, lsns). */
export interface ExecStep extends StepBase { op: 'exec'; argv?: string[] }
export interface ExitStep extends StepBase { op: 'exit'; code?: number }
export interface WaitStep extends StepBase { op: 'wait' }
export interface SetNameStep extends StepBase { op: 'sethostname' | 'setdomainname'; name: string }
export interface GetNameStep extends StepBase { op: 'gethostname' | 'getdomainname' }
export interface GetPidStep extends StepBase { op: 'getpid' | 'getppid' }
export interface SetuidStep extends StepBase { op: 'setuid'; uid: number }
export interface WriteMapStep extends StepBase { op: 'write_map'; target: string; file: MapFile; data: string }
export interface ThreadStep extends StepBase { op: 'thread' }
export interface ObserveStep extends StepBase { op: 'observe' }
/** mount("proc", "/proc", "proc", MS_NOSUID|MS_NODEV|MS_NOEXEC): a procfs of the caller's active PID namespace on /proc. */
export interface MountProcStep extends StepBase { op: 'mount_proc' }
/** prctl(PR_SET_PDEATHSIG, signal). */
export interface SetPdeathsigStep extends StepBase { op: 'set_pdeathsig'; signal: SignalName | 0 }
/** kill(pid of target as the caller sees it, signal). */
export interface KillStep extends StepBase { op: 'kill'; target: string; signal: SignalName | 0 }
/** setresuid(ruid, euid, suid): -1 or an absent field leaves that id. */
export interface SetresuidStep extends StepBase { op: 'setresuid'; ruid?: number; euid?: number; suid?: number }
export interface SetresgidStep extends StepBase { op: 'setresgid'; rgid?: number; egid?: number; sgid?: number }
export interface SetgroupsStep extends StepBase { op: 'setgroups'; groups: number[] }
/** capset() of the caller's own sets. */
export interface CapsetStep extends StepBase { op: 'capset'; effective: CapName[]; permitted: CapName[]; inheritable: CapName[] }
/** prctl(): `cap` for the bounding/ambient options, `value` (0 or 1) for KEEPCAPS and DUMPABLE, `bits` for SECUREBITS. */
export interface PrctlStep extends StepBase { op: 'prctl'; option: PrctlOption; cap?: CapName; value?: 0 | 1; bits?: SecurebitName[] }

/** mkdir(path, 0777). */
export interface MkdirStep extends StepBase { op: 'mkdir'; path: string }
/** mount(source, target, fstype, flags, NULL): source is the path, else the fstype's name, else "none". */
export interface MountStep extends StepBase { op: 'mount'; target: string; flags: MsFlag[]; fstype?: FsType; source?: string }
/** umount2(target, flags). */
export interface UmountStep extends StepBase { op: 'umount'; target: string; flags?: UmountFlag[] }
/** pivot_root(new_root, put_old). */
export interface PivotRootStep extends StepBase { op: 'pivot_root'; new_root: string; put_old: string }
/** The names in a directory but . and .., sorted; "proc" when the directory is on a procfs. */
export interface ReaddirStep extends StepBase { op: 'readdir'; path: string }
/** chdir(path). */
export interface ChdirStep extends StepBase { op: 'chdir'; path: string }
/** chroot(path). */
export interface ChrootStep extends StepBase { op: 'chroot'; path: string }
/** The raw getcwd(2): the working directory from the root, "(unreachable)/..." when the root does not reach it. */
export interface GetcwdStep extends StepBase { op: 'getcwd' }

export type Step =
  | ForkStep | CloneStep | UnshareStep | SetnsStep | OpenStep | PidfdOpenStep | CloseStep
  | IoctlStep | ExecStep | ExitStep | WaitStep | SetNameStep | GetNameStep | GetPidStep
  | SetuidStep | WriteMapStep | ThreadStep | ObserveStep | MountProcStep | SetPdeathsigStep | KillStep
  | SetresuidStep | SetresgidStep | SetgroupsStep | CapsetStep | PrctlStep
  | MkdirStep | MountStep | UmountStep | PivotRootStep | ReaddirStep | ChdirStep | ChrootStep | GetcwdStep;
export type Op = Step['op'];
/** A step of one of the mount ops (MOUNT_OPS). */
export type MountOpStep = Extract<Step, { op: (typeof MOUNT_OPS)[number] }>;
/** A mount op's step without its actor (the generator's and the explorer's alphabets). */
export type MountArgs = MountOpStep extends infer S ? (S extends MountOpStep ? Omit<S, 'by'> : never) : never;

export const OPS: readonly Op[] = [
  'fork', 'clone', 'unshare', 'setns', 'open', 'pidfd_open', 'close', 'ioctl', 'exec', 'exit',
  'wait', 'sethostname', 'setdomainname', 'gethostname', 'getdomainname', 'getpid', 'getppid',
  'setuid', 'write_map', 'thread', 'observe',
  // extensions (docs/TRACE-EXTENSIONS.md): new ops come last, so that the numbers of the others stay
  'mount_proc', 'set_pdeathsig', 'kill',
  'setresuid', 'setresgid', 'setgroups', 'capset', 'prctl',
  'mkdir', 'mount', 'umount', 'pivot_root', 'readdir',
  'chdir', 'chroot', 'getcwd',
];

export interface Trace {
  nsmodel: 1;
  name?: string;
  setup: Setup;
  steps: Step[];
}

/** A trace as written by hand: setup and its fields may be left out. */
export interface TraceInput {
  nsmodel: 1;
  name?: string;
  setup?: Partial<Setup>;
  steps: Step[];
}

export type ProcState = 'running' | 'zombie' | 'exiting';

export interface SnapshotProcess {
  name: string;
  state: ProcState;
  nspid: number[];
  uid: number;
  hostname: string | null;
  domainname: string | null;
  ns: Record<NsFile, string | null>;
  /** Extension: only when the trace's setup has `creds` (docs/TRACE-EXTENSIONS.md). */
  creds?: SnapshotCreds;
}

/** A process's credentials as /proc/<pid>/status shows them from the trace's initial user namespace. */
export interface SnapshotCreds {
  /** Real, effective, saved, filesystem. */
  uid: number[];
  gid: number[];
  groups: number[];
  /** 16 hex digits each, as the status file prints them. */
  CapInh: string;
  CapPrm: string;
  CapEff: string;
  CapBnd: string;
  CapAmb: string;
  NoNewPrivs: 0 | 1;
}

export interface SnapshotNamespace {
  id: string;
  type: NsType;
  owner: string | null;
  parent: string | null;
  level: number;
  /**
   * Extension, only for `mnt` namespaces of a trace whose setup has `mounts`: the mounts as
   * /proc/<pid>/mountinfo of the first running process in it shows them; null when none is.
   */
  mounts?: SnapshotMount[] | null;
}

/** A mount in canonical form (docs/TRACE-EXTENSIONS.md, "Mounts": "Snapshots"). */
export interface SnapshotMount {
  id: number;
  parent: number | null;
  mountpoint: string;
  root: string;
  /** The super block: `tmpfs:N` or `proc:N`. */
  fs: string;
  /** `rw` or `ro`, then those of `nosuid`, `nodev`, `noexec` that are set. */
  options: string[];
  super: 'rw' | 'ro';
  /** `shared:N`, `master:N`, `propagate_from:N`, `unbindable`, in that order. */
  propagation: string[];
}

export interface Snapshot {
  processes: SnapshotProcess[];
  namespaces: SnapshotNamespace[];
}

export type ResultValue = number | string | string[] | Snapshot;

/** Is a result's value a snapshot (an observe's), not a number, a string or readdir's list of names. */
export function isSnapshotValue(v: ResultValue | undefined): v is Snapshot {
  return typeof v === 'object' && !Array.isArray(v);
}

export type Result =
  | { ok: true; value?: ResultValue }
  | { err: string }
  | { dead: true };

export interface RunOutput {
  results: Result[];
  final: Snapshot;
}

/** Labels: a step that defines one, and which kind it is. */
export type LabelKind = 'process' | 'fd';
