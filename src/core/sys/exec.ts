/**
 * The one tool runner of src/core: every child process of the scan, the labs, the guided-lab
 * checks and the actions starts here. Argument arrays (never a shell), the executable resolved on
 * a PATH, a timeout, `LC_ALL=C` (text output parses the same everywhere), stderr kept, and a typed
 * result that never throws. No other module imports node:child_process (a unit test checks).
 */
import { execFile, spawn, type ChildProcessByStdio, type StdioNull, type StdioPipe } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { which } from './which';

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
  /** PATH to resolve a bare tool name on (and to give the tool); default: the environment's PATH. */
  path?: string;
  maxBuffer?: number;
}

/** The environment every tool gets: the caller's (or this process's), the PATH asked for, and the C locale. */
export function toolEnvironment(opts: Pick<RunOptions, 'env' | 'path'> = {}): NodeJS.ProcessEnv {
  const base = opts.env ?? process.env;
  return { ...base, ...(opts.path !== undefined ? { PATH: opts.path } : {}), LC_ALL: 'C' };
}

/** Run a program with an argument array (never a shell), a timeout, and a result that never throws. */
export function run(file: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args as string[],
      { timeout: opts.timeoutMs ?? 5000, maxBuffer: opts.maxBuffer ?? 64 * 1024 * 1024, env: toolEnvironment(opts), killSignal: 'SIGKILL', encoding: 'utf8' },
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

/**
 * A long-running tool whose streams the caller wires itself (a capture piped into a writer):
 * argument array, the tool environment; the caller owns the process and its end.
 */
export function start<I extends Stdio, O extends Stdio, E extends Stdio>(
  file: string,
  args: readonly string[],
  stdio: [I, O, E],
  opts: Pick<RunOptions, 'env' | 'path'> = {},
): ChildProcessByStdio<Piped<I, Writable>, Piped<O, Readable>, Piped<E, Readable>> {
  return spawn(file, args as string[], { stdio, env: toolEnvironment(opts) }) as ChildProcessByStdio<Piped<I, Writable>, Piped<O, Readable>, Piped<E, Readable>>;
}
type Stdio = StdioNull | StdioPipe;
type Piped<S, T> = S extends StdioPipe ? T : null;

/** Runs a tool by name; injectable so tests replay recorded output (virsh, VBoxManage). */
export type ToolRunner = (tool: string, args: readonly string[]) => Promise<RunResult>;

/** The real runner: look the tool up on `path` (once), run it with the timeout; `error: 'ENOENT'` when absent. */
export function pathToolRunner(opts: { path: string; timeoutMs: number }): ToolRunner {
  const found = new Map<string, Promise<string | undefined>>();
  return async (tool, args) => {
    if (!found.has(tool)) found.set(tool, which(tool, opts.path));
    const bin = await found.get(tool);
    if (!bin) return { ok: false, code: null, stdout: '', stderr: `${tool} not found on PATH`, error: 'ENOENT' };
    return run(bin, args, { timeoutMs: opts.timeoutMs, path: opts.path });
  };
}

/** First non-empty line of a tool's complaint, for source details. */
export function firstLine(s: string): string {
  return s.split('\n').map((l) => l.trim()).find(Boolean) ?? '';
}

/** One line of why a tool failed, for skip reasons and source details. */
export function failure(r: RunResult): string {
  const msg = (r.stderr || r.stdout).trim().split('\n').filter(Boolean).pop();
  return r.error ? `${r.error}${msg ? `: ${msg}` : ''}` : msg || `exit code ${r.code}`;
}
