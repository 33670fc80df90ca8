import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scanOptions } from '../../../src/core/context';
import { collectLabs } from '../../../src/core/lab/collector';
import { writeLedger, type Ledger } from '../../../src/core/lab/ledger';
import { planLab } from '../../../src/core/lab/plan';
import { loadLab } from '../../../src/core/lab/validate';
import { GraphBuilder } from '../../../src/core/model/builder';

describe('lab collector (graph group for running labs)', () => {
  const run = mkdtempSync(path.join(tmpdir(), 'vlt-run-'));
  after(() => rmSync(run, { recursive: true, force: true }));

  it('adds lab, lab-host and lab-switch nodes and joins them to namespaces and OVS bridges that exist', async () => {
    const saved = process.env.VIRTLAB_STATE_DIR;
    delete process.env.VIRTLAB_STATE_DIR;
    try {
      const plan = planLab(loadLab(readFileSync(path.join(__dirname, '../../fixtures/lab/tenants.vlab.yaml'), 'utf8')).lab!, 'vlt');
      const l: Ledger = { version: 1, name: plan.name, stem: plan.stem, pid: 1, startedAt: 't', phase: 'up', plan };
      await writeLedger(path.join(run, 'virtlab', 'labs'), l);
      mkdirSync(path.join(run, 'netns'));
      // Stand-ins for the nsfs bind mounts: only their inode numbers are read.
      for (const n of [plan.hosts[0].netns, plan.swNetns!]) writeFileSync(path.join(run, 'netns', n), '');
      const hostIno = statSync(path.join(run, 'netns', plan.hosts[0].netns)).ino;
      const swIno = statSync(path.join(run, 'netns', plan.swNetns!)).ino;
      const g = new GraphBuilder();
      g.node(`ns:net:${hostIno}`, 'namespace', 'net', { type: 'net' });
      g.node(`bridge:${swIno}:${plan.switches[0].dev}`, 'bridge', plan.switches[0].dev);
      g.node(`ovs-bridge:${plan.switches[3].dev}`, 'ovs-bridge', plan.switches[3].dev);
      await collectLabs(scanOptions({ roots: { run } }), g);
      const snap = g.build(0);
      assert.equal(snap.report.sources.labs.state, 'ok');
      assert.deepEqual(snap.nodes.filter((n) => n.kind === 'lab').map((n) => n.id), ['lab:vlttenants']);
      assert.equal(snap.nodes.filter((n) => n.kind === 'lab-host').length, 4);
      assert.equal(snap.nodes.filter((n) => n.kind === 'lab-switch').length, 4);
      const impl = snap.edges.filter((e) => e.kind === 'implements').map((e) => `${e.from} -> ${e.to}`).sort();
      assert.deepEqual(impl, [`lab-host:vlttenants:a1 -> ns:net:${hostIno}`, `lab-switch:vlttenants:sa1 -> bridge:${swIno}:${plan.switches[0].dev}`, `lab-switch:vlttenants:sb2 -> ovs-bridge:${plan.switches[3].dev}`].sort());
      assert.equal(snap.nodes.find((n) => n.id === 'lab-host:vlttenants:a2')!.props.present, false);
    } finally {
      if (saved !== undefined) process.env.VIRTLAB_STATE_DIR = saved;
    }
  });

  it('no ledger directory: source absent, nothing added', async () => {
    const g = new GraphBuilder();
    await collectLabs(scanOptions({ roots: { run: path.join(run, 'nothing') } }), g);
    assert.equal(g.build(0).report.sources.labs.state, 'absent');
  });
});
