// A scripted session of the teaching shell, and the output of each of its commands: what the
// shell tests share.

import { ModelBackend } from '../../src/model/backend.js';
import { runShell, ScriptSource } from '../../src/shell/index.js';
import type { Io } from '../../src/shell/runtime.js';
import type { Backend } from '../../src/trace/backend.js';
import type { Setup } from '../../src/trace/types.js';

/** A scripted session (root on `box`, on the model unless told): its transcript, status and session. */
export async function session(script: string, setup: Partial<Setup> = {}, backend: Backend = new ModelBackend(), input?: (io: Io) => ScriptSource) {
  const chunks: string[] = [];
  const io = { write: (t: string) => { chunks.push(t); } };
  const { status, session: s } = await runShell({
    backend, setup: { user: 'root', hostname: 'box', ...setup }, io, input: input ? input(io) : new ScriptSource(script, io),
  });
  return { text: chunks.join(''), status, s };
}

/** The output of each command: the lines between its prompt line and the next prompt. */
export function outputs(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let cur: string[] | undefined;
  for (const line of text.split('\n')) {
    const m = /^(?:\S+@\S+:[~/]\S*[#$] |[#$] )(.*)$/.exec(line);
    if (m) { cur = []; out.set(m[1], cur); } else cur?.push(line);
  }
  return out;
}
