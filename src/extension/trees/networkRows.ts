import type { GraphNode, Snapshot } from '../../core/model/graph';
import { externalIdLines } from '../../shared/externalIds';
import { GraphIndex, prop } from './index';
import { peerText } from './holders';
import { plural } from '../../shared/format';
import { icon, messageRow, tooltip, type RowSpec } from './spec';

function addrText(i: GraphNode): string {
  return (prop<{ address: string; prefixlen: number }[]>(i, 'addresses') ?? []).filter((a) => !a.address.startsWith('fe80')).map((a) => `${a.address}/${a.prefixlen}`).join(' ');
}

function ifaceRow(g: GraphIndex, i: GraphNode, base: string): RowSpec {
  const peer = peerText(g, i);
  return {
    id: `${base}/${i.id}`,
    label: prop<string>(i, 'name') ?? i.label,
    description: [prop<string>(i, 'kind'), addrText(i), peer].filter(Boolean).join(' · '),
    tooltip: tooltip(`${prop<string>(i, 'name')} (${prop<string>(i, 'kind')})`, [`state ${prop<string>(i, 'state')}, MTU ${prop<number>(i, 'mtu')}, MAC ${prop<string>(i, 'mac') ?? '-'}`, peer, prop<string>(i, 'alias') && `alias: ${prop<string>(i, 'alias')}`], [`ip -j -d addr (netns ${prop<string>(i, 'netns')})`]),
    icon: icon(prop<string>(i, 'state') === 'UP' || prop<string>(i, 'state') === 'UNKNOWN' ? 'plug' : 'debug-disconnect'),
    contextValue: `interface.${prop<string>(i, 'kind')}`,
    nodeId: i.id,
  };
}

function linuxBridges(g: GraphIndex): RowSpec[] {
  return g.ofKind('bridge').map((b) => {
    const base = `net/${b.id}`;
    const ports = g.sources(b.id, 'bridge-port');
    const dn = g.sources(b.id, 'implements').find((n) => n.kind === 'docker-network');
    return {
      id: base,
      label: b.label,
      description: `Linux bridge · ${plural(ports.length, 'port')}${dn ? ` · Docker network ${dn.label}` : ''} · ${plural(prop<number>(b, 'fdbCount') ?? 0, 'MAC')} learned`,
      tooltip: tooltip(`Linux bridge ${b.label}`, ['A software switch in the kernel: it forwards frames between its ports by learned MAC address.', dn && `Implements the Docker network "${dn.label}" (${prop<string>(dn, 'subnet') ?? ''}).`], ['ip -j -d addr', 'bridge -j fdb show']),
      icon: icon('circuit-board'),
      contextValue: 'bridge',
      nodeId: b.id,
      children: ports.map((p) => ifaceRow(g, p, base)),
    };
  });
}

/** The port's own external_ids, then each of its interfaces' (where libvirt and OpenStack put iface-id, attached-mac, vm-id). */
function ovsPortExternalIdLines(p: GraphNode): string[] {
  const ifaces = prop<{ name?: unknown; externalIds?: unknown; externalIdsProblem?: unknown }[]>(p, 'interfaces') ?? [];
  return [
    ...externalIdLines(prop(p, 'externalIds'), prop(p, 'externalIdsProblem'), 'Port '),
    ...(Array.isArray(ifaces) ? ifaces : []).flatMap((i) => externalIdLines(i?.externalIds, i?.externalIdsProblem, `Interface ${String(i?.name ?? '?')} `)),
  ];
}

