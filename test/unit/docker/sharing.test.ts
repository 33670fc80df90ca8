import assert from 'node:assert/strict';
import { normaliseContainerInspect, type DockerContainer } from '../../../src/core/docker/container-json';
import { resolveSharing, type NsInodes } from '../../../src/core/docker/sharing';
import { rawContainer } from './fixtures';

const c = (n: string): DockerContainer => normaliseContainerInspect(rawContainer(n))!;
// Inodes as `readlink /proc/<pid>/ns/*` showed them for dockerd and the recorded containers.
const HOST: NsInodes = { cgroup: 4026531835, ipc: 4026531839, mnt: 4026531832, net: 4026531833, pid: 4026531836, time: 4026531834, user: 4026531837, uts: 4026531838 };
const WEB: NsInodes = { cgroup: 4026531835, ipc: 4026532182, mnt: 4026532180, net: 4026532184, pid: 4026532183, time: 4026531834, user: 4026531837, uts: 4026532181 };
const SIDE: NsInodes = { ...WEB, ipc: 4026531839, mnt: 4026532253, pid: 4026532255, uts: 4026532254 };
const HOSTPID: NsInodes = { ...WEB, ipc: 4026532260, mnt: 4026532258, net: 4026532261, pid: 4026531836, uts: 4026532259 };

describe('docker namespace sharing', () => {
  const input = [
    { ...c('web'), namespaces: WEB },
    { ...c('side'), namespaces: SIDE },
    { ...c('hostpid'), namespaces: HOSTPID },
    { ...c('exited'), namespaces: {} },
  ];
  const r = resolveSharing(input, HOST);

  it('names the container whose net namespace --net=container:X joined, with one edge', () => {
    const side = r.get(c('side').id)!;
    assert.equal(side.shared.net, 'container:vlt-fx-web');
    assert.equal(side.shared.ipc, 'host');
    assert.equal(side.shared.pid, 'own');
    assert.deepEqual(side.joins, [{ to: c('web').id, type: 'net' }]);
  });

  it('the joined container owns its namespace', () => {
    const web = r.get(c('web').id)!;
    assert.deepEqual(web.shared, { cgroup: 'host', ipc: 'own', mnt: 'own', net: 'own', pid: 'own', time: 'host', user: 'host', uts: 'own' });
    assert.deepEqual(web.joins, []);
  });

  it('--pid=host is the host pid namespace by inode', () => {
    assert.equal(r.get(c('hostpid').id)!.shared.pid, 'host');
    assert.equal(r.get(c('hostpid').id)!.shared.net, 'own');
  });

  it('a stopped container gets what its modes say, and nothing for daemon-dependent types', () => {
    const ex = r.get(c('exited').id)!;
    assert.equal(ex.shared.net, 'own');
    assert.equal(ex.shared.cgroup, 'host');
    assert.equal(ex.shared.user, undefined);
    assert.equal(ex.shared.time, undefined);
  });

  it('falls back to the mode when host inodes are unknown', () => {
    const r2 = resolveSharing([{ ...c('hostpid'), namespaces: HOSTPID }], {});
    assert.equal(r2.get(c('hostpid').id)!.shared.pid, 'host');
  });

  it('detects a shared inode without a mode and names the older container', () => {
    const a = { ...c('web'), namespaces: WEB };
    const b = { ...c('hostpid'), namespaces: { ...HOSTPID, uts: WEB.uts } };
    const r3 = resolveSharing([a, b], HOST);
    assert.equal(r3.get(b.id)!.shared.uts, 'container:vlt-fx-web');
    assert.deepEqual(r3.get(b.id)!.joins, [{ to: a.id, type: 'uts' }]);
    assert.equal(r3.get(a.id)!.shared.uts, 'own');
  });

  it('resolves a partner given by short id or name, and keeps an unknown one as text', () => {
    const side = c('side');
    const byShort = { ...side, hostConfig: { ...side.hostConfig, networkMode: `container:${c('web').id.slice(0, 12)}` }, namespaces: SIDE };
    const byName = { ...side, id: 'f'.repeat(64), hostConfig: { ...side.hostConfig, networkMode: 'container:vlt-fx-web' }, namespaces: SIDE };
    const unknown = { ...side, id: 'e'.repeat(64), hostConfig: { ...side.hostConfig, networkMode: 'container:gone' }, namespaces: {} };
    const r4 = resolveSharing([{ ...c('web'), namespaces: WEB }, byShort, byName, unknown], HOST);
    assert.equal(r4.get(byShort.id)!.shared.net, 'container:vlt-fx-web');
    assert.equal(r4.get(byName.id)!.shared.net, 'container:vlt-fx-web');
    assert.equal(r4.get(unknown.id)!.shared.net, 'container:gone');
    assert.deepEqual(r4.get(unknown.id)!.joins, []);
  });
});
