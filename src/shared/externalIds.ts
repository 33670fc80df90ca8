// OVS external_ids as people see them: the Network tree's tooltips and the topology's side panel
// both take them from here. Only plain strings come out; callers put them into the page as text
// (MarkdownString.appendText, textContent), never as markup.

/** What the keys hypervisors and clouds (and VirtLab's own labs) put in external_ids mean. */
export const EXTERNAL_ID_MEANINGS: Readonly<Record<string, string>> = {
  'iface-id': 'the logical port this interface is (OpenStack Neutron port, OVN logical switch port)',
  'attached-mac': 'MAC address of the guest NIC plugged in here',
  'vm-id': 'UUID of the libvirt domain using this interface',
  'vm-uuid': 'UUID of the OpenStack instance using this interface',
  'iface-status': 'whether the hypervisor has the port in use',
  ifname: 'the interface name libvirt gave the guest NIC',
  'port-profile': 'the libvirt port profile',
  'virtlab-lab': 'the VirtLab lab that made this',
  'virtlab-switch': 'the lab switch this bridge is',
  'virtlab-port': 'the lab interface at the other end of this port',
};

/** The OVSDB table each kind of row comes from, as the side panel names the source. */
export const EXTERNAL_IDS_SOURCE = { bridge: 'ovs-vsctl list Bridge', port: 'ovs-vsctl list Port', interface: 'ovs-vsctl list Interface' } as const;

/** [key, value] pairs of an external_ids prop; anything that is not a string value is left out. */
export function externalIdPairs(v: unknown): [string, string][] {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return [];
  return Object.entries(v as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string');
}

const MAX_TIP_VALUE = 200;

/**
 * Tooltip lines for one row's external_ids ("external_ids:key = value — meaning", `prefix` before
 * each), at most `max` of them and a line saying how many more; `problem` (what the reader did
 * not keep) comes last.
 */
export function externalIdLines(v: unknown, problem?: unknown, prefix = '', max = 16): string[] {
  const pairs = externalIdPairs(v);
  const lines = pairs.slice(0, max).map(([k, x]) => {
    const value = x.length > MAX_TIP_VALUE ? `${x.slice(0, MAX_TIP_VALUE)}…` : x;
    const meaning = Object.prototype.hasOwnProperty.call(EXTERNAL_ID_MEANINGS, k) ? ` — ${EXTERNAL_ID_MEANINGS[k]}` : '';
    return `${prefix}external_ids:${k} = ${value}${meaning}`;
  });
  if (pairs.length > max) lines.push(`${prefix}external_ids: … and ${pairs.length - max} more (Copy as JSON shows all)`);
  if (typeof problem === 'string' && problem) lines.push(`${prefix}${problem}`);
  return lines;
}
