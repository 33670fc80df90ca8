import assert from 'node:assert/strict';
import type { GraphEdge, GraphNode, Snapshot } from '../../../src/core/model/graph';
import { containerNodeId } from '../../../src/core/docker/nodes';
import { nsId } from '../../../src/core/proc/namespaces';
import { processCountText } from '../../../src/core/proc/collector';
import { netnsShellPlan } from '../../../src/core/actions/netnsShell';
import { noun, plural } from '../../../src/shared/format';
import { namespacesRows } from '../../../src/extension/trees/namespacesRows';
import { networkRows } from '../../../src/extension/trees/networkRows';
import { hostRows, shortFactValue } from '../../../src/extension/trees/hostRows';
import { containersRows } from '../../../src/extension/trees/containersRows';
import type { RowSpec } from '../../../src/extension/trees/spec';

// The row builders are pure: a snapshot in, plain rows out (no vscode module is loaded here).
// The snapshot has the shapes the proc, net, docker and ovs readers write: the host's netns, two
// named netns vle1/vle2 joined by a veth pair, a container web1 whose eth0 is paired with a
// host-side veth that is also an OVS port.
const HOST = 4026531840;
const N1 = 4026532185;
const N2 = 4026532186;
const NC = 4026532200;
const iface = (inode: number, ifindex: number) => `iface:${inode}:${ifindex}`;

function ns(inode: number, props: Record<string, unknown>): GraphNode {
  return { id: nsId('net', inode), kind: 'namespace', label: `net:[${inode}]`, props: { type: 'net', inode, processCount: 0, nsfs: [], isHostNs: false, ...props } };
}
function link(inode: number, ifindex: number, name: string, extra: Record<string, unknown> = {}): GraphNode {
  return { id: iface(inode, ifindex), kind: 'interface', label: name, props: { name, ifindex, kind: 'veth', state: 'UP', mtu: 1500, netns: nsId('net', inode), netnsInode: inode, addresses: [], ...extra } };
}

function snapshot(extraNodes: GraphNode[] = [], extraEdges: GraphEdge[] = []): Snapshot {
  const nodes: GraphNode[] = [
    ns(HOST, { isHostNs: true, processCount: 104, pids: [1], lowestPid: 1, command: 'systemd' }),
    ns(N1, { nsfs: ['/run/netns/vle1'] }),
    ns(N2, { nsfs: ['/run/netns/vle2'] }),
    ns(NC, { processCount: 1, lowestPid: 4242, command: 'sleep', nsfs: [] }),
    { id: containerNodeId('abc'), kind: 'container', label: 'web1', props: { id: 'abc', state: 'running', namespaces: { net: NC } } },
    link(N1, 1, 'lo', { kind: 'loopback', state: 'UNKNOWN' }),
    link(N1, 7, 'veth0', { addresses: [{ address: '10.77.0.1', prefixlen: 24 }] }),
    link(N2, 6, 'veth1'),
    link(NC, 9, 'eth0'),
    link(HOST, 10, 'vethab12'),
    { id: 'ovs-port:u1', kind: 'ovs-port', label: 'vethab12', props: { name: 'vethab12', ofport: 1, type: '', options: {}, interfaces: [{ name: 'vethab12' }] } },
    { id: 'ovs-bridge:vlebr', kind: 'ovs-bridge', label: 'vlebr', props: { name: 'vlebr', flowCount: 1, datapathType: 'netdev' } },
    ...extraNodes,
  ];
  const edges: GraphEdge[] = [
    ...nodes.filter((n) => n.kind === 'interface').map((n) => ({ from: n.id, to: String(n.props.netns), kind: 'in-netns' as const })),
    { from: iface(N2, 6), to: iface(N1, 7), kind: 'veth-peer' },
    { from: iface(HOST, 10), to: iface(NC, 9), kind: 'veth-peer' },
    { from: containerNodeId('abc'), to: nsId('net', NC), kind: 'member-of' },
    { from: 'ovs-port:u1', to: 'ovs-bridge:vlebr', kind: 'ovs-port' },
    { from: 'ovs-port:u1', to: iface(HOST, 10), kind: 'ovs-interface' },
    ...extraEdges,
  ];
  return { version: 1, takenAt: new Date(0).toISOString(), nodes, edges, report: { durationMs: 1, skipped: [], sources: {} } };
}

function all(rows: RowSpec[]): RowSpec[] {
  return rows.flatMap((r) => [r, ...all(r.children ?? [])]);
}
const tip = (r: RowSpec | undefined) => (typeof r?.tooltip === 'string' ? r.tooltip : [r?.tooltip?.title, ...(r?.tooltip?.lines ?? [])].join('\n'));

