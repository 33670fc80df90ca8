/** Validation of `bridge -j fdb show`: the MAC addresses Linux bridges forward by. */

export interface FdbEntry {
  mac: string;
  /** The port (interface name) the address sits behind. */
  port: string;
  /** The bridge it belongs to (`master`). */
  bridge: string;
  vlan?: number;
  /** permanent/static entries are configured or local; others were learned. */
  permanent: boolean;
  /** The entry is in the device's own table (`self`), not the bridge's. */
  self: boolean;
  state?: string;
}

/**
 * Parse `bridge -j fdb show`; keeps only the forwarding entries of the given bridges (`master` set).
 * Entries without a master are a device's own multicast filter or vxlan remotes, not bridge forwarding.
 */
export function parseFdb(text: string, bridges: ReadonlySet<string>): { entries: FdbEntry[]; problems: number } | { error: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { error: `bridge -j fdb output is not JSON (${(e as Error).message})` };
  }
  if (!Array.isArray(doc)) return { error: 'bridge -j fdb output is not a JSON array' };
  const entries: FdbEntry[] = [];
  let problems = 0;
  for (const raw of doc) {
    if (!raw || typeof raw !== 'object') {
      problems++;
      continue;
    }
    const r = raw as Record<string, unknown>;
    if (typeof r.mac !== 'string' || typeof r.ifname !== 'string') {
      problems++;
      continue;
    }
    const master = typeof r.master === 'string' ? r.master : undefined;
    if (!master || !bridges.has(master)) continue;
    const flags = Array.isArray(r.flags) ? r.flags.filter((f): f is string => typeof f === 'string') : [];
    const state = typeof r.state === 'string' && r.state !== '' ? r.state : undefined;
    entries.push({
      mac: r.mac.toLowerCase(),
      port: r.ifname,
      bridge: master,
      vlan: typeof r.vlan === 'number' ? r.vlan : undefined,
      permanent: state === 'permanent' || state === 'static',
      self: flags.includes('self'),
      state,
    });
  }
  return { entries, problems };
}
