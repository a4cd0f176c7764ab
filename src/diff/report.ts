// The conformance report in the three formats of `nsmodel check`:
//   - KTAP, as the kernel's selftests print it (tools/testing/selftests/kselftest.h):
//     `TAP version 13`, `1..N`, `ok 1 name`, `not ok 2 name`, `ok 3 name # SKIP reason`,
//     diagnostic lines starting `# `, and `# Totals: pass:X fail:Y xfail:0 xpass:0 skip:Z error:0`.
//     It can be written as the tests run (ktapHeader, ktapTest, ktapTotals).
//   - JUnit XML: a <testsuites> with one <testsuite> per directory (and `fuzz`), the kernel's
//     features as <properties>, a <failure message type> per failing test.
//   - JSON: the CheckReport itself.

import { hostname } from 'node:os';
import type { CheckReport, CheckTarget, CheckTest } from './check.js';
import { describeFeatures, type KernelFeatures } from './features.js';

// ---- KTAP ------------------------------------------------------------------------------------

/** A KTAP test name or reason: one line, no `#` (which would start a directive). */
function ktapText(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').replace(/#/g, '%23');
}

/** The header and the plan. */
export function ktapHeader(count: number, features: KernelFeatures, version: string, target?: CheckTarget): string {
  const against = target ? `target ${target.name} (Linux ${target.release})` : 'this kernel';
  const lines = ['TAP version 13', `# nsmodel ${version} check: the kernel model against ${against}`];
  if (target) lines.push(`# known divergences: ${target.profile ?? 'no profile for this target'}`);
  for (const l of describeFeatures(features)) lines.push(`# ${l}`);
  lines.push(`1..${count}`);
  return `${lines.join('\n')}\n`;
}

/** One test: its diagnostic lines (for a failure: what differs), then its result line. */
export function ktapTest(t: CheckTest): string {
  const lines: string[] = [];
  if (t.failure) for (const l of t.failure.detail.split('\n')) lines.push(`# ${l}`);
  const name = ktapText(t.name);
  if (t.status === 'fail' && t.known) {
    // a divergence the target's profile lists: kselftest's expected failure
    lines.push(`# known divergence ${t.known.id}: ${t.known.reason} (${t.known.source})`);
    lines.push(`ok ${t.id} ${name} # XFAIL ${ktapText(t.known.id)}`);
  } else if (t.status === 'skip') lines.push(`ok ${t.id} ${name} # SKIP ${ktapText(t.reason ?? '')}`);
  else if (t.status === 'pass') {
    if (t.note) lines.push(`# ${t.note}`);
    lines.push(`ok ${t.id} ${name}`);
  } else lines.push(`not ok ${t.id} ${name}`);
  return `${lines.join('\n')}\n`;
}

export function ktapTotals(report: Pick<CheckReport, 'totals' | 'seconds' | 'fuzz' | 'target'>): string {
  const { pass, fail, skip } = report.totals;
  const known = report.totals.known ?? 0;
  const fuzz = report.fuzz ? `; fuzz seed ${report.fuzz.seed} (replay: nsmodel check --seed ${report.fuzz.seed})` : '';
  return `${report.target ? targetLines(report.target).map((l) => `# ${l}\n`).join('') : ''}# ${pass + fail + skip + known} tests in ${report.seconds.toFixed(1)} s${fuzz}\n# Totals: pass:${pass} fail:${fail} xfail:${known} xpass:0 skip:${skip} error:0\n`;
}

/** A target's summary: known and new divergences, stale entries of its profile. */
export function targetLines(t: CheckTarget): string[] {
  const lines = [`target ${t.name} (Linux ${t.release}): ${t.known} known divergences, ${t.new} new; profile ${t.profile ?? '(none)'}${t.unchecked > 0 ? `, ${t.unchecked} entries not checked (their tests did not run)` : ''}`];
  for (const e of t.stale) lines.push(`stale entry ${e.id} (${e.test}): ${e.why}; the target no longer diverges there: remove it from the profile${t.strict ? ' (a failure: --strict)' : ''}`);
  return lines;
}

export function formatKtap(report: CheckReport): string {
  return ktapHeader(report.tests.length, report.features, report.nsmodel, report.target) + report.tests.map(ktapTest).join('') + ktapTotals(report);
}

// ---- JUnit XML -------------------------------------------------------------------------------

