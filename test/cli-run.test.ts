// nsmodel run: a malformed trace gets exit status 2 and one line naming the step and the
// field; usage mistakes get 2; the output on a backend (faked here, so that these tests
// hold whatever the state of the real backends) is the canonical JSON; a backend that
// cannot run gives 3; an unexpected error gives 70 and no stack trace.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendUnavailable } from '../src/trace/backend.js';
import { formatOutput } from '../src/trace/format.js';
import type { Result, RunOutput, Setup, Snapshot, Step } from '../src/trace/types.js';
import { nsmodel, ROOT, runMain } from './cli-helpers.js';

const GOLDEN = join(ROOT, 'test', 'golden');
const dir = mkdtempSync(join(tmpdir(), 'nsmodel-cli-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('nsmodel run: malformed traces (spawned)', () => {
  const cases: [string, string, string][] = [
    ['bad JSON', '{"nsmodel": 1,\n "steps": [\n  {"by": "p0" "op": "fork"}]}', `JSON: expected ',' or '}' after a property value, found '"' at line 3 column 15`],
    ['nsmodel 2', '{"nsmodel": 2, "steps": []}', 'nsmodel: must be 1'],
    ['unknown flag', JSON.stringify({ nsmodel: 1, steps: [{ by: 'p0', op: 'fork', as: 'a' }, { by: 'a', op: 'unshare', flags: ['CLONE_NEWUTS', 'CLONE_NEWFOO'] }] }),
      "steps[1].flags[1]: unknown flag 'CLONE_NEWFOO'"],
    ['CLONE_VM', JSON.stringify({ nsmodel: 1, steps: [{ by: 'p0', op: 'clone', flags: ['CLONE_VM'], as: 'a' }] }),
      "steps[0].flags[0]: CLONE_VM is not part of trace format v1 (a thread is made with the 'thread' op)"],
    ['unknown label', JSON.stringify({ nsmodel: 1, steps: [{ by: 'x', op: 'getpid' }] }), "steps[0].by: unknown label 'x'"],
    ['label of the wrong kind', JSON.stringify({ nsmodel: 1, steps: [{ by: 'p0', op: 'close', fd: 'p0' }] }),
      "steps[0].fd: 'p0' is a process, not a descriptor"],
    ['missing field', JSON.stringify({ nsmodel: 1, steps: [{ by: 'p0', op: 'open', target: 'p0', as: 'f' }] }), "steps[0]: missing field 'ns'"],
    // issue 7 item 8: nested deeper than a recursive scanner goes, still at the real position
    ['deeply nested bad JSON', `{"nsmodel": 1,\n "steps": ${'['.repeat(100_000)}x`, "JSON: unexpected 'x' at line 2 column 100011"],
    ['deeply nested objects', `{"nsmodel": 1, "name": ${'{"a": '.repeat(50_000)}1${'}'.repeat(50_000)},}`, "JSON: expected a property name in double quotes, found '}' at line 1 column 350026"],
  ];

  it.each(cases)('%s: exit 2, one line on stderr', async (name, text, message) => {
    const r = await nsmodel(['run', file(`${name.replace(/\W/g, '_')}.json`, text)]);
    expect(r).toEqual({ status: 2, stdout: '', stderr: `nsmodel: ${message}\n` });
  });

  it('reads the trace from standard input with -', async () => {
    const r = await nsmodel(['run', '-'], '{"nsmodel": 1, "steps": [{"by": "p0", "op": "frok"}]}');
    expect(r).toEqual({ status: 2, stdout: '', stderr: "nsmodel: steps[0].op: unknown op 'frok'\n" });
  });

  it('says which file it cannot read', async () => {
    const r = await nsmodel(['run', join(dir, 'absent.json')]);
    expect(r).toEqual({ status: 2, stdout: '', stderr: `nsmodel: cannot read '${join(dir, 'absent.json')}': no such file\n` });
  });
});

