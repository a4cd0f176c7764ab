// Linux's errno numbers (include/uapi/asm-generic/errno-base.h, errno.h). A model function
// returns 0 for success or -ERRNO, as the kernel's own functions do.

export const EPERM: i32 = 1;
export const ENOENT: i32 = 2;
export const ESRCH: i32 = 3;
export const EBADF: i32 = 9;
export const ECHILD: i32 = 10;
export const EAGAIN: i32 = 11;
export const ENOMEM: i32 = 12;
export const EACCES: i32 = 13;
export const EFAULT: i32 = 14;
export const EINVAL: i32 = 22;
export const ENOTTY: i32 = 25;
export const ENOSPC: i32 = 28;
export const EUSERS: i32 = 87;
export const EBUSY: i32 = 16;
export const EEXIST: i32 = 17;
export const ENODEV: i32 = 19;
export const ENOTDIR: i32 = 20;
export const EROFS: i32 = 30;
export const ELOOP: i32 = 40;
export const EOVERFLOW: i32 = 75;
