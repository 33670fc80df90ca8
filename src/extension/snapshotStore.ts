import * as vscode from 'vscode';
import { defaultVersionCacheFile, scanOptions, type ScanOptions } from '../core/context';
import { diffSnapshots, type SnapshotDiff } from '../core/model/diff';
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
  /** The last change: the watcher's diff, or one computed on first request and then kept. */
  private last: { before: Snapshot | undefined; after: Snapshot; diff?: SnapshotDiff } | undefined;
  /** Fires with every new snapshot (full or after a diff); `diffBetween` tells what changed. */
  readonly onDidChange = this.changed.event;

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

  /**
   * What changed from `before` to `after`. For the latest change this is the watcher's own diff
   * (or, after a full scan, one computed once for every consumer); other pairs are compared here.
   */
  diffBetween(before: Snapshot, after: Snapshot): SnapshotDiff {
    const l = this.last;
    if (l && l.before === before && l.after === after) return (l.diff ??= diffSnapshots(before, after));
    return diffSnapshots(before, after);
  }

  private publish(snap: Snapshot, why: string, diff?: SnapshotDiff): void {
    this.last = { before: this.current, after: snap, diff };
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
      // The watcher's diff is from the snapshot it emitted last; it is this change only if nothing
      // else (a full refresh, the root scan) was published in between.
      let base: Snapshot | undefined;
      w.on('diff', (diff: SnapshotDiff, snap: Snapshot) => {
        const own = base !== undefined && base === this.current;
        base = snap;
        this.publish(snap, `live: +${diff.addedNodes.length} ~${diff.changedNodes.length} -${diff.removedNodes.length}`, own ? diff : undefined);
      });
      w.on('refresh-error', (e: Error) => this.log.error(`live refresh failed: ${e.message}`));
      w.on('docker', (state: string, detail?: string) => this.log.info(`docker events: ${state}${detail ? ` (${detail})` : ''}`));
      // The watcher's first full scan doubles as the refresh a view may be waiting for.
      const first = w.start().then((snap) => {
        base = snap;
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
  }
}
