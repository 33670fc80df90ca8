import { strict as assert } from 'node:assert';
import { existsSync, readdirSync } from 'node:fs';
import { scanOptions } from '../../../src/core/context';
import { GraphBuilder } from '../../../src/core/model/builder';
import { sriovCollector } from '../../../src/core/sriov/collector';

describe('sriov collector on the real /sys', () => {
  it('agrees with sysfs about SR-IOV devices (none on this machine: source absent, no nodes)', async () => {
    // Independent look: any PCI function under /sys/bus/pci/devices exposing sriov_totalvfs.
    const capable = readdirSync('/sys/bus/pci/devices').filter((d) => existsSync(`/sys/bus/pci/devices/${d}/sriov_totalvfs`));
    const g = new GraphBuilder();
    await sriovCollector.collect(scanOptions(), g);
    const pfs = g.nodesOfKind('sriov-pf');
    if (capable.length === 0) {
      assert.equal(g.sources.sriov.state, 'absent');
      assert.equal(g.sources.sriov.detail, 'No SR-IOV capable network device on this machine (no sriov_totalvfs under /sys/class/net/*/device).');
      assert.equal(pfs.length + g.nodesOfKind('sriov-vf').length, 0);
    } else {
      // On hardware with SR-IOV every network PF found by sysfs must be a node, and none simulated.
      for (const n of pfs) assert.ok(capable.includes(String(n.props.pci)));
      assert.ok(pfs.every((n) => n.props.simulated === undefined));
    }
  });
});
