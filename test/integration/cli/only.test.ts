import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');

describe('virtlab snapshot --only (built CLI)', function () {
  this.timeout(120000);
  // Always rebuild: an older dist/cli.js would not know the flag.
  before(() => execFileSync('node', ['esbuild.mjs'], { cwd: ROOT }));

  const snapshot = (...args: string[]) => JSON.parse(execFileSync('node', [CLI, 'snapshot', '--json', '--compact', ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }));

  it('runs only the named readers, and their data equals what the full snapshot has', () => {
    const only = snapshot('--only', 'proc,net');
    assert.deepEqual(Object.keys(only.report.sources).sort(), ['docker-networks', 'net', 'proc']);
    const kinds = new Set<string>(only.nodes.map((n: { kind: string }) => n.kind));
    for (const k of ['process', 'namespace', 'interface']) assert.ok(kinds.has(k), `has ${k} nodes`);
    for (const k of ['container', 'host', 'ovs-bridge']) assert.ok(!kinds.has(k), `no ${k} nodes`);
    // The same host interfaces as a full snapshot (names in the host namespace are stable here).
    const full = snapshot();
    const hostIfaces = (s: { nodes: { kind: string; props: Record<string, unknown> }[] }) =>
      s.nodes
        .filter((n) => n.kind === 'interface' && s.nodes.some((m) => m.kind === 'namespace' && m.props.isHostNs === true && m.props.inode === n.props.netnsInode))
        .map((n) => String(n.props.name))
        .filter((n) => !n.startsWith('veth') && !n.startsWith('vlt'))
        .sort();
    assert.deepEqual(hostIfaces(only), hostIfaces(full));
  });

  it('rejects an unknown reader name with the list of valid ones (exit 2)', () => {
    const r = spawnSync('node', [CLI, 'snapshot', '--json', '--only', 'proc,nope'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown: nope/);
    assert.match(r.stderr, /host, proc, docker/);
  });
});
