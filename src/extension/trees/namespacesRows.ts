import type { GraphNode, Snapshot } from '../../core/model/graph';
import { NS_TYPES } from '../../core/proc/namespaces';
import { GraphIndex, prop } from './index';
import { nsHolder, peerText } from './holders';
import { plural } from '../../shared/format';
import { icon, messageRow, tooltip, type RowSpec } from './spec';


/** What each namespace type isolates, in one plain sentence (also used by Inspect Container Namespaces). */
export const NS_ISOLATES: Record<string, string> = {
  cgroup: 'Its own view of the cgroup tree: /proc/self/cgroup shows paths relative to its cgroup root.',
  ipc: 'Its own System V IPC objects and POSIX message queues.',
  mnt: 'Its own list of mounts: the file system tree it sees.',
  net: 'Its own network stack: interfaces, addresses, routes, firewall rules and ports.',
  pid: 'Its own process numbers: the first process inside is PID 1 and cannot see processes outside.',
  time: 'Its own offsets for the monotonic and boot-time clocks.',
  user: 'Its own user and group IDs: root inside can be an ordinary user outside.',
  uts: 'Its own hostname and NIS domain name.',
};

const MAX_PROCS = 50;

function processRows(parentId: string, procs: GraphNode[]): RowSpec[] {
  const sorted = [...procs].sort((a, b) => (prop<number>(a, 'pid') ?? 0) - (prop<number>(b, 'pid') ?? 0));
  const rows: RowSpec[] = sorted.slice(0, MAX_PROCS).map((p) => {
    const pid = prop<number>(p, 'pid');
    const nspid = prop<number[]>(p, 'nspid');
    const inner = nspid && nspid.length > 1 ? nspid[nspid.length - 1] : undefined;
    const cmd = (prop<string[]>(p, 'cmdline') ?? []).join(' ') || prop<string>(p, 'comm') || '';
    return {
      id: `${parentId}/p${pid}`,
      label: `${prop<string>(p, 'comm') ?? '?'}`,
      description: inner !== undefined ? `PID ${pid} (PID ${inner} inside)` : `PID ${pid}`,
      tooltip: tooltip(`${prop<string>(p, 'comm')} — PID ${pid}`, [cmd && `Command: ${cmd}`, nspid && nspid.length > 1 && `PID in each nested PID namespace, outermost first: ${nspid.join(' → ')}`], [`/proc/${pid}/status (NSpid)`]),
      icon: icon('terminal'),
      contextValue: 'process',
      nodeId: p.id,
    };
  });
  if (sorted.length > MAX_PROCS) rows.push(messageRow(`${parentId}/more`, `… ${plural(sorted.length - MAX_PROCS, 'more process', 'more processes')}`, 'use the Topology view or `virtlab snapshot --json` for all'));
  return rows;
}

function nsDescription(n: GraphNode, interfaces: number): string {
  const count = prop<number>(n, 'processCount') ?? 0;
  const parts = [`${prop<string>(n, 'type')}:[${prop<number>(n, 'inode')}]`, plural(count, 'process')];
  if (prop<string>(n, 'type') === 'net') parts.push(plural(interfaces, 'interface'));
  return parts.join(' · ');
}

/** A network namespace's interfaces, each with its veth peer and where that peer lives. */
function interfaceRows(g: GraphIndex, n: GraphNode, parentId: string): RowSpec[] {
  const ifaces = g.sources(n.id, 'in-netns').filter((i) => i.kind === 'interface').sort((a, b) => (prop<number>(a, 'ifindex') ?? 0) - (prop<number>(b, 'ifindex') ?? 0));
  return ifaces.map((i) => {
    const name = prop<string>(i, 'name') ?? i.label;
    const peer = peerText(g, i);
    const addrs = (prop<{ address: string; prefixlen: number }[]>(i, 'addresses') ?? []).filter((a) => !a.address.startsWith('fe80')).map((a) => `${a.address}/${a.prefixlen}`);
    return {
      id: `${parentId}/${i.id}`,
      label: name,
      description: [peer, ...addrs].filter(Boolean).join(' · ') || prop<string>(i, 'kind') || undefined,
      tooltip: tooltip(`${name} (${prop<string>(i, 'kind') ?? 'interface'})`, [peer && `veth peer: ${peer.replace(/^↔ /, '')}`, `state ${prop<string>(i, 'state') ?? '?'}, MTU ${prop<number>(i, 'mtu') ?? '?'}, MAC ${prop<string>(i, 'mac') ?? '-'}`, addrs.length ? `Addresses: ${addrs.join(', ')}` : undefined], ['ip -j -d addr']),
      icon: icon(prop<string>(i, 'state') === 'UP' || prop<string>(i, 'state') === 'UNKNOWN' ? 'plug' : 'debug-disconnect'),
      contextValue: `interface.${prop<string>(i, 'kind') ?? 'other'}`,
      nodeId: i.id,
    };
  });
}

