// Placeholder until the model lands (owner: the kernel backend work).
import { BackendUnavailable, type Backend, type NsIdentity } from '../trace/backend.js';
import type { NsFile, Result, Setup, Snapshot, Step } from '../trace/types.js';

export class KernelBackend implements Backend {
  readonly name = 'kernel';
  async start(_setup: Setup): Promise<void> { throw new BackendUnavailable('the kernel backend is not built yet'); }
  async run(_steps: readonly Step[]): Promise<Result[]> { throw new BackendUnavailable('the kernel backend is not built yet'); }
  async snapshot(): Promise<Snapshot> { throw new BackendUnavailable('the kernel backend is not built yet'); }
  async identity(_p: string, _f: NsFile): Promise<NsIdentity | null> { return null; }
  async close(): Promise<void> {}
}
