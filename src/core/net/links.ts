/** Validation and normalisation of `ip -j [-d] link|addr show` (links with details plus their addresses). */
import { isObj, type JsonObject as Obj } from '../sys/json';

export type LinkKind =
  | 'veth' | 'bridge' | 'vxlan' | 'macvlan' | 'macvtap' | 'ipvlan' | 'tun' | 'tap' | 'dummy'
  | 'physical' | 'openvswitch' | 'loopback' | 'other';

export interface NetAddress {
  family: string;
  address: string;
  prefixlen: number;
  scope?: string;
}

export interface VxlanInfo {
  vni: number;
  local?: string;
  remote?: string;
  group?: string;
  port?: number;
  /** Underlay device name (`dev` when created). */
  dev?: string;
  ttl?: number;
  learning?: boolean;
}

export interface NetLink {
  ifindex: number;
  name: string;
  kind: LinkKind;
  /** `linkinfo.info_kind` as the kernel says it (ifb, bond, gre ...), also when `kind` is `other`. */
  infoKind?: string;
  state: string;
  flags: string[];
  mtu?: number;
  mac?: string;
  addresses: NetAddress[];
  master?: string;
  alias?: string;
  /** Peer/parent ifindex when it lives in another namespace (`link_index`). */
  linkIndex?: number;
  /** The other namespace's id as this namespace numbers it (`link_netnsid`). */
  linkNetnsId?: number;
  /** Peer/parent name when it is in this same namespace (`link`). */
  linkName?: string;
  /** What this link is a port of (bridge, openvswitch, bond ...), from info_slave_kind. */
  portOf?: string;
  vxlan?: VxlanInfo;
  bridge?: { stp: boolean; vlanFiltering: boolean; bridgeId?: string };
  mode?: string;
}

export interface ParsedLinks {
  links: NetLink[];
  /** Entries dropped because they were not a link object (index and reason). */
  problems: string[];
}

const optStr = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const optInt = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);

function kindOf(infoKind: string | undefined, linkType: string | undefined, infoData: Obj | undefined): LinkKind {
  switch (infoKind) {
    case 'veth': case 'bridge': case 'vxlan': case 'macvlan': case 'macvtap': case 'ipvlan': case 'dummy': case 'openvswitch':
      return infoKind;
    case 'tun':
      return infoData?.type === 'tap' ? 'tap' : 'tun';
    case undefined:
      if (linkType === 'loopback') return 'loopback';
      // No rtnl kind: a device a driver registered (NIC, virtio, wifi), not one made with `ip link add`.
      return linkType === 'ether' || linkType === 'ieee802.11' || linkType === 'infiniband' ? 'physical' : 'other';
    default:
      return 'other';
  }
}

function vxlanOf(d: Obj): VxlanInfo | undefined {
  const vni = optInt(d.id);
  if (vni === undefined) return undefined;
  return {
    vni,
    local: optStr(d.local) ?? optStr(d.local6),
    remote: optStr(d.remote) ?? optStr(d.remote6),
    group: optStr(d.group) ?? optStr(d.group6),
    port: optInt(d.port),
    dev: optStr(d.link),
    ttl: optInt(d.ttl),
    learning: typeof d.learning === 'boolean' ? d.learning : undefined,
  };
}

function addressesOf(v: unknown): NetAddress[] {
  if (!Array.isArray(v)) return [];
  const out: NetAddress[] = [];
  for (const a of v) {
    if (!isObj(a)) continue;
    const family = optStr(a.family);
    const address = optStr(a.local);
    const prefixlen = optInt(a.prefixlen);
    if (family && address && prefixlen !== undefined) out.push({ family, address, prefixlen, scope: optStr(a.scope) });
  }
  return out;
}

/** Normalise one link object; undefined when it lacks an ifindex or name. */
export function normaliseLink(raw: unknown): NetLink | undefined {
  if (!isObj(raw)) return undefined;
  const ifindex = optInt(raw.ifindex);
  const name = optStr(raw.ifname);
  if (ifindex === undefined || ifindex <= 0 || !name) return undefined;
  const li = isObj(raw.linkinfo) ? raw.linkinfo : undefined;
  const infoKind = optStr(li?.info_kind);
  const infoData = isObj(li?.info_data) ? li.info_data : undefined;
  const kind = kindOf(infoKind, optStr(raw.link_type), infoData);
  const link: NetLink = {
    ifindex,
    name,
    kind,
    infoKind,
    state: optStr(raw.operstate) ?? 'UNKNOWN',
    flags: Array.isArray(raw.flags) ? raw.flags.filter((f): f is string => typeof f === 'string') : [],
    mtu: optInt(raw.mtu),
    mac: optStr(raw.address),
    addresses: addressesOf(raw.addr_info),
    master: optStr(raw.master),
    alias: optStr(raw.ifalias),
    linkIndex: optInt(raw.link_index),
    linkNetnsId: optInt(raw.link_netnsid),
    linkName: optStr(raw.link),
    portOf: optStr(li?.info_slave_kind),
  };
  if (kind === 'vxlan' && infoData) link.vxlan = vxlanOf(infoData);
  if (kind === 'bridge' && infoData) {
    link.bridge = { stp: optInt(infoData.stp_state) !== undefined && infoData.stp_state !== 0, vlanFiltering: infoData.vlan_filtering === 1, bridgeId: optStr(infoData.bridge_id) };
  }
  if ((kind === 'macvlan' || kind === 'macvtap' || kind === 'ipvlan') && infoData) link.mode = optStr(infoData.mode);
  return link;
}

/**
 * The one parser of `ip -j [-d] link show` and `ip -j [-d] addr show` (links without `addr_info`
 * have no addresses): a broken entry is dropped and described, a broken document is an error.
 */
export function parseIpLinks(text: string): ParsedLinks | { error: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { error: `ip -j output is not JSON (${(e as Error).message})` };
  }
  if (!Array.isArray(doc)) return { error: 'ip -j output is not a JSON array' };
  const links: NetLink[] = [];
  const problems: string[] = [];
  const seen = new Set<number>();
  doc.forEach((raw, i) => {
    const l = normaliseLink(raw);
    if (!l) problems.push(`entry ${i}: not a link (missing ifindex/ifname)`);
    else if (seen.has(l.ifindex)) problems.push(`entry ${i}: duplicate ifindex ${l.ifindex}`);
    else {
      seen.add(l.ifindex);
      links.push(l);
    }
  });
  return { links, problems };
}