/** One namespace row: its processes, its bind-mount holders and (pid) its nested namespaces. */
export function namespaceRow(g: GraphIndex, n: GraphNode, idPrefix: string, nested: GraphNode[] = []): RowSpec {
  const id = `${idPrefix}/${n.id}`;
  const type = prop<string>(n, 'type') ?? '?';
  const procs = g.sources(n.id, 'member-of').filter((s) => s.kind === 'process');
  const nsfs = prop<string[]>(n, 'nsfs') ?? [];
  const children: RowSpec[] = [];
  for (const child of nested) children.push(namespaceRow(g, child, id, g.sources(child.id, 'parent-of').filter((c) => prop(c, 'type') === 'pid')));
  for (const path of nsfs) children.push({ id: `${id}/holder:${path}`, label: path, description: 'bind mount (nsfs) keeps it alive', icon: icon('pin'), tooltip: tooltip(path, ['This namespace stays alive while this bind mount exists, even with no process inside.'], ['/proc/*/mountinfo (fstype nsfs)']), contextValue: 'nsHolder' });
  const ifaces = type === 'net' ? interfaceRows(g, n, id) : [];
  children.push(...ifaces, ...processRows(id, procs));
  const holder = nsHolder(g, n);
  return {
    id,
    label: holder.label,
    description: nsDescription(n, ifaces.length),
    tooltip: tooltip(`${holder.label}: ${type} namespace ${prop<number>(n, 'inode')}`, [NS_ISOLATES[type], prop<number>(n, 'lowestPid') !== undefined && `Lowest PID ${prop<number>(n, 'lowestPid')} ${prop<string>(n, 'command') ?? ''}`.trim(), nsfs.length ? `Held by ${nsfs.join(', ')}` : undefined, prop<string>(n, 'parent') && `Parent: ${prop<string>(n, 'parent')}`, prop<string>(n, 'owner') && `Owned by user namespace ${prop<string>(n, 'owner')}`], [
      prop<number>(n, 'lowestPid') !== undefined ? `/proc/${prop<number>(n, 'lowestPid')}/ns/${type} -> ${type}:[${prop<number>(n, 'inode')}]` : undefined,
      ...nsfs.map((p) => `nsfs bind mount ${p}`),
    ]),
    icon: icon(prop<boolean>(n, 'isHostNs') ? 'home' : 'symbol-namespace'),
    contextValue: `namespace.${type}`,
    nodeId: n.id,
    children,
  };
}

/** The Namespaces view: grouped by type; PID namespaces nested by hierarchy. */
export function namespacesRows(snap: Snapshot): RowSpec[] {
  const g = GraphIndex.of(snap);
  const all = g.ofKind('namespace');
  const proc = snap.report.sources.proc;
  if (!all.length) {
    return [messageRow('ns/none', 'No namespaces read', proc?.detail ?? 'The process reader did not run.', 'warning', undefined, proc?.fix)];
  }
  const rows: RowSpec[] = [];
  if (proc && proc.state !== 'ok') rows.push(messageRow('ns/partial', 'Some processes could not be read', proc.detail ?? proc.state, 'warning', undefined, proc.fix));
  for (const type of NS_TYPES) {
    const ofType = all.filter((n) => prop(n, 'type') === type).sort((a, b) => Number(prop<boolean>(b, 'isHostNs')) - Number(prop<boolean>(a, 'isHostNs')) || (prop<number>(a, 'inode') ?? 0) - (prop<number>(b, 'inode') ?? 0));
    const inSet = new Set(ofType.map((n) => n.id));
    const top = type === 'pid' ? ofType.filter((n) => !inSet.has(prop<string>(n, 'parent') ?? '')) : ofType;
    const groupId = `ns/${type}`;
    rows.push({
      id: groupId,
      label: type,
      description: plural(ofType.length, 'namespace'),
      tooltip: tooltip(`${type} namespaces`, [NS_ISOLATES[type]], ['/proc/<pid>/ns/' + type, 'lsns -t ' + type]),
      icon: icon('symbol-namespace'),
      contextValue: 'nsGroup',
      children: top.map((n) => namespaceRow(g, n, groupId, type === 'pid' ? g.sources(n.id, 'parent-of').filter((c) => prop(c, 'type') === 'pid') : [])),
    });
  }
  return rows;
}
