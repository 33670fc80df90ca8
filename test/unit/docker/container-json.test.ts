import assert from 'node:assert/strict';
import { containerFromSummary, normaliseContainerInspect, normaliseContainerList, normaliseContainerSummary } from '../../../src/core/docker/container-json';
import { loadJson, rawContainer } from './fixtures';

describe('docker container JSON normalisers', () => {
  it('normalises a recorded running container with limits, a published port and a network', () => {
    const raw = rawContainer('web');
    const c = normaliseContainerInspect(raw);
    assert.ok(c);
    assert.equal(c.id, raw.Id);
    assert.equal(c.name, 'vlt-fx-web');
    assert.equal(c.image, 'virtlab/busybox:latest');
    assert.equal(c.imageId, raw.Image);
    assert.equal(c.state, 'running');
    assert.equal(c.pid, raw.State.Pid);
    assert.ok(c.pid > 0);
    assert.equal(c.hostConfig.memory, 64 * 1024 * 1024);
    assert.equal(c.hostConfig.nanoCpus, 500_000_000);
    assert.equal(c.hostConfig.pidsLimit, 50);
    assert.equal(c.hostConfig.networkMode, 'default');
    assert.deepEqual(c.ports, [{ containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 18080 }]);
    assert.deepEqual(Object.keys(c.networks), ['bridge']);
    assert.equal(c.networks.bridge.ip, raw.NetworkSettings.Networks.bridge.IPAddress);
    assert.equal(c.networks.bridge.mac, raw.NetworkSettings.Networks.bridge.MacAddress);
    assert.equal(c.networks.bridge.networkId, raw.NetworkSettings.Networks.bridge.NetworkID);
    assert.deepEqual(c.labels, { role: 'web', 'virtlab.test': '1' });
    assert.deepEqual(c.command, ['sh', '-c', 'echo hi > /tmp/x; sleep 100000']);
    assert.equal(c.graphDriver.name, 'overlay2');
    assert.equal(c.graphDriver.lowerDirs.length, 2);
    assert.ok(c.graphDriver.lowerDirs[0].endsWith('-init/diff'));
    assert.equal(c.graphDriver.upperDir, raw.GraphDriver.Data.UpperDir);
  });

  it('keeps the sharing modes of --net=container:X --ipc=host and --pid=host', () => {
    const side = normaliseContainerInspect(rawContainer('side'));
    assert.equal(side?.hostConfig.networkMode, `container:${rawContainer('web').Id}`);
    assert.equal(side?.hostConfig.ipcMode, 'host');
    assert.deepEqual(side?.ports, []);
    const hostpid = normaliseContainerInspect(rawContainer('hostpid'));
    assert.equal(hostpid?.hostConfig.pidMode, 'host');
  });

  it('gives pid 0 for created and exited containers, keeping the exit code', () => {
    const created = normaliseContainerInspect(rawContainer('created'));
    assert.equal(created?.state, 'created');
    assert.equal(created?.pid, 0);
    const exited = normaliseContainerInspect(rawContainer('exited'));
    assert.equal(exited?.state, 'exited');
    assert.equal(exited?.pid, 0);
    assert.equal(exited?.exitCode, 3);
  });

  it('never follows a stale pid of a stopped container', () => {
    const raw = { ...rawContainer('exited'), State: { Status: 'exited', Running: false, Pid: 4242 } };
    assert.equal(normaliseContainerInspect(raw)?.pid, 0);
  });

  it('normalises the recorded list call', () => {
    const { containers, bad } = normaliseContainerList(loadJson('containers-list.json'));
    assert.equal(bad, 0);
    assert.equal(containers.length, 5);
    const web = containers.find((c) => c.name === 'vlt-fx-web');
    assert.ok(web);
    assert.equal(web.id, rawContainer('web').Id);
    assert.equal(web.state, 'running');
    assert.match(web.status, /^Up /);
    const exited = containers.find((c) => c.name === 'vlt-fx-exited');
    assert.match(exited?.status ?? '', /^Exited \(3\)/);
    // The list row carries enough to show a container whose inspect is blocked.
    assert.deepEqual(web.ports, [{ containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 18080 }]);
    assert.deepEqual(web.labels, { role: 'web', 'virtlab.test': '1' });
    assert.equal(web.networks.bridge.ip, rawContainer('web').NetworkSettings.Networks.bridge.IPAddress);
    const side = containers.find((c) => c.name === 'vlt-fx-side');
    assert.equal(side?.networkMode, `container:${rawContainer('web').Id}`);
    const partial = containerFromSummary(web);
    assert.equal(partial.complete, false);
    assert.equal(partial.pid, 0);
    assert.equal(partial.createdAt, new Date(web.created * 1000).toISOString());
  });

  it('rejects answers without a valid id, without throwing', () => {
    for (const v of [undefined, null, 42, 'x', [], {}, { Id: 'abc' }, { Id: 7 }, { Id: 'Z'.repeat(64) }, Buffer.from('{"Id":')]) {
      assert.equal(normaliseContainerInspect(v), undefined, `inspect ${String(v)}`);
      assert.equal(normaliseContainerSummary(v), undefined, `summary ${String(v)}`);
    }
  });

  it('normalises hostile field types to defaults', () => {
    const id = 'a'.repeat(64);
    const c = normaliseContainerInspect({
      Id: id,
      Name: 17,
      State: 'running',
      Image: 'not-an-image-id',
      Config: { Labels: { ok: 'yes', n: 1, o: {} }, Image: ['x'] },
      HostConfig: { Memory: '64m', NanoCpus: null, PidsLimit: 'max', NetworkMode: {}, Privileged: 'true' },
      NetworkSettings: { Ports: { '80/tcp': 'nope', 'garbage': [], '53/udp': [{ HostIp: 1, HostPort: '99999' }, null], '443/tcp': null }, Networks: { a: 'x', b: { IPAddress: 5 } } },
      GraphDriver: { Data: null, Name: 3 },
      Args: 'sh',
    });
    assert.ok(c);
    assert.equal(c.name, '');
    assert.equal(c.state, 'unknown');
    assert.equal(c.pid, 0);
    assert.equal(c.imageId, '');
    assert.equal(c.image, '');
    assert.deepEqual(c.labels, { ok: 'yes' });
    assert.equal(c.hostConfig.memory, 0);
    assert.equal(c.hostConfig.nanoCpus, 0);
    assert.equal(c.hostConfig.pidsLimit, null);
    assert.equal(c.hostConfig.networkMode, '');
    assert.equal(c.hostConfig.privileged, false);
    assert.deepEqual(c.ports, [
      { containerPort: 80, protocol: 'tcp', hostIp: null, hostPort: null },
      { containerPort: 53, protocol: 'udp', hostIp: null, hostPort: null },
      { containerPort: 443, protocol: 'tcp', hostIp: null, hostPort: null },
    ]);
    assert.deepEqual(Object.keys(c.networks), ['b']);
    assert.equal(c.networks.b.ip, '');
    assert.deepEqual(c.graphDriver, { name: '', lowerDirs: [], upperDir: null, mergedDir: null, workDir: null });
    assert.deepEqual(c.command, []);
  });

  it('counts malformed list rows and survives a non-array list', () => {
    const good = (loadJson('containers-list.json') as unknown[])[0];
    const r = normaliseContainerList([good, null, { Id: 'short' }, 'x']);
    assert.equal(r.containers.length, 1);
    assert.equal(r.bad, 3);
    assert.deepEqual(normaliseContainerList({ message: 'server error' }), { containers: [], bad: 1 });
  });
});
