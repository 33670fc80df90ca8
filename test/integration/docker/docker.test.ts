import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { scanOptions } from '../../../src/core/context';
import { dockerCollector } from '../../../src/core/docker/collector';
import { takeSnapshot } from '../../../src/core/scan';
import type { GraphNode, Snapshot } from '../../../src/core/model/graph';
import { run } from '../../../src/core/sys/exec';
import { cleanup, docker, IMAGE, inspectJson, nsInode, runContainer } from './docker-cli';

const P = 'vlt-it-dk-';
const DERIVED = 'vlt-it-dk/derived:1';
const NS_TYPES = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'time', 'user', 'uts'];

describe('docker reader against the real daemon', function () {
  this.timeout(120_000);
  let snap: Snapshot;
  const ids: Record<string, string> = {};

  before(async () => {
    await cleanup(P, [DERIVED]);
    ids.limited = await runContainer(`${P}limited`, '--memory', '64m', '--cpus', '0.5', '--pids-limit', '50', IMAGE, 'sleep', '600');
    ids.a = await runContainer(`${P}a`, IMAGE, 'sleep', '600');
    ids.side = await runContainer(`${P}side`, `--net=container:${P}a`, IMAGE, 'sleep', '600');
    ids.hostpid = await runContainer(`${P}hostpid`, '--pid=host', IMAGE, 'sleep', '600');
    ids.created = await docker('create', '--name', `${P}created`, '--label', 'virtlab.test=1', IMAGE, 'true');
    await docker('run', '--name', `${P}touch`, '--label', 'virtlab.test=1', IMAGE, 'sh', '-c', 'echo layer > /vlt-touched');
    await docker('commit', `${P}touch`, DERIVED);
    await docker('exec', `${P}a`, 'sh', '-c', 'echo virtlab-probe > /vlt-probe');
    snap = await takeSnapshot(scanOptions(), [dockerCollector]);
  });

  after(async () => {
    await cleanup(P, [DERIVED]);
  });

  const ctr = (key: string): GraphNode => {
    const n = snap.nodes.find((x) => x.id === `container:${ids[key]}`);
    assert.ok(n, `container node for ${key}`);
    return n;
  };
  const props = (key: string) => ctr(key).props as Record<string, any>;

  it('reads the daemon without problems', () => {
    assert.equal(snap.report.sources.docker.state, 'ok', JSON.stringify(snap.report));
    const ours = snap.nodes.filter((n) => n.kind === 'container' && (n.props.name as string).startsWith(P));
    assert.equal(ours.length, 6);
    assert.ok(snap.nodes.every((n, i) => snap.nodes.findIndex((m) => m.id === n.id) === i), 'ids are unique');
  });

  it("each running container's 8 namespaces equal readlink /proc/<pid>/ns/*", async () => {
    for (const key of ['limited', 'a', 'side', 'hostpid']) {
      const pid = Number(await docker('inspect', '-f', '{{.State.Pid}}', ids[key]));
      assert.ok(pid > 0);
      assert.equal(props(key).pid, pid);
      const expected: Record<string, number | undefined> = {};
      for (const t of NS_TYPES) expected[t] = await nsInode(pid, t);
      assert.deepEqual(props(key).namespaces, expected, key);
      const edges = snap.edges.filter((e) => e.from === ctr(key).id && e.kind === 'member-of').map((e) => e.to).sort();
      assert.deepEqual(edges, NS_TYPES.map((t) => `ns:${t}:${expected[t]}`).sort());
      assert.ok(snap.edges.some((e) => e.from === ctr(key).id && e.kind === 'runs' && e.to === `process:${pid}`));
    }
  });

  it('limits equal docker inspect and the cgroup files', async () => {
    const hc = (await inspectJson('container', ids.limited)).HostConfig;
    const p = props('limited');
    assert.deepEqual(p.hostConfig, { memory: hc.Memory, nanoCpus: hc.NanoCpus, cpuQuota: hc.CpuQuota, cpuPeriod: hc.CpuPeriod, pidsLimit: hc.PidsLimit });
    assert.equal(hc.Memory, 64 * 1024 * 1024);
    assert.equal(p.cgroup.memoryLimitBytes, hc.Memory);
    assert.equal(p.cgroup.cpuQuotaMicros / p.cgroup.cpuPeriodMicros, hc.NanoCpus / 1e9);
    assert.equal(p.cgroup.pidsLimit, hc.PidsLimit);
    // The files named as sources hold those values (read here with fs, not through the reader).
    assert.equal(Number(readFileSync(p.cgroup.files.memoryLimitBytes, 'utf8')), hc.Memory);
    assert.ok(snap.edges.some((e) => e.from === ctr('limited').id && e.kind === 'in-cgroup' && e.to === `cgroup:${p.cgroup.path}`));
    assert.ok((p.cgroup.path as string).includes(ids.limited));
    // An unlimited container reads as null (unlimited), not as a huge number.
    assert.equal(props('a').cgroup.memoryLimitBytes, null);
    assert.equal(props('a').cgroup.pidsLimit, null);
  });

  it('--pid=host shares the host pid namespace node', async () => {
    // /proc/1/ns is EACCES on some sandboxed hosts even for root; dockerd's own pid ns is what "host" means.
    const dockerdPid = (await run('pidof', ['dockerd'])).stdout.trim().split(/\s+/)[0];
    const hostPid = (await nsInode(1, 'pid')) ?? (await nsInode(dockerdPid, 'pid'));
    assert.ok(hostPid);
    assert.equal(props('hostpid').namespaces.pid, hostPid);
    assert.equal(props('hostpid').sharedNamespaces.pid, 'host');
    assert.equal(snap.nodes.filter((n) => n.id === `ns:pid:${hostPid}`).length, 1);
    assert.notEqual(props('a').namespaces.pid, hostPid);
    assert.equal(props('a').sharedNamespaces.pid, 'own');
  });

  it('--net=container:X shares X net namespace and shows a shares-namespace edge', () => {
    assert.equal(props('side').namespaces.net, props('a').namespaces.net);
    assert.notEqual(props('side').namespaces.pid, props('a').namespaces.pid);
    assert.equal(props('side').sharedNamespaces.net, `container:${P}a`);
    const e = snap.edges.filter((x) => x.kind === 'shares-namespace' && x.from === ctr('side').id);
    assert.deepEqual(e.map((x) => [x.to, x.props?.type]), [[ctr('a').id, 'net']]);
  });

  it('two images sharing a base layer show the shared layer', async () => {
    const base = await inspectJson('image', IMAGE);
    const derived = await inspectJson('image', DERIVED);
    assert.equal(derived.RootFS.Layers[0], base.RootFS.Layers[0]);
    const layer = snap.nodes.find((n) => n.id === `layer:${base.RootFS.Layers[0]}`);
    assert.ok(layer);
    assert.equal(layer.props.shared, true);
    assert.ok((layer.props.images as string[]).includes(base.Id) && (layer.props.images as string[]).includes(derived.Id));
    const top = snap.nodes.find((n) => n.id === `layer:${derived.RootFS.Layers[derived.RootFS.Layers.length - 1]}`);
    assert.ok(top);
    assert.deepEqual(top.props.images, [derived.Id]);
    assert.equal(top.props.shared, false);
    const uses = snap.edges.filter((e) => e.from === `image:${derived.Id}` && e.kind === 'uses-layer');
    assert.deepEqual(uses.map((e) => [e.to, e.props?.index]), derived.RootFS.Layers.map((l: string, i: number) => [`layer:${l}`, i]));
    // The committed layer's directory holds the file the container wrote.
    assert.equal(readFileSync(path.join(top.props.dir as string, 'vlt-touched'), 'utf8'), 'layer\n');
    assert.ok(snap.edges.some((e) => e.from === ctr('a').id && e.kind === 'from-image' && e.to === `image:${base.Id}`));
  });

  it('the live overlay upperdir exists and holds a file written inside the container', async () => {
    const gd = (await inspectJson('container', ids.a)).GraphDriver.Data;
    const o = props('a').overlay;
    assert.ok(o, 'overlay read from mountinfo');
    assert.equal(o.upperdir, gd.UpperDir);
    assert.ok(existsSync(o.upperdir));
    assert.equal(readFileSync(path.join(o.upperdir, 'vlt-probe'), 'utf8'), 'virtlab-probe\n');
    assert.deepEqual(o.lowerdirsResolved, gd.LowerDir.split(':'));
    assert.equal(props('a').upperDir, gd.UpperDir);
  });

  it('a created container has pid 0 and no kernel links', () => {
    const p = props('created');
    assert.equal(p.state, 'created');
    assert.equal(p.pid, 0);
    assert.deepEqual(p.namespaces, {});
    assert.deepEqual(snap.edges.filter((e) => e.from === ctr('created').id).map((e) => e.kind), ['from-image']);
  });

  it('a socket nobody answers on is "unavailable", a socket without permission is "denied" (as an unprivileged user)', async () => {
    const down = await takeSnapshot(scanOptions({ dockerSocket: '/tmp/vlt-no-docker.sock' }), [dockerCollector]);
    assert.equal(down.report.sources.docker.state, 'unavailable');
    assert.equal(down.report.sources.docker.detail, 'Docker is not running (no answer on /tmp/vlt-no-docker.sock, from the dockerSocket option)');
    const probe = path.join(__dirname, 'denied-probe.ts');
    const r = await run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'env', 'HOME=/tmp', process.execPath, '--import=tsx', probe, '/var/run/docker.sock'], {
      timeoutMs: 60_000,
    });
    assert.ok(r.ok, r.stderr);
    const state = JSON.parse(r.stdout);
    assert.equal(state.state, 'denied');
    assert.match(state.fix, /docker group/);
  });
});
