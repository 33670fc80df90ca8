import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Snapshot } from '../../../src/core/model/graph';
import { snapshotValidator } from '../../support/schema';

const ROOT = path.join(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const quiet = (file: string, ...args: string[]) => spawnSync(file, args, { stdio: 'ignore' });

// A network lab with a container host, a namespace host, a Linux bridge and an OVS bridge joined by
// VXLAN, plus a plain container outside it: most node kinds this machine can have at once.
const LAB = `name: vlsch
topology:
  nodes:
    c1: { kind: linux, image: "virtlab/busybox:latest" }
    h1: { kind: host }
    s1: { kind: bridge }
    s2: { kind: ovs-bridge }
  links:
    - endpoints: ["c1:eth0", "s1:p1"]
    - endpoints: ["h1:eth0", "s2:p1"]
    - endpoints: ["s1:vx", "s2:vx"]
      vni: 300
`;

describe('virtlab schema (built CLI) against a real snapshot of this machine', function () {
  this.timeout(180000);
  const dir = mkdtempSync(path.join(tmpdir(), 'vls-'));
  const env = { ...process.env, VIRTLAB_STATE_DIR: path.join(dir, 'state') };
  const cli = (...args: string[]) => spawnSync('node', [CLI, ...args], { encoding: 'utf8', env, maxBuffer: 256 * 1024 * 1024 });

  before(() => {
    execFileSync('node', ['esbuild.mjs'], { cwd: ROOT });
    writeFileSync(path.join(dir, 'vlsch.vlab.yaml'), LAB);
    quiet('docker', 'rm', '-f', 'vls-plain');
    execFileSync('docker', ['run', '-d', '--name', 'vls-plain', '--label', 'virtlab.test=1', '--memory', '64m', '--network', 'none', 'virtlab/busybox:latest', 'sleep', '600']);
    const up = cli('lab', 'up', path.join(dir, 'vlsch.vlab.yaml'), '--label', 'virtlab.test=1');
    assert.equal(up.status, 0, up.stderr);
  });
  after(() => {
    cli('lab', 'down', 'vlsch');
    quiet('docker', 'rm', '-f', 'vls-plain');
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints a draft 2020-12 schema that every node and edge of the snapshot satisfies', () => {
    const schema = cli('schema');
    assert.equal(schema.status, 0, schema.stderr);
    const problems = snapshotValidator(JSON.parse(schema.stdout));
    const snap = cli('snapshot', '--json');
    assert.equal(snap.status, 0, snap.stderr);
    const s = JSON.parse(snap.stdout) as Snapshot;
    const kinds = new Set(s.nodes.map((n) => n.kind));
    const want = ['host', 'host-fact', 'process', 'namespace', 'cgroup', 'container', 'image', 'layer', 'interface', 'bridge', 'ovs-bridge', 'ovs-port', 'vxlan', 'docker-network', 'lab', 'lab-host', 'lab-switch'];
    assert.deepEqual(want.filter((k) => !kinds.has(k as never)), [], 'the snapshot has every kind this machine can show');
    assert.deepEqual(problems(s), []);
    // The lab's objects are really in it, read by the independent tools too.
    assert.ok(s.nodes.some((n) => n.kind === 'ovs-bridge' && execFileSync('ovs-vsctl', ['list-br'], { encoding: 'utf8' }).split('\n').includes(n.label)));
    assert.ok(s.nodes.some((n) => n.kind === 'container' && n.label === 'vls-plain'));
  });

  it('refuses options it does not take, and changes nothing', () => {
    const r = cli('schema', '--json');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /schema takes no options/);
  });
});
