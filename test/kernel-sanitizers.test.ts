// The kernel agent under AddressSanitizer and UndefinedBehaviorSanitizer (build/nsagent-asan,
// made by `npm install` beside build/nsagent): the rule traces, the golden and sim traces and
// 2,000 random traces run on it, agree with the model, and leave no sanitizer report. (The
// use-after-free of issue 7 made `p0` forking 8 children trip ASan.)

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { traceFiles } from '../src/diff/files.js';
import { arbTrace, diffTrace, formatDivergence, formatTrace, ModelBackend, parseTrace } from '../src/index.js';
import { KernelBackend } from '../src/kernel/backend.js';
import { packageRoot } from '../src/paths.js';
import type { Trace } from '../src/trace/types.js';
import { describeKernel, kernelRequired } from './helpers/kernel.js';

const agent = join(packageRoot(), 'build', 'nsagent-asan');
const seed = process.env.NSMODEL_SEED ? Number(process.env.NSMODEL_SEED) : Math.floor(Math.random() * 0x7fffffff);

/**
 * A trace the sanitizers' agent cannot run: it is linked dynamically (ASan has no static C
 * library), and on a trace's own root (setup.mounts) its ELF interpreter's path is gone, so
 * it cannot exec itself — neither for an `exec` step nor as an unprivileged p0 (the
 * supervisor refuses both: src/kernel/README.md). The static agent runs them elsewhere.
 */
const needsStaticAgent = (trace: Trace): boolean =>
  trace.setup.mounts === true && (trace.setup.user === 'unprivileged' || trace.steps.some((s) => s.op === 'exec'));

describeKernel('the kernel agent under ASan and UBSan', () => {
  if (!existsSync(agent)) {
    it.skipIf(!kernelRequired)('needs build/nsagent-asan', () => {
      throw new Error(`NSMODEL_REQUIRE_KERNEL=1, but ${agent} was not built (see the build's message)`);
    });
    if (!kernelRequired) console.warn(`sanitizer tests skipped: ${agent} was not built (the C compiler lacks -fsanitize=address,undefined)`);
    return;
  }
  let logs = '';
  let kernel: KernelBackend;
  const saved = { ASAN_OPTIONS: process.env.ASAN_OPTIONS, UBSAN_OPTIONS: process.env.UBSAN_OPTIONS };
  beforeAll(() => {
    // reports go to files (agents of unprivileged traces run as uid 1000: the folder is 1777)
    logs = mkdtempSync(join(tmpdir(), 'nsmodel-asan-'));
    chmodSync(logs, 0o1777);
    process.env.ASAN_OPTIONS = `log_path=${logs}/asan:detect_leaks=0:halt_on_error=1`;
    process.env.UBSAN_OPTIONS = `log_path=${logs}/ubsan:print_stacktrace=1:halt_on_error=1`;
    kernel = new KernelBackend({ agentPath: agent });
  });
  afterAll(async () => {
    await kernel?.dispose();
    Object.assign(process.env, saved);
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    rmSync(logs, { recursive: true, force: true });
  });
  const reports = () => readdirSync(logs).map((f) => `${f}:\n${readFileSync(join(logs, f), 'utf8')}`).join('\n');

  const root = join(import.meta.dirname, '..');
  const files = [
    ...traceFiles(join(import.meta.dirname, 'rules')),
    ...traceFiles(join(import.meta.dirname, 'golden')),
    ...traceFiles(join(root, 'sim', 'traces')),
  ];
  it(`the suite's ${files.length} traces agree with the model, with no report`, async () => {
    for (const file of files) {
      const trace = parseTrace(readFileSync(file, 'utf8'));
      if (needsStaticAgent(trace)) continue;
      const d = await diffTrace(trace, new ModelBackend(), kernel);
      expect(d.agree ? '' : `${file}\n${formatDivergence(trace, d.divergence!)}`).toBe('');
    }
    expect(reports()).toBe('');
  }, 120_000);

  it('2,000 random traces agree with the model, with no report (seed printed)', async () => {
    console.log(`sanitizers: seed ${seed} (replay: NSMODEL_SEED=${seed} npx vitest run test/kernel-sanitizers)`);
    await fc.assert(fc.asyncProperty(arbTrace({ maxSteps: 12 }), async (trace) => {
      if (needsStaticAgent(trace)) return;
      const d = await diffTrace(trace, new ModelBackend(), kernel);
      if (!d.agree) throw new Error(`${formatDivergence(trace, d.divergence!)}\nThe trace:\n${formatTrace(trace)}`);
    }), { seed, numRuns: 2000 });
    expect(reports()).toBe('');
  }, 300_000);
});
