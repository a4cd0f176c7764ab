// Scenarios (sim/scenarios/NAME.sh): a script of shell commands with its expected transcript
// (NAME.transcript, recorded on the real kernel). Running one replays the script in the
// teaching shell and compares what it prints with the transcript, after normalising what
// differs between backends by nature and nothing else:
//
//  - namespace inode numbers: the kernel hands them out from a pool the whole machine shares
//    (R5), frees some of them late (user and network namespaces are freed by a work queue),
//    and the kernel backend's "initial" namespaces are its sandbox's. So each number becomes
//    a token (#1, #2, ...) in order of first appearance within the output of one command, in
//    which every namespace shown is alive at once: there, equal numbers are the same
//    namespace, and they stay equal tokens. (To show that two processes share a namespace,
//    a scenario shows both in one command: `readlink /proc/1/ns/uts /proc/$$/ns/uts`.)
//  - the order of lsns's lines, which lsns sorts by those numbers and hangs in its process
//    tree by them: the lines of each lsns table are sorted, their tree drawing removed,
//    before the tokens are given.
//
// A script may start with `# nsmodel: OPTIONS` (the shell's --user and --hostname, and
// --times-blind). A transcript recorded with the real tools (sim/scenarios/record-real.py:
// a real bash and util-linux, procps, coreutils in a throwaway sandbox whose PIDs follow the
// teaching shell's) has the clock of its own: with --times-blind ls's dates become DATE and
// times of day HH:MM. Everything else, PIDs included, is compared.

import type { Backend } from '../trace/backend.js';
import type { Setup } from '../trace/types.js';
import { runShell, ScriptSource } from './index.js';
import { parseLine, SyntaxError } from './parse.js';
import { utf8Bytes } from './text.js';

export interface ScenarioScript {
  setup: Setup;
  /** Compare dates and times of day blind (a transcript of the real tools: a clock of its own). */
  timesBlind?: boolean;
  /** The lines typed into the shell. */
  script: string;
}

export class ScenarioError extends Error {}

/** A scenario's options and its lines; ScenarioError for a script that is itself wrong. */
export function parseScenario(text: string): ScenarioScript {
  const lines = text.split('\n');
  const setup: Setup = { user: 'root', hostname: 'box' };
  let timesBlind = false;
  if (lines[0]?.startsWith('# nsmodel:')) {
    const opts = lines.shift()!.slice('# nsmodel:'.length).trim().split(/\s+/).filter(Boolean);
    for (let i = 0; i < opts.length; i++) {
      const opt = opts[i];
      if (opt === '--times-blind') { timesBlind = true; continue; }
      const [k, v] = opt.includes('=') ? opt.split('=', 2) : [opt, opts[++i]];
      if (k === '--user' && (v === 'root' || v === 'unprivileged')) setup.user = v;
      else if (k === '--hostname' && v && utf8Bytes(v) <= 64) setup.hostname = v;
      else throw new ScenarioError(`line 1: unknown option '${opt}'${v === undefined ? '' : ` or value '${v}'`} (# nsmodel: takes --user root|unprivileged, --hostname NAME and --times-blind)`);
    }
  }
  const offset = text.startsWith('# nsmodel:') ? 2 : 1;
  lines.forEach((line, i) => {
    try {
      parseLine(line);
    } catch (e) {
      if (e instanceof SyntaxError) throw new ScenarioError(`line ${i + offset}: ${e.message}`);
      throw e;
    }
  });
  return { setup, script: lines.join('\n'), timesBlind };
}

/** Run a scenario's script on a backend: the transcript, as a terminal shows it. */
export async function runScenario(s: ScenarioScript, backend: Backend, shadow?: Backend): Promise<string> {
  const chunks: string[] = [];
  const io = { write: (t: string) => { chunks.push(t); } };
  await runShell({ backend, shadow, setup: s.setup, io, input: new ScriptSource(s.script, io) });
  return chunks.join('');
}

const INODE = /\b40265\d{5}\b/g;
/** A line of lsns's table: the inode number (maybe in the tree's drawing), then the type. */
const LSNS_ROW = /^\s*[├└│─ ]*\d{10}\s+(?:mnt|net|pid|uts|ipc|user|cgroup|time)\s/;
const TREE_ART = /[├└│]─?|─/g;

/** A transcript with what differs between backends by nature replaced (see the top of this file). */
export function normalizeTranscript(text: string, opts: { timesBlind?: boolean } = {}): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!LSNS_ROW.test(lines[i])) {
      out.push(lines[i]);
      continue;
    }
    // a run of lsns lines (after its header, or filtered through grep without it)
    const rows: string[] = [lines[i]];
    while (i + 1 < lines.length && LSNS_ROW.test(lines[i + 1])) rows.push(lines[++i]);
    const blind = (r: string) => r.replace(TREE_ART, '').replace(INODE, 'NS').replace(/\s+/g, ' ').trim();
    rows.sort((a, b) => (blind(a) < blind(b) ? -1 : blind(a) > blind(b) ? 1 : 0));
    for (const r of rows) out.push(r.replace(TREE_ART, '').replace(/\s+/g, ' ').trim());
  }
  let tokens = new Map<string, string>();
  return out.map((line) => {
    if (PROMPT.test(line)) tokens = new Map(); // a new command: its own tokens
    const tokened = line.replace(INODE, (n) => {
      let t = tokens.get(n);
      if (!t) { t = `#${tokens.size + 1}`; tokens.set(n, t); }
      return t;
    });
    if (!opts.timesBlind) return tokened;
    return tokened
      .replace(/\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d\b/g, 'DATE')
      .replace(/\b\d\d:\d\d\b/g, 'HH:MM');
  }).join('\n');
}

/** A line that starts with a shell's prompt (bash's user@host:~# or dash's # / $). */
const PROMPT = /^(?:[^\s@]+@[^\s:]+:[~/][^\s]*[#$] |[#$] )/;

/** The lines where two normalised transcripts differ, as a unified-like listing (empty: the same). */
export function transcriptDiff(expected: string, actual: string, opts: { timesBlind?: boolean } = {}): string {
  const a = normalizeTranscript(expected, opts).split('\n');
  const b = normalizeTranscript(actual, opts).split('\n');
  // longest common subsequence, line by line (transcripts are short)
  const n = a.length, m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) {
    lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const out: string[] = [];
  let i = 0, j = 0, changed = false;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) { out.push(`  ${a[i]}`); i++; j++; }
    else if (i < n && (j >= m || lcs[i + 1][j] >= lcs[i][j + 1])) { out.push(`- ${a[i++]}`); changed = true; }
    else { out.push(`+ ${b[j++]}`); changed = true; }
  }
  if (!changed) return '';
  // only the changed lines with two lines of context around them
  const keep = new Set<number>();
  out.forEach((l, k) => { if (!l.startsWith('  ')) for (let d = -2; d <= 2; d++) keep.add(k + d); });
  const shown: string[] = [];
  let last = -1;
  out.forEach((l, k) => {
    if (!keep.has(k)) return;
    if (last >= 0 && k > last + 1) shown.push('  ...');
    shown.push(l);
    last = k;
  });
  return `${shown.join('\n')}\n`;
}
