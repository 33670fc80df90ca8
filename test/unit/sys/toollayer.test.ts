import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseVxlanDevices } from '../../../src/core/guide/checks/vxlan';
import { parseIpLinks } from '../../../src/core/net/links';
import { pathToolRunner, run, start } from '../../../src/core/sys/exec';

const CORE = join(__dirname, '../../../src/core');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('one tool layer for src/core', () => {
  it('only src/core/sys/exec.ts imports node:child_process', () => {
    const others = sources(CORE)
      .filter((f) => /from 'node:child_process'|require\('(node:)?child_process'\)|from 'child_process'/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(CORE, f));
    assert.deepEqual(others, ['sys/exec.ts']);
  });

  it('run gives every tool LC_ALL=C, keeps stderr and never throws', async () => {
    const r = await run('sh', ['-c', 'echo "$LC_ALL"; echo oops >&2; exit 3'], { env: { ...process.env, LC_ALL: 'de_DE.UTF-8' } });
    assert.equal(r.stdout.trim(), 'C');
    assert.equal(r.stderr.trim(), 'oops');
    assert.equal(r.ok, false);
    assert.equal(r.code, 3);
    const missing = await run('vlo-no-such-tool', []);
    assert.equal(missing.ok, false);
    assert.equal(missing.error, 'ENOENT');
  });

  it('run resolves a bare tool name on the PATH it is given, and a timeout is ETIMEDOUT', async () => {
    const none = await run('sh', ['-c', 'true'], { path: '/vlo-nowhere' });
    assert.equal(none.error, 'ENOENT');
    const slow = await run('sleep', ['5'], { timeoutMs: 100 });
    assert.equal(slow.error, 'ETIMEDOUT');
    const r = await pathToolRunner({ path: '/vlo-nowhere', timeoutMs: 1000 })('sh', ['-c', 'true']);
    assert.deepEqual([r.ok, r.error, r.stderr], [false, 'ENOENT', 'sh not found on PATH']);
  });

  it('start gives a streaming tool the same environment', async () => {
    const c = start('sh', ['-c', 'echo "$LC_ALL"'], ['ignore', 'pipe', 'ignore'], { env: { ...process.env, LC_ALL: 'fr_FR.UTF-8' } });
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise((r) => c.on('close', r));
    assert.equal(out.trim(), 'C');
  });
});

describe('one parser per tool output: ip -j link', () => {
  it('every src/core file that runs `ip … -j … link` reads it with parseIpLinks (or reads only its stats/VF lists)', () => {
    const own = new Set(['net/links.ts', 'metrics/iface.ts', 'sriov/vfinfo.ts']);
    const bypass = sources(CORE)
      .map((f) => [relative(CORE, f), readFileSync(f, 'utf8')] as const)
      .filter(([rel, text]) => !own.has(rel) && /'-j',[^\n]*'link'/.test(text) && !text.includes('parseIpLinks('))
      .map(([rel]) => rel);
    assert.deepEqual(bypass, []);
  });

  it('parseIpLinks reads `ip -j -d link show` (no addr_info): flags, master, info kind, vxlan, MAC', () => {
    const text = JSON.stringify([
      { ifindex: 1, ifname: 'lo', flags: ['LOOPBACK', 'UP', 'LOWER_UP'], mtu: 65536, operstate: 'UNKNOWN', link_type: 'loopback', address: '00:00:00:00:00:00' },
      { ifindex: 7, ifname: 'vlo-v1', flags: ['BROADCAST', 'UP'], master: 'vlo-br', operstate: 'DOWN', link_type: 'ether', address: '02:00:00:00:00:07', linkinfo: { info_kind: 'veth', info_slave_kind: 'bridge' } },
      { ifindex: 9, ifname: 'vlo-vx', flags: ['UP', 'LOWER_UP'], master: 'vlo-br', link_type: 'ether', address: '02:00:00:00:00:09', linkinfo: { info_kind: 'vxlan', info_data: { id: 42, local: '10.0.0.1', remote: '10.0.0.2', port: 4789 } } },
      { ifname: 'broken' },
    ]);
    const p = parseIpLinks(text);
    assert.ok(!('error' in p));
    assert.deepEqual(p.links.map((l) => [l.name, l.flags.includes('UP'), l.master, l.infoKind, l.mac, l.addresses.length]), [
      ['lo', true, undefined, undefined, '00:00:00:00:00:00', 0],
      ['vlo-v1', true, 'vlo-br', 'veth', '02:00:00:00:00:07', 0],
      ['vlo-vx', true, 'vlo-br', 'vxlan', '02:00:00:00:00:09', 0],
    ]);
    assert.equal(p.problems.length, 1);
    assert.deepEqual(parseVxlanDevices(text), [{ dev: 'vlo-vx', master: 'vlo-br', vni: 42, local: '10.0.0.1', remote: '10.0.0.2', port: 4789 }]);
    assert.equal(parseVxlanDevices('not json'), undefined);
    assert.ok('error' in parseIpLinks('{"ifname":"x"}'));
  });
});

describe('one interface-name rule module', () => {
  it('no src/core file but net/ifname.ts writes an interface-name regex', () => {
    const copies = sources(CORE)
      .filter((f) => /=\s*\/\^\[A-Za-z0-9_[^\n]*(\{1,15\}|\{0,14\})/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(CORE, f));
    assert.deepEqual(copies, ['net/ifname.ts']);
  });
});
