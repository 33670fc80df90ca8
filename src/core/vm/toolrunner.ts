import type { ScanOptions } from '../context';
import { run, type RunResult } from '../sys/exec';
import { which } from '../sys/which';

/** Runs a management tool (virsh, VBoxManage) by name; injectable so tests replay recorded output. */
export type ToolRunner = (tool: string, args: readonly string[]) => Promise<RunResult>;

/** The real runner: look the tool up on opts.path, run it with the scan timeout; `error: 'ENOENT'` when absent. */
export function pathToolRunner(opts: ScanOptions): ToolRunner {
  const found = new Map<string, Promise<string | undefined>>();
  return async (tool, args) => {
    if (!found.has(tool)) found.set(tool, which(tool, opts.path));
    const bin = await found.get(tool);
    if (!bin) return { ok: false, code: null, stdout: '', stderr: `${tool} not found on PATH`, error: 'ENOENT' };
    return run(bin, args, { timeoutMs: opts.timeoutMs });
  };
}

/** First non-empty line of a tool's complaint, for source details. */
export function firstLine(s: string): string {
  return s.split('\n').map((l) => l.trim()).find(Boolean) ?? '';
}
