// placeholder: the kernel model lands here
export function version(): i32 { return 1; }
