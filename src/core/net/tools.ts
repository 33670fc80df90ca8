import type { ScanOptions } from '../context';
import { run, type RunResult } from '../sys/exec';

/** Environment for the network tools: the configured PATH and the C locale, so their text output parses the same everywhere. */
export function toolEnv(opts: ScanOptions): NodeJS.ProcessEnv {
  return { ...process.env, PATH: opts.path, LC_ALL: 'C' };
}

/** Run one network tool (ip, bridge, nsenter, ovs-*) with the scan's PATH and timeout. */
export function runTool(opts: ScanOptions, file: string, args: readonly string[], timeoutMs = opts.timeoutMs): Promise<RunResult> {
  return run(file, args, { timeoutMs, env: toolEnv(opts) });
}

/** Interface and OVS bridge names as the kernel allows them; anything else is never passed to a tool. */
export const IFNAME_RE = /^[A-Za-z0-9_.:@-]{1,15}$/;

/** One line of why a tool failed, for skip reasons and source details. */
export function failure(r: RunResult): string {
  const msg = (r.stderr || r.stdout).trim().split('\n').filter(Boolean).pop();
  return r.error ? `${r.error}${msg ? `: ${msg}` : ''}` : msg || `exit code ${r.code}`;
}
