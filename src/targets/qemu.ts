// Runs a command inside a Linux kernel image booted under QEMU (see issue 14).
import { TargetUnavailable } from './unavailable.js';

export interface QemuRun { status: number; stdout: string; stderr: string; release: string }

export async function runInQemu(opts: {
  kernel: string;
  argv: string[];
  cwd: string;
  timeoutMs: number;
  onProgress?: (line: string) => void;
}): Promise<QemuRun> {
  void opts;
  throw new TargetUnavailable('kernel target: not yet implemented');
}
