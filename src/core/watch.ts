/**
 * Keeps a snapshot current and reports what changed. Docker events trigger a cheap refresh that
 * re-runs only the Docker reader on top of the previous snapshot, and that reader re-reads only
 * the containers the events named (see dockerPartialRefresh); a daemon reconnect and a slow
 * interval trigger full rescans (which also clean up what the cheap refresh cannot see, such as
 * namespaces of a container that exited).
 */
import { EventEmitter } from 'node:events';
import type { Collector } from './collector';
import type { ScanOptions } from './context';
import { createDockerCollector, DockerIncrementalState } from './docker/collector';
import type { DockerEvent } from './docker/event-json';
import { DockerEventSource } from './docker/events';
import { GraphBuilder } from './model/builder';
import { runCollectors } from './scan';
import { ScanMemo } from './scanMemo';
import { diffSnapshots, isEmptyDiff, type SnapshotDiff } from './model/diff';
import type { NodeKind, Snapshot } from './model/graph';

/** What the watcher needs from a Docker event subscription (DockerEventSource, or a fake in tests). */
export interface EventSourceLike {
  on(event: 'event', f: (e: DockerEvent) => void): unknown;
  on(event: 'connected' | 'reconnected', f: () => void): unknown;
  on(event: 'disconnected', f: (e: Error & { retryInMs?: number }) => void): unknown;
  start(): void;
  stop(): void;
}

/** Re-run some collectors on top of the previous snapshot, replacing the node kinds they own. */
export interface PartialRefresh {
  collectors: Collector[];
  /** Nodes of these kinds (and edges leaving them) are dropped from the previous snapshot first. */
  ownedKinds: NodeKind[];
  /** Told of every relevant event, also those a full rescan handles, so incremental readers know what changed. */
  noteEvent?(e: DockerEvent): void;
  /** Events may have been missed (daemon reconnect): incremental readers must re-read everything. */
  noteGap?(): void;
}

/**
 * The default fast path: the Docker reader alone, re-reading only the containers events named
 * (a network or volume event names its container in attributes.container) and reusing the
 * others' last inspect and kernel view.
 */
export function dockerPartialRefresh(inspectSoftMs: number, state = new DockerIncrementalState()): PartialRefresh {
  return {
    collectors: [createDockerCollector({ inspectSoftMs, incremental: state })],
    ownedKinds: ['container', 'image', 'layer'],
    noteEvent(e) {
      if (e.type === 'container') state.markDirty(e.id);
      else if (e.attributes.container) state.markDirty(e.attributes.container);
    },
    noteGap: () => state.markAllDirty(),
  };
}

export interface SnapshotWatcherOptions {
  opts: ScanOptions;
  /** Full scan; `takeSnapshot` from scan.ts in production. */
  takeSnapshot: (opts: ScanOptions) => Promise<Snapshot>;
  /** Defaults to a DockerEventSource on opts.dockerSocket; null = no Docker events. */
  events?: EventSourceLike | null;
  /**
   * Refresh this long after the first event of a burst (default 50 ms); later events of the burst
   * join it, events during a refresh join the next one. A fixed window, not a sliding one, so a
   * steady stream of events cannot postpone the refresh.
   */
  debounceMs?: number;
  /** Full rescan period for changes without events (/proc, OVS, links); default 5000, 0 = off. */
  intervalMs?: number;
  /**
   * What a Docker event refreshes; default: dockerPartialRefresh, a Docker reader that re-reads
   * only the containers events named and waits at most `inspectSoftMs` per container inspect,
   * replacing container/image/layer nodes. null = full scan.
   */
  partial?: PartialRefresh | null;
  /** Default 30 ms; see CollectDockerOptions.inspectSoftMs. Only for the default `partial`. */
  inspectSoftMs?: number;
}

export type RefreshReason = 'docker-event' | 'reconnected' | 'interval' | 'manual';

/** Why a diff was emitted and how long it took; `latencyMs` runs from the first coalesced event. */
export interface DiffCause {
  reason: RefreshReason;
  events: number;
  scanMs: number;
  latencyMs?: number;
}

/** Ignored: they do not change anything the graph shows, and health checks make them frequent. */
const QUIET_VERBS = new Set(['exec_create', 'exec_start', 'exec_die', 'exec_detach', 'attach', 'detach', 'resize', 'top', 'copy', 'archive-path', 'extract-to-dir', 'export', 'commit']);

/** Whether a Docker event can change the graph. */
export function isRelevantEvent(e: DockerEvent): boolean {
  if (e.type === 'container') return !QUIET_VERBS.has(e.verb);
  return e.type === 'image' || e.type === 'network' || e.type === 'volume';
}

/** Rebuild a snapshot from `prev` with only `partial`'s collectors re-run. Never throws for machine state. */
export async function refreshPartially(prev: Snapshot, partial: PartialRefresh, options: ScanOptions): Promise<Snapshot> {
  const t0 = performance.now();
  const opts: ScanOptions = { ...options, memo: new ScanMemo() };
  const owned = new Set(partial.ownedKinds);
  const names = new Set(partial.collectors.map((c) => c.name));
  const g = new GraphBuilder();
  const dropped = new Set<string>();
  for (const n of prev.nodes) {
    if (owned.has(n.kind)) dropped.add(n.id);
    else g.node(n.id, n.kind, n.label, n.props);
  }
  for (const [name, s] of Object.entries(prev.report.sources)) if (!names.has(name)) g.source(name, { ...s });
  for (const s of prev.report.skipped) if (!names.has(s.source) && s.source !== 'graph') g.skip(s);
  await runCollectors(partial.collectors, opts, g);
  // Edges other readers drew to or from kept nodes survive if both ends still exist.
  for (const e of prev.edges) if (!dropped.has(e.from) && g.has(e.from) && g.has(e.to)) g.edge(e.from, e.to, e.kind, e.props);
  return g.build(Math.round(performance.now() - t0));
}

