// While Docker does not answer, the topology keeps what it last knew of Docker (containers,
// images, layers) instead of dropping it as if everything had been deleted: the containers are
// kept in state "unknown" (drawn greyed) and a notice says why. When Docker answers again the real
// nodes replace them under the same ids, so they stay where they were drawn.
import { edgeKey, type GraphEdge, type GraphNode, type Snapshot } from '../../core/model/graph';

/** What the Docker reader makes (see dockerPartialRefresh's ownedKinds). */
const DOCKER_KINDS = new Set<GraphNode['kind']>(['container', 'image', 'layer']);

export interface Shown {
  snap: Snapshot;
  /** Set while last-known nodes are shown: the banner text. */
  notice?: string;
}

/** A container as last known, marked unknown; the state it had is kept beside it. */
function asUnknown(n: GraphNode, since: string): GraphNode {
  const lastKnownState = 'lastKnownState' in n.props ? n.props.lastKnownState : n.props.state;
  const lastSeen = 'lastSeen' in n.props ? n.props.lastSeen : since;
  return { ...n, props: { ...n.props, state: 'unknown', status: 'unknown: Docker is not answering', lastKnownState, lastSeen } };
}

const plural = (n: number, one: string, many: string): string => (n === 1 ? `the last-known ${one}` : `the last-known ${n} ${many}`);

/**
 * `next` as the topology shows it: when its Docker source is unavailable, the Docker nodes of
 * `prev` (what was shown before) that `next` lacks are carried over, with the edges between them
 * and nodes still there. `socket` is the Docker socket VirtLab asks, for the notice.
 */
export function keepLastKnown(prev: Snapshot | undefined, next: Snapshot, socket: string): Shown {
  const docker = next.report.sources.docker;
  if (!docker || docker.state !== 'unavailable') return { snap: next };
  const have = new Set(next.nodes.map((n) => n.id));
  const kept: GraphNode[] = [];
  for (const n of prev?.nodes ?? []) {
    if (!DOCKER_KINDS.has(n.kind) || have.has(n.id)) continue;
    kept.push(n.kind === 'container' ? asUnknown(n, prev!.takenAt) : n);
  }
  const where = socket || 'its socket';
  const containers = kept.filter((n) => n.kind === 'container').length;
  if (!kept.length) return { snap: next, notice: `Docker is not answering at ${where} — no containers were known before, so none are drawn.` };
  const ids = new Set([...have, ...kept.map((n) => n.id)]);
  const keptIds = new Set(kept.map((n) => n.id));
  const edgeKeys = new Set(next.edges.map(edgeKey));
  const edges: GraphEdge[] = (prev?.edges ?? []).filter((e) => (keptIds.has(e.from) || keptIds.has(e.to)) && ids.has(e.from) && ids.has(e.to) && !edgeKeys.has(edgeKey(e)));
  const notice = containers
    ? `Docker is not answering at ${where} — showing ${plural(containers, 'container', 'containers')}, greyed, in state unknown.`
    : `Docker is not answering at ${where} — showing the last-known images; no containers were known.`;
  return { snap: { ...next, nodes: [...next.nodes, ...kept], edges: [...next.edges, ...edges] }, notice };
}
