import type { EdgeKind, GraphEdge, GraphNode, Snapshot } from '../../core/model/graph';

const built = new WeakMap<Snapshot, GraphIndex>();

/** Lookup tables over one snapshot, built once per snapshot and shared by every view and command. */
export class GraphIndex {
  /** The index of `snap`, built on first use; snapshots are never mutated after they are published. */
  static of(snap: Snapshot): GraphIndex {
    let g = built.get(snap);
    if (!g) built.set(snap, (g = new GraphIndex(snap)));
    return g;
  }

  readonly nodes = new Map<string, GraphNode>();
  private readonly out = new Map<string, GraphEdge[]>();
  private readonly in = new Map<string, GraphEdge[]>();

  private constructor(readonly snap: Snapshot) {
    for (const n of snap.nodes) this.nodes.set(n.id, n);
    for (const e of snap.edges) {
      (this.out.get(e.from) ?? this.out.set(e.from, []).get(e.from)!).push(e);
      (this.in.get(e.to) ?? this.in.set(e.to, []).get(e.to)!).push(e);
    }
  }

  ofKind(kind: GraphNode['kind']): GraphNode[] {
    return this.snap.nodes.filter((n) => n.kind === kind);
  }

  /** Nodes this node points to over edges of `kind`. */
  targets(id: string, kind: EdgeKind): GraphNode[] {
    return (this.out.get(id) ?? []).filter((e) => e.kind === kind).map((e) => this.nodes.get(e.to)).filter((n): n is GraphNode => !!n);
  }

  /** Nodes pointing at this node over edges of `kind`. */
  sources(id: string, kind: EdgeKind): GraphNode[] {
    return (this.in.get(id) ?? []).filter((e) => e.kind === kind).map((e) => this.nodes.get(e.from)).filter((n): n is GraphNode => !!n);
  }

  edgesOut(id: string, kind?: EdgeKind): GraphEdge[] {
    return (this.out.get(id) ?? []).filter((e) => !kind || e.kind === kind);
  }

  edgesIn(id: string, kind?: EdgeKind): GraphEdge[] {
    return (this.in.get(id) ?? []).filter((e) => !kind || e.kind === kind);
  }
}

export function prop<T = unknown>(n: GraphNode | undefined, key: string): T | undefined {
  return n?.props[key] as T | undefined;
}
