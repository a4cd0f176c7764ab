// The conformance report in the three formats of `nsmodel check`:
//   - KTAP, as the kernel's selftests print it (tools/testing/selftests/kselftest.h):
//     `TAP version 13`, `1..N`, `ok 1 name`, `not ok 2 name`, `ok 3 name # SKIP reason`,
//     diagnostic lines starting `# `, and `# Totals: pass:X fail:Y xfail:0 xpass:0 skip:Z error:0`.
//     It can be written as the tests run (ktapHeader, ktapTest, ktapTotals).
//   - JUnit XML: a <testsuites> with one <testsuite> per directory (and `fuzz`), the kernel's
//     features as <properties>, a <failure message type> per failing test.
//   - JSON: the CheckReport itself.

import { hostname } from 'node:os';
import type { CheckReport, CheckTest } from './check.js';
import { describeFeatures, type KernelFeatures } from './features.js';

// ---- KTAP ------------------------------------------------------------------------------------

/** A KTAP test name or reason: one line, no `#` (which would start a directive). */
function ktapText(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').replace(/#/g, '%23');
}

/** The header and the plan. */
export function ktapHeader(count: number, features: KernelFeatures, version: string): string {
  const lines = ['TAP version 13', `# nsmodel ${version} check: the kernel model against this kernel`];
  for (const l of describeFeatures(features)) lines.push(`# ${l}`);
  lines.push(`1..${count}`);
  return `${lines.join('\n')}\n`;
}

/** One test: its diagnostic lines (for a failure: what differs), then its result line. */
export function ktapTest(t: CheckTest): string {
  const lines: string[] = [];
  if (t.failure) for (const l of t.failure.detail.split('\n')) lines.push(`# ${l}`);
  const name = ktapText(t.name);
  if (t.status === 'skip') lines.push(`ok ${t.id} ${name} # SKIP ${ktapText(t.reason ?? '')}`);
  else if (t.status === 'pass') {
    if (t.note) lines.push(`# ${t.note}`);
    lines.push(`ok ${t.id} ${name}`);
  } else lines.push(`not ok ${t.id} ${name}`);
  return `${lines.join('\n')}\n`;
}

export function ktapTotals(report: Pick<CheckReport, 'totals' | 'seconds' | 'fuzz'>): string {
  const { pass, fail, skip } = report.totals;
  const fuzz = report.fuzz ? `; fuzz seed ${report.fuzz.seed} (replay: nsmodel check --seed ${report.fuzz.seed})` : '';
  return `# ${pass + fail + skip} tests in ${report.seconds.toFixed(1)} s${fuzz}\n# Totals: pass:${pass} fail:${fail} xfail:0 xpass:0 skip:${skip} error:0\n`;
}

export function formatKtap(report: CheckReport): string {
  return ktapHeader(report.tests.length, report.features, report.nsmodel) + report.tests.map(ktapTest).join('') + ktapTotals(report);
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
  ];
  const suites = new Map<string, CheckTest[]>();
  for (const t of report.tests) {
    const list = suites.get(t.suite) ?? [];
    list.push(t);
    suites.set(t.suite, list);
  }
  const { pass, fail, skip } = report.totals;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites${attr('name', 'nsmodel check')}${attr('tests', pass + fail + skip)}${attr('failures', fail)}${attr('errors', 0)}${attr('skipped', skip)}${attr('time', report.seconds.toFixed(3))}>`);
  const stamp = new Date().toISOString().replace(/\.\d+Z$/, '');
  for (const [suite, tests] of suites) {
    const n = (s: CheckTest['status']) => tests.filter((t) => t.status === s).length;
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
      if (t.failure) out.push(`      <failure${attr('message', t.failure.message)}${attr('type', t.failure.kind)}>${xmlText(t.failure.detail)}</failure>`);
      if (t.note) out.push(`      <system-out>${xmlText(t.note)}</system-out>`);
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
