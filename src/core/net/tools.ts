import type { ScanOptions } from '../context';
import { run, type RunResult } from '../sys/exec';

export { failure } from '../sys/exec';
export { IFNAME_RE } from './ifname';

/** Run one network tool (ip, bridge, nsenter, ovs-*) with the scan's PATH and timeout (through the one runner). */
export function runTool(opts: ScanOptions, file: string, args: readonly string[], timeoutMs = opts.timeoutMs): Promise<RunResult> {
  return run(file, args, { timeoutMs, path: opts.path });
}
