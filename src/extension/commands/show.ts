import * as vscode from 'vscode';
import type { GraphNode } from '../../core/model/graph';
import { bytes } from '../trees/spec';
import { code, md, type DetailsDocuments } from '../details';
import { externalIdPairs } from '../../shared/externalIds';
import { plural } from '../../shared/format';
import type { SnapshotStore } from '../snapshotStore';
import { GraphIndex, prop } from '../trees/index';
import type { RowSpec } from '../trees/spec';

type Val = { value: number | null; file: string } | undefined;

async function nodeFromArg(store: SnapshotStore, arg: unknown, kinds: GraphNode['kind'][], title: string): Promise<GraphNode | undefined> {
  const snap = store.latest ?? (await store.refresh());
  const id = (arg as RowSpec | undefined)?.nodeId;
  let n = id ? snap.nodes.find((x) => x.id === id) : undefined;
  // A container row stands for its cgroup.
  if (n?.kind === 'container' && kinds.includes('cgroup')) n = GraphIndex.of(snap).targets(n.id, 'in-cgroup')[0] ?? n;
  if (n && kinds.includes(n.kind)) return n;
  const candidates = snap.nodes.filter((x) => kinds.includes(x.kind));
  if (!candidates.length) {
    void vscode.window.showInformationMessage(`Nothing to show: no ${kinds.join(' or ')} on this machine.`);
    return undefined;
  }
  const g = GraphIndex.of(snap);
  const pick = await vscode.window.showQuickPick(
    candidates.map((c) => {
      const ctr = c.kind === 'cgroup' ? g.sources(c.id, 'in-cgroup').find((x) => x.kind === 'container') : undefined;
      return { label: ctr ? `${ctr.label}` : c.label, description: ctr ? c.label : c.kind, node: c };
    }),
    { title, matchOnDescription: true },
  );
  return pick?.node;
}

/** cgroup limits and usage with the v1/v2 file each value came from. */
export function cgroupMarkdown(n: GraphNode, holder?: string): string {
  const rows: [string, Val, (v: number | null) => string][] = [
    ['memory limit', prop<Val>(n, 'memoryLimitBytes'), bytes],
    ['memory usage', prop<Val>(n, 'memoryUsageBytes'), bytes],
    ['memory failcnt (v1)', prop<Val>(n, 'memoryFailcnt'), String],
    ['OOM events', prop<Val>(n, 'oomEvents'), String],
    ['OOM kills', prop<Val>(n, 'oomKillEvents'), String],
    ['CPU quota (µs per period)', prop<Val>(n, 'cpuQuotaMicros'), (v) => (v === null ? 'unlimited' : String(v))],
    ['CPU period (µs)', prop<Val>(n, 'cpuPeriodMicros'), String],
    ['CPU weight (v2)', prop<Val>(n, 'cpuWeight'), String],
    ['CPU shares (v1)', prop<Val>(n, 'cpuShares'), String],
    ['CPU time used', prop<Val>(n, 'cpuUsageNanos'), (v) => (v === null ? '-' : `${(v / 1e9).toFixed(2)} s`)],
    ['throttled periods', prop<Val>(n, 'cpuThrottledPeriods'), String],
    ['throttled time', prop<Val>(n, 'cpuThrottledNanos'), (v) => (v === null ? '-' : `${(v / 1e6).toFixed(1)} ms`)],
    ['pids limit', prop<Val>(n, 'pidsLimit'), (v) => (v === null ? 'unlimited' : String(v))],
    ['pids current', prop<Val>(n, 'pidsCurrent'), String],
    ['IO read', prop<Val>(n, 'ioReadBytes'), bytes],
    ['IO written', prop<Val>(n, 'ioWriteBytes'), bytes],
  ];
  const lines = [holder ? `# cgroup of container ${md(holder)}` : `# cgroup ${md(prop(n, 'path'))}`, '', ...(holder ? [`Path ${code(prop(n, 'path'))}`, ''] : []), `cgroup v${prop(n, 'version')} (machine layout: ${md(prop(n, 'layout'))}) · ${plural(prop<number>(n, 'processCount') ?? 0, 'process')}`, '', '| what | value | file |', '|---|---|---|'];
  for (const [label, v, f] of rows) if (v) lines.push(`| ${label} | ${md(f(v.value))} | ${code(v.file)} |`);
  lines.push('', 'cgroup v1 keeps one hierarchy per controller (memory.limit_in_bytes, cpu.cfs_quota_us …); v2 has one tree with unified names (memory.max, cpu.max …).');
  return lines.join('\n');
}

