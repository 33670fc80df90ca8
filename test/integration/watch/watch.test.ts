import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { scanOptions } from '../../../src/core/context';
import { dockerCollector } from '../../../src/core/docker/collector';
import type { SnapshotDiff } from '../../../src/core/model/diff';
import type { Snapshot } from '../../../src/core/model/graph';
import { takeSnapshot } from '../../../src/core/scan';
import { run } from '../../../src/core/sys/exec';
import { SnapshotWatcher, type DiffCause } from '../../../src/core/watch';
import { cleanup, IMAGE, runContainer } from '../docker/docker-cli';

const P = 'vlt-it-watch-';
const STATE = process.env.VIRTLAB_STATE ?? '/tmp/virtlab';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll `f` until it returns something truthy; a bound on liveness, not a timing assertion. */
async function until<T>(what: string, f: () => Promise<T | undefined> | T | undefined, limitMs = 60_000): Promise<T> {
  const end = Date.now() + limitMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await sleep(100);
  }
}

const dockerUp = async () => (await run('docker', ['info', '--format', '{{.ID}}'], { timeoutMs: 10_000 })).ok;
const dockerdPids = async () => (await run('pidof', ['dockerd'])).stdout.trim().split(/\s+/).filter(Boolean).map(Number);

/** Start dockerd the way scripts/services.sh does, detached from this process. */
async function startDockerd(): Promise<void> {
  if (await dockerUp()) return;
  mkdirSync(`${STATE}/logs`, { recursive: true });
  const log = openSync(`${STATE}/logs/dockerd.log`, 'w');
  const child = spawn('setsid', ['dockerd', '--iptables=false'], { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  closeSync(log);
  await until('docker info after restart', dockerUp, 60_000);
}

/** Collect every diff; `seen(id)` resolves once a diff added that node. */
function recorder(w: SnapshotWatcher) {
  const diffs: { d: SnapshotDiff; cause: DiffCause }[] = [];
  const docker: string[] = [];
  w.on('diff', (d: SnapshotDiff, _s: Snapshot, cause: DiffCause) => diffs.push({ d, cause }));
  w.on('docker', (state: string) => docker.push(state));
  const added = (id: string) => diffs.find((x) => x.d.addedNodes.some((n) => n.id === id));
  return { diffs, docker, seen: (id: string, limitMs?: number) => until(`a diff adding ${id}`, () => added(id), limitMs) };
}

describe('snapshot watcher against the real daemon', function () {
  this.timeout(180_000);
  const opts = scanOptions();
  const scan = (o: typeof opts) => takeSnapshot(o, [dockerCollector]);
  let w: SnapshotWatcher | undefined;

  before(async () => {
    await startDockerd();
    await cleanup(P);
  });

  afterEach(async () => {
    await w?.stop();
    w = undefined;
  });

  after(async () => {
    // Whatever happened, leave a running daemon behind for everything else.
    await startDockerd();
    await cleanup(P);
  });

  it('a container started while the watcher runs appears in a diff', async () => {
    w = new SnapshotWatcher({ opts, takeSnapshot: scan, intervalMs: 0 });
    const rec = recorder(w);
    const first = await w.start();
    const id = await runContainer(`${P}one`, IMAGE, 'sleep', '600');
    assert.ok(!first.nodes.some((n) => n.id === `container:${id}`));
    const hit = await rec.seen(`container:${id}`);
    assert.equal(hit.cause.reason, 'docker-event');
    const node = w.current!.nodes.find((n) => n.id === `container:${id}`)!;
    // Props of the added node are final once 'start' is processed; wait for that refresh too.
    await until('running state', () => (w!.current!.nodes.find((n) => n.id === `container:${id}`)?.props.state === 'running' ? true : undefined));
    assert.equal(node.label, `${P}one`);
    // Removing it is a diff too.
    await run('docker', ['rm', '-f', id], { timeoutMs: 60_000 });
    await until('removal diff', () => rec.diffs.find((x) => x.d.removedNodes.includes(`container:${id}`)));
    const lat = rec.diffs.map((x) => x.cause.latencyMs).filter((x): x is number => x !== undefined);
    console.log(`      event->diff latency ms (debounce 50 + docker-only refresh): ${lat.join(', ')}`);
  });

  it('survives a daemon restart: events resume and no node is duplicated', async () => {
    const before = await runContainer(`${P}before`, '--restart', 'always', IMAGE, 'sleep', '600');
    w = new SnapshotWatcher({ opts, takeSnapshot: scan, intervalMs: 0 });
    const rec = recorder(w);
    const first = await w.start();
    assert.ok(first.nodes.some((n) => n.id === `container:${before}`));

    const pids = await dockerdPids();
    assert.ok(pids.length, 'dockerd is running');
    try {
      for (const pid of pids) process.kill(pid, 'SIGTERM');
      await until('dockerd to exit', async () => ((await dockerdPids()).length === 0 ? true : undefined), 90_000);
      await until('the watcher to notice', () => (rec.docker.includes('disconnected') ? true : undefined));
    } finally {
      await startDockerd();
    }
    await until('reconnect', () => (rec.docker.includes('reconnected') ? true : undefined), 30_000);
    const after = await runContainer(`${P}after`, IMAGE, 'sleep', '600');
    await rec.seen(`container:${after}`);
    // The restart-policy container came back under the same id: one node, not two.
    await until('the restarted container to be running in the snapshot', () =>
      w!.current!.nodes.find((n) => n.id === `container:${before}`)?.props.state === 'running' ? true : undefined,
    );
    const snap = w.current!;
    const ids = snap.nodes.map((n) => n.id);
    assert.equal(new Set(ids).size, ids.length, 'unique ids');
    assert.equal(ids.filter((i) => i === `container:${before}`).length, 1);
    assert.equal(snap.report.sources.docker.state, 'ok');
    // The current snapshot equals a fresh full scan in its container set (nothing stale left behind).
    const fresh = await scan(opts);
    const ctrs = (s: Snapshot) => s.nodes.filter((n) => n.kind === 'container' && String(n.props.name).startsWith(P)).map((n) => n.id).sort();
    assert.deepEqual(ctrs(snap), ctrs(fresh));
  });
});
