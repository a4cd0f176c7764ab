// Placeholder until the model lands (owner: the model work).
import { BackendUnavailable, type Backend, type NsIdentity } from '../trace/backend.js';
import type { NsFile, Result, Setup, Snapshot, Step } from '../trace/types.js';

export class ModelBackend implements Backend {
  readonly name = 'model';
  async start(_setup: Setup): Promise<void> { throw new BackendUnavailable('the model is not built yet'); }
  async run(_steps: readonly Step[]): Promise<Result[]> { throw new BackendUnavailable('the model is not built yet'); }
  async snapshot(): Promise<Snapshot> { throw new BackendUnavailable('the model is not built yet'); }
  async identity(_p: string, _f: NsFile): Promise<NsIdentity | null> { return null; }
  async close(): Promise<void> {}
}