function ovsBridges(g: GraphIndex): RowSpec[] {
  return g.ofKind('ovs-bridge').map((b) => {
    const base = `net/${b.id}`;
    const ports = g.sources(b.id, 'ovs-port');
    const flows = prop<number>(b, 'flowCount') ?? 0;
    const dp = prop<string>(b, 'datapathType') || 'system';
    return {
      id: base,
      label: b.label,
      description: `Open vSwitch · ${plural(ports.length, 'port')} · ${plural(flows, 'flow')} · ${dp === 'netdev' ? 'userspace datapath' : 'kernel datapath'}`,
      tooltip: tooltip(
        `OVS bridge ${b.label}`,
        [`A programmable switch: OpenFlow rules decide what happens to each packet. Fail mode ${prop<string>(b, 'failMode')}.`, prop<string>(b, 'datapathProblem'), ...externalIdLines(prop(b, 'externalIds'), prop(b, 'externalIdsProblem'))],
        ['ovs-vsctl --format=json list Bridge', `ovs-ofctl dump-flows ${b.label}`],
      ),
      icon: icon('type-hierarchy'),
      contextValue: 'ovsBridge',
      nodeId: b.id,
      children: ports.map((p) => {
        const vx = g.targets(p.id, 'vxlan-tunnel')[0];
        const iface = g.targets(p.id, 'ovs-interface')[0];
        const peer = iface ? peerText(g, iface) : undefined;
        const options = Object.entries(prop<Record<string, string>>(p, 'options') ?? {}).map(([k, v]) => `${k}=${v}`);
        return {
          id: `${base}/${p.id}`,
          label: p.label,
          description: [`port ${prop<number>(p, 'ofport') ?? '?'}`, prop<string>(p, 'type'), peer, vx && `VNI ${prop<number>(vx, 'vni')} → ${(prop<Record<string, string>>(p, 'options') ?? {}).remote_ip ?? ''}`, prop<number>(p, 'tag') !== undefined && `VLAN ${prop<number>(p, 'tag')}`].filter(Boolean).join(' · '),
          tooltip: tooltip(`OVS port ${p.label}`, [`type ${prop<string>(p, 'type')}`, peer && `veth peer: ${peer.replace(/^↔ /, '')}`, options.length ? `options: ${options.join(', ')}` : undefined, ...ovsPortExternalIdLines(p)], ['ovs-vsctl --format=json list Port,Interface']),
          icon: icon('plug'),
          contextValue: 'ovsPort',
          nodeId: p.id,
        };
      }),
    };
  });
}

function vxlans(g: GraphIndex): RowSpec[] {
  return g.ofKind('vxlan').map((v) => {
    const ends = g.edgesIn(v.id, 'vxlan-tunnel');
    return {
      id: `net/${v.id}`,
      label: `VNI ${prop<number>(v, 'vni')}`,
      description: `VXLAN tenant · ${plural(ends.length, 'tunnel endpoint')}`,
      tooltip: tooltip(`VXLAN network ${prop<number>(v, 'vni')}`, ['A VXLAN network identifier (VNI) keeps one tenant\'s layer-2 frames apart from another\'s over the same IP underlay: frames are wrapped in UDP (port 4789) with the VNI in the header.']),
      icon: icon('cloud'),
      contextValue: 'vxlan',
      nodeId: v.id,
      children: ends.map((e) => {
        const n = g.nodes.get(e.from)!;
        const p = e.props ?? {};
        return { id: `net/${v.id}/${n.id}`, label: n.label, description: `${p.via === 'ovs' ? 'OVS port' : 'Linux vxlan'} · ${p.local ?? 'any'} → ${p.remote ?? p.group ?? '?'}:${p.port ?? 4789}`, icon: icon('plug'), nodeId: n.id, contextValue: 'vxlanEndpoint' };
      }),
    };
  });
}