/** OVS flows with counters, and the MAC table. */
export function flowsMarkdown(n: GraphNode): string {
  type Flow = { table: number; priority: number; match: string; actions: string; nPackets: number; nBytes: number };
  const flows = prop<Flow[]>(n, 'flows') ?? [];
  const lines = [`# OpenFlow rules of ${md(n.label)}`, '', `datapath ${code(prop(n, 'datapathType') || 'system')} · fail mode ${code(prop(n, 'failMode'))} · ${plural(prop<number>(n, 'flowCount') ?? flows.length, 'flow')}`, '', '| table | priority | match | actions | packets | bytes |', '|---|---|---|---|---|---|'];
  for (const f of flows) lines.push(`| ${f.table} | ${f.priority} | ${code(f.match || '(any)')} | ${code(f.actions)} | ${f.nPackets} | ${f.nBytes} |`);
  const macs = prop<{ mac: string; vlan: number; port: string; portName?: string; ageSec?: number }[]>(n, 'macTable') ?? [];
  lines.push('', '## MAC table', '', '| MAC | VLAN | port | age (s) |', '|---|---|---|---|');
  for (const m of macs) lines.push(`| ${code(m.mac)} | ${m.vlan ?? ''} | ${md(m.portName ?? m.port)} | ${m.ageSec ?? 'static'} |`);
  const ids = externalIdPairs(prop(n, 'externalIds'));
  lines.push('', '## external_ids', '', ids.length ? 'What other programs (libvirt, OpenStack, OVN, VirtLab labs) stored on the bridge.' : 'None set.');
  if (ids.length) lines.push('', '| key | value |', '|---|---|', ...ids.map(([k, v]) => `| ${md(k)} | ${md(v)} |`));
  if (prop(n, 'externalIdsProblem')) lines.push('', md(prop(n, 'externalIdsProblem')));
  lines.push('', `Source: ${code(`ovs-ofctl dump-flows ${n.label}`)}, ${code(`ovs-appctl fdb/show ${n.label}`)}, ${code('ovs-vsctl list Bridge')}`);
  return lines.join('\n');
}

export function fdbMarkdown(n: GraphNode): string {
  const fdb = prop<{ mac: string; port: string; vlan?: number; permanent: boolean; state?: string }[]>(n, 'fdb') ?? [];
  const lines = [`# Forwarding database of bridge ${md(n.label)}`, '', `${plural(prop<number>(n, 'fdbCount') ?? fdb.length, 'entry', 'entries')}${fdb.length < (prop<number>(n, 'fdbCount') ?? 0) ? ` (first ${fdb.length} shown)` : ''}`, '', '| MAC | port | VLAN | state |', '|---|---|---|---|'];
  for (const e of fdb) lines.push(`| ${code(e.mac)} | ${md(e.port)} | ${e.vlan ?? ''} | ${e.permanent ? 'permanent' : md(e.state ?? 'learned')} |`);
  lines.push('', `Source: ${code(`bridge -j fdb show br ${n.label}`)}`);
  return lines.join('\n');
}

export async function showCgroup(store: SnapshotStore, docs: DetailsDocuments, arg?: unknown): Promise<void> {
  const n = await nodeFromArg(store, arg, ['cgroup'], 'Show cgroup Limits and Usage');
  if (!n) return;
  // Title and heading name the container (not the 64-character id in its cgroup path).
  const snap = store.latest ?? (await store.refresh());
  const holder = GraphIndex.of(snap).sources(n.id, 'in-cgroup').find((x) => x.kind === 'container')?.label;
  await docs.show(`${holder ?? String(prop(n, 'path'))} cgroup`, cgroupMarkdown(n, holder));
}

export async function showFlows(store: SnapshotStore, docs: DetailsDocuments, arg?: unknown): Promise<void> {
  const n = await nodeFromArg(store, arg, ['ovs-bridge'], 'Show OVS Flows');
  if (n) await docs.show(`${n.label} OVS flows`, flowsMarkdown(n));
}

export async function showFdb(store: SnapshotStore, docs: DetailsDocuments, arg?: unknown): Promise<void> {
  const n = await nodeFromArg(store, arg, ['bridge'], 'Show Bridge FDB');
  if (n) await docs.show(`${n.label} FDB`, fdbMarkdown(n));
}

export async function copyNodeAsJson(store: SnapshotStore, arg?: unknown): Promise<void> {
  const id = (arg as RowSpec | undefined)?.nodeId;
  const snap = store.latest ?? (await store.refresh());
  const n = id ? snap.nodes.find((x) => x.id === id) : undefined;
  const value = n ? { ...n, edges: snap.edges.filter((e) => e.from === n.id || e.to === n.id) } : snap;
  await vscode.env.clipboard.writeText(JSON.stringify(value, null, 2));
  void vscode.window.showInformationMessage(n ? `Copied ${n.id} as JSON.` : `Copied a snapshot of ${snap.nodes.length} nodes.`);
}
