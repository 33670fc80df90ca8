import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { parseIpLinks, type NetLink } from '../../../src/core/net/links';

const fx = (f: string) => readFileSync(`${__dirname}/../../fixtures/net/${f}`, 'utf8');
function links(f: string): NetLink[] {
  const r = parseIpLinks(fx(f));
  assert.ok(!('error' in r), 'error' in r ? r.error : '');
  assert.deepEqual(r.problems, []);
  return r.links;
}
const byName = (ls: NetLink[], n: string) => {
  const l = ls.find((x) => x.name === n);
  assert.ok(l, `no link ${n}`);
  return l;
};

describe('net/links: ip -j -d addr show', () => {
  it('classifies every kind recorded in the lab namespace and keeps all entries', () => {
    const ls = links('ip-addr-vltfxa.json');
    const raw = JSON.parse(fx('ip-addr-vltfxa.json')) as { ifname: string }[];
    assert.deepEqual(ls.map((l) => l.name), raw.map((r) => r.ifname));
    const kinds = Object.fromEntries(ls.map((l) => [l.name, l.kind]));
    assert.deepEqual(kinds, {
      lo: 'loopback', vltbr: 'bridge', vltp1: 'veth', vltp2: 'veth', vltv: 'veth', vltu: 'veth',
      vltmv0: 'macvlan', vltmt0: 'macvtap', vlttap0: 'tap', vlttun0: 'tun', vltvx0: 'vxlan', vltvx1: 'vxlan',
    });
  });

  it('reads state, MTU, MAC, addresses, master, alias, peer fields', () => {
    const ls = links('ip-addr-vltfxa.json');
    const br = byName(ls, 'vltbr');
    assert.equal(br.state, 'UP');
    assert.deepEqual(br.addresses.filter((a) => a.family === 'inet'), [{ family: 'inet', address: '10.99.0.1', prefixlen: 24, scope: 'global' }]);
    assert.ok(br.addresses.some((a) => a.family === 'inet6' && a.address === 'fd00:99::1' && a.prefixlen === 64));
    assert.equal(br.bridge?.stp, false);
    const p1 = byName(ls, 'vltp1');
    assert.equal(p1.master, 'vltbr');
    assert.equal(p1.portOf, 'bridge');
    assert.equal(p1.linkIndex, 2);
    assert.equal(p1.linkNetnsId, 0);
    assert.match(p1.mac ?? '', /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
    assert.equal(p1.mtu, 1500);
    const u = byName(ls, 'vltu');
    assert.equal(u.alias, 'lab uplink');
    assert.equal(u.linkName, 'vltv');
    assert.equal(u.linkIndex, undefined);
    assert.equal(byName(ls, 'vltmv0').mode, 'bridge');
    assert.equal(byName(ls, 'vltmv0').linkName, 'vltu');
  });

  it('reads vxlan id/local/remote/group/port/dev', () => {
    const ls = links('ip-addr-vltfxa.json');
    assert.deepEqual(byName(ls, 'vltvx0').vxlan, { vni: 42, local: '10.99.0.1', remote: '10.99.0.2', group: undefined, port: 4789, dev: 'vltu', ttl: 0, learning: true });
    const vx1 = byName(ls, 'vltvx1').vxlan;
    assert.equal(vx1?.vni, 77);
    assert.equal(vx1?.group, '239.1.1.1');
    assert.equal(vx1?.remote, undefined);
    assert.equal(vx1?.ttl, 5);
  });

  it('reads the host namespace (physical NIC, ifb, docker0) and a container eth0', () => {
    const host = links('ip-addr-host.json');
    assert.equal(byName(host, 'eth0').kind, 'physical');
    assert.equal(byName(host, 'ifb0').kind, 'other');
    assert.equal(byName(host, 'ifb0').infoKind, 'ifb');
    assert.equal(byName(host, 'docker0').kind, 'bridge');
    const ctr = links('ip-addr-container.json');
    const eth0 = byName(ctr, 'eth0');
    assert.equal(eth0.kind, 'veth');
    assert.equal(typeof eth0.linkIndex, 'number');
    assert.equal(eth0.linkNetnsId, 0);
    assert.ok(eth0.addresses.some((a) => a.family === 'inet' && a.address.startsWith('172.')));
  });

  it('rejects a truncated or non-array document and drops broken entries', () => {
    const text = fx('ip-addr-vltfxa.json');
    const t = parseIpLinks(text.slice(0, Math.floor(text.length / 2)));
    assert.ok('error' in t && /not JSON/.test(t.error));
    const na = parseIpLinks('{"ifindex":1}');
    assert.ok('error' in na && /array/.test(na.error));
    const r = parseIpLinks(JSON.stringify([
      { ifindex: 1, ifname: 'lo', link_type: 'loopback', addr_info: [{ family: 'inet', local: '127.0.0.1' }, 'junk', { family: 'inet', local: '127.0.0.2', prefixlen: 8 }] },
      { ifname: 'noindex' },
      { ifindex: -3, ifname: 'neg' },
      { ifindex: '4', ifname: 'strindex' },
      null,
      { ifindex: 1, ifname: 'dup' },
      { ifindex: 5, ifname: 'x', linkinfo: { info_kind: 'vxlan', info_data: { id: 'forty' } }, link_index: 'nope', mtu: 1.5 },
    ]));
    assert.ok(!('error' in r));
    assert.deepEqual(r.links.map((l) => l.name), ['lo', 'x']);
    assert.equal(r.problems.length, 5);
    assert.deepEqual(r.links[0]!.addresses, [{ family: 'inet', address: '127.0.0.2', prefixlen: 8, scope: undefined }]);
    assert.equal(r.links[1]!.kind, 'vxlan');
    assert.equal(r.links[1]!.vxlan, undefined);
    assert.equal(r.links[1]!.linkIndex, undefined);
    assert.equal(r.links[1]!.mtu, undefined);
  });
});
