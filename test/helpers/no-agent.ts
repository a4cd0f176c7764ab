// Spawn nsmodel as if the kernel backend could not run here: the agent binary missing.
// What nsmodel then says depends on who runs the tests: as root, that the agent is missing;
// as any other user, that the kernel backend needs root (checked first). noKernelMessage()
// is that sentence, from kernelAvailable() itself, so the tests hold as root and as nobody.
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { kernelAvailable } from '../../src/kernel/backend.js';
import { nsmodel, type Ran } from '../cli-helpers.js';

export const NO_AGENT = join(tmpdir(), 'nsmodel-no-such-agent');

export async function withoutAgent(args: string[], input?: string): Promise<Ran> {
  const saved = process.env.NSMODEL_AGENT;
  process.env.NSMODEL_AGENT = NO_AGENT;
  try {
    return await nsmodel(args, input);
  } finally {
    if (saved === undefined) delete process.env.NSMODEL_AGENT;
    else process.env.NSMODEL_AGENT = saved;
  }
}

/** The line nsmodel prints (stderr) when run by withoutAgent: `nsmodel: <the reason>\n`. */
export function noKernelMessage(): string {
  const r = kernelAvailable({ agentPath: NO_AGENT });
  if (r.ok) throw new Error(`${NO_AGENT} exists: the tests need it absent`);
  return `nsmodel: ${r.reason}\n`;
}
