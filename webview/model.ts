// The webview's copy of the flat graph: nodes and edges by id, rebuilt from the first `graph`
// message and then patched by `diff` messages, so a live update never re-sends the whole graph.
import type { GraphEdge, GraphNode, WireDiff, WireGraph } from '../src/shared/protocol';

export const edgeKeyOf = (e: GraphEdge): string => `${e.kind}|${e.from}|${e.to}`;

export class GraphModel {
  readonly nodes = new Map<string, GraphNode>();
  readonly edges = new Map<string, GraphEdge>();
  /** Edges by endpoint id, for neighbourhoods and parents. */
  private readonly byNode = new Map<string, Set<string>>();
  takenAt = '';
  sources: WireGraph['sources'] = {};

  private link(key: string, e: GraphEdge): void {
    for (const id of [e.from, e.to]) {
      let s = this.byNode.get(id);
      if (!s) this.byNode.set(id, (s = new Set()));
      s.add(key);
    }
  }

  private unlink(key: string, e: GraphEdge): void {
    for (const id of [e.from, e.to]) this.byNode.get(id)?.delete(key);
  }

  setGraph(g: WireGraph): void {
    this.nodes.clear();
    this.edges.clear();
    this.byNode.clear();
    for (const n of g.nodes) this.nodes.set(n.id, n);
    for (const e of g.edges) {
      const k = edgeKeyOf(e);
      this.edges.set(k, e);
      this.link(k, e);
    }
    this.takenAt = g.takenAt;
    this.sources = g.sources;
  }

  /** Apply a diff by id. Edges of a removed node go with it even if the diff forgot them. */
  applyDiff(d: WireDiff): void {
    for (const id of d.removedNodes) {
      this.nodes.delete(id);
      for (const k of [...(this.byNode.get(id) ?? [])]) {
        const e = this.edges.get(k);
        if (e) this.unlink(k, e);
        this.edges.delete(k);
      }
      this.byNode.delete(id);
    }
    for (const e of d.removedEdges) {
      const k = edgeKeyOf(e);
      const old = this.edges.get(k);
      if (old) this.unlink(k, old);
      this.edges.delete(k);
    }
    for (const n of [...d.addedNodes, ...d.changedNodes]) this.nodes.set(n.id, n);
    for (const e of d.addedEdges) {
      const k = edgeKeyOf(e);
      this.edges.set(k, e);
      this.link(k, e);
    }
    this.takenAt = d.takenAt;
  }

  /** Edges touching a node. */
  edgesOf(id: string): GraphEdge[] {
    return [...(this.byNode.get(id) ?? [])].map((k) => this.edges.get(k)!).filter(Boolean);
  }

  /** Nodes an edge of `kind` leads to from `id`. */
  targets(id: string, kind: GraphEdge['kind']): GraphNode[] {
    return this.edgesOf(id).filter((e) => e.kind === kind && e.from === id).map((e) => this.nodes.get(e.to)).filter((n): n is GraphNode => !!n);
  }

  /** Nodes an edge of `kind` comes from into `id`. */
  sourcesOf(id: string, kind: GraphEdge['kind']): GraphNode[] {
    return this.edgesOf(id).filter((e) => e.kind === kind && e.to === id).map((e) => this.nodes.get(e.from)).filter((n): n is GraphNode => !!n);
  }
}
