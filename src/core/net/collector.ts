import type { Collector } from '../collector';
import type { ScanOptions } from '../context';
import type { GraphBuilder } from '../model/builder';
import { linkOvsPortsToInterfaces } from '../ovs/collector';
import { readDockerNetworks } from './dockerNetworks';
import type { NetLink } from './links';
import { mapPool } from '../sys/pool';
import { readNetnsMany } from './batch';
import { readNsidNames, type NetnsRead } from './netns';
import { discoverNetnsTargets, netnsTargetsFromGraph, type NetnsTargetInfo } from './targets';
import { ifaceKey, resolveVethPeers } from './veth';
import { plural } from '../../shared/format';

/** Bridge fdb entries kept on a bridge node; the full count is kept next to them. */
const MAX_FDB = 256;
/** Namespaces read at once when read one by one: each read is one or two short `ip`/`bridge` processes. */
const PARALLEL = 4;

const nsNodeId = (inode: number) => `ns:net:${inode}`;
const ifaceId = (inode: number, ifindex: number) => `iface:${inode}:${ifindex}`;
const bridgeId = (inode: number, name: string) => `bridge:${inode}:${name}`;

/** When `ip` alone cannot pair some veth ends, ask the namespaces holding them which named namespace each nsid is. */
async function namedNsidMaps(opts: ScanOptions, targets: NetnsTargetInfo[], inodes: Set<number>): Promise<Map<number, Map<number, number>>> {
  const byName = new Map(targets.filter((t) => t.name).map((t) => [t.name!, t.inode]));
  const known = new Map<number, Map<number, number>>();
  if (!byName.size) return known;
  const asked = targets.filter((t) => inodes.has(t.inode));
  await mapPool(asked, PARALLEL, async (t) => {
    const m = new Map<number, number>();
    for (const [nsid, name] of await readNsidNames(opts, t)) {
      const inode = byName.get(name);
      if (inode !== undefined) m.set(nsid, inode);
    }
    if (m.size) known.set(t.inode, m);
  });
  return known;
}

function addInterface(g: GraphBuilder, ns: NetnsRead, l: NetLink, byName: Map<string, NetLink>, peerId: string | undefined): void {
  const id = ifaceId(ns.inode, l.ifindex);
  const master = l.master ? byName.get(l.master) : undefined;
  const masterId = master ? (master.kind === 'bridge' ? bridgeId(ns.inode, master.name) : ifaceId(ns.inode, master.ifindex)) : undefined;
  g.node(id, 'interface', l.name, {
    name: l.name,
    ifindex: l.ifindex,
    kind: l.kind,
    infoKind: l.infoKind,
    state: l.state,
    flags: l.flags,
    mtu: l.mtu,
    mac: l.mac,
    addresses: l.addresses,
    master: l.master,
    masterId,
    portOf: l.portOf,
    alias: l.alias,
    netns: nsNodeId(ns.inode),
    netnsInode: ns.inode,
    linkIndex: l.linkIndex,
    linkNetnsId: l.linkNetnsId,
    linkName: l.linkName,
    peerId,
    vxlan: l.vxlan,
    mode: l.mode,
  });
  g.edge(id, nsNodeId(ns.inode), 'in-netns');
  if (masterId && master?.kind === 'bridge') g.edge(id, masterId, 'bridge-port');
  if (l.kind === 'bridge') {
    const entries = ns.fdb.filter((e) => e.bridge === l.name);
    const bid = bridgeId(ns.inode, l.name);
    g.node(bid, 'bridge', l.name, {
      name: l.name,
      netns: nsNodeId(ns.inode),
      netnsInode: ns.inode,
      ifaceId: id,
      stp: l.bridge?.stp ?? false,
      vlanFiltering: l.bridge?.vlanFiltering ?? false,
      bridgeId: l.bridge?.bridgeId,
      ports: [...byName.values()].filter((p) => p.master === l.name).map((p) => p.name),
      fdb: entries.slice(0, MAX_FDB),
      fdbCount: entries.length,
    });
    g.edge(bid, nsNodeId(ns.inode), 'in-netns');
    // The bridge's own net device is how the bridge shows up in `ip link`.
    g.edge(id, bid, 'implements');
  }
  if (l.vxlan) {
    const vid = `vxlan:${l.vxlan.vni}`;
    g.node(vid, 'vxlan', `VNI ${l.vxlan.vni}`, { vni: l.vxlan.vni });
    g.edge(id, vid, 'vxlan-tunnel', { via: 'linux', local: l.vxlan.local, remote: l.vxlan.remote, group: l.vxlan.group, port: l.vxlan.port, dev: l.vxlan.dev });
  }
}

async function addDockerNetworks(opts: ScanOptions, g: GraphBuilder, hostInode: number | undefined): Promise<void> {
  const res = await readDockerNetworks(opts);
  if (res.state !== 'ok') {
    g.source('docker-networks', { state: res.state, detail: res.detail, fix: res.fix });
    return;
  }
  const bridges = g.nodesOfKind('bridge');
  for (const n of res.networks) {
    const id = `docker-network:${n.id}`;
    let bridge: string | undefined;
    if (n.bridgeName) {
      // dockerd makes its bridges in its own (normally the host's) namespace; prefer that one if a name repeats.
      const same = bridges.filter((b) => b.props.name === n.bridgeName);
      bridge = (same.find((b) => b.props.netnsInode === hostInode) ?? (same.length === 1 ? same[0] : undefined))?.id;
    }
    g.node(id, 'docker-network', n.name, {
      id: n.id,
      name: n.name,
      driver: n.driver,
      scope: n.scope,
      internal: n.internal,
      subnet: n.subnets[0]?.subnet,
      gateway: n.subnets[0]?.gateway,
      subnets: n.subnets,
      bridgeName: n.bridgeName,
      bridgeId: bridge,
      labels: n.labels,
    });
    if (bridge) g.edge(id, bridge, 'implements');
  }
  if (res.dropped) g.skip({ source: 'docker-networks', reason: `${plural(res.dropped, 'network')} without id/name dropped` });
  g.source('docker-networks', { state: 'ok', detail: `${plural(res.networks.length, 'Docker network')}` });
}

