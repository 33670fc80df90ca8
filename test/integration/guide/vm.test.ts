import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCheck } from '../../../src/core/guide';
import { scanOptions } from '../../../src/core/context';
import { takeSnapshot } from '../../../src/core/scan';
import { queryQmp } from '../../../src/core/vm/qmp';
import { ctx, expectOk, expectRed, guideSuite, runStep } from './helpers';

// Guided lab 8 on real KVM (two paused guests, no disk) and lab 9 on the shipped simulated tree.

guideSuite('kvm', 'guided lab 8: full vs para-virtualization (real QEMU/KVM)', () => {

  it('e1000 is emulated, virtio-net paravirtual; QMP agrees that KVM runs them', async () => {
    await expectRed('kvm', 'e1000');
    await runStep('kvm', 'e1000');
    const r1 = await expectOk('kvm', 'e1000');
    assert.match(r1.detail, /NIC e1000 at PCI [0-9a-f:.]+ is emulated/);
    await expectRed('kvm', 'virtio');
    await runStep('kvm', 'virtio');
    const r2 = await expectOk('kvm', 'virtio');
    assert.match(r2.detail, /NIC virtio-net-pci at PCI [0-9a-f:.]+ is paravirtual/);
    for (const name of ['vlg-e1000', 'vlg-virtio']) {
      const q = await queryQmp(`/tmp/${name}.qmp`, 10000);
      assert.equal(q.kvm?.enabled, true);
      const pid = readFileSync(`/tmp/${name}.pid`, 'utf8').trim();
      assert.match(r1.detail + r2.detail, new RegExp(`${name}: QEMU PID ${pid}\\b`));
    }
    await runStep('kvm', 'compare');
  });

  it('says clearly when KVM is missing (a scan root without /dev/kvm)', async () => {
    const dev = mkdtempSync(path.join(os.tmpdir(), 'vlg-nodev-'));
    try {
      const options = scanOptions({ roots: { dev } });
      const r = await runCheck('kvm', 'e1000', { options, snapshot: () => takeSnapshot(options), extensionRoot: ctx.extensionRoot });
      assert.equal(r.ok, false);
      assert.match(r.detail, /kvm does not exist, so KVM is not available here/);
      assert.match(r.detail, /What you would see/);
    } finally {
      rmSync(dev, { recursive: true, force: true });
    }
  });
}, () => (existsSync('/dev/kvm') ? undefined : 'no /dev/kvm on this machine'));

guideSuite('sriov', 'guided lab 9: SR-IOV on the simulated sysfs tree', () => {

  it('simulated and vfs: red before unpacking, then green and marked simulated', async () => {
    await runStep('sriov', 'hardware');
    const red = await expectRed('sriov', 'simulated');
    assert.equal(red.simulated, true);
    await runStep('sriov', 'simulated');
    const r1 = await expectOk('sriov', 'simulated');
    assert.equal(r1.simulated, true);
    assert.match(r1.detail, /Simulated sysfs tree/);
    await expectRed('sriov', 'vfs');
    await runStep('sriov', 'vfs');
    const r2 = await expectOk('sriov', 'vfs');
    assert.equal(r2.simulated, true);
    // Independent: count virtfn links with ls, and the CLI's scan JSON.
    const doc = JSON.parse(readFileSync('/tmp/vlg-sriov/snapshot.json', 'utf8')) as { nodes: { kind: string; props: { simulated?: boolean } }[] };
    const vfs = doc.nodes.filter((n) => n.kind === 'sriov-vf');
    assert.equal(vfs.length, 6);
    assert.ok(vfs.every((n) => n.props.simulated === true));
    assert.match(r2.detail, /ens1f0 4\/64 VFs/);
  });
});
