import type { NetLink } from './links';

/**
 * Joining veth ends across namespaces. `ip` gives each end its peer's ifindex (`link_index`) and the
 * peer namespace's id as *this* namespace numbers it (`link_netnsid`); nsids are per observer, so
 * they cannot be compared between namespaces directly. We match ends whose (ifindex, link_index)
 * mirror each other, keep each namespace's nsid -> namespace map consistent (one nsid is one
 * namespace, one namespace one nsid), and settle the unique matches first, which narrows the rest.
 * Named namespaces (`ip netns list-id`) can seed the maps when ifindexes alone are ambiguous.
 */

export interface NsLinks {
  inode: number;
  links: NetLink[];
}

export interface VethResolution {
  /** `${nsInode}:${ifindex}` -> the same for its peer, both directions. */
  peers: Map<string, string>;
  unresolved: { key: string; name: string; reason: string }[];
  /** Per namespace: nsid -> namespace inode, as far as it was learned. */
  nsidMaps: Map<number, Map<number, number>>;
}

interface End {
  ns: number;
  link: NetLink;
  key: string;
}

/** Stable key of an interface: namespace inode and ifindex. */
export const ifaceKey = (ns: number, ifindex: number): string => `${ns}:${ifindex}`;

/** Pair every veth end with its peer; `known` seeds nsid maps (per namespace inode: nsid -> peer namespace inode). */
export function resolveVethPeers(spaces: NsLinks[], known: Map<number, Map<number, number>> = new Map()): VethResolution {
  const peers = new Map<string, string>();
  const nsidMaps = new Map<number, Map<number, number>>();
  for (const [ns, m] of known) nsidMaps.set(ns, new Map(m));
  const mapOf = (ns: number) => nsidMaps.get(ns) ?? nsidMaps.set(ns, new Map()).get(ns)!;
  const pair = (a: End, b: End) => {
    peers.set(a.key, b.key);
    peers.set(b.key, a.key);
  };

  const cross: End[] = [];
  for (const s of spaces) {
    const byName = new Map(s.links.map((l) => [l.name, l]));
    for (const l of s.links) {
      if (l.kind !== 'veth') continue;
      const key = ifaceKey(s.inode, l.ifindex);
      if (l.linkIndex !== undefined) cross.push({ ns: s.inode, link: l, key });
      else if (l.linkName) {
        // ip prints the peer's name (`link`) only when the peer is in the same namespace.
        const p = byName.get(l.linkName);
        if (p && p.kind === 'veth') peers.set(key, ifaceKey(s.inode, p.ifindex));
      }
    }
  }

  const index = new Map<string, End[]>();
  for (const e of cross) {
    const k = `${e.link.ifindex}/${e.link.linkIndex}`;
    (index.get(k) ?? index.set(k, []).get(k)!).push(e);
  }
  // a's view of b is possible: a's nsid for the peer namespace is either unknown or b's namespace,
  // and b's namespace is not already known under another nsid in a.
  const fits = (a: End, b: End): boolean => {
    if (a.link.linkNetnsId === undefined) return true;
    const m = nsidMaps.get(a.ns);
    const mapped = m?.get(a.link.linkNetnsId);
    if (mapped !== undefined) return mapped === b.ns;
    for (const [nsid, ns] of m ?? []) if (ns === b.ns && nsid !== a.link.linkNetnsId) return false;
    return true;
  };
  const candidates = (e: End): End[] =>
    (index.get(`${e.link.linkIndex}/${e.link.ifindex}`) ?? []).filter((p) => p !== e && p.ns !== e.ns && !peers.has(p.key) && fits(e, p) && fits(p, e));

  let progress = true;
  while (progress) {
    progress = false;
    for (const e of cross) {
      if (peers.has(e.key)) continue;
      const c = candidates(e);
      if (c.length !== 1) continue;
      const p = c[0]!;
      // When e's nsid is already known to name p's namespace, p is certain (ifindexes are unique
      // within a namespace). Otherwise require the match to be mutual: p could be someone else's peer.
      const certain = e.link.linkNetnsId !== undefined && nsidMaps.get(e.ns)?.get(e.link.linkNetnsId) === p.ns;
      if (!certain && candidates(p).length !== 1) continue;
      pair(e, p);
      if (e.link.linkNetnsId !== undefined) mapOf(e.ns).set(e.link.linkNetnsId, p.ns);
      if (p.link.linkNetnsId !== undefined) mapOf(p.ns).set(p.link.linkNetnsId, e.ns);
      progress = true;
    }
  }

  const unresolved: VethResolution['unresolved'] = [];
  for (const e of cross) {
    if (peers.has(e.key)) continue;
    const n = candidates(e).length;
    unresolved.push({
      key: e.key,
      name: e.link.name,
      reason: n === 0 ? 'peer is in a namespace that was not scanned' : `${n} possible peers with the same ifindexes; cannot tell which`,
    });
  }
  return { peers, unresolved, nsidMaps };
}
