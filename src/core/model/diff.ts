import type { GraphEdge, GraphNode, Snapshot } from './graph';
import { edgeKey } from './graph';

export interface SnapshotDiff {
  addedNodes: GraphNode[];
  changedNodes: GraphNode[];
  removedNodes: string[];
  addedEdges: GraphEdge[];
  removedEdges: GraphEdge[];
}

/** Props that change on every scan and must not make a node count as changed. */
const VOLATILE = new Set(['sampledAt']);

function stableProps(n: GraphNode): string {
  return JSON.stringify([n.label, n.kind, Object.entries(n.props).filter(([k]) => !VOLATILE.has(k)).sort(([a], [b]) => (a < b ? -1 : 1))]);
}

/** What appeared, changed and vanished between two snapshots, by id. */
export function diffSnapshots(before: Snapshot, after: Snapshot): SnapshotDiff {
  const old = new Map(before.nodes.map((n) => [n.id, n]));
  const now = new Map(after.nodes.map((n) => [n.id, n]));
  const addedNodes: GraphNode[] = [];
  const changedNodes: GraphNode[] = [];
  for (const [id, n] of now) {
    const o = old.get(id);
    if (!o) addedNodes.push(n);
    else if (stableProps(o) !== stableProps(n)) changedNodes.push(n);
  }
  const removedNodes = [...old.keys()].filter((id) => !now.has(id));
  const oldE = new Map(before.edges.map((e) => [edgeKey(e), e]));
  const nowE = new Map(after.edges.map((e) => [edgeKey(e), e]));
  const addedEdges = [...nowE].filter(([k]) => !oldE.has(k)).map(([, e]) => e);
  const removedEdges = [...oldE].filter(([k]) => !nowE.has(k)).map(([, e]) => e);
  return { addedNodes, changedNodes, removedNodes, addedEdges, removedEdges };
}

export function isEmptyDiff(d: SnapshotDiff): boolean {
  return !d.addedNodes.length && !d.changedNodes.length && !d.removedNodes.length && !d.addedEdges.length && !d.removedEdges.length;
}
