import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { scanOptions } from '../../../src/core/context';
import { GraphBuilder } from '../../../src/core/model/builder';
import type { Snapshot } from '../../../src/core/model/graph';
import { netCollector } from '../../../src/core/net/collector';
import { ovsCollector } from '../../../src/core/ovs/collector';
import type { OvsFlow } from '../../../src/core/ovs/flows';

// A userspace-datapath OVS bridge vltbr0 with two veth ports into test namespaces and a VXLAN port.
// The VXLAN port sits on its own VLAN so flooding never sends anything to its (unused) remote;
// the only traffic is a ping between the two test namespaces.
const x = (file: string, ...args: string[]) => execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const quiet = (file: string, ...args: string[]) => {
  try {
    x(file, ...args);
  } catch {
    /* already gone */
  }
};
const BR = 'vltbr0';
const NS = ['vlto1', 'vlto2'];

function cleanup() {
  quiet('ovs-vsctl', '--timeout=10', '--if-exists', 'del-br', BR);
  for (const ns of NS) quiet('ip', 'netns', 'del', ns);
  for (const l of ['vlto1h', 'vlto2h']) quiet('ip', 'link', 'del', l);
}

async function scan(timeoutMs = 5000): Promise<Snapshot> {
  const g = new GraphBuilder();
  const host = Number(/\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/net'))![1]);
  g.node(`ns:net:${host}`, 'namespace', 'host', { type: 'net', inode: host, pids: [process.pid], nsfs: [], isHostNs: true });
  const opts = scanOptions({ timeoutMs });
  await ovsCollector.collect(opts, g);
  await netCollector.collect(opts, g);
  return g.build(0);
}

describe('ovs collector on the real machine', function () {
  let snap: Snapshot;
  before(async function () {
    cleanup();
    x('ovs-vsctl', '--timeout=10', 'add-br', BR, '--', 'set', 'bridge', BR, 'datapath_type=netdev');
    NS.forEach((ns, i) => {
      x('ip', 'netns', 'add', ns);
      x('ip', 'link', 'add', `${ns}h`, 'type', 'veth', 'peer', 'name', `${ns}n`, 'netns', ns);
      x('ip', 'link', 'set', `${ns}h`, 'up');
      x('ip', '-n', ns, 'addr', 'add', `10.96.0.${i + 1}/24`, 'dev', `${ns}n`);
      x('ip', '-n', ns, 'link', 'set', `${ns}n`, 'up');
      x('ovs-vsctl', '--timeout=10', 'add-port', BR, `${ns}h`, 'tag=10');
    });
    x('ovs-vsctl', '--timeout=10', 'add-port', BR, 'vltvxp', 'tag=99', '--', 'set', 'interface', 'vltvxp', 'type=vxlan', 'options:remote_ip=10.99.0.2', 'options:key=42');
    snap = await scan();
  });
  after(cleanup);

  const node = (id: string) => snap.nodes.find((n) => n.id === id);
  const ports = (s: Snapshot) => s.nodes.filter((n) => n.kind === 'ovs-port' && n.props.bridge === BR);

  it('reads the bridge with its userspace datapath, fail mode and controllers', () => {
    assert.notEqual(snap.report.sources.ovs?.state, 'absent');
    const br = node(`ovs-bridge:${BR}`)!;
    assert.ok(br, JSON.stringify(snap.report.sources));
    assert.equal(br.props.datapathType, x('ovs-vsctl', '--timeout=10', 'get', 'bridge', BR, 'datapath_type').trim().replace(/"/g, ''));
    assert.equal(br.props.datapath, 'netdev@ovs-netdev');
    assert.equal(br.props.datapathActive, true);
    assert.deepEqual(br.props.controllers, []);
    assert.equal(br.props.failMode, 'standalone');
    assert.match(String(snap.report.sources.ovs?.detail), /netdev \(userspace\)/);
  });

  it('has exactly the ports `ovs-vsctl list-ports` lists (plus the bridge local port)', () => {
    const ref = x('ovs-vsctl', '--timeout=10', 'list-ports', BR).trim().split('\n').sort();
    assert.deepEqual(ports(snap).map((p) => p.props.name).filter((n) => n !== BR).sort(), ref);
    for (const p of ports(snap)) {
      assert.ok(snap.edges.some((e) => e.from === p.id && e.to === `ovs-bridge:${BR}` && e.kind === 'ovs-port'));
      const uuid = x('ovs-vsctl', '--timeout=10', 'get', 'port', String(p.props.name), '_uuid').trim();
      assert.equal(p.id, `ovs-port:${uuid}`);
    }
    const o1 = ports(snap).find((p) => p.props.name === 'vlto1h')!;
    assert.equal(o1.props.tag, 10);
    assert.equal(o1.props.ofport, Number(x('ovs-vsctl', '--timeout=10', 'get', 'interface', 'vlto1h', 'ofport').trim()));
  });

  it('shows the VXLAN port with its VNI, remote and a vxlan-tunnel edge', () => {
    const vx = ports(snap).find((p) => p.props.name === 'vltvxp')!;
    assert.equal(vx.props.type, 'vxlan');
    assert.deepEqual(vx.props.options, { key: '42', remote_ip: '10.99.0.2' });
    assert.ok(snap.edges.some((e) => e.from === vx.id && e.to === 'vxlan:42' && e.kind === 'vxlan-tunnel' && e.props?.remote === '10.99.0.2'));
  });

  it('joins each veth port to the host interface of the same name', () => {
    for (const name of ['vlto1h', 'vlto2h']) {
      const p = ports(snap).find((q) => q.props.name === name)!;
      const e = snap.edges.find((q) => q.from === p.id && q.kind === 'ovs-interface');
      assert.ok(e, name);
      const iface = node(e.to)!;
      assert.equal(iface.props.name, name);
      assert.equal(iface.props.ifindex, Number(readFileSync(`/sys/class/net/${name}/ifindex`, 'utf8')));
    }
  });

  it('flow counters rise after a ping between the two test namespaces', async () => {
    const sum = (s: Snapshot) => (s.nodes.find((n) => n.id === `ovs-bridge:${BR}`)!.props.flows as OvsFlow[]).reduce((a, f) => a + f.nPackets, 0);
    const before = sum(snap);
    const ref = x('ovs-ofctl', 'dump-flows', BR).split('\n').filter((l) => l.includes('actions=')).length;
    assert.equal((node(`ovs-bridge:${BR}`)!.props.flows as OvsFlow[]).length, ref);
    x('ip', 'netns', 'exec', 'vlto1', 'ping', '-c', '3', '-i', '0.2', '-W', '2', '10.96.0.2');
    // OpenFlow counters reach dump-flows when the revalidators next pull datapath stats: wait for that round.
    x('ovs-appctl', 'revalidator/wait');
    const after = await scan();
    assert.ok(sum(after) >= before + 6, `packets before ${before}, after ${sum(after)}`);
    const macs = after.nodes.find((n) => n.id === `ovs-bridge:${BR}`)!.props.macTable as { vlan: number; portName?: string }[];
    assert.deepEqual([...new Set(macs.filter((m) => m.vlan === 10).map((m) => m.portName))].sort(), ['vlto1h', 'vlto2h']);
  });

  it('marks OVS unavailable, without hanging, when ovsdb-server does not answer', async () => {
    const pid = readFileSync('/run/openvswitch/ovsdb-server.pid', 'utf8').trim();
    assert.match(pid, /^\d+$/);
    let s: Snapshot;
    process.kill(Number(pid), 'SIGSTOP');
    try {
      s = await scan(2000);
    } finally {
      process.kill(Number(pid), 'SIGCONT');
    }
    assert.equal(s.report.sources.ovs?.state, 'unavailable');
    assert.match(String(s.report.sources.ovs?.detail), /did not answer/);
    assert.ok(s.report.sources.ovs?.fix);
    assert.equal(s.nodes.filter((n) => n.kind === 'ovs-bridge').length, 0);
    // the network part of the scan is unaffected
    assert.equal(s.report.sources.net?.state, 'ok');
  });
});
