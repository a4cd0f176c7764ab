// The output area the TypeScript side reads after a batch: little-endian i32 words and
// strings (a length word, then the bytes, padded to 4). Grows as needed; reset per batch.

let buf = new StaticArray<u8>(1 << 12);
let len: i32 = 0;

// @ts-ignore: decorator
@inline function reserve(n: i32): void {
  if (len + n > buf.length) grow(n);
}

function grow(n: i32): void {
  let cap = buf.length << 1;
  while (cap < len + n) cap <<= 1;
  const nu = new StaticArray<u8>(cap);
  memory.copy(changetype<usize>(nu), changetype<usize>(buf), <usize>len);
  buf = nu;
}

export function outReset(): void { len = 0; }

/** A new output area, after start() emptied the heap. */
export function outRenew(): void {
  buf = new StaticArray<u8>(1 << 12);
  len = 0;
}
export function outLength(): i32 { return len; }
export function outPointer(): usize { return changetype<usize>(buf); }

// @ts-ignore: decorator
@inline export function outI32(v: i32): void {
  reserve(4);
  store<i32>(changetype<usize>(buf) + <usize>len, v);
  len += 4;
}

/** A string: its byte length, then its bytes, padded to a multiple of 4. */
export function outBytes(src: StaticArray<u8>, n: i32): void {
  const padded = (n + 3) & ~3;
  reserve(4 + padded);
  store<i32>(changetype<usize>(buf) + <usize>len, n);
  len += 4;
  memory.copy(changetype<usize>(buf) + <usize>len, changetype<usize>(src), <usize>n);
  len += padded;
}

/** A null string. */
export function outNull(): void { outI32(-1); }
