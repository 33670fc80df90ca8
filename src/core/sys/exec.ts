import { execFile } from 'node:child_process';

export interface RunResult {
  ok: boolean;
  code: number | null;
  stdout: string;
  stderr: string;
  /** ENOENT (tool not installed), ETIMEDOUT, EACCES ... when the process did not run or finish. */
  error?: string;
}

export interface RunOptions {
  timeoutMs?: number;
  input?: string;
  env?: NodeJS.ProcessEnv;
  maxBuffer?: number;
}

/** Run a program with an argument array (never a shell), a timeout, and a result that never throws. */
export function run(file: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args as string[],
      { timeout: opts.timeoutMs ?? 5000, maxBuffer: opts.maxBuffer ?? 64 * 1024 * 1024, env: opts.env, killSignal: 'SIGKILL', encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (!err) return resolve({ ok: true, code: 0, stdout, stderr });
        const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: number | string };
        const error = e.killed ? 'ETIMEDOUT' : typeof e.code === 'string' ? e.code : undefined;
        resolve({ ok: false, code: typeof e.code === 'number' ? e.code : null, stdout: stdout ?? '', stderr: stderr ?? '', error });
      },
    );
    child.on('error', () => undefined);
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}
