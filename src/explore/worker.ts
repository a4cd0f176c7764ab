// One job of --jobs: loads the property again and searches one shard.

import { parentPort, workerData } from 'node:worker_threads';
import { loadProperty } from './index.js';
import { Explorer, type SearchOptions } from './search.js';

const { source, options } = workerData as { source: string; options: SearchOptions };
try {
  const p = await loadProperty(source);
  parentPort!.postMessage({ result: new Explorer(p, options.wasmPath).run(options) });
} catch (e) {
  parentPort!.postMessage({ error: (e as Error).message, name: (e as Error).name });
}
