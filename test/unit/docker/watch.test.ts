import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import type { Collector } from '../../../src/core/collector';
import { scanOptions } from '../../../src/core/context';
import type { DockerEvent } from '../../../src/core/docker/event-json';
import { GraphBuilder } from '../../../src/core/model/builder';
import type { SnapshotDiff } from '../../../src/core/model/diff';
import type { Snapshot } from '../../../src/core/model/graph';
import { diffToJsonLine, isRelevantEvent, refreshPartially, SnapshotWatcher, type DiffCause, type EventSourceLike } from '../../../src/core/watch';

/** A pretend machine: containers (Docker's) and processes (another reader's). */
class World {
  containers = new Set<string>();
  processes = new Set<string>(['1']);
  fullScans = 0;
  dockerRuns = 0;

  docker: Collector = {
    name: 'docker',
    phase: 1,
    collect: async (_o, g) => {
      this.dockerRuns++;
      for (const c of this.containers) {
        g.node(`container:${c}`, 'container', c, { state: 'running' });
        g.edge(`container:${c}`, 'process:1', 'runs');
      }
      g.source('docker', { state: 'ok' });
    },
  };

  proc: Collector = {
    name: 'proc',
    phase: 1,
    collect: async (_o, g) => {
      for (const p of this.processes) g.node(`process:${p}`, 'process', p, { pid: Number(p) });
      // Another reader's edge towards a Docker node.
      for (const c of this.containers) g.edge('process:1', `container:${c}`, 'contains');
      g.source('proc', { state: 'ok' });
    },
  };

  takeSnapshot = async (): Promise<Snapshot> => {
    this.fullScans++;
    const g = new GraphBuilder();
    await Promise.all([this.docker.collect(opts, g), this.proc.collect(opts, g)]);
    return g.build(0);
  };
}

class FakeEvents extends EventEmitter implements EventSourceLike {
  started = 0;
  stopped = 0;
  start(): void {
    this.started++;
  }
  stop(): void {
    this.stopped++;
  }
  fire(action: string, id = 'x'): void {
    const e: DockerEvent = { type: 'container', action, verb: action, id, attributes: {}, time: 0, timeNano: 0 };
    this.emit('event', e);
  }
}

const opts = scanOptions({ dockerSocket: '/nowhere.sock' });

function watcher(world: World, events: FakeEvents, extra: Partial<ConstructorParameters<typeof SnapshotWatcher>[0]> = {}) {
  const w = new SnapshotWatcher({ opts, takeSnapshot: world.takeSnapshot, events, intervalMs: 0, debounceMs: 20, partial: { collectors: [world.docker], ownedKinds: ['container'] }, ...extra });
  const diffs: { d: SnapshotDiff; s: Snapshot; cause: DiffCause }[] = [];
  w.on('diff', (d: SnapshotDiff, s: Snapshot, cause: DiffCause) => diffs.push({ d, s, cause }));
  return { w, diffs };
}

const ids = (s: Snapshot) => s.nodes.map((n) => n.id);
const unique = (s: Snapshot) => new Set(ids(s)).size === s.nodes.length;