/** Text for XML: the five entities escaped, characters XML 1.0 does not allow dropped. */
export function xmlText(s: string): string {
  return s
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export function formatJunit(report: CheckReport): string {
  const attr = (name: string, value: string | number) => ` ${name}="${xmlText(String(value))}"`;
  const f = report.features;
  const props: [string, string][] = [
    ['nsmodel.version', report.nsmodel],
    ['kernel.release', f.release],
    ['kernel.version', f.version],
    ['kernel.machine', f.machine],
    ...Object.entries(f.namespaces).map(([k, v]): [string, string] => [`kernel.ns.${k}`, String(v)]),
    ['kernel.unprivileged_userns', `${f.unprivilegedUserns.allowed ? 'allowed' : 'not allowed'} (${f.unprivilegedUserns.reason})`],
    ...Object.entries(f.sysctls).map(([k, v]): [string, string] => [`sysctl.${k}`, String(v)]),
    ...(report.fuzz ? [['fuzz.seed', String(report.fuzz.seed)], ['fuzz.traces', String(report.fuzz.traces)]] as [string, string][] : []),
    ...(report.target ? [['target.name', report.target.name], ['target.release', report.target.release], ['target.profile', report.target.profile ?? ''],
      ['target.known', String(report.target.known)], ['target.new', String(report.target.new)], ['target.stale', report.target.stale.map((e) => e.id).join(' ')]] as [string, string][] : []),
  ];
  const suites = new Map<string, CheckTest[]>();
  for (const t of report.tests) {
    const list = suites.get(t.suite) ?? [];
    list.push(t);
    suites.set(t.suite, list);
  }
  const { pass, fail, skip } = report.totals;
  const known = report.totals.known ?? 0;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites${attr('name', report.target ? `nsmodel check --target ${report.target.name}` : 'nsmodel check')}${attr('tests', pass + fail + skip + known)}${attr('failures', fail)}${attr('errors', 0)}${attr('skipped', skip + known)}${attr('time', report.seconds.toFixed(3))}>`);
  const stamp = new Date().toISOString().replace(/\.\d+Z$/, '');
  for (const [suite, tests] of suites) {
    const n = (s: CheckTest['status']) => tests.filter((t) => t.status === s && !t.known).length + (s === 'skip' ? tests.filter((t) => t.known).length : 0);
    const time = tests.reduce((a, t) => a + t.seconds, 0);
    out.push(`  <testsuite${attr('name', suite)}${attr('tests', tests.length)}${attr('failures', n('fail'))}${attr('errors', 0)}${attr('skipped', n('skip'))}${attr('time', time.toFixed(3))}${attr('timestamp', stamp)}${attr('hostname', hostname())}>`);
    out.push('    <properties>');
    for (const [k, v] of props) out.push(`      <property${attr('name', k)}${attr('value', v)}/>`);
    out.push('    </properties>');
    for (const t of tests) {
      const head = `    <testcase${attr('classname', `nsmodel.${suite.replace(/[/\\]/g, '.')}`)}${attr('name', t.name)}${t.file ? attr('file', t.file) : ''}${attr('time', t.seconds.toFixed(3))}`;
      if (t.status === 'pass' && !t.note) { out.push(`${head}/>`); continue; }
      out.push(`${head}>`);
      if (t.status === 'skip') out.push(`      <skipped${attr('message', t.reason ?? '')}/>`);
      if (t.known && t.failure) {
        out.push(`      <skipped${attr('message', `known divergence ${t.known.id}: ${t.known.reason} (${t.known.source})`)}/>`);
        out.push(`      <system-out>${xmlText(t.failure.detail)}</system-out>`);
      } else if (t.failure) out.push(`      <failure${attr('message', t.failure.message)}${attr('type', t.failure.kind)}>${xmlText(t.failure.detail)}</failure>`);
      if (t.note) out.push(`      <system-out>${xmlText(t.note)}</system-out>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  if (report.target && report.target.stale.length > 0) {
    // the profile's stale entries: failures with --strict, otherwise shown
    const t = report.target;
    out.push(`  <testsuite${attr('name', 'profile')}${attr('tests', t.stale.length)}${attr('failures', t.strict ? t.stale.length : 0)}${attr('errors', 0)}${attr('skipped', t.strict ? 0 : t.stale.length)}${attr('time', '0.000')}${attr('timestamp', stamp)}${attr('hostname', hostname())}>`);
    for (const e of t.stale) {
      out.push(`    <testcase${attr('classname', 'nsmodel.profile')}${attr('name', `stale entry ${e.id}`)}${attr('time', '0.000')}>`);
      const message = `stale entry ${e.id} (${e.test}): ${e.why}; remove it from ${t.profile ?? 'the profile'}`;
      out.push(t.strict ? `      <failure${attr('message', message)}${attr('type', 'stale-entry')}/>` : `      <skipped${attr('message', message)}/>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}

// ---- JSON ----------------------------------------------------------------------------------

export function formatJson(report: CheckReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
