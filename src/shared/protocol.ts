// The one protocol between the topology panel (src/extension/topology) and its webview (webview/).
// Both sides import it, so it must stay free of `vscode` and Node imports. Every message that
// crosses the boundary is checked by a guard below before anything acts on it: the webview is
// treated as untrusted input (the reliability suite fuzzes it), and the host is checked too so a stale or
// foreign message can never break the page.

import type { EdgeKind, GraphEdge, GraphNode, NodeKind } from '../core/model/graph';
import { hasOnly, isObj, isStr } from '../core/sys/json';
import { METRIC_KEYS, type MetricEvent, type MetricKey, type MetricPoint, type MetricsKind } from '../core/metrics/types';

export const TOPOLOGY_VIEW_TYPE = 'virtlab.topology';

/** The flat graph as sent: nodes and edges with id references, plus where each source stood. */
export interface WireGraph {
  takenAt: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  sources: Record<string, { state: string; detail?: string }>;
  /** Set while a source does not answer and its last-known nodes are drawn as unknown (see lastKnown.ts). */
  notice?: string;
}

export interface WireDiff {
  takenAt: string;
  addedNodes: GraphNode[];
  changedNodes: GraphNode[];
  removedNodes: string[];
  addedEdges: GraphEdge[];
  removedEdges: GraphEdge[];
  /** As WireGraph.notice; absent: no notice (any earlier one is cleared). */
  notice?: string;
}

// ---- host -> webview -------------------------------------------------------------------------

export type HostMessage =
  | { type: 'graph'; graph: WireGraph }
  | { type: 'diff'; diff: WireDiff }
  | { type: 'metrics'; nodeId: string; kind: MetricsKind; point: MetricPoint; sources: Record<string, string> }
  | { type: 'metricsUnavailable'; nodeId: string; reason: string }
  | { type: 'reply'; requestId: number; ok: boolean; error?: string }
  | { type: 'focus'; nodeId: string };

// ---- webview -> host -------------------------------------------------------------------------

/** The only commands a webview may ask the host to run, each with `{ nodeId }` (revealInTree: the id). */
export const ALLOWED_COMMANDS = [
  'virtlab.revealInTree',
  'virtlab.openNamespaceTerminal',
  'virtlab.showFlows',
  'virtlab.showCgroup',
  'virtlab.inspectContainerNamespaces',
] as const;
export type AllowedCommand = (typeof ALLOWED_COMMANDS)[number];

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'runCommand'; requestId: number; command: AllowedCommand; nodeId: string }
  | { type: 'watchMetrics'; nodeId: string | null }
  | { type: 'export'; requestId: number; format: 'svg' | 'png'; data: string }
  | { type: 'refresh' };

// ---- guards ----------------------------------------------------------------------------------

/** Node ids are short printable strings (see graph.ts); anything else is refused. */
export const MAX_ID_LENGTH = 512;
/** An exported picture; a PNG of a huge graph at scale 2 stays well below this. */
export const MAX_EXPORT_CHARS = 64 * 1024 * 1024;

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isReqId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** A node id as the graph makes them: non-empty, bounded, no control characters. */
export function isNodeId(v: unknown): v is string {
  // eslint-disable-next-line no-control-regex
  return isStr(v) && v.length > 0 && v.length <= MAX_ID_LENGTH && !/[\u0000-\u001f\u007f]/.test(v);
}

export function isAllowedCommand(v: unknown): v is AllowedCommand {
  return isStr(v) && (ALLOWED_COMMANDS as readonly string[]).includes(v);
}

/** Accepts exactly the messages a topology webview may send; extra fields or wrong types are refused. */
export function isWebviewMessage(v: unknown): v is WebviewMessage {
  if (!isObj(v) || !isStr(v.type)) return false;
  switch (v.type) {
    case 'ready':
    case 'refresh':
      return hasOnly(v, ['type']);
    case 'runCommand':
      return hasOnly(v, ['type', 'requestId', 'command', 'nodeId']) && isReqId(v.requestId) && isAllowedCommand(v.command) && isNodeId(v.nodeId);
    case 'watchMetrics':
      return hasOnly(v, ['type', 'nodeId']) && (v.nodeId === null || isNodeId(v.nodeId));
    case 'export':
      if (!hasOnly(v, ['type', 'requestId', 'format', 'data']) || !isReqId(v.requestId) || !isStr(v.data) || v.data.length > MAX_EXPORT_CHARS) return false;
      if (v.format === 'svg') return v.data.trimStart().startsWith('<');
      if (v.format === 'png') return /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/.test(v.data);
      return false;
    default:
      return false;
  }
}

function isGraphNode(v: unknown): v is GraphNode {
  return isObj(v) && isNodeId(v.id) && isStr(v.kind) && isStr(v.label) && isObj(v.props);
}

function isGraphEdge(v: unknown): v is GraphEdge {
  return isObj(v) && isNodeId(v.from) && isNodeId(v.to) && isStr(v.kind) && (v.props === undefined || isObj(v.props));
}

const allOf = <T>(v: unknown, f: (x: unknown) => x is T): v is T[] => Array.isArray(v) && v.every(f);

function isWireGraph(v: unknown): v is WireGraph {
  return isObj(v) && isStr(v.takenAt) && allOf(v.nodes, isGraphNode) && allOf(v.edges, isGraphEdge) && isObj(v.sources) && (v.notice === undefined || isStr(v.notice));
}

function isWireDiff(v: unknown): v is WireDiff {
  return (
    isObj(v) && isStr(v.takenAt) &&
    allOf(v.addedNodes, isGraphNode) && allOf(v.changedNodes, isGraphNode) && allOf(v.removedNodes, isNodeId) &&
    allOf(v.addedEdges, isGraphEdge) && allOf(v.removedEdges, isGraphEdge) && (v.notice === undefined || isStr(v.notice))
  );
}

function isMetricPoint(v: unknown): v is MetricPoint {
  if (!isObj(v) || !isNum(v.t) || !isObj(v.values) || !Array.isArray(v.events)) return false;
  const keys = METRIC_KEYS as readonly string[];
  for (const [k, x] of Object.entries(v.values)) if (!keys.includes(k) || !(x === null || isNum(x))) return false;
  return v.events.every((e) => e === 'throttled' || e === 'oom');
}

/** Accepts exactly the messages the host sends; the webview drops anything else. */
export function isHostMessage(v: unknown): v is HostMessage {
  if (!isObj(v) || !isStr(v.type)) return false;
  switch (v.type) {
    case 'graph':
      return isWireGraph(v.graph);
    case 'diff':
      return isWireDiff(v.diff);
    case 'metrics':
      return isNodeId(v.nodeId) && (v.kind === 'cgroup' || v.kind === 'interface' || v.kind === 'ovs-bridge') && isMetricPoint(v.point) && isObj(v.sources) && Object.values(v.sources).every(isStr);
    case 'metricsUnavailable':
      return isNodeId(v.nodeId) && isStr(v.reason);
    case 'reply':
      return isReqId(v.requestId) && typeof v.ok === 'boolean' && (v.error === undefined || isStr(v.error));
    case 'focus':
      return isNodeId(v.nodeId);
    default:
      return false;
  }
}

/** Kinds re-exported for the webview, which must not reach into src/core itself. */
export type { EdgeKind, GraphEdge, GraphNode, NodeKind, MetricEvent, MetricKey, MetricPoint, MetricsKind };
export { METRIC_KEYS };
