import type { GraphNode } from '../../core/model/graph';
import { GraphIndex, prop } from './index';

/** Who holds a namespace, for the words of a row: the first container in it, its /run/netns name, the host, or its lowest process. */
export interface NsHolder {
  kind: 'container' | 'netns' | 'host' | 'mount' | 'process' | 'none';
  /** Container name, netns name, bind-mount path or process command. */
  name?: string;
  /** The namespace row's label: "netns vle1", "web1's network", "this machine's". */
  label: string;
  /** Where an interface in it lives, after "in"/"on": "netns vle2", "container web1", "this machine". */
  where: string;
}

const TYPE_WORD: Record<string, string> = { net: 'network', pid: 'PID namespace', mnt: 'mounts', uts: 'hostname', ipc: 'IPC namespace', user: 'user namespace', cgroup: 'cgroup namespace', time: 'clocks' };

/** The name `ip netns` knows a namespace by, from its bind mount under /run/netns. */
export function netnsName(ns: GraphNode | undefined): string | undefined {
  const path = (prop<string[]>(ns, 'nsfs') ?? []).find((p) => /^\/(var\/)?run\/netns\/[^/]+$/.test(p));
  return path?.replace(/^.*\//, '');
}

export function nsHolder(g: GraphIndex, ns: GraphNode): NsHolder {
  const type = prop<string>(ns, 'type') ?? '?';
  const ctr = g.sources(ns.id, 'member-of').find((n) => n.kind === 'container');
  if (ctr) return { kind: 'container', name: ctr.label, label: `${ctr.label}'s ${TYPE_WORD[type] ?? type}`, where: `container ${ctr.label}` };
  const name = netnsName(ns);
  if (name) return { kind: 'netns', name, label: `netns ${name}`, where: `netns ${name}` };
  if (prop<boolean>(ns, 'isHostNs')) return { kind: 'host', label: "this machine's", where: 'this machine' };
  const mount = (prop<string[]>(ns, 'nsfs') ?? [])[0];
  if (mount) return { kind: 'mount', name: mount, label: `held by ${mount}`, where: `the namespace held by ${mount}` };
  const cmd = prop<string>(ns, 'command');
  const pid = prop<number>(ns, 'lowestPid');
  if (cmd && pid !== undefined) return { kind: 'process', name: cmd, label: `${cmd} (PID ${pid})`, where: `${cmd}'s namespace (PID ${pid})` };
  const raw = `${type}:[${prop<number>(ns, 'inode')}]`;
  return { kind: 'none', label: raw, where: raw };
}

/** The other end of a veth, if the graph knows it. */
export function vethPeer(g: GraphIndex, i: GraphNode): GraphNode | undefined {
  return [...g.targets(i.id, 'veth-peer'), ...g.sources(i.id, 'veth-peer')][0];
}

/** Who is at the other end of a veth: "↔ eth0 in container web1", "↔ veth1 in netns vle2", "↔ vethab12 on this machine". */
export function peerText(g: GraphIndex, i: GraphNode): string | undefined {
  const peer = vethPeer(g, i);
  if (!peer) return undefined;
  const ns = g.nodes.get(prop<string>(peer, 'netns') ?? '');
  const h = ns ? nsHolder(g, ns) : undefined;
  const where = !h ? `in ${prop<string>(peer, 'netns') ?? 'an unknown namespace'}` : h.kind === 'host' ? `on ${h.where}` : `in ${h.where}`;
  return `↔ ${prop<string>(peer, 'name') ?? peer.label} ${where}`;
}