const PREFETCH = 'net:bind-mounted';

/** Our own and the bind-mounted namespaces, found and read without the process reader. */
async function readBindMounted(opts: ScanOptions): Promise<{ targets: NetnsTargetInfo[]; reads: Map<number, NetnsRead> }> {
  const targets = await discoverNetnsTargets(opts);
  const reads = new Map<number, NetnsRead>();
  for (const r of await readNetnsMany(opts, targets, PARALLEL)) if (!('error' in r)) reads.set(r.inode, r);
  return { targets, reads };
}

/**
 * Start reading our own and the bind-mounted namespaces (`ip netns` names) while the process
 * reader still scans /proc; collectNet then only reads the namespaces held by processes alone.
 */
export function prefetchNet(opts: ScanOptions): void {
  void opts.memo?.once(PREFETCH, () => readBindMounted(opts));
}

/** Read every known network namespace into interface, bridge, veth, vxlan and Docker network nodes. */
export async function collectNet(opts: ScanOptions, g: GraphBuilder): Promise<void> {
  let targets = netnsTargetsFromGraph(opts, g);
  const early = opts.memo ? await opts.memo.once(PREFETCH, () => readBindMounted(opts)) : undefined;
  if (!targets.length) {
    // No process reader ran: still show our own and the bind-mounted namespaces.
    targets = early?.targets ?? (await discoverNetnsTargets(opts));
    for (const t of targets) g.node(nsNodeId(t.inode), 'namespace', `net:[${t.inode}]`, { type: 'net', inode: t.inode, nsfs: t.nsfsPath ? [t.nsfsPath] : [], pids: t.pids ?? [], isHostNs: t.isHost });
  }
  // A namespace read early is the same namespace (same inode); only the others are read now.
  const rest = targets.filter((t) => !early?.reads.has(t.inode));
  const restReads = await readNetnsMany(opts, rest, PARALLEL);
  const late = new Map(rest.map((t, i) => [t, restReads[i]!]));
  const results = targets.map((t) => early?.reads.get(t.inode) ?? late.get(t)!);
  const reads: NetnsRead[] = [];
  let failed = 0;
  let noTool: string | undefined;
  for (const r of results) {
    if ('error' in r) {
      g.skip({ source: 'net', path: nsNodeId(r.inode), reason: r.error, code: r.code });
      if (r.code === 'ENOTOOL') noTool = r.error;
      // A namespace that vanished between the process scan and now is normal churn, not a failure.
      else if (r.code !== 'ENOENT') failed++;
      continue;
    }
    reads.push(r);
    for (const p of r.problems) g.skip({ source: 'net', path: nsNodeId(r.inode), reason: p });
  }
  if (noTool && !reads.length) {
    g.source('net', { state: 'absent', detail: noTool, fix: 'Install iproute2 and util-linux (`sudo apt-get install iproute2 util-linux`).' });
    return;
  }

  let veth = resolveVethPeers(reads);
  const stuck = new Set(veth.unresolved.map((u) => Number(u.key.split(':')[0])));
  if (stuck.size) {
    const known = await namedNsidMaps(opts, targets, stuck);
    if (known.size) veth = resolveVethPeers(reads, known);
  }
  for (const u of veth.unresolved) g.skip({ source: 'net', path: `iface:${u.key}`, reason: `veth ${u.name}: ${u.reason}` });

  for (const ns of reads) {
    const byName = new Map(ns.links.map((l) => [l.name, l]));
    for (const l of ns.links) {
      const peer = veth.peers.get(ifaceKey(ns.inode, l.ifindex));
      const peerId = peer ? `iface:${peer}` : undefined;
      addInterface(g, ns, l, byName, peerId);
      // One edge per pair, from the lower id, so the pair is drawn once.
      if (peerId && ifaceId(ns.inode, l.ifindex) < peerId) g.edge(ifaceId(ns.inode, l.ifindex), peerId, 'veth-peer');
    }
  }

  const host = targets.find((t) => t.isHost)?.inode;
  await addDockerNetworks(opts, g, host);
  linkOvsPortsToInterfaces(g);

  const detail = `${reads.length} of ${plural(targets.length, 'network namespace')} read, ${plural(reads.reduce((n, r) => n + r.links.length, 0), 'interface')}, ${plural(veth.peers.size / 2, 'veth pair')}${veth.unresolved.length ? `, ${plural(veth.unresolved.length, 'veth end')} without a known peer` : ''}`;
  g.source('net', failed ? { state: 'partial', detail: `${detail}; ${plural(failed, 'namespace')} could not be read`, fix: 'See the skipped entries; reading other namespaces needs root (CAP_SYS_ADMIN for nsenter).' } : { state: 'ok', detail });
}

/** Network reader. Phase 2: it enters the net namespaces the process reader found and links the OVS ports; it does not wait for the other phase-1 readers. */
export const netCollector: Collector = { name: 'net', phase: 2, after: ['proc', 'ovs'], prefetch: prefetchNet, collect: collectNet };