describe('snapshot watcher', () => {
  it('coalesces a burst of Docker events into one cheap refresh and one diff', async () => {
    const world = new World();
    const ev = new FakeEvents();
    const { w, diffs } = watcher(world, ev);
    await w.start();
    assert.equal(ev.started, 1);
    world.containers.add('a');
    for (const a of ['create', 'start', 'exec_start', 'start']) ev.fire(a);
    await once(w, 'diff');
    assert.equal(diffs.length, 1);
    assert.deepEqual(diffs[0].d.addedNodes.map((n) => n.id), ['container:a']);
    assert.equal(diffs[0].cause.reason, 'docker-event');
    assert.equal(diffs[0].cause.events, 3, 'exec_start is ignored');
    assert.equal(world.fullScans, 1, 'only the first scan was full');
    assert.equal(world.dockerRuns, 2);
    // The edge from the Docker reader is there; the other reader's edge appears at the next full scan.
    assert.deepEqual(diffs[0].d.addedEdges.map((e) => `${e.from}>${e.to}`), ['container:a>process:1']);
    await w.stop();
    assert.equal(ev.stopped, 1);
  });

  it('removes a vanished container and the edges other readers drew to it', async () => {
    const world = new World();
    world.containers.add('a').add('b');
    const ev = new FakeEvents();
    const { w, diffs } = watcher(world, ev);
    const first = await w.start();
    assert.ok(first.edges.some((e) => e.to === 'container:b' && e.kind === 'contains'));
    world.containers.delete('b');
    ev.fire('destroy', 'b');
    await once(w, 'diff');
    assert.deepEqual(diffs[0].d.removedNodes, ['container:b']);
    assert.deepEqual(diffs[0].d.removedEdges.map((e) => `${e.kind}:${e.from}>${e.to}`).sort(), ['contains:process:1>container:b', 'runs:container:b>process:1']);
    // Nodes and edges the Docker reader does not own are kept as they were.
    assert.ok(w.current!.edges.some((e) => e.kind === 'contains' && e.to === 'container:a'));
    assert.ok(ids(w.current!).includes('process:1'));
    assert.deepEqual(w.current!.report.sources.proc, { state: 'ok' });
    assert.deepEqual(w.current!.report.skipped, []);
    await w.stop();
  });

  it('does a full rescan after a reconnect, without duplicate ids', async () => {
    const world = new World();
    world.containers.add('a');
    const ev = new FakeEvents();
    const { w, diffs } = watcher(world, ev);
    await w.start();
    ev.emit('disconnected', Object.assign(new Error('gone'), { retryInMs: 1000 }));
    world.containers.add('c');
    world.processes.add('2');
    ev.emit('reconnected');
    await once(w, 'diff');
    assert.equal(diffs[0].cause.reason, 'reconnected');
    assert.equal(world.fullScans, 2);
    assert.deepEqual(diffs[0].d.addedNodes.map((n) => n.id).sort(), ['container:c', 'process:2']);
    assert.ok(unique(w.current!));
    await w.stop();
  });

  it('emits nothing for events that change nothing', async () => {
    const world = new World();
    const ev = new FakeEvents();
    const { w, diffs } = watcher(world, ev);
    await w.start();
    ev.fire('kill');
    while (world.dockerRuns < 2) await new Promise((r) => setTimeout(r, 5));
    await w.stop(); // waits for the refresh in flight
    assert.equal(diffs.length, 0);
  });

  it('the interval rescan sees changes that have no event', async () => {
    const world = new World();
    const ev = new FakeEvents();
    const { w } = watcher(world, ev, { intervalMs: 20 });
    await w.start();
    world.processes.add('77');
    const [d] = (await once(w, 'diff')) as [SnapshotDiff, Snapshot, DiffCause];
    assert.deepEqual(d.addedNodes.map((n) => n.id), ['process:77']);
    await w.stop();
    const scans = world.fullScans;
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(world.fullScans, scans, 'no scan after stop');
  });

  it('events during the first scan are not lost', async () => {
    const world = new World();
    const ev = new FakeEvents();
    const slow = async () => {
      const s = await world.takeSnapshot();
      world.containers.add('late');
      ev.fire('start', 'late');
      return s;
    };
    const { w, diffs } = watcher(world, ev, { takeSnapshot: slow });
    await w.start();
    await once(w, 'diff');
    assert.deepEqual(diffs[0].d.addedNodes.map((n) => n.id), ['container:late']);
    await w.stop();
  });

  it('a failing refresh is reported and the previous snapshot stays', async () => {
    const world = new World();
    const ev = new FakeEvents();
    let fail = false;
    const { w } = watcher(world, ev, { takeSnapshot: async () => (fail ? Promise.reject(new Error('boom')) : world.takeSnapshot()), partial: null });
    const first = await w.start();
    fail = true;
    ev.fire('start');
    const [err] = (await once(w, 'refresh-error')) as [Error];
    assert.equal(err.message, 'boom');
    assert.equal(w.current, first);
    await w.stop();
  });

  it('refreshPartially keeps other sources and replaces the re-run one', async () => {
    const world = new World();
    world.containers.add('a');
    const prev = await world.takeSnapshot();
    world.containers.clear();
    world.containers.add('z');
    const next = await refreshPartially(prev, { collectors: [world.docker], ownedKinds: ['container'] }, opts);
    assert.deepEqual(ids(next).sort(), ['container:z', 'process:1']);
    assert.deepEqual(Object.keys(next.report.sources).sort(), ['docker', 'proc']);
    assert.ok(typeof next.report.sources.docker.durationMs === 'number');
  });

  it('filters quiet events and writes one JSON line per diff', () => {
    const e = (type: string, verb: string): DockerEvent => ({ type, action: verb, verb, id: '', attributes: {}, time: 0, timeNano: 0 });
    assert.equal(isRelevantEvent(e('container', 'start')), true);
    assert.equal(isRelevantEvent(e('container', 'exec_die')), false);
    assert.equal(isRelevantEvent(e('network', 'connect')), true);
    assert.equal(isRelevantEvent(e('plugin', 'enable')), false);
    const line = diffToJsonLine({ addedNodes: [{ id: 'a', kind: 'container', label: 'x\ny', props: {} }], changedNodes: [], removedNodes: [], addedEdges: [], removedEdges: [] });
    assert.ok(!line.includes('\n'));
    assert.equal(JSON.parse(line).addedNodes[0].label, 'x\ny');
  });
});
