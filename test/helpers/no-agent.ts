// Spawn nsmodel as if the kernel backend could not run here: the agent binary missing.
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { nsmodel, type Ran } from '../cli-helpers.js';

export async function withoutAgent(args: string[], input?: string): Promise<Ran> {
  const saved = process.env.NSMODEL_AGENT;
  process.env.NSMODEL_AGENT = join(tmpdir(), 'nsmodel-no-such-agent');
  try {
    return await nsmodel(args, input);
  } finally {
    if (saved === undefined) delete process.env.NSMODEL_AGENT;
    else process.env.NSMODEL_AGENT = saved;
  }
}
