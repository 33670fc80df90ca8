import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { parseIpLinks, type NetLink } from '../../../src/core/net/links';
import { parseNsidList } from '../../../src/core/net/netns';
import { resolveVethPeers } from '../../../src/core/net/veth';

const links = (f: string): NetLink[] => {
  const r = parseIpLinks(readFileSync(`${__dirname}/../../fixtures/net/${f}`, 'utf8'));
  if ('error' in r) throw new Error(r.error);
  return r.links;
};
const idx = (ls: NetLink[], n: string) => ls.find((l) => l.name === n)!.ifindex;
const veth = (ifindex: number, linkIndex: number, linkNetnsId?: number): NetLink =>
  ({ ifindex, name: `v${ifindex}`, kind: 'veth', state: 'UP', flags: [], addresses: [], linkIndex, linkNetnsId });

describe('net/veth: joining veth ends across namespaces', () => {
  it('pairs the recorded lab namespaces (cross-namespace and same-namespace pairs)', () => {
    const a = links('ip-addr-vltfxa.json');
    const b = links('ip-addr-vltfxb.json');
    const c = links('ip-addr-vltfxc.json');
    const r = resolveVethPeers([{ inode: 100, links: a }, { inode: 200, links: b }, { inode: 300, links: c }]);
    assert.deepEqual(r.unresolved, []);
    assert.equal(r.peers.get(`100:${idx(a, 'vltp1')}`), `200:${idx(b, 'vltq1')}`);
    assert.equal(r.peers.get(`200:${idx(b, 'vltq1')}`), `100:${idx(a, 'vltp1')}`);
    assert.equal(r.peers.get(`100:${idx(a, 'vltp2')}`), `300:${idx(c, 'vltq2')}`);
    assert.equal(r.peers.get(`100:${idx(a, 'vltu')}`), `100:${idx(a, 'vltv')}`);
    assert.equal(r.peers.get(`100:${idx(a, 'vltv')}`), `100:${idx(a, 'vltu')}`);
    // macvlan's `link` is its parent, not a peer
    assert.equal(r.peers.get(`100:${idx(a, 'vltmv0')}`), undefined);
    // the nsids vltfxa uses match what `ip -n vltfxa netns list-id` recorded
    const names = parseNsidList(readFileSync(`${__dirname}/../../fixtures/net/netns-list-id-vltfxa.json`, 'utf8'));
    assert.equal(names.get(a.find((l) => l.name === 'vltp1')!.linkNetnsId!), 'vltfxb');
    assert.equal(r.nsidMaps.get(100)?.get(a.find((l) => l.name === 'vltp1')!.linkNetnsId!), 200);
    assert.equal(r.nsidMaps.get(100)?.get(a.find((l) => l.name === 'vltp2')!.linkNetnsId!), 300);
  });

  it('pairs a Docker container eth0 with its host veth', () => {
    const host = links('ip-addr-host.json');
    const ctr = links('ip-addr-container.json');
    const r = resolveVethPeers([{ inode: 1, links: host }, { inode: 2, links: ctr }]);
    const eth0 = ctr.find((l) => l.name === 'eth0')!;
    const hostEnd = host.find((l) => l.ifindex === eth0.linkIndex)!;
    assert.equal(hostEnd.kind, 'veth');
    assert.equal(hostEnd.master, 'docker0');
    assert.equal(r.peers.get(`2:${eth0.ifindex}`), `1:${hostEnd.ifindex}`);
    // host veths of containers that were not part of the recording stay unpaired, with a reason
    for (const u of r.unresolved) assert.match(u.reason, /not scanned/);
  });

  it('uses a settled pair to pin the nsid for the other ends of the same namespace', () => {
    // A has two veths into B (nsid 0); one pair is unique by ifindex, the other is mirrored by a C<->D pair.
    const r = resolveVethPeers([
      { inode: 1, links: [veth(5, 9, 0), veth(2, 2, 0)] },
      { inode: 2, links: [veth(9, 5, 0), veth(2, 2, 0)] },
      { inode: 3, links: [veth(2, 2, 0)] },
      { inode: 4, links: [veth(2, 2, 0)] },
    ]);
    assert.equal(r.peers.get('1:5'), '2:9');
    assert.equal(r.peers.get('1:2'), '2:2');
    assert.equal(r.peers.get('3:2'), '4:2');
    assert.deepEqual(r.unresolved, []);
  });

  it('reports truly ambiguous ends and resolves them once named nsids are known', () => {
    const spaces = [1, 2, 3, 4].map((inode) => ({ inode, links: [veth(2, 2, 0)] }));
    const r = resolveVethPeers(spaces);
    assert.equal(r.peers.size, 0);
    assert.equal(r.unresolved.length, 4);
    assert.match(r.unresolved[0]!.reason, /possible peers/);
    const known = new Map([[1, new Map([[0, 3]])]]);
    const r2 = resolveVethPeers(spaces, known);
    assert.equal(r2.peers.get('1:2'), '3:2');
    assert.equal(r2.peers.get('2:2'), '4:2');
    assert.deepEqual(r2.unresolved, []);
  });

  it('never pairs an end twice or with a non-mirroring end', () => {
    const r = resolveVethPeers([
      { inode: 1, links: [veth(3, 7, 0)] },
      { inode: 2, links: [veth(7, 4, 0), veth(8, 3, 0)] },
    ]);
    assert.equal(r.peers.size, 0);
    assert.equal(r.unresolved.length, 3);
  });

  it('ignores malformed list-id output', () => {
    assert.equal(parseNsidList('not json').size, 0);
    assert.equal(parseNsidList('[{"nsid":"0","name":"x"},{"nsid":1}]').size, 0);
  });
});
