import { devName, hostNetns, labStem, switchNetns, vtepNetns } from './naming';
import type { Lab, LabHost, LabLink, Netem } from './types';

/** What a lab creates on the machine, each named with the lab's stem; the ledger keeps this list. */
export type ObjectType = 'netns' | 'link' | 'ovs-bridge' | 'container';

export interface LedgerObject {
  type: ObjectType;
  name: string;
}

// From a checked lab to the exact kernel/OVS/Docker objects and the few batched commands that make
// them. Pure: unit-tested without touching the machine.

export interface PlanEnd {
  node: string;
  iface: string;
  /** Kernel name of this end. */
  dev: string;
  /** netns holding it; undefined for the root namespace. */
  netns?: string;
  /** VXLAN end whose VNI `lab vni` changed from the link's: the VNI its device has now. */
  vni?: number;
}

export interface PlanLink {
  index: number;
  type: 'veth' | 'vxlan';
  vni?: number;
  netem?: Netem;
  a: PlanEnd;
  b: PlanEnd;
}

export interface PlanHost {
  name: string;
  kind: LabHost['kind'];
  netns: string;
  container?: string;
  image?: string;
  cmd?: string[];
  ifaces: { name: string; address: string; segment: number }[];
}

export interface PlanSwitch {
  name: string;
  kind: 'bridge' | 'ovs-bridge';
  dev: string;
  failMode?: 'standalone' | 'secure';
  openflow: string[];
}

/** A VXLAN endpoint: one namespace with one underlay address and one UDP socket, for one or more switches. */
export interface PlanVtep {
  name: string;
  /** Switches whose VXLAN devices this VTEP's socket serves. */
  switches: string[];
  netns: string;
  /** Underlay address inside the VTEP namespace. */
  ip: string;
  /** Root end of the underlay veth. */
  uplink: string;
}

export interface LabPlan {
  name: string;
  stem: string;
  hosts: PlanHost[];
  switches: PlanSwitch[];
  links: PlanLink[];
  vteps: PlanVtep[];
  /**
   * Namespace holding the lab's Linux bridges, their ports and the VXLAN underlay: nothing of a
   * bridge-only lab lives in the root namespace, and `down` is one batched namespace teardown in
   * the kernel instead of one RCU grace period per deleted device. OVS ports stay in root, where
   * ovs-vswitchd opens them.
   */
  swNetns?: string;
  underlay?: string;
  /** Every object, in creation order; the ledger holds this list before anything is made. */
  objects: LedgerObject[];
}

/** VXLAN packets ride a private underlay whose MTU leaves room for the 50-byte header. */
const UNDERLAY_MTU = 1600;
export const VXLAN_PORT = 4789;
/** Default command of a `kind: linux` host: something that keeps the container alive. */
export const DEFAULT_CMD = ['sleep', '1000000000'];

