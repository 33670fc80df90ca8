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

const sameValue = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

/**
 * Same label, kind and props (volatile ones aside). Values are compared by reference first: a
 * partial refresh carries the untouched nodes' prop values over as they were, so most nodes cost
 * no serialisation at all (stringifying every node of a large graph took longer than the refresh).
 */
export function sameNode(a: GraphNode, b: GraphNode): boolean {
  if (a === b) return true;
  if (a.label !== b.label || a.kind !== b.kind) return false;
  const ka = Object.keys(a.props).filter((k) => !VOLATILE.has(k));
  const kb = Object.keys(b.props).filter((k) => !VOLATILE.has(k));
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!(k in b.props) || !sameValue(a.props[k], b.props[k])) return false;
  }
  return true;
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
    else if (!sameNode(o, n)) changedNodes.push(n);
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