describe('nsmodel run: usage (spawned)', () => {
  it.each([
    [['run'], 'missing TRACE (a file, or - for standard input)'],
    [['run', 'a.json', 'b.json'], 'one TRACE only, not 2'],
    [['run', '--backend', 'qemu', 'a.json'], "unknown backend 'qemu' (model or kernel)"],
    [['run', '--verbose', 'a.json'], "unknown option '--verbose'"],
  ])('%j: exit 2 and a hint', async (args, message) => {
    expect(await nsmodel(args)).toEqual({ status: 2, stdout: '', stderr: `nsmodel: run: ${message}\nTry 'nsmodel run --help'.\n` });
  });

  it('--help prints the usage on stdout', async () => {
    const r = await nsmodel(['run', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: nsmodel run TRACE \[--backend model\|kernel\] \[--pretty\]\n/);
  });
});

// ---- in process, on fake backends -------------------------------------------------------

const fake = vi.hoisted(() => ({
  mode: 'ok' as 'ok' | 'unavailable' | 'crash',
  seen: [] as { backend: string; setup: unknown; steps: unknown[] }[],
}));

function fakeBackend(name: string) {
  return class {
    readonly name = name;
    async start(setup: Setup) {
      if (fake.mode === 'unavailable') throw new BackendUnavailable(`the ${name} backend needs a unicorn.`);
      fake.seen.push({ backend: name, setup, steps: [] });
    }
    async run(steps: readonly Step[]): Promise<Result[]> {
      if (fake.mode === 'crash') throw new Error('table overflow\n    at somewhere');
      fake.seen[fake.seen.length - 1].steps.push(...steps);
      // Keys deliberately out of canonical order.
      return steps.map((s, i) => (s.op === 'getpid' ? ({ value: i + 1, ok: true } as Result) : { err: 'EPERM' }));
    }
    async snapshot(): Promise<Snapshot> {
      const g1 = JSON.parse(readFileSync(join(GOLDEN, 'g1-uts-isolation.expected.json'), 'utf8'));
      return g1.final;
    }
    async identity() { return null; }
    async close() {}
  };
}

vi.mock('../src/model/backend.js', () => ({ ModelBackend: fakeBackend('model') }));
vi.mock('../src/kernel/backend.js', () => ({ KernelBackend: fakeBackend('kernel') }));


describe('nsmodel run on a backend (in process, faked backends)', () => {
  const trace = file('ok.json', JSON.stringify({ nsmodel: 1, steps: [{ by: 'p0', op: 'getpid' }, { by: 'p0', op: 'sethostname', name: 'x' }] }));
  const g1 = JSON.parse(readFileSync(join(GOLDEN, 'g1-uts-isolation.expected.json'), 'utf8'));
  const output: RunOutput = { results: [{ ok: true, value: 1 }, { err: 'EPERM' }], final: g1.final };

  afterEach(() => {
    fake.mode = 'ok';
    fake.seen.length = 0;
  });

  it('prints compact canonical JSON on one line, exit 0; the backend gets the validated trace', async () => {
    expect(await runMain(['run', trace])).toEqual({ status: 0, stdout: `${JSON.stringify(output)}\n`, stderr: '' });
    expect(fake.seen).toEqual([{
      backend: 'model', setup: { user: 'root', hostname: 'localhost' },
      steps: [{ by: 'p0', op: 'getpid' }, { by: 'p0', op: 'sethostname', name: 'x' }],
    }]);
  });

  it('--pretty prints the golden layout', async () => {
    const r = await runMain(['run', '--pretty', trace]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${formatOutput(output, { pretty: true })}\n`);
    expect(r.stdout.split('\n').slice(0, 4)).toEqual(['{', '  "results": [', '    {"ok": true, "value": 1},', '    {"err": "EPERM"}']);
  });

  it('--backend kernel runs on the kernel backend', async () => {
    expect((await runMain(['run', '--backend', 'kernel', trace])).status).toBe(0);
    expect(fake.seen.map((s) => s.backend)).toEqual(['kernel']);
  });

  it('validates before it starts a backend', async () => {
    const bad = file('bad.json', '{"nsmodel": 1, "steps": [{"by": "p0", "op": "fork", "as": "p0"}]}');
    const r = await runMain(['run', bad]);
    expect(r).toEqual({ status: 2, stdout: '', stderr: "nsmodel: steps[0].as: label 'p0' is defined twice (p0 is the first process, defined by the trace itself)\n" });
    expect(fake.seen).toEqual([]);
  });

  it('a backend that cannot run here: exit 3 and its sentence', async () => {
    fake.mode = 'unavailable';
    expect(await runMain(['run', trace])).toEqual({ status: 3, stdout: '', stderr: 'nsmodel: the model backend needs a unicorn.\n' });
  });

  it('an unexpected error: exit 70, one line, no stack trace', async () => {
    fake.mode = 'crash';
    expect(await runMain(['run', trace])).toEqual({ status: 70, stdout: '', stderr: 'nsmodel: internal error: table overflow\n' });
  });
});
