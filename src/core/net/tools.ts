import type { ScanOptions } from '../context';
import { run, type RunResult } from '../sys/exec';

export { failure } from '../sys/exec';

/** Run one network tool (ip, bridge, nsenter, ovs-*) with the scan's PATH and timeout (through the one runner). */
export function runTool(opts: ScanOptions, file: string, args: readonly string[], timeoutMs = opts.timeoutMs): Promise<RunResult> {
  return run(file, args, { timeoutMs, path: opts.path });
}

/** Interface and OVS bridge names as the kernel allows them; anything else is never passed to a tool. */
export const IFNAME_RE = /^[A-Za-z0-9_.:@-]{1,15}$/;
