// A consumer of `virtlab snapshot --watch` for the outage tests: it applies the JSON lines to its
// own copy of the containers the view shows, the way a client of the stream would, and notes
// every line's arrival time, every duplicate add and every Docker connection state line.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';

export const REPO = path.resolve(__dirname, '../..');
export const CLI = path.join(REPO, 'dist/cli.js');

interface WireNode {
  id: string;
  kind: string;
  props: Record<string, unknown>;
}

export class WatchView {
  readonly child: ChildProcess;
  /** Container nodes now in the view: id (without the `container:` prefix) -> state. */
  readonly containers = new Map<string, string>();
  /** performance.now() of the last line that changed the container set or a container's state. */
  lastChange = 0;
  /** Adds of a node id the view already held, and ids listed twice in one message. */
  duplicates: string[] = [];
  dockerLines: { at: number; state: string; detail?: string }[] = [];
  errors: string[] = [];
  stderr = '';
  private firstSnapshot: Promise<void>;

  /** `stopOnFirstSnapshot`: send SIGTERM from the line handler that sees the first snapshot. */
  constructor(args: string[], env: NodeJS.ProcessEnv = {}, o: { stopOnFirstSnapshot?: boolean } = {}) {
    this.child = spawn(process.execPath, [CLI, 'snapshot', '--watch', ...args], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (b: Buffer) => (this.stderr = (this.stderr + b.toString()).slice(-4000)));
    const rl = readline.createInterface({ input: this.child.stdout! });
    this.firstSnapshot = new Promise((resolve, reject) => {
      rl.on('line', (line) => {
        const m = JSON.parse(line) as { type: string } & Record<string, unknown>;
        if (m.type === 'snapshot' && o.stopOnFirstSnapshot && this.running) this.child.kill('SIGTERM');
        this.apply(m);
        if (m.type === 'snapshot') resolve();
      });
      this.child.once('exit', (code, sig) => reject(new Error(`watch exited (${code ?? sig}) before its first snapshot: ${this.stderr}`)));
    });
  }

  /** Resolves once the first snapshot line arrived. */
  ready(): Promise<void> {
    return this.firstSnapshot;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  private put(nodes: WireNode[], isAdd: boolean): boolean {
    let changed = false;
    const seen = new Set<string>();
    for (const n of nodes) {
      if (seen.has(n.id)) this.duplicates.push(n.id);
      seen.add(n.id);
      if (n.kind !== 'container') continue;
      const id = n.id.replace(/^container:/, '');
      if (isAdd && this.containers.has(id)) this.duplicates.push(n.id);
      const state = String(n.props.state);
      if (this.containers.get(id) !== state) changed = true;
      this.containers.set(id, state);
    }
    return changed;
  }

  private apply(m: { type: string } & Record<string, unknown>): void {
    const at = performance.now();
    let changed = false;
    if (m.type === 'snapshot') {
      this.containers.clear();
      changed = this.put(m.nodes as WireNode[], true);
    } else if (m.type === 'diff') {
      changed = this.put(m.addedNodes as WireNode[], true) || changed;
      changed = this.put(m.changedNodes as WireNode[], false) || changed;
      for (const id of m.removedNodes as string[]) if (id.startsWith('container:') && this.containers.delete(id.slice('container:'.length))) changed = true;
    } else if (m.type === 'docker') {
      this.dockerLines.push({ at, state: String(m.state), detail: m.detail as string | undefined });
    } else if (m.type === 'error') {
      this.errors.push(String(m.message));
    }
    if (changed) this.lastChange = at;
  }

  /** Resolves when the process has exited, with its exit code or the signal that killed it. */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (!this.running) return Promise.resolve({ code: this.child.exitCode, signal: this.child.signalCode });
    return new Promise((r) => this.child.once('exit', (code, signal) => r({ code, signal })));
  }

  /** SIGTERM, then SIGKILL after 10 s; resolves with the exit code (0 = a clean stop). */
  async stop(): Promise<number | null> {
    if (!this.running) return this.child.exitCode;
    const exited = new Promise<number | null>((r) => this.child.once('exit', (code) => r(code)));
    this.child.kill('SIGTERM');
    const t = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    const code = await exited;
    clearTimeout(t);
    return code;
  }
}

/** Same ids with the same states. */
export function sameContainers(view: Map<string, string>, truth: Map<string, string>): boolean {
  if (view.size !== truth.size) return false;
  for (const [id, st] of truth) if (view.get(id) !== st) return false;
  return true;
}

/** Nearest-rank percentile of a list of numbers. */
export function percentile(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Still running after the hang limit: killed. */
  hung: boolean;
}

/** Run `node dist/cli.js ARGS`; a run still going after `hangMs` is killed and reported as hung. */
export function runCli(args: string[], hangMs: number, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const c = spawn(process.execPath, [CLI, ...args], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let hung = false;
    c.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    c.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const t = setTimeout(() => {
      hung = true;
      c.kill('SIGKILL');
    }, hangMs);
    c.on('exit', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr, ms: Math.round(performance.now() - t0), hung });
    });
  });
}
