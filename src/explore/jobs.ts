// --jobs J: the search split by first steps over J worker threads (as --shard i/J each), the
// answers merged (merge.ts): the same answer as one job.

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Property } from './property.js';
import { Explorer, type SearchOptions, type SearchResult } from './search.js';
import { mergeResults } from './merge.js';

/** Where a property came from, so that a worker can load it again (set by loadProperty). */
export const SOURCE = Symbol.for('nsmodel.explore.source');

export async function searchInWorkers(p: Property, options: SearchOptions, jobs: number): Promise<SearchResult> {
  const source = (p as unknown as Record<symbol, string | undefined>)[SOURCE];
  const shardOpts = (j: number): SearchOptions => ({ ...options, progress: undefined, shard: { index: j, count: jobs } });
  if (!source) {
    // a property object of the caller's: no worker can load it; the shards run here, one after the other
    return mergeResults(Array.from({ length: jobs }, (_, j) => new Explorer(p, options.wasmPath).run(shardOpts(j))));
  }
  const ts = import.meta.url.endsWith('.ts');
  const url = new URL(ts ? './worker.ts' : './worker.js', import.meta.url);
  const results = await Promise.all(Array.from({ length: jobs }, (_, j) => new Promise<SearchResult>((resolve, reject) => {
    const { progress: _p, ...plain } = shardOpts(j);
    // from the TypeScript sources (tests, tsx), the worker loads its module through tsx's API
    const w = ts
      ? new Worker(`import(${JSON.stringify(pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href)}).then((m) => m.tsImport(${JSON.stringify(url.href)}, ${JSON.stringify(url.href)}))`,
        { eval: true, workerData: { source, options: plain } })
      : new Worker(url, { workerData: { source, options: plain } });
    w.once('message', (m: { result?: SearchResult; error?: string; name?: string }) => {
      if (m.error) reject(Object.assign(new Error(m.error), { name: m.name ?? 'Error' }));
      else resolve(m.result!);
      void w.terminate();
    });
    w.once('error', reject);
  })));
  return mergeResults(results);
}
