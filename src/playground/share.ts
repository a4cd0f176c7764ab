// A session in a URL: the setup and the command lines typed so far, as JSON, compressed
// (deflate-raw, the platform's CompressionStream) and base64url-coded into the fragment
// (`#s=...`), which never leaves the browser. A teacher sends the link; the page replays it.

import type { Setup } from '../trace/types.js';

export interface SharedSession {
  setup: Setup;
  /** The lines entered, in order ('\x04': Ctrl-D on an empty line). */
  lines: string[];
  /** The lesson the session was following, if any (its id). */
  lesson?: string;
}

/** Fragments longer than this are refused when read (a URL that long is no one's session). */
export const MAX_FRAGMENT = 64 * 1024;

async function pipeBytes(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** The fragment (without '#') that carries a session. */
export async function encodeSession(s: SharedSession): Promise<string> {
  const json = JSON.stringify({ u: s.setup.user, h: s.setup.hostname, c: s.lines, ...(s.lesson ? { l: s.lesson } : {}) });
  const packed = await pipeBytes(new TextEncoder().encode(json), new CompressionStream('deflate-raw'));
  return `s=${toBase64Url(packed)}`;
}

/** The session a fragment carries; null when it carries none; an Error saying why for a damaged one. */
export async function decodeSession(fragment: string): Promise<SharedSession | null | Error> {
  const m = /^#?s=([A-Za-z0-9_-]*)$/.exec(fragment);
  if (!m) return null;
  if (m[1].length > MAX_FRAGMENT) return new Error(`the shared session is too long (${m[1].length} characters; at most ${MAX_FRAGMENT})`);
  let v: unknown;
  try {
    const bytes = await pipeBytes(fromBase64Url(m[1]), new DecompressionStream('deflate-raw'));
    v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return new Error('the shared session in this link is damaged (it does not decompress to JSON)');
  }
  const o = v as { u?: unknown; h?: unknown; c?: unknown; l?: unknown };
  if (typeof o !== 'object' || o === null) return new Error('the shared session in this link is not an object');
  if (o.u !== 'root' && o.u !== 'unprivileged') return new Error(`the shared session's user must be root or unprivileged, not ${JSON.stringify(o.u)}`);
  if (typeof o.h !== 'string' || o.h === '' || new TextEncoder().encode(o.h).length > 64) {
    return new Error('the shared session\'s hostname must be a name of 1 to 64 bytes');
  }
  if (!Array.isArray(o.c) || !o.c.every((x) => typeof x === 'string')) return new Error('the shared session\'s commands must be a list of strings');
  if (o.l !== undefined && typeof o.l !== 'string') return new Error('the shared session\'s lesson must be a string');
  return { setup: { user: o.u, hostname: o.h }, lines: o.c as string[], ...(o.l ? { lesson: o.l as string } : {}) };
}