describe('tree rows (pure builders)', () => {
  it('plural: "1 flow", "2 flows", "1 process", "3 processes", irregular words', () => {
    assert.equal(plural(1, 'flow'), '1 flow');
    assert.equal(plural(2, 'flow'), '2 flows');
    assert.equal(plural(0, 'process'), '0 processes');
    assert.equal(plural(1, 'image layer'), '1 image layer');
    assert.equal(plural(2, 'switch'), '2 switches');
    assert.equal(plural(3, 'reply', 'replies'), '3 replies');
    assert.equal(noun(1, 'VTEP'), 'VTEP');
    assert.equal(noun(2, 'VTEP'), 'VTEPs');
  });

  it('names each network namespace by its holder, with the inode in the description', () => {
    const net = namespacesRows(snapshot()).find((r) => r.id === 'ns/net');
    const labels = (net?.children ?? []).map((r) => r.label);
    assert.deepEqual(labels, ["this machine's", 'netns vle1', 'netns vle2', "web1's network"]);
    const vle1 = net?.children?.find((r) => r.label === 'netns vle1');
    assert.match(vle1?.description ?? '', /^net:\[4026532185\] · 0 processes · 2 interfaces$/);
    assert.match(tip(vle1), /4026532185/);
    assert.equal(vle1?.contextValue, 'namespace.net', 'the row the Open Terminal menu entry is on');
    assert.equal(vle1?.nodeId, nsId('net', N1));
  });

  it("lists a network namespace's interfaces with the veth peer and where it lives", () => {
    const rows = all(namespacesRows(snapshot()));
    const veth0 = rows.find((r) => r.nodeId === iface(N1, 7));
    assert.equal(veth0?.label, 'veth0');
    assert.equal(veth0?.description, '↔ veth1 in netns vle2 · 10.77.0.1/24');
    assert.equal(rows.find((r) => r.nodeId === iface(N2, 6))?.description, '↔ veth0 in netns vle1');
    assert.equal(rows.find((r) => r.nodeId === iface(NC, 9))?.description, '↔ vethab12 on this machine');
    assert.equal(rows.find((r) => r.nodeId === iface(HOST, 10))?.description, '↔ eth0 in container web1');
  });

  it('counts with plurals in the Namespaces, Network and Containers views', () => {
    const rows = all(namespacesRows(snapshot()));
    assert.equal(rows.find((r) => r.label === "web1's network")?.description, 'net:[4026532200] · 1 process · 1 interface');
    const br = networkRows(snapshot()).find((r) => r.label === 'vlebr');
    assert.match(br?.description ?? '', /1 port · 1 flow ·/);
    const layer = { id: 'layer:l1', kind: 'layer' as const, label: 'sha256:l1', props: { digest: 'sha256:l1' } };
    const img = { id: 'image:i1', kind: 'image' as const, label: 'busybox', props: {} };
    const withLayer = snapshot([layer, img], [{ from: containerNodeId('abc'), to: 'image:i1', kind: 'from-image' }, { from: 'image:i1', to: 'layer:l1', kind: 'uses-layer', props: { index: 0 } }]);
    const fs = all(containersRows(withLayer)).find((r) => r.label === 'File system layers');
    assert.match(fs?.description ?? '', /· 1 image layer$/);
  });

  it('the OVS port tooltip names the veth peer and prints no empty {}', () => {
    const port = all(networkRows(snapshot())).find((r) => r.nodeId === 'ovs-port:u1');
    assert.doesNotMatch(tip(port), /\{\}/);
    assert.match(tip(port), /veth peer: eth0 in container web1/);
    assert.match(port?.description ?? '', /↔ eth0 in container web1/);
  });

  it('host rows fit the default sidebar width; the whole value stays in the tooltip', () => {
    const fact = (key: string, label: string, value: string, group = 'system') => ({ id: `host-fact:${key}`, kind: 'host-fact' as const, label, props: { key, label, value, group, status: 'ok', source: 'x' } });
    const snap = snapshot([fact('qemu', 'QEMU', 'QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)', 'tools'), fact('cgroup', 'cgroup layout', 'hybrid (v1 controllers + v2 at unified/)')]);
    const rows = all(hostRows(snap));
    const qemu = rows.find((r) => r.label === 'QEMU');
    assert.equal(qemu?.description, '7.2.22');
    assert.match(tip(qemu), /Debian 1:7\.2\+dfsg/);
    assert.equal(rows.find((r) => r.label === 'cgroup layout')?.description, 'hybrid');
    for (const r of rows) assert.ok(r.label.length + 1 + (r.description ?? '').length <= 36, `${r.label} ${r.description}`);
    assert.equal(shortFactValue({ label: 'Kernel', value: '6.1.0', group: 'system', status: 'ok' }), '6.1.0');
    // The version as the tool itself reports it, build suffix included (`docker version` says 20.10.24+dfsg1).
    assert.equal(shortFactValue({ label: 'Docker Engine', value: '20.10.24+dfsg1 (API 1.41, containerd 1.6.20, runc 1.1.5)', group: 'tools', status: 'ok' }), '20.10.24+dfsg1');
  });

  it('process counts add up: "104 processes: 102 with namespaces read, 1 denied, 1 gone"', () => {
    assert.equal(processCountText(104, 102, 1), '104 processes: 102 with namespaces read, 1 denied, 1 gone');
    assert.equal(processCountText(3, 3, 0), '3 processes, namespaces read for all');
    assert.equal(processCountText(1, 0, 1), '1 process: 0 with namespaces read, 1 denied');
  });

  it('Open Terminal on a netns: ip netns exec NAME for a named one, nsenter --net otherwise, bad names refused', () => {
    assert.deepEqual(netnsShellPlan({ name: 'vle1', label: 'netns vle1' }, '/bin/bash', true), { file: 'ip', args: ['netns', 'exec', 'vle1', '/bin/bash'], title: 'netns vle1 [net]' });
    assert.deepEqual(netnsShellPlan({ pid: 4242, label: "web1's network" }, '/bin/bash', false).args, ['-n', 'nsenter', '--target', '4242', '--net', '--', '/bin/bash']);
    assert.throws(() => netnsShellPlan({ name: 'a b;rm', label: 'x' }, '/bin/bash', true), /Not a network namespace name/);
    assert.throws(() => netnsShellPlan({ label: 'x' }, '/bin/bash', true), /No way into x/);
  });
});
