import type { GraphNode, Snapshot } from '../../model/graph';
import { fail, icmpCounters, nodeById, ok } from '../probe';
import type { LabChecks } from './registry';
import { plural } from '../../../shared/format';

// Guided lab 5: namespaces, veth pairs and the bridge as the Network view and topology draw them
// (snapshot interface nodes with their veth-peer and bridge-port edges); pings proven by each
// namespace's own ICMP counters.

/** The inode of the net namespace bind-mounted at /run/netns/<name>, as the snapshot found it. */
function namedNetns(s: Snapshot, name: string): number | undefined {
  const n = s.nodes.find((x) => x.kind === 'namespace' && x.props.type === 'net' && Array.isArray(x.props.nsfs) && (x.props.nsfs as string[]).some((p) => p === `/run/netns/${name}` || p.endsWith(`/netns/${name}`)));
  return typeof n?.props.inode === 'number' ? n.props.inode : undefined;
}

const ifacesIn = (s: Snapshot, inode: number) => s.nodes.filter((n) => n.kind === 'interface' && n.props.netnsInode === inode);
const isUp = (i: GraphNode) => Array.isArray(i.props.flags) && (i.props.flags as string[]).includes('UP');
const ipv4 = (i: GraphNode) => ((i.props.addresses ?? []) as { family?: string; address?: string; prefixlen?: number }[]).filter((a) => a.family === 'inet' && a.address);

function peerOf(s: Snapshot, iface: GraphNode): GraphNode | undefined {
  const e = s.edges.find((x) => x.kind === 'veth-peer' && (x.from === iface.id || x.to === iface.id));
  return e ? nodeById(s, e.from === iface.id ? e.to : e.from) : undefined;
}

/** The /24 (or other prefix) network of an address, for "same subnet". */
function network(addr: string, prefix: number): string {
  const n = addr.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  const size = 2 ** (32 - prefix);
  return `${Math.floor(n / size) * size}/${prefix}`;
}

export const netnsChecks: LabChecks = {
  async 'two-ns'(ctx) {
    const s = await ctx.snapshot();
    const a = namedNetns(s, 'vlg-a');
    const b = namedNetns(s, 'vlg-b');
    if (a === undefined || b === undefined) return fail(`Network namespaces seen under /run/netns: vlg-a ${a === undefined ? 'missing' : `net:[${a}]`}, vlg-b ${b === undefined ? 'missing' : `net:[${b}]`}.`);
    return ok(`Two network namespaces held by /run/netns: vlg-a = net:[${a}] (${plural(ifacesIn(s, a).length, 'interface')}), vlg-b = net:[${b}] (${ifacesIn(s, b).length}).`);
  },

  async veth(ctx) {
    const s = await ctx.snapshot();
    const a = namedNetns(s, 'vlg-a');
    const b = namedNetns(s, 'vlg-b');
    if (a === undefined || b === undefined) return fail('Namespaces vlg-a and vlg-b are not both there (previous step).');
    const pairs = ifacesIn(s, a)
      .filter((i) => i.props.kind === 'veth')
      .map((i) => [i, peerOf(s, i)] as const)
      .filter(([, p]) => p && p.props.netnsInode === b);
    if (!pairs.length) return fail(`No veth in vlg-a has its peer in vlg-b (vlg-a has: ${ifacesIn(s, a).map((i) => `${String(i.props.name)} (${String(i.props.kind)})`).join(', ') || 'nothing'}).`);
    for (const [x, y] of pairs) {
      const ya = ipv4(y!);
      const xa = ipv4(x);
      const same = xa.find((p) => ya.some((q) => q.prefixlen === p.prefixlen && network(q.address!, q.prefixlen ?? 32) === network(p.address!, p.prefixlen ?? 32)));
      const words = `${String(x.props.name)} in vlg-a (${xa.map((q) => `${q.address}/${q.prefixlen}`).join(', ') || 'no IPv4'}, ${isUp(x) ? 'up' : 'down'}) ⇄ ${String(y!.props.name)} in vlg-b (${ya.map((q) => `${q.address}/${q.prefixlen}`).join(', ') || 'no IPv4'}, ${isUp(y!) ? 'up' : 'down'})`;
      if (isUp(x) && isUp(y!) && same) return ok(`veth pair ${words}: one subnet, both up.`);
      if (pairs.length === 1) return fail(`veth pair ${words}: ${!isUp(x) || !isUp(y!) ? 'both ends must be up' : 'both ends need IPv4 addresses in one subnet'}.`);
    }
    return fail('A veth pair joins vlg-a and vlg-b, but none has both ends up with addresses in one subnet.');
  },

  async ping() {
    const c = await icmpCounters('vlg-b');
    if (!c) return fail('The ICMP counters of vlg-b could not be read (does the namespace exist?).');
    if (!(c.InEchos > 0) || !(c.OutEchoReps > 0)) return fail(`vlg-b's ICMP counters: ${c.InEchos ?? 0} echo requests received, ${c.OutEchoReps ?? 0} replies sent: no ping has reached it yet.`);
    return ok(`vlg-b's own ICMP counters (/proc/net/snmp inside it): ${c.InEchos} echo requests received, ${c.OutEchoReps} replies sent.`);
  },

  async bridge(ctx) {
    const s = await ctx.snapshot();
    const br = s.nodes.find((n) => n.kind === 'bridge' && n.props.name === 'vlg-br0');
    if (!br) return fail('No Linux bridge named vlg-br0.');
    const ports = s.edges.filter((e) => e.kind === 'bridge-port' && e.to === br.id).map((e) => nodeById(s, e.from)).filter((x): x is GraphNode => !!x);
    const a = namedNetns(s, 'vlg-a');
    const cns = namedNetns(s, 'vlg-c');
    const peers = ports.map((p) => ({ port: p, peer: peerOf(s, p) }));
    const toA = peers.find((x) => x.peer && x.peer.props.netnsInode === a);
    const toC = peers.find((x) => x.peer && x.peer.props.netnsInode === cns);
    const portWords = peers.map((x) => `${String(x.port.props.name)} (${isUp(x.port) ? 'up' : 'down'}) → ${x.peer ? `${String(x.peer.props.name)} in net:[${String(x.peer.props.netnsInode)}]` : 'no peer'}`).join(', ');
    if (!toA || !toC) return fail(`vlg-br0 has ${plural(ports.length, 'port')}: ${portWords || 'none'}; it needs one whose peer is in vlg-a and one whose peer is in vlg-c.`);
    const c = await icmpCounters('vlg-c');
    if (!c || !(c.InEchoReps > 0)) return fail(`vlg-br0's ports: ${portWords}. But vlg-c has received ${c?.InEchoReps ?? 0} echo replies: ping 10.99.1.1 from vlg-c.`);
    return ok(`vlg-br0's ports: ${portWords}. vlg-c sent ${c.OutEchos} echo requests through the bridge and received ${c.InEchoReps} replies.`);
  },
};