/**
 * Emits 'snapshot' (Snapshot) after the first scan, 'diff' (SnapshotDiff, Snapshot, DiffCause)
 * for every non-empty change, 'docker' ('connected' | 'reconnected' | 'disconnected', detail)
 * and 'refresh-error' (Error) when a refresh itself failed (the previous snapshot stays current).
 */
export class SnapshotWatcher extends EventEmitter {
  private readonly o: Required<Omit<SnapshotWatcherOptions, 'events' | 'partial' | 'inspectSoftMs'>> & { partial: PartialRefresh | null };
  private readonly events: EventSourceLike | null;
  private snap: Snapshot | undefined;
  private running = false;
  private stopped = false;
  private pending: RefreshReason | undefined;
  private pendingEvents = 0;
  private firstEventAt: number | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private interval: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(options: SnapshotWatcherOptions) {
    super();
    this.o = {
      opts: options.opts,
      takeSnapshot: options.takeSnapshot,
      debounceMs: options.debounceMs ?? 50,
      intervalMs: options.intervalMs ?? 5000,
      partial:
        options.partial === undefined ? dockerPartialRefresh(options.inspectSoftMs ?? 30) : options.partial,
    };
    // No usable socket (DOCKER_HOST=tcp://…): no events either; the scans report why.
    const canSubscribe = !options.opts.dockerSocketProblem && !!options.opts.dockerSocket;
    this.events = options.events === undefined ? (canSubscribe ? new DockerEventSource({ socketPath: options.opts.dockerSocket, connectTimeoutMs: options.opts.timeoutMs }) : null) : options.events;
  }

  /** The latest snapshot (undefined before start() resolved). */
  get current(): Snapshot | undefined {
    return this.snap;
  }

  /** Subscribe to events, take the first full snapshot, start the interval; resolves with that snapshot. */
  async start(): Promise<Snapshot> {
    if (this.running) throw new Error('SnapshotWatcher already started');
    this.running = true;
    // Subscribe before the first scan, so nothing that happens during it is missed.
    if (this.events) {
      this.events.on('event', (e) => this.onEvent(e));
      this.events.on('connected', () => this.emit('docker', 'connected'));
      this.events.on('reconnected', () => {
        this.o.partial?.noteGap?.();
        this.emit('docker', 'reconnected');
        this.request('reconnected');
      });
      this.events.on('disconnected', (e) => {
        this.o.partial?.noteGap?.();
        this.emit('docker', 'disconnected', `${e.message}${e.retryInMs ? `; retrying in ${e.retryInMs} ms` : ''}`);
      });
      this.events.start();
    }
    this.snap = await this.o.takeSnapshot(this.o.opts);
    this.emit('snapshot', this.snap);
    if (this.o.intervalMs > 0 && !this.stopped) this.interval = setInterval(() => this.request('interval'), this.o.intervalMs);
    if (this.pending && !this.stopped) this.kick();
    return this.snap;
  }

  /** Ask for a full rescan now (e.g. the user pressed Refresh). */
  refresh(): void {
    this.request('manual');
  }

  /** Stop events, timers and any queued refresh; resolves when a refresh in flight has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.events?.stop();
    if (this.debounce) clearTimeout(this.debounce);
    if (this.interval) clearInterval(this.interval);
    this.debounce = this.interval = undefined;
    this.pending = undefined;
    await this.inFlight;
  }

  private onEvent(e: DockerEvent): void {
    if (this.stopped || !isRelevantEvent(e)) return;
    this.o.partial?.noteEvent?.(e);
    this.firstEventAt ??= performance.now();
    this.pendingEvents++;
    if (this.debounce) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.request('docker-event');
    }, this.o.debounceMs);
  }

  /** Queue a refresh; a full reason outranks a Docker-event one. One refresh runs at a time. */
  private request(reason: RefreshReason): void {
    if (this.stopped) return;
    if (!this.pending || this.pending === 'docker-event') this.pending = reason;
    if (this.snap) this.kick();
  }

  private kick(): void {
    if (this.inFlight || !this.pending || this.stopped) return;
    this.inFlight = this.runPending().finally(() => {
      this.inFlight = undefined;
      if (this.pending && !this.stopped) this.kick();
    });
  }

  private async runPending(): Promise<void> {
    const reason = this.pending!;
    const events = this.pendingEvents;
    const firstEventAt = this.firstEventAt;
    this.pending = undefined;
    this.pendingEvents = 0;
    this.firstEventAt = undefined;
    const prev = this.snap!;
    const t0 = performance.now();
    let next: Snapshot;
    try {
      next = reason === 'docker-event' && this.o.partial ? await refreshPartially(prev, this.o.partial, this.o.opts) : await this.o.takeSnapshot(this.o.opts);
    } catch (e) {
      // Not 'error': an EventEmitter throws on an unhandled 'error', and a failed refresh must not kill the host.
      this.emit('refresh-error', e instanceof Error ? e : new Error(String(e)));
      return;
    }
    if (this.stopped) return;
    this.snap = next;
    const d = diffSnapshots(prev, next);
    if (isEmptyDiff(d)) return;
    const done = performance.now();
    const cause: DiffCause = { reason, events, scanMs: Math.round(done - t0) };
    if (firstEventAt !== undefined) cause.latencyMs = Math.round(done - firstEventAt);
    this.emit('diff', d, next, cause);
  }
}

/** One diff as a single JSON line (no newline inside), for `virtlab snapshot --watch`. */
export function diffToJsonLine(d: SnapshotDiff): string {
  return JSON.stringify(d);
}
