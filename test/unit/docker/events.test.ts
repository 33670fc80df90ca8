import assert from 'node:assert/strict';
import { once } from 'node:events';
import fs, { readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { DockerEvent } from '../../../src/core/docker/event-json';
import { DockerEventSource, type EventsConnector } from '../../../src/core/docker/events';
import { FIX } from './fixtures';

const LINES = readFileSync(path.join(FIX, 'events.jsonl'), 'utf8').split('\n').filter(Boolean);

/** A scripted daemon: each connect takes the next outcome (a stream, or an error code). */
function scripted(outcomes: ('ok' | string)[]) {
  const streams: PassThrough[] = [];
  const connectTimes: number[] = [];
  let aborted = 0;
  const connect: EventsConnector = async (signal) => {
    connectTimes.push(performance.now());
    signal.addEventListener('abort', () => aborted++);
    const next = outcomes.shift() ?? 'ENOENT';
    if (next !== 'ok') throw Object.assign(new Error(`connect ${next}`), { code: next });
    const s = new PassThrough();
    streams.push(s);
    return s;
  };
  return { connect, streams, connectTimes, aborted: () => aborted };
}

function collect(src: DockerEventSource) {
  const log: string[] = [];
  const events: DockerEvent[] = [];
  src.on('event', (e: DockerEvent) => events.push(e));
  for (const k of ['connected', 'reconnected', 'disconnected']) src.on(k, (e?: { retryInMs?: number }) => log.push(k === 'disconnected' ? `${k}:${e?.retryInMs}` : k));
  return { log, events };
}

describe('docker event source', () => {
  it('emits parsed events, also when the stream splits them', async () => {
    const d = scripted(['ok']);
    const src = new DockerEventSource({ socketPath: '/x', connect: d.connect, backoffMs: [10] });
    const { log, events } = collect(src);
    src.start();
    await once(src, 'connected');
    const blob = LINES.slice(0, 4).join('\n') + '\n';
    d.streams[0].write(blob.slice(0, 50));
    d.streams[0].write(blob.slice(50) + 'not json\n');
    await new Promise((r) => setImmediate(r));
    assert.equal(events.length, 4);
    assert.deepEqual(events.map((e) => e.verb), JSON.parse(`[${LINES.slice(0, 4).join(',')}]`).map((e: { Action: string }) => e.Action));
    assert.deepEqual(log, ['connected']);
    src.stop();
  });

  it('reconnects with the backoff sequence and says reconnected, then resets the backoff', async () => {
    const d = scripted(['ok', 'ECONNREFUSED', 'ENOENT', 'ENOENT', 'ENOENT', 'ok', 'ECONNREFUSED', 'ok']);
    const src = new DockerEventSource({ socketPath: '/x', connect: d.connect, backoffMs: [5, 10, 20, 40] });
    const { log } = collect(src);
    src.start();
    await once(src, 'connected');
    d.streams[0].end(); // daemon went away
    await once(src, 'reconnected');
    assert.deepEqual(log, ['connected', 'disconnected:5', 'disconnected:10', 'disconnected:20', 'disconnected:40', 'disconnected:40', 'reconnected']);
    assert.equal(d.connectTimes.length, 6);
    log.length = 0;
    d.streams[1].destroy(new Error('socket hang up'));
    await once(src, 'reconnected');
    // A working connection resets the sequence.
    assert.deepEqual(log, ['disconnected:5', 'disconnected:10', 'reconnected']);
    src.stop();
  });

  it('a first connect that failed counts as a reconnect once it works (the first listing may be stale)', async () => {
    const d = scripted(['ENOENT', 'ok']);
    const src = new DockerEventSource({ socketPath: '/x', connect: d.connect, backoffMs: [5] });
    const { log } = collect(src);
    src.start();
    await once(src, 'reconnected');
    assert.deepEqual(log, ['disconnected:5', 'reconnected']);
    src.stop();
  });

  it('stop() cancels a pending retry and closes the stream', async () => {
    const d = scripted(['ENOENT']);
    const src = new DockerEventSource({ socketPath: '/x', connect: d.connect, backoffMs: [30] });
    src.start();
    await once(src, 'disconnected');
    src.stop();
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(d.connectTimes.length, 1, 'no attempt after stop');

    const d2 = scripted(['ok', 'ok']);
    const src2 = new DockerEventSource({ socketPath: '/x', connect: d2.connect, backoffMs: [5] });
    const { log } = collect(src2);
    src2.start();
    await once(src2, 'connected');
    src2.stop();
    assert.equal(d2.streams[0].destroyed, true);
    assert.equal(src2.connected, false);
    await new Promise((r) => setTimeout(r, 30));
    assert.deepEqual(log, ['connected'], 'closing our own stream is not a disconnect');
    assert.equal(d2.connectTimes.length, 1);
  });

  it('stop() during a connect attempt drops the stream that arrives late', async () => {
    let release: (s: PassThrough) => void = () => undefined;
    const late = new PassThrough();
    const src = new DockerEventSource({ socketPath: '/x', connect: () => new Promise((r) => (release = r)), backoffMs: [5] });
    const { log } = collect(src);
    src.start();
    src.stop();
    release(late);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(late.destroyed, true);
    assert.deepEqual(log, []);
  });
});

describe('docker event source over a real unix socket (dockerode connector)', () => {
  let dir: string;
  let sock: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlt-events-'));
    sock = path.join(dir, 'docker.sock');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A tiny stand-in daemon that answers GET /events with a chunked stream. */
  function serve(): Promise<{ close(): Promise<void>; send(line: string): void; paths: string[] }> {
    const open = new Set<http.ServerResponse>();
    const paths: string[] = [];
    const server = http.createServer((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.flushHeaders();
      open.add(res);
    });
    return new Promise((resolve) =>
      server.listen(sock, () =>
        resolve({
          paths,
          send: (line) => open.forEach((r) => r.write(line + '\n')),
          close: () =>
            new Promise<void>((done) => {
              open.forEach((r) => r.destroy());
              server.close(() => done());
              server.closeAllConnections();
            }),
        }),
      ),
    );
  }

  it('receives events, survives the daemon going away, and reconnects', async () => {
    const src = new DockerEventSource({ socketPath: sock, backoffMs: [20, 40] });
    const { log, events } = collect(src);
    const d1 = await serve();
    src.start();
    await once(src, 'connected');
    assert.ok(d1.paths[0].startsWith('/events'));
    d1.send(LINES[2]);
    await once(src, 'event');
    assert.equal(events[0].verb, 'create');
    await d1.close();
    fs.rmSync(sock, { force: true });
    await once(src, 'disconnected');
    await once(src, 'disconnected'); // no socket file: ENOENT on retry
    const d2 = await serve();
    await once(src, 'reconnected');
    d2.send(LINES[4]);
    await once(src, 'event');
    assert.equal(events[1].verb, 'start');
    assert.equal(log[0], 'connected');
    assert.equal(log[log.length - 1], 'reconnected');
    src.stop();
    await d2.close();
  });
});
