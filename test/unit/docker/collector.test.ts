import assert from 'node:assert/strict';
import path from 'node:path';
import { DockerCallError, type DockerApi } from '../../../src/core/docker/client';
import { collectDocker, createDockerCollector, ImageCache } from '../../../src/core/docker/collector';
import { GraphBuilder } from '../../../src/core/model/builder';
import type { Snapshot } from '../../../src/core/model/graph';
import { FIX, loadJson, NAMES, rawContainer, recordedOpts } from './fixtures';

const opts = recordedOpts;

/** Serves the recorded answers; `calls` counts what was asked. */
function recordedApi(over: Partial<DockerApi> = {}): DockerApi & { calls: string[] } {
  const calls: string[] = [];
  const byId = new Map(NAMES.map((n) => [rawContainer(n).Id as string, rawContainer(n)]));
  const images = new Map(['image-busybox.json', 'image-derived.json'].map((f) => [(loadJson(f) as { Id: string }).Id, loadJson(f)]));
  const notFound = (what: string) => new DockerCallError(`${what}: (HTTP code 404) no such object`, undefined, 404);
  return {
    calls,
    listContainers: async () => (calls.push('list'), loadJson('containers-list.json')),
    inspectContainer: async (id) => {
      calls.push(`inspect ${id.slice(0, 6)}`);
      if (!byId.has(id)) throw notFound(id);
      return byId.get(id);
    },
    listImages: async () => (calls.push('images'), loadJson('images-list.json')),
    inspectImage: async (id) => {
      calls.push(`image ${id.slice(7, 13)}`);
      if (!images.has(id)) throw notFound(id);
      return images.get(id);
    },
    ...over,
  };
}

async function scan(api: DockerApi, cache?: ImageCache): Promise<Snapshot> {
  const g = new GraphBuilder();
  await collectDocker(api, opts, g, { images: cache });
  return g.build(0);
}

const node = (s: Snapshot, id: string) => s.nodes.find((n) => n.id === id);
const edges = (s: Snapshot, from: string, kind?: string) => s.edges.filter((e) => e.from === from && (!kind || e.kind === kind));

