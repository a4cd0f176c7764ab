// `explore`: an isolation property searched in the model, its counterexample replayed on the
// kernel (issue 10). The library's entry points: defineProperty, explore, loadProperty, and
// the report's formats.

import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Backend, Why } from '../trace/backend.js';
import type { Result, Step, Trace } from '../trace/types.js';
import { ModelBackend } from '../model/backend.js';
import { defineProperty, isProperty, PropertyError, type Property, type PropertyDefinition } from './property.js';
import { Explorer, type SearchOptions, type SearchResult } from './search.js';
import { linuxName, replayCounterexample, type KernelReplay } from './replay.js';
import { BUILTIN_PROPERTIES } from '../../sim/properties/index.js';
import { SOURCE } from './jobs.js';

export { defineProperty, isProperty, PropertyError, type Property, type PropertyDefinition };
export type { Alphabet, StepOutcome, Verdict } from './property.js';
export { StateView, viewWordsOfSnapshot } from './view.js';
export { Explorer, FingerprintSet, type SearchOptions, type SearchResult, type SearchProgress } from './search.js';
export { ExploreWorld } from './world.js';
export { replayCounterexample, evaluateOn, type KernelReplay } from './replay.js';
export { BUILTIN_PROPERTIES };
export { formatReport, formatJsonLine, stepText } from './format.js';

export interface ExploreOptions extends SearchOptions {
  /** Replay a counterexample on the kernel: true (must: BackendUnavailable otherwise), false, or 'auto' (default: when it can run here). */
  kernel?: boolean | 'auto';
  /** The kernel backend to replay on (default: a KernelBackend made and disposed for the call). */
  kernelBackend?: Backend;
  /** Worker threads for the search (default 1). */
  jobs?: number;
}

/** One step of the counterexample as the model ran it. */
export interface ExploredStep {
  step: Step;
  result: Result;
  /** The model's check, for an error. */
  why?: Why;
  /** A step of the world (the prefix), not of the search. */
  world: boolean;
}

/** The search's figures (SearchResult: verdict, strategy, depth, complete, states, ...), and what explore adds. */
export interface ExploreReport
  extends Pick<SearchResult, 'verdict' | 'strategy' | 'depth' | 'complete' | 'stoppedBy' | 'states' | 'transitions' | 'seconds' | 'statesPerSecond' | 'seed'> {
  property: string;
  title: string;
  explanation: string;
  shard?: { index: number; count: number };
  collisions?: number;
  /** The world and the counterexample as one trace (TRACE.md), or null. */
  counterexample: Trace | null;
  /** The first step of the search in the counterexample (after the world's). */
  firstStep?: number;
  /** The lexicographic ranks of the counterexample's actions (how shards' answers are ordered). */
  ranks?: number[];
  steps?: ExploredStep[];
  message?: string;
  kernel: 'confirmed' | 'not-reproduced' | 'skipped';
  kernelReplay?: KernelReplay;
  kernelSkipped?: string;
}

/** A built-in property by name, or a property module (a file exporting a defineProperty result, default or named). */
export async function loadProperty(nameOrFile: string): Promise<Property> {
  const builtin = BUILTIN_PROPERTIES.find((p) => p.name === nameOrFile);
  if (builtin) return withSource(builtin, nameOrFile);
  const looksLikeFile = /[/\\]|\.(ts|mts|js|mjs)$/.test(nameOrFile);
  if (!looksLikeFile || !existsSync(nameOrFile)) {
    if (looksLikeFile) throw new PropertyError(`no such property file: ${nameOrFile}`);
    throw new PropertyError(`unknown property '${nameOrFile}' (built-in: ${BUILTIN_PROPERTIES.map((p) => p.name).join(', ')}; or a file)`);
  }
  const path = isAbsolute(nameOrFile) ? nameOrFile : resolve(nameOrFile);
  let mod: Record<string, unknown>;
  try {
    if (/\.(ts|mts)$/.test(path)) {
      let tsImport: (spec: string, parent: string) => Promise<Record<string, unknown>>;
      try {
        ({ tsImport } = await import('tsx/esm/api') as { tsImport: typeof tsImport });
      } catch {
        throw new PropertyError(`${nameOrFile}: a TypeScript property needs tsx (npm install -D tsx), or compile it to .js`);
      }
      mod = await tsImport(pathToFileURL(path).href, import.meta.url);
    } else {
      mod = await import(pathToFileURL(path).href) as Record<string, unknown>;
    }
  } catch (e) {
    if (e instanceof PropertyError) throw e;
    throw new PropertyError(`${nameOrFile}: cannot load it: ${(e as Error).message.split('\n')[0]}`);
  }
  const candidates = [mod.default, (mod.default as Record<string, unknown> | undefined)?.default, ...Object.values(mod)];
  const found = candidates.find(isProperty);
  if (found) return withSource(found, path);
  throw new PropertyError(`${nameOrFile}: exports no property (export default defineProperty({...}))`);
}

