import type { GraphNode, Snapshot } from '../../core/model/graph';
import { NS_TYPES, type NsType } from '../../core/proc/namespaces';
import { GraphIndex } from '../trees/index';

/** The one place this module reads node props (until the typed node catalogue, issue 14). */
function propOf(n: GraphNode, key: string): unknown {
  return n.props[key];
}

/**
 * Open Terminal from a namespace row (context menu): enter only that namespace, through its
 * lowest-PID member process. Undefined when no process is inside (a netns held only by a bind mount).
 */
export function namespaceTerminalTarget(snap: Snapshot, ns: GraphNode): { pid: number; label: string; types: NsType[] } | undefined {
  const type = NS_TYPES.find((t) => t === propOf(ns, 'type'));
  if (!type) return undefined;
  const pids = GraphIndex.of(snap)
    .sources(ns.id, 'member-of')
    .filter((p) => p.kind === 'process')
    .map((p) => propOf(p, 'pid'))
    .filter((p): p is number => typeof p === 'number' && p > 0)
    .sort((a, b) => a - b);
  return pids.length ? { pid: pids[0], label: ns.label, types: [type] } : undefined;
}
