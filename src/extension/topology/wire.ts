// What of a snapshot goes to the webview. Processes (hundreds on a host) are never drawn, so they
// and their edges stay on the host side; everything else goes as the flat graph, then as diffs.
import type { SnapshotDiff } from '../../core/model/diff';
import type { GraphEdge, GraphNode, Snapshot } from '../../core/model/graph';
import type { WireDiff, WireGraph } from '../../shared/protocol';

const KEPT_OUT = new Set<GraphNode['kind']>(['process']);
/** Props too big to ship for every node and not shown by the webview (the tree and commands show them). */
const HEAVY_PROPS = ['pids'];

const isProcessId = (id: string): boolean => id.startsWith('process:');

function slim(n: GraphNode): GraphNode {
  if (!HEAVY_PROPS.some((k) => k in n.props)) return n;
  const props = { ...n.props };
  for (const k of HEAVY_PROPS) delete props[k];
  return { ...n, props };
}

const keepNode = (n: GraphNode): boolean => !KEPT_OUT.has(n.kind);
const keepEdge = (e: GraphEdge): boolean => !isProcessId(e.from) && !isProcessId(e.to);

/** The flat graph for the webview, without processes. */
export function toWireGraph(snap: Snapshot, notice?: string): WireGraph {
  const sources: WireGraph['sources'] = {};
  for (const [k, s] of Object.entries(snap.report.sources)) sources[k] = { state: s.state, ...(s.detail ? { detail: s.detail } : {}) };
  return { takenAt: snap.takenAt, nodes: snap.nodes.filter(keepNode).map(slim), edges: snap.edges.filter(keepEdge), sources, ...(notice ? { notice } : {}) };
}

/** A snapshot diff for the webview, filtered the same way as toWireGraph. */
export function toWireDiff(d: SnapshotDiff, takenAt: string, notice?: string): WireDiff {
  return {
    takenAt,
    ...(notice ? { notice } : {}),
    addedNodes: d.addedNodes.filter(keepNode).map(slim),
    changedNodes: d.changedNodes.filter(keepNode).map(slim),
    removedNodes: d.removedNodes.filter((id) => !isProcessId(id)),
    addedEdges: d.addedEdges.filter(keepEdge),
    removedEdges: d.removedEdges.filter(keepEdge),
  };
}
