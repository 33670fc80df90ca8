import * as vscode from 'vscode';
import { scanOptions, type ScanOptions } from '../core/context';
import type { Snapshot } from '../core/model/graph';
import { takeSnapshot } from '../core/scan';

/** Holds the latest snapshot; one refresh at a time, later callers share the one in flight. */
export class SnapshotStore implements vscode.Disposable {
  private current: Snapshot | undefined;
  private inFlight: Promise<Snapshot> | undefined;
  private lastError: string | undefined;
  private readonly changed = new vscode.EventEmitter<Snapshot>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  get latest(): Snapshot | undefined {
    return this.current;
  }

  get error(): string | undefined {
    return this.lastError;
  }

  /** Options from settings (`scope: machine`), so recorded trees can be explored too. */
  options(): ScanOptions {
    const c = vscode.workspace.getConfiguration('virtlab');
    return scanOptions({
      roots: { proc: c.get<string>('procRoot') || undefined, sys: c.get<string>('sysRoot') || undefined },
      dockerSocket: c.get<string>('dockerSocket') || undefined,
    });
  }

  refresh(): Promise<Snapshot> {
    if (this.inFlight) return this.inFlight;
    const started = Date.now();
    this.inFlight = takeSnapshot(this.options())
      .then((snap) => {
        this.current = snap;
        this.lastError = undefined;
        const notOk = Object.entries(snap.report.sources).filter(([, s]) => s.state !== 'ok');
        this.log.info(`snapshot: ${snap.nodes.length} nodes, ${snap.edges.length} edges, ${snap.report.skipped.length} skipped, ${Date.now() - started} ms`);
        for (const [name, s] of notOk) this.log.warn(`source ${name}: ${s.state}${s.detail ? ` - ${s.detail}` : ''}`);
        this.changed.fire(snap);
        return snap;
      })
      .catch((e: unknown) => {
        this.lastError = (e as Error).message;
        this.log.error(`snapshot failed: ${(e as Error).stack ?? e}`);
        throw e;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
