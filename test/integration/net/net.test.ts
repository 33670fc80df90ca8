import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readlinkSync, statSync } from 'node:fs';
import { scanOptions } from '../../../src/core/context';
import { GraphBuilder } from '../../../src/core/model/builder';
import type { Snapshot } from '../../../src/core/model/graph';
import { netCollector } from '../../../src/core/net/collector';
import { readNetns } from '../../../src/core/net/netns';

// Real namespaces, veths, a Linux bridge, a VXLAN link and a Docker container, all named vlt*.
// The only traffic is a ping between two addresses inside the test's own namespaces.
const x = (file: string, ...args: string[]) => execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const quiet = (file: string, ...args: string[]) => {
  try {
    x(file, ...args);
  } catch {
    /* cleanup of something that is already gone */
  }
};
const inodeOfLink = (p: string) => Number(/\[(\d+)\]/.exec(readlinkSync(p))![1]);
const NS = ['vltn1', 'vltn2'];
const CTR = 'vlt-net1';

function cleanup() {
  quiet('docker', 'rm', '-f', CTR);
  for (const ns of NS) quiet('ip', 'netns', 'del', ns);
}

describe('net collector on the real machine', function () {
  let snap: Snapshot;
  let ctrPid = 0;
  const inode: Record<string, number> = {};

  before(async function () {
    cleanup();
    for (const ns of NS) x('ip', 'netns', 'add', ns);
    x('ip', '-n', 'vltn1', 'link', 'add', 'vltn1a', 'type', 'veth', 'peer', 'name', 'vltn2a', 'netns', 'vltn2');
    x('ip', '-n', 'vltn1', 'link', 'add', 'vltn1b', 'type', 'veth', 'peer', 'name', 'vltn2b', 'netns', 'vltn2');
    x('ip', '-n', 'vltn1', 'link', 'add', 'vltnbr0', 'type', 'bridge');
    x('ip', '-n', 'vltn1', 'link', 'set', 'vltn1b', 'master', 'vltnbr0');
    x('ip', '-n', 'vltn1', 'addr', 'add', '10.99.0.1/24', 'dev', 'vltn1a');
    x('ip', '-n', 'vltn2', 'addr', 'add', '10.99.0.2/24', 'dev', 'vltn2a');
    x('ip', '-n', 'vltn1', 'link', 'add', 'vltvx0', 'type', 'vxlan', 'id', '42', 'local', '10.99.0.1', 'remote', '10.99.0.2', 'dstport', '4789', 'dev', 'vltn1a');
    for (const [ns, l] of [['vltn1', 'vltn1a'], ['vltn1', 'vltn1b'], ['vltn1', 'vltnbr0'], ['vltn2', 'vltn2a'], ['vltn2', 'vltn2b']]) x('ip', '-n', ns!, 'link', 'set', l!, 'up');
    x('ip', 'netns', 'exec', 'vltn1', 'ping', '-c', '1', '-W', '2', '10.99.0.2');
    x('docker', 'run', '-d', '--name', CTR, '--label', 'virtlab.test=1', 'virtlab/busybox:latest', 'sleep', '600');
    ctrPid = Number(x('docker', 'inspect', '-f', '{{.State.Pid}}', CTR).trim());

    // What the process reader would add in phase 1: the namespaces, with a way into each.
    const g = new GraphBuilder();
    for (const ns of NS) {
      inode[ns] = statSync(`/run/netns/${ns}`).ino;
      g.node(`ns:net:${inode[ns]}`, 'namespace', ns, { type: 'net', inode: inode[ns], pids: [], nsfs: [`/run/netns/${ns}`] });
    }
    inode.host = inodeOfLink('/proc/self/ns/net');
    g.node(`ns:net:${inode.host}`, 'namespace', 'host', { type: 'net', inode: inode.host, pids: [process.pid], nsfs: [], isHostNs: true });
    inode.ctr = inodeOfLink(`/proc/${ctrPid}/ns/net`);
    g.node(`ns:net:${inode.ctr}`, 'namespace', 'ctr', { type: 'net', inode: inode.ctr, pids: [ctrPid], nsfs: [] });
    await netCollector.collect(scanOptions(), g);
    snap = g.build(0);
  });
  after(cleanup);

  const node = (id: string) => snap.nodes.find((n) => n.id === id);
  const ifaces = (ns: number) => snap.nodes.filter((n) => n.kind === 'interface' && n.props.netnsInode === ns);
  const edge = (from: string, to: string, kind: string) => snap.edges.some((e) => e.from === from && e.to === to && e.kind === kind);

  it('reports the source ok', () => {
    assert.equal(snap.report.sources.net?.state, 'ok', JSON.stringify(snap.report));
  });

  it('has every interface `ip -n NS -j link` lists, with kind, state, MTU and MAC', () => {
    for (const ns of NS) {
      const ref = JSON.parse(x('ip', '-n', ns, '-j', '-d', 'link')) as { ifindex: number; ifname: string; mtu: number; address: string; operstate: string; linkinfo?: { info_kind?: string } }[];
      const got = ifaces(inode[ns]!);
      assert.deepEqual(got.map((n) => n.props.ifindex).sort(), ref.map((r) => r.ifindex).sort(), ns);
      for (const r of ref) {
        const n = node(`iface:${inode[ns]}:${r.ifindex}`)!;
        assert.equal(n.props.name, r.ifname);
        assert.equal(n.props.mtu, r.mtu);
        assert.equal(n.props.mac, r.address);
        assert.equal(n.props.state, r.operstate);
        if (r.linkinfo?.info_kind && ['veth', 'bridge', 'vxlan'].includes(r.linkinfo.info_kind)) assert.equal(n.props.kind, r.linkinfo.info_kind);
        assert.ok(edge(n.id, `ns:net:${inode[ns]}`, 'in-netns'));
      }
    }
  });

  it('pairs every veth with its peer (checked against the peer ifindex ip reports)', () => {
    for (const ns of NS) {
      for (const n of ifaces(inode[ns]!).filter((i) => i.props.kind === 'veth')) {
        const peer = node(String(n.props.peerId));
        assert.ok(peer, `${ns}/${n.props.name} has no peer`);
        assert.equal(peer.props.ifindex, n.props.linkIndex);
        assert.equal(peer.props.peerId, n.id);
        const [a, b] = [n.id, peer.id].sort();
        assert.ok(edge(a!, b!, 'veth-peer'));
      }
    }
    const n1a = ifaces(inode.vltn1!).find((i) => i.props.name === 'vltn1a')!;
    assert.equal(node(String(n1a.props.peerId))!.props.name, 'vltn2a');
    assert.equal(node(String(n1a.props.peerId))!.props.netnsInode, inode.vltn2);
  });

  it('shows the Linux bridge with its port and forwarding entries', () => {
    const br = node(`bridge:${inode.vltn1}:vltnbr0`)!;
    assert.ok(br);
    assert.deepEqual(br.props.ports, ['vltn1b']);
    const port = ifaces(inode.vltn1!).find((i) => i.props.name === 'vltn1b')!;
    assert.equal(port.props.masterId, br.id);
    assert.ok(edge(port.id, br.id, 'bridge-port'));
    const ref = (JSON.parse(x('bridge', '-n', 'vltn1', '-j', 'fdb', 'show', 'br', 'vltnbr0')) as { master?: string }[]).filter((e) => e.master === 'vltnbr0');
    assert.equal(br.props.fdbCount, ref.length);
  });

  it('shows the VXLAN link as a tunnel endpoint of VNI 42', () => {
    const vx = ifaces(inode.vltn1!).find((i) => i.props.name === 'vltvx0')!;
    assert.equal(vx.props.kind, 'vxlan');
    assert.deepEqual(vx.props.vxlan, { vni: 42, local: '10.99.0.1', remote: '10.99.0.2', group: undefined, port: 4789, dev: 'vltn1a', ttl: 0, learning: true });
    assert.ok(node('vxlan:42'));
    assert.ok(edge(vx.id, 'vxlan:42', 'vxlan-tunnel'));
  });

  it('connects container eth0 <-> host veth <-> docker0 <- Docker network "bridge"', () => {
    const eth0 = ifaces(inode.ctr!).find((i) => i.props.name === 'eth0')!;
    const ip = x('docker', 'inspect', '-f', '{{.NetworkSettings.IPAddress}}', CTR).trim();
    assert.ok((eth0.props.addresses as { address: string }[]).some((a) => a.address === ip));
    const hostVeth = node(String(eth0.props.peerId))!;
    assert.equal(hostVeth.props.netnsInode, inode.host);
    // independent check: the host end is the interface whose ifindex eth0's iflink names
    const iflink = Number(x('docker', 'exec', CTR, 'cat', '/sys/class/net/eth0/iflink').trim());
    assert.equal(hostVeth.props.ifindex, iflink);
    const docker0 = `bridge:${inode.host}:docker0`;
    assert.equal(hostVeth.props.masterId, docker0);
    assert.ok(edge(hostVeth.id, docker0, 'bridge-port'));
    const netId = x('docker', 'network', 'inspect', '-f', '{{.Id}}', 'bridge').trim();
    assert.ok(edge(`docker-network:${netId}`, docker0, 'implements'));
    assert.equal(node(`docker-network:${netId}`)!.props.subnet, x('docker', 'network', 'inspect', '-f', '{{(index .IPAM.Config 0).Subnet}}', 'bridge').trim());
  });

  it('readNetns works without the graph and marks a vanished namespace', async () => {
    const r = await readNetns(scanOptions(), { inode: inode.vltn2!, nsfsPath: '/run/netns/vltn2' });
    assert.ok(!('error' in r));
    assert.deepEqual(r.links.map((l) => l.name).sort(), (JSON.parse(x('ip', '-n', 'vltn2', '-j', 'link')) as { ifname: string }[]).map((l) => l.ifname).sort());
    const gone = await readNetns(scanOptions(), { inode: 1, nsfsPath: '/run/netns/vltn-does-not-exist', pid: 999999999 });
    assert.ok('error' in gone);
    assert.equal(gone.code, 'ENOENT');
  });
});
