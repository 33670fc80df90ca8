import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { labStem } from '../../../src/core/lab/naming';
import { FIXTURES, LAB_CLI, ROOT, baseline, labCli } from './helpers';

// `virtlab lab ...` as a person runs it: generate, a refused bad file, status/pingall JSON, and the
// clear error an ordinary user gets when sudo -n is not allowed.

describe('virtlab lab CLI', function () {
  this.timeout(120000);
  const dir = mkdtempSync(path.join(tmpdir(), 'vlt-labcli-'));
  const env = { VIRTLAB_STATE_DIR: path.join(dir, 'state'), VIRTLAB_LAB_PREFIX: 'vlt' };
  after(() => {
    labCli(['clean'], env);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a bad file: errors with file:line:col and a fix, exit 1, and nothing is created', () => {
    const r = labCli(['up', path.join(FIXTURES, 'bad-unknown-node.vlab.yaml')], env);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /bad-unknown-node\.vlab\.yaml:9:30: endpoint "sw1:p2" names unknown node "sw1"\n {2}fix: did you mean "s1"\?/);
    assert.match(r.stderr, /nothing was created/);
    const stem = labStem('badlab', 'vlt');
    const after = baseline();
    assert.ok(!after.links.some((n) => n.startsWith(stem)) && !after.runNetns.some((n) => n.startsWith(stem)));
    assert.equal(labCli(['status', '--json'], env).stdout.trim(), '[]', 'no ledger written');
  });

  it('generate, up, status --json, pingall --json, exec, down', () => {
    const file = path.join(dir, 'l3.vlab.yaml');
    const g = labCli(['generate', 'linear,3', '--name', 'vltcli3', '-o', file], env);
    assert.equal(g.status, 0, g.stderr);
    const up = labCli(['up', file], env);
    assert.equal(up.status, 0, up.stderr);
    const st = JSON.parse(labCli(['status', 'vltcli3', '--json'], env).stdout) as { name: string; phase: string; objects: number; present: number; hosts: { addresses: string[] }[] }[];
    assert.equal(st[0].phase, 'up');
    assert.equal(st[0].present, st[0].objects);
    assert.deepEqual(st[0].hosts.map((h) => h.addresses[0]), ['eth0 10.0.0.1/24', 'eth0 10.0.0.2/24', 'eth0 10.0.0.3/24']);
    const pa = labCli(['pingall', 'vltcli3', '--json'], env);
    assert.equal(pa.status, 0);
    const p = JSON.parse(pa.stdout) as { tried: number; answered: number };
    assert.deepEqual([p.tried, p.answered], [6, 6]);
    const ex = labCli(['exec', 'vltcli3', 'h2', '--', 'ip', '-j', 'addr', 'show', 'dev', 'eth0'], env);
    assert.equal(ex.status, 0, ex.stderr);
    assert.equal((JSON.parse(ex.stdout) as { addr_info: { local: string }[] }[])[0].addr_info.find((a) => a.local.includes('.'))!.local, '10.0.0.2');
    assert.equal(labCli(['down', 'vltcli3'], env).status, 0);
    assert.equal(labCli(['status', '--json'], env).stdout.trim(), '[]');
  });

  it('as an ordinary user without a sudoers entry: a clear error naming the one sudoers line', function () {
    // nobody (65534) may not use sudo here; run the same entry point as that user.
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--import', 'tsx', LAB_CLI, 'down', 'vltnone'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, HOME: dir, TSX_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.json') }, timeout: 60000 });
    if (r.error) this.skip();
    assert.equal(r.status, 4, r.stderr);
    assert.match(r.stderr, /needs root, and `sudo -n` did not allow it/);
    assert.match(r.stderr, / ALL=\(root\) NOPASSWD: \S+node\S* \S+labCli\.ts lab \*/);
  });
});