/** Turn a checked lab into named objects (stem = prefix + tag of the lab name). */
export function planLab(lab: Lab, prefix?: string): LabPlan {
  const stem = labStem(lab.name, prefix);
  const hosts: PlanHost[] = lab.hosts.map((h) => ({
    name: h.name,
    kind: h.kind,
    netns: hostNetns(stem, h.name),
    ...(h.kind === 'linux' ? { container: hostNetns(stem, h.name), image: h.image, cmd: h.cmd ?? DEFAULT_CMD } : {}),
    ifaces: h.ifaces.map((i) => ({ name: i.name, address: i.address, segment: i.segment })),
  }));
  const hostByName = new Map(hosts.map((h) => [h.name, h]));
  let ovsIdx = 0;
  const switches: PlanSwitch[] = lab.switches.map((s, i) => ({
    name: s.name,
    kind: s.kind,
    dev: s.kind === 'bridge' ? devName(stem, 'bridge', i) : devName(stem, 'ovs', ovsIdx++),
    failMode: s.failMode,
    openflow: s.openflow,
  }));
  const swByName = new Map(switches.map((s) => [s.name, s]));
  const hasVxlan = lab.links.some((l) => l.type === 'vxlan');
  const swNetns = switches.some((s) => s.kind === 'bridge') || hasVxlan ? switchNetns(stem) : undefined;
  let vethIdx = 0;
  let vxIdx = 0;
  const end = (l: LabLink, ep: LabLink['a']): PlanEnd => {
    const h = hostByName.get(ep.node);
    if (h) return { node: ep.node, iface: ep.iface, dev: ep.iface, netns: h.netns };
    const dev = l.type === 'vxlan' ? devName(stem, 'vxlan', vxIdx++) : devName(stem, 'veth', vethIdx++);
    return { node: ep.node, iface: ep.iface, dev, netns: swByName.get(ep.node)?.kind === 'bridge' ? swNetns : undefined };
  };
  const links: PlanLink[] = lab.links.map((l) => ({ index: l.index, type: l.type, vni: l.vni, netem: l.netem, a: end(l, l.a), b: end(l, l.b) }));
  const vxSwitches = [...new Set(links.filter((l) => l.type === 'vxlan').flatMap((l) => [l.a.node, l.b.node]))];
  const vtepName = new Map(lab.switches.map((s) => [s.name, s.vtep ?? s.name]));
  const vtepNames = [...new Set(vxSwitches.map((s) => vtepName.get(s)!))];
  const vteps: PlanVtep[] = vtepNames.map((name, i) => ({
    name,
    switches: vxSwitches.filter((s) => vtepName.get(s) === name),
    netns: vtepNetns(stem, name),
    ip: `10.255.${Math.floor((i + 1) / 250)}.${((i + 1) % 250) + 1}`,
    uplink: devName(stem, 'underlay', i + 1),
  }));
  const underlay = vteps.length ? devName(stem, 'underlay', 0) : undefined;

  const objects: LedgerObject[] = [];
  for (const h of hosts) if (h.container) objects.push({ type: 'container', name: h.container });
  for (const h of hosts) objects.push({ type: 'netns', name: h.netns });
  if (swNetns) objects.push({ type: 'netns', name: swNetns });
  for (const v of vteps) objects.push({ type: 'netns', name: v.netns });
  for (const s of switches) if (s.kind === 'ovs-bridge') objects.push({ type: 'ovs-bridge', name: s.dev });
  // Only OVS ports (and their VXLAN devices) are root-namespace links.
  for (const l of links) for (const e of [l.a, l.b]) if (!e.netns) objects.push({ type: 'link', name: e.dev });
  return { name: lab.name, stem, hosts, switches, links, vteps, swNetns, underlay, objects };
}

const switchOf = (p: LabPlan, node: string) => p.switches.find((s) => s.name === node);
const inNs = (ns: string | undefined) => (ns ? ` netns ${ns}` : '');

/**
 * Root `ip -batch` lines: every namespace, then every veth pair with each end created directly in
 * its namespace (so `eth0` in a host never clashes with a root `eth0`). Container hosts'
 * namespaces are attached by pid (`pids`), so they are handled like the others.
 */
export function rootBatch(p: LabPlan, pids: Record<string, number>): string[] {
  const out: string[] = [];
  for (const h of p.hosts) out.push(h.container ? `netns attach ${h.netns} ${pids[h.name]}` : `netns add ${h.netns}`);
  if (p.swNetns) out.push(`netns add ${p.swNetns}`);
  for (const v of p.vteps) out.push(`netns add ${v.netns}`);
  for (const v of p.vteps) out.push(`link add name ${v.uplink}${inNs(p.swNetns)} mtu ${UNDERLAY_MTU} type veth peer name u0 mtu ${UNDERLAY_MTU} netns ${v.netns}`);
  for (const l of p.links) {
    if (l.type !== 'veth') continue;
    out.push(`link add name ${l.a.dev}${inNs(l.a.netns)} type veth peer name ${l.b.dev}${inNs(l.b.netns)}`);
    for (const e of [l.a, l.b]) if (!e.netns) out.push(`link set ${e.dev} up`);
  }
  return out;
}

