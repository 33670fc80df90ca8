/** The one graph VirtLab shows: flat nodes and edges with stable ids, plus a scan report. */

export type NodeKind =
  | 'host' | 'host-fact'
  | 'process' | 'namespace' | 'cgroup'
  | 'container' | 'image' | 'layer'
  | 'netns' | 'interface' | 'bridge' | 'ovs-bridge' | 'ovs-port' | 'vxlan' | 'docker-network'
  | 'sriov-pf' | 'sriov-vf'
  | 'vm' | 'vm-device'
  | 'lab' | 'lab-host' | 'lab-switch';

export type EdgeKind =
  | 'member-of' | 'shares-namespace' | 'in-cgroup' | 'uses-layer' | 'runs' | 'parent-of' | 'owned-by'
  | 'in-netns' | 'veth-peer' | 'bridge-port' | 'ovs-port' | 'vxlan-tunnel' | 'implements'
  | 'vf-of' | 'vm-nic' | 'has-fact' | 'contains'
  | 'from-image'
  | 'ovs-interface';

export interface GraphNode {
  id: string;
  kind: NodeKind;
  label: string;
  props: Record<string, unknown>;
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  props?: Record<string, unknown>;
}

/** One entry the scan dropped (vanished process, EACCES, unparsable file), counted not fatal. */
export interface SkipEntry {
  source: string;
  path?: string;
  reason: string;
  code?: string;
}

/** Whether a whole source (docker, ovs, qemu, ...) could be read, and if not, why and how to fix it. */
export interface SourceStatus {
  state: 'ok' | 'absent' | 'unavailable' | 'denied' | 'partial';
  detail?: string;
  fix?: string;
  durationMs?: number;
}

export interface ScanReport {
  durationMs: number;
  skipped: SkipEntry[];
  sources: Record<string, SourceStatus>;
}

export interface Snapshot {
  version: 1;
  takenAt: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  report: ScanReport;
}

export function edgeKey(e: GraphEdge): string {
  return `${e.kind}|${e.from}|${e.to}`;
}