function sriov(g: GraphIndex, snap: Snapshot): RowSpec[] {
  const pfs = g.ofKind('sriov-pf');
  const src = snap.report.sources.sriov;
  if (!pfs.length) return [messageRow('net/sriov-none', 'No SR-IOV device on this machine', src?.detail ?? 'No network device reports sriov_totalvfs.', 'info', undefined, src?.fix)];
  return pfs.map((pf) => {
    const vfs = g.sources(pf.id, 'vf-of');
    const simulated = prop<boolean>(pf, 'simulated');
    return {
      id: `net/${pf.id}`,
      label: pf.label,
      description: `SR-IOV PF · ${prop<number>(pf, 'numVfs')}/${prop<number>(pf, 'totalVfs')} VFs · ${prop<string>(pf, 'driver') ?? 'no driver'}${simulated ? ' · simulated (recorded tree)' : ''}`,
      tooltip: tooltip(`SR-IOV physical function ${prop<string>(pf, 'pci')}`, ['The NIC splits itself into virtual functions (VFs) that a VM or container can own directly, bypassing the software switch.', simulated ? 'SIMULATED: read from a recorded sysfs tree, not this machine.' : undefined], [`/sys/bus/pci/devices/${prop<string>(pf, 'pci')}/sriov_numvfs`]),
      icon: icon('chip'),
      contextValue: 'sriovPf',
      nodeId: pf.id,
      children: vfs.map((vf) => ({ id: `net/${vf.id}`, label: vf.label, description: [prop<string>(vf, 'pci'), prop<string>(vf, 'driver') ?? 'no driver', prop<string>(vf, 'mac')].filter(Boolean).join(' · '), icon: icon('chip'), contextValue: 'sriovVf', nodeId: vf.id })),
    };
  });
}

/** Running labs as their own group: hosts (namespaces) and switches, each pointing at what implements it. */
function labs(g: GraphIndex): RowSpec[] {
  return g.ofKind('lab').map((lab) => {
    const base = `net/${lab.id}`;
    const parts = g.targets(lab.id, 'contains');
    return {
      id: base,
      label: `lab ${lab.label}`,
      description: `${plural(parts.filter((p) => p.kind === 'lab-host').length, 'host')} · ${plural(parts.filter((p) => p.kind === 'lab-switch').length, 'switch')} · ${prop<string>(lab, 'phase') ?? ''}`,
      tooltip: tooltip(`Lab ${lab.label}`, ['A VirtLab network lab: hosts are network namespaces (or containers), switches are Linux bridges or Open vSwitch bridges.', prop<string>(lab, 'file') && `File: ${prop<string>(lab, 'file')}`], ['the lab ledger (virtlab lab status)']),
      icon: icon('beaker'),
      contextValue: 'netLab',
      nodeId: lab.id,
      children: parts.map((p) => {
        const impl = g.targets(p.id, 'implements')[0];
        return {
          id: `${base}/${p.id}`,
          label: p.label,
          description: p.kind === 'lab-host' ? (prop<string[]>(p, 'addresses') ?? []).join(', ') : `${prop<string>(p, 'kind')} ${prop<string>(p, 'dev') ?? ''}`,
          icon: icon(p.kind === 'lab-host' ? 'vm' : 'circuit-board'),
          contextValue: p.kind === 'lab-host' ? 'labHostNet' : 'labSwitchNet',
          nodeId: impl?.id ?? p.id,
        };
      }),
    };
  });
}

/** The Network view: Linux bridges, OVS bridges, VXLAN tenants, SR-IOV, each with its ports and peers. */
export function networkRows(snap: Snapshot): RowSpec[] {
  const g = GraphIndex.of(snap);
  const rows: RowSpec[] = [];
  const ovs = snap.report.sources.ovs;
  const net = snap.report.sources.net;
  if (net && net.state !== 'ok') rows.push(messageRow('net/net-state', 'Some network namespaces could not be read', net.detail ?? net.state, 'warning', undefined, net.fix));
  rows.push(...labs(g), ...linuxBridges(g), ...ovsBridges(g));
  if (ovs && ovs.state !== 'ok' && ovs.state !== 'partial') rows.push(messageRow('net/ovs-state', ovs.state === 'absent' ? 'Open vSwitch is not installed' : 'Open vSwitch is not answering', ovs.detail ?? '', 'warning', { command: 'virtlab.refresh', title: 'Retry' }, ovs.fix));
  else if (ovs && !g.ofKind('ovs-bridge').length) rows.push(messageRow('net/ovs-none', 'No Open vSwitch bridges', ovs.detail ?? 'Open vSwitch runs but has no bridges.'));
  rows.push(...vxlans(g), ...sriov(g, snap));
  return rows;
}