/** The property, remembering where it came from (so that worker threads can load it again). */
function withSource(p: Property, source: string): Property {
  return Object.assign(Object.create(Object.getPrototypeOf(p) as object) as Property, p, { [SOURCE]: source });
}

/** Search `property` in the model; replay a counterexample on the kernel. */
export async function explore(property: Property | PropertyDefinition, options: ExploreOptions = {}): Promise<ExploreReport> {
  const p = isProperty(property) ? property : defineProperty(property);
  const jobs = options.jobs ?? 1;
  let r: SearchResult;
  if (jobs > 1 && (options.strategy ?? 'bfs') === 'bfs') {
    const { searchInWorkers } = await import('./jobs.js');
    r = await searchInWorkers(p, options, jobs);
  } else {
    r = new Explorer(p, options.wasmPath).run(options);
  }
  return finish(p, r, options);
}

/** Make the report of a search: the counterexample as a trace with the model's results, and its kernel replay. */
export async function finish(p: Property, r: SearchResult, options: ExploreOptions): Promise<ExploreReport> {
  const report: ExploreReport = {
    property: p.name, title: p.title, explanation: p.explanation, verdict: r.verdict, strategy: r.strategy,
    depth: r.depth, complete: r.complete, stoppedBy: r.stoppedBy, states: r.states, transitions: r.transitions,
    seconds: r.seconds, statesPerSecond: r.statesPerSecond, seed: r.seed, shard: options.shard, collisions: r.collisions,
    counterexample: null, kernel: 'skipped',
  };
  if (!r.counterexample) {
    if (r.verdict === 'holds') report.kernelSkipped = 'nothing to replay: the property holds within the bound';
    return report;
  }
  const trace: Trace = { nsmodel: 1, name: `${p.name}: counterexample`, setup: p.setup, steps: [...p.prefix, ...r.counterexample.path] };
  report.counterexample = trace;
  report.firstStep = p.prefix.length;
  report.ranks = r.counterexample.ranks;
  report.message = r.counterexample.message;
  // the model's results and checks, from the model as every other command runs it
  const model = new ModelBackend();
  await model.start(trace.setup);
  try {
    const results = await model.run(trace.steps);
    report.steps = trace.steps.map((step, i) => ({
      step, result: results[i], why: 'err' in results[i] ? model.why(i) : undefined, world: i < p.prefix.length,
    }));
  } finally {
    await model.close();
  }
  const want = options.kernel ?? 'auto';
  if (want === false) {
    report.kernelSkipped = 'kernel replay turned off (--no-kernel)';
    return report;
  }
  let backend = options.kernelBackend;
  let own = false;
  if (!backend) {
    const { KernelBackend, kernelAvailable } = await import('../kernel/backend.js');
    const ok = kernelAvailable();
    if (!ok.ok) {
      if (want === true) {
        const { BackendUnavailable } = await import('../trace/backend.js');
        throw new BackendUnavailable(`kernel replay asked for, but ${ok.reason}`);
      }
      report.kernelSkipped = ok.reason;
      return report;
    }
    backend = new KernelBackend();
    own = true;
  }
  try {
    const replay = await replayCounterexample(p, trace, backend);
    report.kernelReplay = replay;
    report.kernel = replay.outcome;
  } finally {
    if (own) {
      const b = backend as Backend & { dispose?: () => Promise<void> };
      await (b.dispose ? b.dispose() : b.close());
    }
  }
  return report;
}

export { linuxName };
