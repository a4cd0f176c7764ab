// clone(2)/unshare(2) flag values (include/uapi/linux/sched.h).

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

// The CLONE_NEW* flags together (CLONE_NEW_ANY, CLONE_NEW_NSPROXY), the namespace types and the
// /proc/<pid>/ns files are numbered by the table of namespace types: assembly/ns/table.ts.
