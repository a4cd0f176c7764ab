// The model's one error channel. A function that fails calls fail(errno, why): it records the
// errno and the named check that decided (a code of why.ts) and returns -errno, as the kernel's
// functions do. A function that makes an object returns null on failure after fail(), and its
// caller returns lastError() (the kernel's ERR_PTR/PTR_ERR). Success sets `why` through ok().

export let why: i32 = 0;
let error: i32 = 0;

/** Fail with errno `err` because of check `w`: records both, returns -err. */
export function fail(err: i32, w: i32): i32 {
  why = w;
  error = -err;
  return -err;
}

/** The -errno of the last fail(): what a caller returns after a function gave it null. */
// @ts-ignore: decorator
@inline export function lastError(): i32 {
  return error;
}

/** Succeed, saying why (for the teaching shell's `explain`). */
export function ok(w: i32): i32 {
  why = w;
  return 0;
}

/** Say why without an errno: a step's explanation that is not a call's failure or return. */
export function setWhy(w: i32): void {
  why = w;
}
