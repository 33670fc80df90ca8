import type { EdgeKind, GraphEdge, GraphNode, NodeKind, ScanReport, SkipEntry, Snapshot, SourceStatus } from './graph';
import { edgeKey } from './graph';

/** Accumulates nodes and edges from every reader; adding a node twice merges its props. */
export class GraphBuilder {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly edges = new Map<string, GraphEdge>();
  readonly skipped: SkipEntry[] = [];
  readonly sources: Record<string, SourceStatus> = {};

  /** Add or merge a node; later props win, the first label sticks unless `label` is given again non-empty. */
  node(id: string, kind: NodeKind, label: string, props: Record<string, unknown> = {}): GraphNode {
    const existing = this.nodes.get(id);
    if (existing) {
      Object.assign(existing.props, props);
      if (label) existing.label = label;
      return existing;
    }
    const n: GraphNode = { id, kind, label, props: { ...props } };
    this.nodes.set(id, n);
    return n;
  }

  has(id: string): boolean {
    return this.nodes.has(id);
  }

  get(id: string): GraphNode | undefined {
    return this.nodes.get(id);
  }

  nodesOfKind(kind: NodeKind): GraphNode[] {
    return [...this.nodes.values()].filter((n) => n.kind === kind);
  }

  edge(from: string, to: string, kind: EdgeKind, props?: Record<string, unknown>): void {
    const e: GraphEdge = props ? { from, to, kind, props } : { from, to, kind };
    this.edges.set(edgeKey(e), e);
  }

  skip(entry: SkipEntry): void {
    this.skipped.push(entry);
  }

  source(name: string, status: SourceStatus): void {
    this.sources[name] = status;
  }

  /** Freeze into a snapshot; edges whose ends are missing are dropped and reported. */
  build(durationMs: number): Snapshot {
    const edges: GraphEdge[] = [];
    for (const e of this.edges.values()) {
      if (this.nodes.has(e.from) && this.nodes.has(e.to)) edges.push(e);
      else this.skipped.push({ source: 'graph', reason: `edge ${e.kind} ${e.from} -> ${e.to} has a missing end` });
    }
    const report: ScanReport = { durationMs, skipped: this.skipped, sources: this.sources };
    return { version: 1, takenAt: new Date().toISOString(), nodes: [...this.nodes.values()], edges, report };
  }
}