/** `ip -n SWITCHES -batch` lines: Linux bridges, the underlay bridge, ports enslaved and up. */
export function switchBatch(p: LabPlan): string[] {
  if (!p.swNetns) return [];
  const out = ['link set lo up'];
  for (const s of p.switches) if (s.kind === 'bridge') out.push(`link add ${s.dev} type bridge`, `link set ${s.dev} up`);
  if (p.underlay) {
    out.push(`link add ${p.underlay} mtu ${UNDERLAY_MTU} type bridge`, `link set ${p.underlay} up`);
    for (const v of p.vteps) out.push(`link set ${v.uplink} master ${p.underlay} up`);
  }
  for (const l of p.links) {
    if (l.type !== 'veth') continue;
    for (const e of [l.a, l.b]) if (e.netns === p.swNetns) out.push(`link set ${e.dev} master ${switchOf(p, e.node)!.dev} up`);
  }
  return out;
}

/** `ip -n NS -batch` lines for one host: loopback, interfaces up, addresses. */
export function hostBatch(h: PlanHost): string[] {
  return ['link set lo up', ...h.ifaces.flatMap((i) => [`link set ${i.name} up`, `addr add ${i.address} dev ${i.name}`])];
}

/** The VTEP that carries a switch's VXLAN devices. */
export function vtepOf(p: LabPlan, node: string): PlanVtep | undefined {
  return p.vteps.find((v) => v.switches.includes(node));
}

/** The `ip link add` line (run inside the end's VTEP) that makes one VXLAN end with its current VNI. */
export function vxlanAddLine(p: LabPlan, l: PlanLink, me: PlanEnd, rootPid: number): string {
  const peer = me === l.a ? l.b : l.a;
  const [local, remote] = [vtepOf(p, me.node)!, vtepOf(p, peer.node)!];
  return `link add ${me.dev} netns ${me.netns ?? rootPid} type vxlan id ${me.vni ?? l.vni} local ${local.ip} remote ${remote.ip} dstport ${VXLAN_PORT} dev u0`;
}

/**
 * `ip -n VTEP -batch` lines: the underlay address, then one VXLAN device per tunnel of its switches,
 * created from inside the VTEP namespace (its UDP socket lives there) but placed where the switch
 * is (the switch namespace, or root for OVS: `rootPid`). Every device of one VTEP shares its
 * address and UDP port; the kernel tells their frames apart by VNI alone.
 */
export function vtepBatch(p: LabPlan, v: PlanVtep, rootPid: number): string[] {
  const out = ['link set lo up', 'link set u0 up', `addr add ${v.ip}/16 dev u0`];
  for (const l of p.links) {
    if (l.type !== 'vxlan') continue;
    for (const me of [l.a, l.b]) if (v.switches.includes(me.node)) out.push(vxlanAddLine(p, l, me, rootPid));
  }
  return out;
}

/** The line that joins one VXLAN device to its switch: a Linux bridge port, or just up (an OVS port, in root). */
export function vxlanAttachLine(p: LabPlan, e: PlanEnd): string {
  return e.netns ? `link set ${e.dev} master ${switchOf(p, e.node)!.dev} up` : `link set ${e.dev} up`;
}

/** After the VTEPs: VXLAN devices joined to their Linux bridge (switch netns) or just up (OVS, root). */
export function vxlanAttachBatch(p: LabPlan): { sw: string[]; root: string[] } {
  const out = { sw: [] as string[], root: [] as string[] };
  for (const l of p.links) {
    if (l.type !== 'vxlan') continue;
    for (const e of [l.a, l.b]) (e.netns ? out.sw : out.root).push(vxlanAttachLine(p, e));
  }
  return out;
}

/** One `ovs-vsctl` transaction: every OVS bridge of the lab with its ports. */
export function ovsArgs(p: LabPlan, datapathType: 'netdev' | 'system'): string[] {
  const args: string[] = [];
  for (const s of p.switches) {
    if (s.kind !== 'ovs-bridge') continue;
    args.push('--', 'add-br', s.dev, '--', 'set', 'bridge', s.dev, `datapath_type=${datapathType}`, `external_ids:virtlab-lab=${p.name}`, `external_ids:virtlab-switch=${s.name}`);
    if (s.failMode) args.push(`fail_mode=${s.failMode}`);
    for (const l of p.links) for (const e of [l.a, l.b]) if (e.node === s.name) args.push('--', 'add-port', s.dev, e.dev, '--', 'set', 'interface', e.dev, `external_ids:virtlab-port=${e.iface}`);
  }
  return args.length ? ['--timeout=20', ...args.slice(1)] : [];
}
