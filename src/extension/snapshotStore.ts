import * as vscode from 'vscode';
import { defaultVersionCacheFile, scanOptions, type ScanOptions } from '../core/context';
import type { SnapshotDiff } from '../core/model/diff';
import type { Snapshot } from '../core/model/graph';
import { takeSnapshot } from '../core/scan';
import { SnapshotWatcher } from '../core/watch';

/**
 * Holds the latest snapshot. While a VirtLab view is visible a SnapshotWatcher keeps it live
 * (Docker events first, a slow rescan for /proc, OVS and links); when nothing is visible it
 * stops, so VirtLab costs nothing while nobody looks.
 */
export class SnapshotStore implements vscode.Disposable {
  private current: Snapshot | undefined;
  private inFlight: Promise<Snapshot> | undefined;
  private watcher: SnapshotWatcher | undefined;
  private viewsWantLive = false;
  private readonly liveHolders = new Set<string>();
  private intervalMs = 5000;
  private readonly changed = new vscode.EventEmitter<Snapshot>();
  private readonly diffs = new vscode.EventEmitter<{ diff: SnapshotDiff; snapshot: Snapshot }>();
  /** Fires with every new snapshot (full or after a diff). */
  readonly onDidChange = this.changed.event;
  /** Fires with the diff behind each live update, for the webview. */
  readonly onDidDiff = this.diffs.event;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  get latest(): Snapshot | undefined {
    return this.current;
  }

  get live(): boolean {
    return !!this.watcher;
  }

  /** Options from settings (`scope: machine`), so recorded trees can be explored too. */
  options(): ScanOptions {
    const c = vscode.workspace.getConfiguration('virtlab');
    return scanOptions({
      roots: { proc: c.get<string>('procRoot') || undefined, sys: c.get<string>('sysRoot') || undefined },
      // Empty (the default) lets the core choose: DOCKER_HOST=unix://…, VIRTLAB_DOCKER_SOCKET, /var/run/docker.sock.
      dockerSocket: c.get<string>('dockerSocket') || undefined,
      dockerSocketName: 'virtlab.dockerSocket',
      versionCacheFile: defaultVersionCacheFile(),
    });
  }

  private publish(snap: Snapshot, why: string): void {
    this.current = snap;
    const notOk = Object.entries(snap.report.sources).filter(([, s]) => s.state !== 'ok');
    this.log.info(`snapshot (${why}): ${snap.nodes.length} nodes, ${snap.edges.length} edges, ${snap.report.skipped.length} skipped, ${snap.report.durationMs} ms`);
    for (const [name, s] of notOk) this.log.warn(`source ${name}: ${s.state}${s.detail ? ` - ${s.detail}` : ''}`);
    this.changed.fire(snap);
  }

  /** Show a snapshot taken elsewhere (the read-only root scan); validated at this boundary. */
  adopt(value: unknown, why: string): void {
    const v = value as Partial<Snapshot> | undefined;
    if (!v || v.version !== 1 || !Array.isArray(v.nodes) || !Array.isArray(v.edges) || typeof v.report !== 'object') throw new Error('not a VirtLab snapshot (version 1)');
    this.publish(v as Snapshot, why);
  }

  /** A full scan now; concurrent callers share the one in flight. */
  refresh(): Promise<Snapshot> {
    if (this.inFlight) return this.inFlight;
    this.inFlight = takeSnapshot(this.options())
      .then((snap) => {
        this.publish(snap, 'full');
        return snap;
      })
      .catch((e: unknown) => {
        this.log.error(`snapshot failed: ${(e as Error).stack ?? e}`);
        throw e;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  /** Start or stop live updates for the tree views; called when their visibility changes. */
  setLive(on: boolean, intervalMs = 5000): void {
    this.viewsWantLive = on;
    this.intervalMs = intervalMs;
    this.applyLive();
  }

  /**
   * Keep live updates on while `owner` (e.g. the topology panel) is visible, independently of the
   * tree views: updates run while the views or any holder want them.
   */
  holdLive(owner: string, on: boolean): void {
    if (on) this.liveHolders.add(owner);
    else this.liveHolders.delete(owner);
    this.applyLive();
  }

  private applyLive(): void {
    const on = this.viewsWantLive || this.liveHolders.size > 0;
    const intervalMs = this.intervalMs;
    if (on && !this.watcher) {
      const w = new SnapshotWatcher({ opts: this.options(), takeSnapshot, intervalMs });
      this.watcher = w;
      w.on('diff', (diff: SnapshotDiff, snap: Snapshot) => {
        this.diffs.fire({ diff, snapshot: snap });
        this.publish(snap, `live: +${diff.addedNodes.length} ~${diff.changedNodes.length} -${diff.removedNodes.length}`);
      });
      w.on('refresh-error', (e: Error) => this.log.error(`live refresh failed: ${e.message}`));
      w.on('docker', (state: string, detail?: string) => this.log.info(`docker events: ${state}${detail ? ` (${detail})` : ''}`));
      // The watcher's first full scan doubles as the refresh a view may be waiting for.
      const first = w.start().then((snap) => {
        this.publish(snap, 'live start');
        return snap;
      });
      first.catch((e: unknown) => this.log.error(`live updates could not start: ${(e as Error).message}`));
      this.inFlight ??= first.finally(() => {
        if (this.inFlight === guarded) this.inFlight = undefined;
      });
      const guarded = this.inFlight;
      this.log.info(`live updates on (a VirtLab view is visible; full rescan every ${intervalMs / 1000} s)`);
    } else if (!on && this.watcher) {
      const w = this.watcher;
      this.watcher = undefined;
      void w.stop();
      this.log.info('live updates off (no VirtLab view is visible)');
    }
  }

  dispose(): void {
    this.liveHolders.clear();
    this.setLive(false);
    this.changed.dispose();
    this.diffs.dispose();
  }
}
