import assert from 'node:assert/strict';
import type { DockerApi } from '../../../src/core/docker/client';
import { collectDocker, DockerIncrementalState, ImageCache } from '../../../src/core/docker/collector';
import type { DockerEvent } from '../../../src/core/docker/event-json';
import { GraphBuilder } from '../../../src/core/model/builder';
import { diffSnapshots } from '../../../src/core/model/diff';
import type { Snapshot } from '../../../src/core/model/graph';
import { dockerPartialRefresh } from '../../../src/core/watch';
import { loadJson, NAMES, rawContainer, recordedOpts } from './fixtures';

const opts = recordedOpts;
const idOf = (name: string) => rawContainer(name).Id as string;

/** Recorded answers; `inspected` lists the container ids inspected, `list` can be edited per test. */
function api() {
  const inspected: string[] = [];
  const byId = new Map(NAMES.map((n) => [idOf(n), structuredClone(rawContainer(n)) as Record<string, unknown>]));
  const images = new Map(['image-busybox.json', 'image-derived.json'].map((f) => [(loadJson(f) as { Id: string }).Id, loadJson(f)]));
  let list = loadJson('containers-list.json') as Record<string, unknown>[];
  const a: DockerApi = {
    listContainers: async () => structuredClone(list),
    inspectContainer: async (id) => (inspected.push(id), structuredClone(byId.get(id))),
    listImages: async () => loadJson('images-list.json'),
    inspectImage: async (id) => images.get(id),
  };
  return { a, inspected, byId, setList: (l: Record<string, unknown>[]) => (list = l), list: () => list };
}

async function run(a: DockerApi, state: DockerIncrementalState, images: ImageCache): Promise<Snapshot> {
  const g = new GraphBuilder();
  await collectDocker(a, opts, g, { images, incremental: state });
  return g.build(0);
}

const ev = (type: string, id: string, attributes: Record<string, string> = {}): DockerEvent => ({ type, action: 'x', verb: 'x', id, attributes, time: 0, timeNano: 0 });

describe('incremental Docker refresh', () => {
  it('inspects everything first, then only what events named, with the same graph', async () => {
    const x = api();
    const state = new DockerIncrementalState();
    const images = new ImageCache();
    const first = await run(x.a, state, images);
    assert.equal(x.inspected.length, NAMES.length);
    x.inspected.length = 0;
    const quiet = await run(x.a, state, images);
    assert.deepEqual(x.inspected, []);
    // Reusing every container's last inspect and kernel view gives the very same graph.
    assert.deepEqual(diffSnapshots(first, quiet), { addedNodes: [], changedNodes: [], removedNodes: [], addedEdges: [], removedEdges: [] });
    state.markDirty(idOf('web'));
    await run(x.a, state, images);
    assert.deepEqual(x.inspected, [idOf('web')]);
  });

  it('re-inspects a container whose list state changed even without an event, and forgets removed ones', async () => {
    const x = api();
    const state = new DockerIncrementalState();
    const images = new ImageCache();
    await run(x.a, state, images);
    x.inspected.length = 0;
    const side = idOf('side');
    x.setList(x.list().filter((c) => c.Id !== idOf('exited')).map((c) => (c.Id === side ? { ...c, State: 'exited' } : c)));
    (x.byId.get(side)!.State as Record<string, unknown>).Status = 'exited';
    (x.byId.get(side)!.State as Record<string, unknown>).Running = false;
    (x.byId.get(side)!.State as Record<string, unknown>).Pid = 0;
    const s = await run(x.a, state, images);
    assert.deepEqual(x.inspected, [side]);
    assert.equal(s.nodes.find((n) => n.id === `container:${side}`)?.props.state, 'exited');
    assert.ok(!s.nodes.some((n) => n.id === `container:${idOf('exited')}`));
    assert.ok(!state.inspects.has(idOf('exited')));
  });

  it('a reconnect (gap) re-inspects everything', async () => {
    const x = api();
    const state = new DockerIncrementalState();
    const images = new ImageCache();
    await run(x.a, state, images);
    x.inspected.length = 0;
    state.markAllDirty();
    await run(x.a, state, images);
    assert.equal(x.inspected.length, NAMES.length);
  });

  it('a failed inspect is retried on the next refresh', async () => {
    const x = api();
    const state = new DockerIncrementalState();
    const images = new ImageCache();
    await run(x.a, state, images);
    const web = idOf('web');
    state.markDirty(web);
    const real = x.a.inspectContainer;
    x.a.inspectContainer = async (id) => (id === web ? Promise.reject(new Error('busy')) : real(id));
    await run(x.a, state, images);
    x.a.inspectContainer = real;
    x.inspected.length = 0;
    await run(x.a, state, images);
    assert.deepEqual(x.inspected, [web]);
  });

  it('the watcher marks containers named by container, network and volume events', () => {
    const s = new DockerIncrementalState();
    const p = dockerPartialRefresh(30, s);
    assert.equal(s.take().all, true); // nothing read yet
    p.noteEvent!(ev('container', 'c1'));
    p.noteEvent!(ev('network', 'n1', { container: 'c2' }));
    p.noteEvent!(ev('volume', 'v1', { container: 'c3' }));
    p.noteEvent!(ev('image', 'sha256:abc'));
    const t = s.take();
    assert.equal(t.all, false);
    assert.deepEqual([...t.ids].sort(), ['c1', 'c2', 'c3']);
    p.noteGap!();
    assert.equal(s.take().all, true);
  });
});
