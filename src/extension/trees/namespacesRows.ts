import type { GraphNode, Snapshot } from '../../core/model/graph';
import { NS_TYPES } from '../../core/proc/namespaces';
import { GraphIndex, prop } from './index';
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
  if (sorted.length > MAX_PROCS) rows.push(messageRow(`${parentId}/more`, `… ${sorted.length - MAX_PROCS} more processes`, 'use the Topology view or `virtlab snapshot --json` for all'));
  return rows;
}

function nsDescription(n: GraphNode): string {
  const count = prop<number>(n, 'processCount') ?? 0;
  const nsfs = prop<string[]>(n, 'nsfs') ?? [];
  const parts: string[] = [];
  if (prop<boolean>(n, 'isHostNs')) parts.push('host');
  parts.push(count === 1 ? '1 process' : `${count} processes`);
  if (count && prop<string>(n, 'command')) parts.push(`lowest PID ${prop<number>(n, 'lowestPid')} ${prop<string>(n, 'command')}`);
  if (nsfs.length) parts.push(`held by ${nsfs[0]}${nsfs.length > 1 ? ` +${nsfs.length - 1}` : ''}`);
  return parts.join(' · ');
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
  children.push(...processRows(id, procs));
  return {
    id,
    label: `${type}:[${prop<number>(n, 'inode')}]`,
    description: nsDescription(n),
    tooltip: tooltip(`${type} namespace ${prop<number>(n, 'inode')}`, [NS_ISOLATES[type], prop<string>(n, 'parent') && `Parent: ${prop<string>(n, 'parent')}`, prop<string>(n, 'owner') && `Owned by user namespace ${prop<string>(n, 'owner')}`], [
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
      description: `${ofType.length} namespace${ofType.length === 1 ? '' : 's'}`,
      tooltip: tooltip(`${type} namespaces`, [NS_ISOLATES[type]], ['/proc/<pid>/ns/' + type, 'lsns -t ' + type]),
      icon: icon('symbol-namespace'),
      contextValue: 'nsGroup',
      children: top.map((n) => namespaceRow(g, n, groupId, type === 'pid' ? g.sources(n.id, 'parent-of').filter((c) => prop(c, 'type') === 'pid') : [])),
    });
  }
  return rows;
}
