import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const CLI = path.join(__dirname, '../../../dist/cli.js');

describe('virtlab snapshot --json (built CLI)', function () {
  this.timeout(120000);
  before(() => {
    if (!existsSync(CLI)) execFileSync('node', ['esbuild.mjs'], { cwd: path.join(__dirname, '../../..') });
  });

  it('prints one graph with the documented top-level shape', () => {
    const out = execFileSync('node', [CLI, 'snapshot', '--json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const snap = JSON.parse(out);
    assert.equal(snap.version, 1);
    assert.ok(Array.isArray(snap.nodes) && Array.isArray(snap.edges));
    assert.equal(typeof snap.report.durationMs, 'number');
    assert.ok(Array.isArray(snap.report.skipped));
    const ids = new Set<string>();
    for (const n of snap.nodes) {
      assert.equal(typeof n.id, 'string');
      assert.equal(typeof n.kind, 'string');
      assert.equal(typeof n.label, 'string');
      assert.equal(typeof n.props, 'object');
      assert.ok(!ids.has(n.id), `duplicate id ${n.id}`);
      ids.add(n.id);
    }
    for (const e of snap.edges) assert.ok(ids.has(e.from) && ids.has(e.to), `edge ends exist: ${e.from} -> ${e.to}`);
    const kernel = snap.nodes.find((n: { id: string }) => n.id === 'host-fact:kernel');
    assert.equal(kernel.props.value, execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim());
  });

  it('rejects bad input with a clear message and exit code 2', () => {
    const r = spawnSync('node', [CLI, 'snapshot', '--timeout', 'soon'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--timeout must be a whole number/);
    const u = spawnSync('node', [CLI, 'frobnicate'], { encoding: 'utf8' });
    assert.equal(u.status, 2);
    assert.match(u.stderr, /unknown command: frobnicate/);
  });

  it('reads a recorded tree when given --proc and --sys', () => {
    const fix = path.join(__dirname, '../../fixtures/host/legacy-xen');
    const out = execFileSync('node', [CLI, 'snapshot', '--json', '--proc', `${fix}/proc`, '--sys', `${fix}/sys`], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const snap = JSON.parse(out);
    const layout = snap.nodes.find((n: { id: string }) => n.id === 'host-fact:cgroup.layout');
    assert.equal(layout.props.value, 'v1 (legacy)');
  });
});
