import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { normaliseDockerNetwork } from '../../../src/core/net/dockerNetworks';

describe('net/dockerNetworks: GET /networks', () => {
  const raw = JSON.parse(readFileSync(`${__dirname}/../../fixtures/net/docker-networks.json`, 'utf8')) as { Id: string; Name: string }[];

  it('names the Linux bridge of each bridge network (option, else br-<id12>)', () => {
    const nets = raw.map(normaliseDockerNetwork);
    assert.ok(nets.every(Boolean));
    const byName = new Map(nets.map((n) => [n!.name, n!]));
    assert.equal(byName.get('bridge')?.bridgeName, 'docker0');
    assert.deepEqual(byName.get('bridge')?.subnets.map((s) => s.subnet), ['172.17.0.0/16']);
    const lab = byName.get('vltfx-net')!;
    assert.equal(lab.driver, 'bridge');
    assert.equal(lab.bridgeName, `br-${lab.id.slice(0, 12)}`);
    assert.deepEqual(lab.subnets, [{ subnet: '10.97.0.0/24', gateway: '10.97.0.1' }]);
    assert.equal(lab.labels['virtlab.test'], '1');
    assert.equal(byName.get('host')?.bridgeName, undefined);
    assert.equal(byName.get('none')?.driver, 'null');
  });

  it('drops entries without a valid id or name and tolerates odd IPAM', () => {
    assert.equal(normaliseDockerNetwork({ Name: 'x' }), undefined);
    assert.equal(normaliseDockerNetwork({ Id: '../../etc', Name: 'x' }), undefined);
    assert.equal(normaliseDockerNetwork(null), undefined);
    const n = normaliseDockerNetwork({ Id: 'a'.repeat(64), Name: 'x', Driver: 'bridge', IPAM: { Config: [null, { Subnet: 5 }, { Subnet: '10.0.0.0/8' }] }, Options: { 'com.docker.network.bridge.name': 7 } });
    assert.deepEqual(n?.subnets, [{ subnet: '10.0.0.0/8', gateway: undefined }]);
    assert.equal(n?.bridgeName, 'br-aaaaaaaaaaaa');
  });
});
