/**
 * A long-lived subscription to Docker's GET /events that survives daemon restarts: it reconnects
 * with backoff (1, 2, 4, 8, 8 ... s) and says 'reconnected' so its user relists, because events
 * that happened while it was disconnected are lost.
 */
import { EventEmitter } from 'node:events';
import Docker from 'dockerode';
import { localDocker, toCallError } from './client';
import { LineSplitter, parseEventLine } from './event-json';

/** Opens the events stream; resolves once the daemon answered 200, rejects otherwise. */
export type EventsConnector = (signal: AbortSignal) => Promise<NodeJS.ReadableStream>;

export interface DockerEventSourceOptions {
  socketPath: string;
  /** Deadline for the daemon to answer the subscription (not for the idle stream). */
  connectTimeoutMs?: number;
  /** Delays between attempts; the last one repeats. */
  backoffMs?: readonly number[];
  /** Injected in tests; defaults to dockerode on `socketPath`. */
  connect?: EventsConnector;
}

export const DEFAULT_BACKOFF_MS = [1000, 2000, 4000, 8000] as const;

/** The real connector: dockerode getEvents on a unix socket, aborted by `signal`. */
export function dockerEventsConnector(socketPath: string, connectTimeoutMs: number): EventsConnector {
  // No client-wide `timeout`: it is an idle timeout and would cut a quiet events stream.
  const docker = localDocker(socketPath);
  return async (signal) => {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), connectTimeoutMs);
    const onAbort = (): void => deadline.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const stream = await docker.getEvents({ abortSignal: deadline.signal } as Docker.GetEventsOptions);
      return stream;
    } catch (e) {
      throw toCallError(e, deadline.signal.aborted && !signal.aborted, 'GET /events', connectTimeoutMs);
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * Emits 'event' (DockerEvent), 'connected' (first success), 'reconnected' (success after a loss
 * or after failed first attempts), 'disconnected' (Error, with the delay before the next try in
 * `retryInMs`). `stop()` leaves no timer or socket behind.
 */
export class DockerEventSource extends EventEmitter {
  private readonly connect: EventsConnector;
  private readonly backoff: readonly number[];
  private attempt = 0;
  private everConnected = false;
  private lostSinceConnect = false;
  private stopped = true;
  private timer: NodeJS.Timeout | undefined;
  private abort: AbortController | undefined;
  private stream: NodeJS.ReadableStream | undefined;

  constructor(opts: DockerEventSourceOptions) {
    super();
    this.connect = opts.connect ?? dockerEventsConnector(opts.socketPath, opts.connectTimeoutMs ?? 5000);
    this.backoff = opts.backoffMs?.length ? opts.backoffMs : DEFAULT_BACKOFF_MS;
  }

  /** Whether a stream is currently open. */
  get connected(): boolean {
    return this.stream !== undefined;
  }

  /** Start (or restart after stop) the subscription. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.open();
  }

  /** Close the stream and cancel any pending retry. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.abort?.abort();
    this.abort = undefined;
    this.dropStream();
  }

  private dropStream(): void {
    const s = this.stream as (NodeJS.ReadableStream & { destroy?: () => void }) | undefined;
    this.stream = undefined;
    if (s) {
      s.removeAllListeners('data');
      s.removeAllListeners('end');
      s.removeAllListeners('close');
      // Keep an error listener: destroy() may still emit one, and an unhandled 'error' would throw.
      s.on('error', () => undefined);
      s.destroy?.();
    }
  }

  private async open(): Promise<void> {
    if (this.stopped) return;
    const abort = new AbortController();
    this.abort = abort;
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.connect(abort.signal);
    } catch (e) {
      if (this.stopped || abort.signal.aborted) return;
      this.lost(e);
      return;
    }
    if (this.stopped || abort.signal.aborted) {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      return;
    }
    this.stream = stream;
    this.attempt = 0;
    const splitter = new LineSplitter();
    stream.setEncoding?.('utf8');
    stream.on('data', (chunk: string | Buffer) => {
      for (const line of splitter.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8'))) {
        const ev = parseEventLine(line);
        if (ev) this.emit('event', ev);
      }
    });
    let ended = false;
    const onEnd = (err?: unknown): void => {
      if (ended || this.stream !== stream) return;
      ended = true;
      this.dropStream();
      if (!this.stopped) this.lost(err instanceof Error ? err : new Error('events stream closed by the daemon'));
    };
    stream.on('end', () => onEnd());
    stream.on('close', () => onEnd());
    stream.on('error', (e: unknown) => onEnd(e));
    if (!this.everConnected) {
      this.everConnected = true;
      // Failed first attempts mean the caller's first listing may predate the daemon: relist.
      this.emit(this.lostSinceConnect ? 'reconnected' : 'connected');
    } else {
      this.emit('reconnected');
    }
    this.lostSinceConnect = false;
  }

  private lost(err: unknown): void {
    this.lostSinceConnect = true;
    const delay = this.backoff[Math.min(this.attempt, this.backoff.length - 1)];
    this.attempt++;
    const error = err instanceof Error ? err : new Error(String(err));
    this.emit('disconnected', Object.assign(error, { retryInMs: delay }));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.open();
    }, delay);
  }
}
