import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { scanOptions } from '../../../src/core/context';
import { GraphBuilder } from '../../../src/core/model/builder';
import { collectOvs, linkOvsPortsToInterfaces, ovsVni } from '../../../src/core/ovs/collector';

describe('ovs/collector without the machine', () => {
  it('reports OVS as absent with an install hint when ovs-vsctl is not on PATH', async () => {
    const empty = mkdtempSync(`${tmpdir()}/vlt-nopath-`);
    try {
      const g = new GraphBuilder();
      await collectOvs(scanOptions({ path: empty }), g);
      assert.equal(g.sources.ovs?.state, 'absent');
      assert.match(g.sources.ovs?.fix ?? '', /apt-get install openvswitch-switch/);
      assert.equal(g.nodesOfKind('ovs-bridge').length, 0);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('reads the VNI only when options:key is a number', () => {
    assert.equal(ovsVni({ key: '42' }), 42);
    assert.equal(ovsVni({ key: 'flow' }), undefined);
    assert.equal(ovsVni({}), undefined);
  });

  it('joins ports to same-named interfaces of the vswitchd namespace only', () => {
    const g = new GraphBuilder();
    g.node('iface:10:3', 'interface', 'p1', { name: 'p1', netnsInode: 10 });
    g.node('iface:20:3', 'interface', 'p1', { name: 'p1', netnsInode: 20 });
    g.node('ovs-port:u1', 'ovs-port', 'p1', { netnsInode: 10, interfaces: [{ name: 'p1' }] });
    g.node('ovs-port:u2', 'ovs-port', 'p2', { netnsInode: 10, interfaces: [{ name: 'p2' }] });
    assert.equal(linkOvsPortsToInterfaces(g), 1);
    const s = g.build(0);
    assert.deepEqual(s.edges, [{ from: 'ovs-port:u1', to: 'iface:10:3', kind: 'ovs-interface' }]);
  });
});
