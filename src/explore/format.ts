// The explorer's report: for people (the verdict, the counterexample's steps with their
// results and the model's checks, the kernel's answer, the property's explanation, the trace
// itself) and the one-line JSON of `--json` (issue 10).

import { formatTrace } from '../diff/files.js';
import { showWhy } from '../diff/diff.js';
import type { Result, Step } from '../trace/types.js';
import type { ExploreReport } from './index.js';

/** A step in a few words: `sh open p0 uts as fd0`. */
export function stepText(s: Step): string {
  const parts: string[] = [s.op];
  switch (s.op) {
    case 'fork': parts.push(`as ${s.as}`); break;
    case 'clone': parts.push(s.flags.join('|') || '0', `as ${s.as}`); break;
    case 'unshare': parts.push(s.flags.join('|') || '0'); break;
    case 'setns': parts.push(s.fd, Array.isArray(s.nstype) ? s.nstype.join('|') : String(s.nstype)); break;
    case 'open': parts.push(s.target, s.ns, `as ${s.as}`); break;
    case 'pidfd_open': parts.push(s.target, `as ${s.as}`); break;
    case 'close': parts.push(s.fd); break;
    case 'ioctl': parts.push(s.fd, s.request, ...(s.as ? [`as ${s.as}`] : [])); break;
    case 'exit': if (s.code) parts.push(String(s.code)); break;
    case 'sethostname': case 'setdomainname': parts.push(JSON.stringify(s.name)); break;
    case 'setuid': parts.push(String(s.uid)); break;
    case 'write_map': parts.push(s.target, s.file, JSON.stringify(s.data)); break;
    case 'kill': case 'set_pdeathsig': parts.push(...(s.op === 'kill' ? [s.target] : []), String(s.signal)); break;
    case 'mkdir': case 'readdir': case 'chdir': case 'chroot': parts.push(s.path); break;
    case 'mount': parts.push(...(s.source ? [s.source] : []), s.target, ...(s.fstype ? [`-t ${s.fstype}`] : []), s.flags.join('|') || '0'); break;
    case 'umount': parts.push(s.target, ...(s.flags ?? [])); break;
    case 'pivot_root': parts.push(s.new_root, s.put_old); break;
    default: break;
  }
  return `${s.by.padEnd(4)} ${parts.join(' ')}`;
}

export function resultText(r: Result): string {
  if ('dead' in r) return 'dead (cannot act)';
  if ('err' in r) return r.err;
  if (r.value === undefined) return 'ok';
  return `ok ${Array.isArray(r.value) ? r.value.join(' ') : typeof r.value === 'object' ? 'SNAPSHOT' : JSON.stringify(r.value)}`;
}

function wrap(text: string, width = 92, indent = ''): string {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > width) { lines.push(indent + line); line = w; } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

function bound(r: ExploreReport): string {
  if (r.strategy === 'random') return `random walks of ${r.depth} steps from seed ${r.seed}`;
  return r.complete ? `to depth ${r.depth}` : `to depth ${r.depth} only (stopped by ${r.stoppedBy === 'seconds' ? '--seconds' : '--max-states'})`;
}

export function formatReport(r: ExploreReport): string {
  const out: string[] = [];
  out.push(`${r.property}: ${r.title}`, '');
  const exact = r.collisions === undefined ? '' : `; --exact: ${r.collisions} fingerprint collision${r.collisions === 1 ? '' : 's'}`;
  const speed = `${r.states} states in ${r.seconds.toFixed(2)} s, ${Math.round(r.statesPerSecond)} states/s${exact}`;
  if (r.verdict === 'holds') {
    out.push(`HOLDS ${bound(r)} (${speed}).`);
    if (!r.complete && r.strategy === 'bfs') out.push('  (the bound was not searched to the end: a deeper or longer search may still break it)');
  } else {
    const n = r.depth;
    const shortest = r.strategy === 'bfs' ? 'the shortest, ' : `found by a random walk from seed ${r.seed} (--seed ${r.seed} finds it again), not necessarily the shortest; `;
    out.push(`BROKEN: a counterexample of ${n} step${n === 1 ? '' : 's'} after the world's ${r.firstStep ?? 0} (${shortest}${speed}).`);
    out.push('');
    let k = 0;
    for (const s of r.steps ?? []) {
      const tag = s.world ? 'world' : String(++k);
      out.push(`  ${tag.padStart(5)}  ${stepText(s.step).padEnd(44)} ${resultText(s.result)}`);
      if (s.why && 'err' in s.result) out.push(`         ${' '.repeat(44)}   the model's check: ${showWhy(s.why)}`);
    }
    out.push(`  broken: ${r.message}`);
    out.push('');
    const kr = r.kernelReplay;
    if (r.kernel === 'confirmed' && kr) {
      out.push(`confirmed on ${kr.linux} (${kr.release}): the kernel's states break it too, after step ${kr.step !== undefined && kr.step >= (r.firstStep ?? 0) ? kr.step - (r.firstStep ?? 0) + 1 : 'world'}: ${kr.message}`);
    } else if (r.kernel === 'not-reproduced' && kr) {
      const at = kr.divergence?.at === 'step' ? kr.divergence.step : kr.divergence?.state?.step;
      const rel = at === undefined ? '?' : at >= (r.firstStep ?? 0) ? String(at - (r.firstStep ?? 0) + 1) : `world step ${at + 1}`;
      out.push('!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!');
      out.push(`NOT reproduced on ${kr.linux} (${kr.release}): the model diverges at step ${rel}${at === undefined ? '' : ` (steps[${at}] of the trace)`}.`);
      out.push('The model is wrong here (the kernel wins); the counterexample is the model\'s, not Linux\'s.');
      out.push(kr.divergenceText ?? '');
      out.push('!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!');
    } else {
      out.push(`kernel replay skipped: ${r.kernelSkipped ?? 'not asked for'}`);
    }
  }
  out.push('', wrap(r.explanation));
  if (r.counterexample) {
    out.push('', 'The trace (TRACE.md; `nsmodel run` and `nsmodel diff` run it):', formatTrace(r.counterexample).trimEnd());
  }
  return `${out.join('\n')}\n`;
}

/** The one line of --json, exactly the fields of issue 10. */
export function formatJsonLine(r: ExploreReport): string {
  return JSON.stringify({
    property: r.property,
    verdict: r.verdict,
    depth: r.depth,
    states: r.states,
    statesPerSecond: Math.round(r.statesPerSecond),
    seconds: Number(r.seconds.toFixed(4)),
    counterexample: r.counterexample,
    kernel: r.kernel,
  });
}
