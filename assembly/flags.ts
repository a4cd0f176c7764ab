// clone(2)/unshare(2) flag values (include/uapi/linux/sched.h) and the model's numbering of
// namespace types and namespace files.

export const CSIGNAL: u32 = 0x000000ff;
export const CLONE_VM: u32 = 0x00000100;
export const CLONE_FS: u32 = 0x00000200;
export const CLONE_FILES: u32 = 0x00000400;
export const CLONE_SIGHAND: u32 = 0x00000800;
export const CLONE_PIDFD: u32 = 0x00001000;
export const CLONE_PTRACE: u32 = 0x00002000;
export const CLONE_VFORK: u32 = 0x00004000;
export const CLONE_PARENT: u32 = 0x00008000;
export const CLONE_THREAD: u32 = 0x00010000;
export const CLONE_NEWNS: u32 = 0x00020000;
export const CLONE_SYSVSEM: u32 = 0x00040000;
export const CLONE_NEWTIME: u32 = 0x00000080;
export const CLONE_NEWCGROUP: u32 = 0x02000000;
export const CLONE_NEWUTS: u32 = 0x04000000;
export const CLONE_NEWIPC: u32 = 0x08000000;
export const CLONE_NEWUSER: u32 = 0x10000000;
export const CLONE_NEWPID: u32 = 0x20000000;
export const CLONE_NEWNET: u32 = 0x40000000;

/** Every CLONE_NEW* flag. */
export const CLONE_NEW_ANY: u32 = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET |
  CLONE_NEWPID | CLONE_NEWCGROUP | CLONE_NEWTIME | CLONE_NEWUSER;
/** The CLONE_NEW* flags kept in an nsproxy (all but user). */
export const CLONE_NEW_NSPROXY: u32 = CLONE_NEW_ANY & ~CLONE_NEWUSER;

// Namespace types, alphabetical (the snapshot's order).
export const NS_CGROUP: i32 = 0;
export const NS_IPC: i32 = 1;
export const NS_MNT: i32 = 2;
export const NS_NET: i32 = 3;
export const NS_PID: i32 = 4;
export const NS_TIME: i32 = 5;
export const NS_USER: i32 = 6;
export const NS_UTS: i32 = 7;
export const NS_TYPES: i32 = 8;

/** The CLONE_NEW* flag of a namespace type. */
export function nsTypeFlag(type: i32): u32 {
  switch (type) {
    case NS_CGROUP: return CLONE_NEWCGROUP;
    case NS_IPC: return CLONE_NEWIPC;
    case NS_MNT: return CLONE_NEWNS;
    case NS_NET: return CLONE_NEWNET;
    case NS_PID: return CLONE_NEWPID;
    case NS_TIME: return CLONE_NEWTIME;
    case NS_USER: return CLONE_NEWUSER;
    default: return CLONE_NEWUTS;
  }
}

// Namespace files of /proc/<pid>/ns, in TRACE.md's order.
export const F_CGROUP: i32 = 0;
export const F_IPC: i32 = 1;
export const F_MNT: i32 = 2;
export const F_NET: i32 = 3;
export const F_PID: i32 = 4;
export const F_PID_FOR_CHILDREN: i32 = 5;
export const F_TIME: i32 = 6;
export const F_TIME_FOR_CHILDREN: i32 = 7;
export const F_USER: i32 = 8;
export const F_UTS: i32 = 9;
export const NS_FILES: i32 = 10;