describe('docker collector on recorded answers and a recorded /proc tree', () => {
  let s: Snapshot;
  before(async () => {
    s = await scan(recordedApi());
  });

  it('reports the source ok with counts', () => {
    assert.equal(s.report.sources.docker.state, 'ok');
    assert.match(s.report.sources.docker.detail ?? '', /5 containers \(3 running\), 2 images/);
    assert.deepEqual(s.report.skipped, []);
  });

  it('makes one container node per container, with the spec props', () => {
    const web = rawContainer('web');
    const n = node(s, `container:${web.Id}`);
    assert.ok(n);
    assert.equal(n.kind, 'container');
    assert.equal(n.label, 'vlt-fx-web');
    const p = n.props as Record<string, any>;
    assert.equal(p.pid, web.State.Pid);
    assert.equal(p.state, 'running');
    assert.match(p.status, /^Up /);
    assert.equal(p.imageId, web.Image);
    assert.equal(Object.keys(p.namespaces).length, 8);
    assert.equal(p.namespaces.net, 4026532184);
    assert.deepEqual(p.hostConfig, { memory: 67108864, nanoCpus: 500000000, cpuQuota: 0, cpuPeriod: 0, pidsLimit: 50 });
    // Limits come from the recorded cgroup v1 files, and agree with what docker was asked for.
    assert.equal(p.cgroup.version, 1);
    assert.equal(p.cgroup.path, `/docker/${web.Id}`);
    assert.equal(p.cgroup.memoryLimitBytes, 67108864);
    assert.equal(p.cgroup.cpuQuotaMicros / p.cgroup.cpuPeriodMicros, 0.5);
    assert.equal(p.cgroup.pidsLimit, 50);
    assert.ok(p.cgroup.files.memoryLimitBytes.endsWith(`memory/docker/${web.Id}/memory.limit_in_bytes`));
    assert.equal(p.upperDir, web.GraphDriver.Data.UpperDir);
    assert.equal(p.overlay.upperdir, web.GraphDriver.Data.UpperDir);
    assert.deepEqual(p.overlay.lowerdirsResolved, web.GraphDriver.Data.LowerDir.split(':'));
  });

  it('links a running container to its 8 namespaces, its process, cgroup and image', () => {
    const web = rawContainer('web');
    const id = `container:${web.Id}`;
    const ns = edges(s, id, 'member-of').map((e) => e.to).sort();
    assert.equal(ns.length, 8);
    assert.ok(ns.includes('ns:net:4026532184'));
    assert.ok(ns.every((t) => node(s, t)?.kind === 'namespace'));
    assert.deepEqual(edges(s, id, 'runs').map((e) => e.to), [`process:${web.State.Pid}`]);
    assert.equal(node(s, `process:${web.State.Pid}`)?.label, `sleep (${web.State.Pid})`);
    assert.deepEqual(edges(s, id, 'in-cgroup').map((e) => e.to), [`cgroup:/docker/${web.Id}`]);
    assert.deepEqual(edges(s, id, 'from-image').map((e) => e.to), [`image:${web.Image}`]);
  });

  it('shows shared namespaces as the same node, not copies', () => {
    const web = rawContainer('web');
    const side = rawContainer('side');
    const hostpid = rawContainer('hostpid');
    const sideNs = edges(s, `container:${side.Id}`, 'member-of').map((e) => e.to);
    assert.ok(sideNs.includes('ns:net:4026532184'), 'side is in web net ns');
    assert.equal(s.nodes.filter((n) => n.id === 'ns:net:4026532184').length, 1);
    assert.deepEqual(edges(s, `container:${side.Id}`, 'shares-namespace'), [{ from: `container:${side.Id}`, to: `container:${web.Id}`, kind: 'shares-namespace', props: { type: 'net' } }]);
    const sp = node(s, `container:${side.Id}`)!.props as Record<string, any>;
    assert.equal(sp.sharedNamespaces.net, 'container:vlt-fx-web');
    assert.equal(sp.sharedNamespaces.ipc, 'host');
    // dockerd's pid namespace (from run/docker.pid) is the host's.
    const hp = node(s, `container:${hostpid.Id}`)!.props as Record<string, any>;
    assert.equal(hp.sharedNamespaces.pid, 'host');
    assert.ok(edges(s, `container:${hostpid.Id}`, 'member-of').some((e) => e.to === 'ns:pid:4026531836'));
  });

  it('stopped containers have pid 0, no namespaces and no kernel links', () => {
    for (const n of ['created', 'exited']) {
      const raw = rawContainer(n);
      const p = node(s, `container:${raw.Id}`)!.props as Record<string, any>;
      assert.equal(p.pid, 0);
      assert.deepEqual(p.namespaces, {});
      assert.equal(p.cgroup, null);
      assert.equal(p.overlay, undefined);
      assert.deepEqual(edges(s, `container:${raw.Id}`).map((e) => e.kind), ['from-image']);
    }
  });

  it('makes image and layer nodes, and marks the shared base layer', () => {
    const base = loadJson('image-busybox.json') as Record<string, any>;
    const derived = loadJson('image-derived.json') as Record<string, any>;
    const baseLayer = base.RootFS.Layers[0];
    const topLayer = derived.RootFS.Layers[1];
    const l = node(s, `layer:${baseLayer}`)!;
    assert.equal(l.props.shared, true);
    assert.deepEqual((l.props.images as string[]).sort(), [base.Id, derived.Id].sort());
    assert.equal(l.props.dir, base.GraphDriver.Data.UpperDir);
    assert.equal(node(s, `layer:${topLayer}`)!.props.shared, false);
    assert.deepEqual(
      edges(s, `image:${derived.Id}`, 'uses-layer').map((e) => [e.to, e.props?.index]),
      [[`layer:${baseLayer}`, 0], [`layer:${topLayer}`, 1]],
    );
    assert.equal(node(s, `image:${derived.Id}`)!.label, 'vlt-fx/derived:1');
    assert.equal(s.nodes.filter((n) => n.kind === 'layer').length, 2);
  });

  it('inspects each image once per id across scans, but takes tags fresh from the list', async () => {
    const cache = new ImageCache();
    const api = recordedApi();
    await scan(api, cache);
    const retagged = (loadJson('images-list.json') as Record<string, any>[]).map((i) => ({ ...i, RepoTags: [...i.RepoTags, 'extra:tag'] }));
    const api2 = recordedApi({ listImages: async () => retagged });
    const s2 = await scan(api2, cache);
    assert.equal(api.calls.filter((c) => c.startsWith('image ')).length, 2);
    assert.equal(api2.calls.filter((c) => c.startsWith('image ')).length, 0);
    assert.ok(s2.nodes.filter((n) => n.kind === 'image').every((n) => (n.props.tags as string[]).includes('extra:tag')));
  });

  it('a container removed between list and inspect is skipped, the scan goes on as partial', async () => {
    const gone = rawContainer('exited').Id;
    const api = recordedApi();
    const inner = api.inspectContainer;
    api.inspectContainer = async (id) => (id === gone ? Promise.reject(new DockerCallError('no such container', undefined, 404)) : inner(id));
    const s2 = await scan(api);
    assert.equal(s2.report.sources.docker.state, 'partial');
    assert.equal(node(s2, `container:${gone}`), undefined);
    assert.equal(s2.nodes.filter((n) => n.kind === 'container').length, 4);
    assert.deepEqual(s2.report.skipped.map((k) => k.code), ['HTTP 404']);
  });

  it('with a soft deadline, a blocked inspect falls back to the list row, then to the last inspect', async () => {
    const web = rawContainer('web');
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const api = recordedApi();
    const inner = api.inspectContainer;
    // dockerd holds the container lock while starting/killing it: its inspect blocks.
    api.inspectContainer = async (id) => (id === web.Id ? gate.then(() => inner(id)) : inner(id));
    const containers = new Map();
    const soft = async () => {
      const g = new GraphBuilder();
      await collectDocker(api, opts, g, { containers, inspectSoftMs: 5 });
      return g.build(0);
    };
    const s1 = await soft();
    const p1 = node(s1, `container:${web.Id}`)!.props as Record<string, any>;
    assert.equal(p1.complete, false);
    assert.equal(p1.state, 'running');
    assert.equal(p1.pid, 0, 'no pid from the list row');
    assert.deepEqual(p1.labels, { role: 'web', 'virtlab.test': '1' });
    assert.deepEqual(p1.ports, [{ containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 18080 }]);
    assert.equal(p1.networks.bridge.ip, web.NetworkSettings.Networks.bridge.IPAddress);
    assert.equal((node(s1, `container:${rawContainer('side').Id}`)!.props as Record<string, any>).complete, true);
    assert.equal(s1.report.sources.docker.state, 'ok');
    release();
    await gate;
    await new Promise((r) => setImmediate(r));
    // The late answer went to the cache; blocked again, the last full inspect is used.
    let release2: () => void = () => undefined;
    const gate2 = new Promise<void>((r) => (release2 = r));
    api.inspectContainer = async (id) => (id === web.Id ? gate2.then(() => inner(id)) : inner(id));
    const s2 = await soft();
    const p2 = node(s2, `container:${web.Id}`)!.props as Record<string, any>;
    assert.equal(p2.complete, false);
    assert.equal(p2.pid, web.State.Pid);
    assert.equal(p2.hostConfig.memory, 67108864);
    release2();
    api.inspectContainer = inner;
    const s3 = await soft();
    assert.equal((node(s3, `container:${web.Id}`)!.props as Record<string, any>).complete, true);
  });

  it('a hostile inspect answer drops only that container', async () => {
    const api = recordedApi({ inspectContainer: async (id) => (id === rawContainer('web').Id ? { Id: 5 } : rawContainer('created')) });
    const s2 = await scan(api);
    assert.equal(s2.report.sources.docker.state, 'partial');
    assert.ok(s2.report.skipped.some((k) => k.reason === 'malformed answer'));
  });

  it('no daemon and no permission are source states with a fix, not errors', async () => {
    const fail = (code: string) => async () => Promise.reject(new DockerCallError(`connect ${code} /recorded/docker.sock`, code, undefined));
    const down = await scan(recordedApi({ listContainers: fail('ENOENT') }));
    assert.deepEqual(down.report.sources.docker, {
      state: 'unavailable',
      detail: 'Docker is not running (no answer on /recorded/docker.sock, from the dockerSocket option)',
      fix: 'Start it with `sudo systemctl start docker` (or `sudo dockerd &` where there is no systemd).',
    });
    assert.equal(down.nodes.length, 0);
    assert.equal((await scan(recordedApi({ listContainers: fail('ECONNREFUSED') }))).report.sources.docker.state, 'unavailable');
    const denied = (await scan(recordedApi({ listImages: fail('EACCES') }))).report.sources.docker;
    assert.equal(denied.state, 'denied');
    assert.match(denied.fix ?? '', /usermod -aG docker/);
    const slow = (await scan(recordedApi({ listContainers: fail('ETIMEDOUT') }))).report.sources.docker;
    assert.equal(slow.state, 'unavailable');
    assert.match(slow.detail ?? '', /did not answer/);
  });

  it('the real client on a socket path that does not exist reports unavailable', async () => {
    const g = new GraphBuilder();
    await createDockerCollector().collect({ ...opts, dockerSocket: path.join(FIX, 'no-such.sock') }, g);
    assert.equal(g.sources.docker.state, 'unavailable');
    assert.match(g.sources.docker.detail ?? '', /not running/);
  });
});
