// How the model's functions report: 0 or a value on success, -ERRNO on failure, and in both
// cases `why` names the check that decided (a code of why.ts).

export let why: i32 = 0;

/** Fail with errno `err` because of check `w`: returns -err. */
export function fail(err: i32, w: i32): i32 {
  why = w;
  return -err;
}

/** Succeed, saying why (for the teaching shell's `explain`). */
export function ok(w: i32): i32 {
  why = w;
  return 0;
}

export function setWhy(w: i32): void {
  why = w;
}
