import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { labStem } from '../../../src/core/lab/naming';
import { FIXTURES, LAB_CLI, ROOT, baseline, labCli, quiet, x } from './helpers';

// kill -9 of `virtlab lab up` at each step (VIRTLAB_TEST_KILL_AT makes test/support/labCli.ts SIGKILL itself
// right after that step) and once at an arbitrary moment; then `virtlab lab clean` must bring
// ip -j link, ip netns, /run/netns, ovs-vsctl list-br and docker ps -a back to the baseline, and
// the canaries this test made itself (not VirtLab) must survive every clean.

const FILE = path.join(FIXTURES, 'faults.vlab.yaml');
const stem = labStem('vltfault', 'vlt');
const stateDir = mkdtempSync(path.join(tmpdir(), 'vlt-faults-'));
const env = { VIRTLAB_STATE_DIR: stateDir, VIRTLAB_LAB_PREFIX: 'vlt' };
// Canaries: plain vlt names, plus names that start with the lab's own stem but are not lab names.
const CANARY = { bridge: 'vltcanbr', vethA: 'vltcana', vethB: 'vltcanb', netns: 'vltcan-ns', ovs: 'vltcanovs', stemBridge: `${stem}q1`, stemNetns: `${stem}canary` };

function makeCanaries() {
  x('ip', 'link', 'add', CANARY.bridge, 'type', 'bridge');
  x('ip', 'link', 'add', CANARY.vethA, 'type', 'veth', 'peer', 'name', CANARY.vethB);
  x('ip', 'link', 'add', CANARY.stemBridge, 'type', 'bridge');
  x('ip', 'netns', 'add', CANARY.netns);
  x('ip', 'netns', 'add', CANARY.stemNetns);
  x('ovs-vsctl', '--timeout=10', 'add-br', CANARY.ovs, '--', 'set', 'bridge', CANARY.ovs, 'datapath_type=netdev');
}

function removeCanaries() {
  for (const l of [CANARY.bridge, CANARY.vethA, CANARY.stemBridge]) quiet('ip', 'link', 'del', l);
  for (const n of [CANARY.netns, CANARY.stemNetns]) quiet('ip', 'netns', 'del', n);
  quiet('ovs-vsctl', '--timeout=10', '--if-exists', 'del-br', CANARY.ovs);
}

function assertCanaries() {
  const b = baseline();
  for (const l of [CANARY.bridge, CANARY.vethA, CANARY.vethB, CANARY.stemBridge]) assert.ok(b.links.includes(l), `canary link ${l} survived`);
  for (const n of [CANARY.netns, CANARY.stemNetns]) assert.ok(b.runNetns.includes(n) && b.ipNetns.includes(n), `canary netns ${n} survived`);
  assert.ok(b.ovs.includes(CANARY.ovs), 'canary OVS bridge survived');
}

describe('kill -9 during lab up, then lab clean', function () {
  this.timeout(180000);
  let base: ReturnType<typeof baseline>;

  before(() => {
    removeCanaries();
    makeCanaries();
    base = baseline();
  });
  after(() => {
    labCli(['clean'], env);
    removeCanaries();
    rmSync(stateDir, { recursive: true, force: true });
  });

  function cleanAndCompare(point: string) {
    const st = labCli(['status', '--json'], env);
    const labs = JSON.parse(st.stdout) as { name: string; stale: boolean; present: number }[];
    assert.equal(labs.length, 1, `ledger holds the cut-off lab (${point})`);
    assert.equal(labs[0].stale, true, 'status says the lab was cut off');
    const c = labCli(['clean', '--json'], env);
    assert.equal(c.status, 0, c.stderr);
    const report = JSON.parse(c.stdout) as { lab: string; left: unknown[] }[];
    assert.deepEqual(report.map((r) => [r.lab, r.left.length]), [['vltfault', 0]]);
    assert.deepEqual(baseline(), base, `machine equals the baseline after clean (killed after ${point})`);
    assert.ok(!existsSync(path.join(stateDir, 'vltfault.json')), 'ledger entry removed');
    assertCanaries();
  }

  for (const point of ['ledger', 'containers', 'root', 'hosts', 'switches']) {
    it(`killed right after step "${point}"`, () => {
      const r = labCli(['up', FILE, '--label', 'virtlab.test=1'], { ...env, VIRTLAB_TEST_KILL_AT: point });
      assert.equal(r.signal, 'SIGKILL', `up was killed (status ${r.status}, ${r.stderr})`);
      const ledger = JSON.parse(readFileSync(path.join(stateDir, 'vltfault.json'), 'utf8')) as { phase: string; plan: { objects: { name: string }[] } };
      assert.equal(ledger.phase, 'creating');
      if (point !== 'ledger') assert.ok(baseline().links.some((l) => l.startsWith(stem)) || point === 'containers', 'something was created before the kill');
      cleanAndCompare(point);
    });
  }

  it('killed at an arbitrary moment (SIGKILL from outside)', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', LAB_CLI, 'up', FILE, '--label', 'virtlab.test=1'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'ignore' });
    // Kill as soon as the ledger file appears, plus a little: somewhere inside up.
    const t0 = Date.now();
    while (!existsSync(path.join(stateDir, 'vltfault.json')) && Date.now() - t0 < 30000) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 150));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const l = JSON.parse(readFileSync(path.join(stateDir, 'vltfault.json'), 'utf8')) as { phase: string };
    if (l.phase === 'up') {
      // The machine was faster than the kill: then the lab is simply up; down must still restore the baseline.
      assert.equal(labCli(['down', 'vltfault'], env).status, 0);
      assert.deepEqual(baseline(), base);
      assertCanaries();
    } else cleanAndCompare('an arbitrary moment');
  });

  it('a full up and down also leaves the baseline', () => {
    assert.equal(labCli(['up', FILE, '--label', 'virtlab.test=1'], env).status, 0);
    assert.notDeepEqual(baseline(), base);
    const d = labCli(['down', 'vltfault'], env);
    assert.equal(d.status, 0, d.stderr);
    assert.deepEqual(baseline(), base);
    assertCanaries();
  });
});
