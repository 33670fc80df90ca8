import type { ScanOptions } from '../context';
import type { CgroupLayout } from '../cgroup/types';
import { detectCgroupLayout } from '../cgroup/layout';
import type { GraphNode, Snapshot } from '../model/graph';
import type { NetnsTarget } from '../net/netns';
import { cgroupPoint, containerEntries, entriesFromHierarchies, readCgroupCounters } from './cgroup';
import { ifacePoint, readIfaceCounters } from './iface';
import { ovsPoint, readOvsFlowCounters } from './ovs';
import type { MetricPoint, MetricsKind, Reading } from './types';

/** Reads one node's counters and turns two readings into a chart point. */
export interface MetricSource {
  kind: MetricsKind;
  read(now?: number): Promise<Reading | { error: string }>;
  point(prev: Reading | undefined, cur: Reading): MetricPoint;
}

const num = (n: GraphNode | undefined, k: string): number | undefined => (typeof n?.props[k] === 'number' ? (n.props[k] as number) : undefined);
const str = (n: GraphNode | undefined, k: string): string | undefined => (typeof n?.props[k] === 'string' ? (n.props[k] as string) : undefined);

/** How to enter a network namespace node: its bind mounts and processes, as the net reader does. */
export function netnsTargetOf(ns: GraphNode | undefined, inode: number): NetnsTarget {
  const nsfs = Array.isArray(ns?.props.nsfs) ? (ns!.props.nsfs as unknown[]).filter((p): p is string => typeof p === 'string') : [];
  const pids = Array.isArray(ns?.props.pids) ? (ns!.props.pids as unknown[]).filter((p): p is number => typeof p === 'number').slice(0, 8) : [];
  return { inode, nsfsPath: nsfs[0], pid: num(ns, 'lowestPid'), pids };
}

/**
 * The metric source for a graph node, or why it has none: a running container or a cgroup (cgroup
 * counters), an interface or Linux bridge (rx/tx in its netns), an OVS bridge (flow counters).
 */
export function metricSourceFor(opts: ScanOptions, snap: Snapshot, nodeId: string, layout?: Promise<CgroupLayout>): MetricSource | { error: string } {
  const byId = new Map(snap.nodes.map((n) => [n.id, n]));
  const n = byId.get(nodeId);
  if (!n) return { error: `${nodeId} is not in the latest snapshot` };
  const lay = layout ?? detectCgroupLayout(opts.roots);
  if (n.kind === 'container') {
    const pid = num(n, 'pid');
    if (str(n, 'state') !== 'running' || !pid) return { error: `${n.label} is not running` };
    return {
      kind: 'cgroup',
      read: async (now) => {
        const entries = await containerEntries(opts.roots, pid);
        if (!entries.length) return { error: `process ${pid} of ${n.label} is gone` };
        return readCgroupCounters(opts.roots, await lay, entries, now);
      },
      point: cgroupPoint,
    };
  }
  if (n.kind === 'cgroup') {
    const entries = entriesFromHierarchies(n.props.hierarchies);
    if (!entries.length) return { error: `cgroup ${n.label} has no hierarchy paths` };
    return { kind: 'cgroup', read: async (now) => readCgroupCounters(opts.roots, await lay, entries, now), point: cgroupPoint };
  }
  if (n.kind === 'interface' || n.kind === 'bridge') {
    const dev = n.kind === 'bridge' ? byId.get(str(n, 'ifaceId') ?? '') : n;
    const inode = num(dev, 'netnsInode');
    const ifindex = num(dev, 'ifindex');
    const name = str(dev, 'name');
    if (inode === undefined || ifindex === undefined || !name) return { error: `${n.label} has no netns/ifindex in the graph` };
    const target = { name, ifindex, netns: netnsTargetOf(byId.get(`ns:net:${inode}`), inode) };
    return { kind: 'interface', read: (now) => readIfaceCounters(opts, target, now), point: ifacePoint };
  }
  if (n.kind === 'ovs-bridge') {
    const name = str(n, 'name') ?? n.label;
    return { kind: 'ovs-bridge', read: (now) => readOvsFlowCounters(opts, name, now), point: ovsPoint };
  }
  return { error: `no live metrics for a ${n.kind}` };
}

export interface Sampling {
  stop(): void;
}

/** Read every `intervalMs` (never overlapping), emitting a point per reading after the first. */
export function startSampling(source: MetricSource, intervalMs: number, onPoint: (p: MetricPoint, cur: Reading) => void, onError: (e: string) => void): Sampling {
  let prev: Reading | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const tick = async () => {
    const r = await source.read().catch((e: unknown) => ({ error: (e as Error).message }));
    if (stopped) return;
    if ('error' in r) onError(r.error);
    else {
      onPoint(source.point(prev, r), r);
      prev = r;
    }
    timer = setTimeout(tick, intervalMs);
  };
  void tick();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
