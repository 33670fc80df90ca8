// What the side panel shows for a node: its facts as key/value rows (with the file or tool each
// value came from, where the graph records it) and the host commands that apply to it. Pure, so
// the rules are unit-tested; the DOM side (details.ts) only ever sets textContent.
import { EXTERNAL_IDS_SOURCE, externalIdPairs } from '../src/shared/externalIds';
import type { AllowedCommand, GraphNode, MetricsKind } from '../src/shared/protocol';
import type { GraphModel } from './model';

export interface FactRow {
  key: string;
  value: string;
  source?: string;
}

export interface NodeAction {
  command: AllowedCommand;
  title: string;
}

const MAX_VALUE = 400;
/** Props that are large lists better read in the tree or the dedicated command. */
const SKIP = new Set(['pids', 'fdb', 'flows', 'macTable', 'graphDriver', 'overlay', 'cgroupMounts']);
/** Props shown by ovsRows instead of the generic spread. */
const OVS_OWN = new Set(['externalIds', 'externalIdsProblem']);

function short(s: string): string {
  return s.length > MAX_VALUE ? `${s.slice(0, MAX_VALUE)}…` : s;
}

function render(v: unknown): string {
  if (v === null) return 'none';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null)) return v.map((x) => String(x)).join(', ');
  return JSON.stringify(v);
}

const isSourced = (v: unknown): v is { value: unknown; file: string } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && 'value' in v && typeof (v as { file?: unknown }).file === 'string' && Object.keys(v).length === 2;

/** Key/value rows for a node; `{value, file}` props keep their file as the source. */
export function factRows(n: GraphNode, model?: GraphModel): FactRow[] {
  const rows: FactRow[] = [
    { key: 'kind', value: n.kind },
    { key: 'id', value: n.id },
  ];
  const add = (key: string, v: unknown, depth: number): void => {
    if (v === undefined) return;
    if (isSourced(v)) {
      rows.push({ key, value: short(render(v.value)), source: v.file });
      return;
    }
    // One level of nesting is spread out (container cgroup, labels, namespaces) so it stays readable.
    if (depth === 0 && typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const files = (v as Record<string, unknown>).files as Record<string, string> | undefined;
      for (const [k, x] of Object.entries(v)) {
        if (k === 'files') continue;
        const file = files && typeof files[k] === 'string' ? files[k] : undefined;
        if (file && !isSourced(x)) rows.push({ key: `${key}.${k}`, value: short(render(x)), source: file });
        else add(`${key}.${k}`, x, depth + 1);
      }
      return;
    }
    rows.push({ key, value: short(render(v)) });
  };
  const ovs = n.kind === 'ovs-bridge' || n.kind === 'ovs-port';
  for (const [k, v] of Object.entries(n.props)) {
    if (SKIP.has(k) || (ovs && OVS_OWN.has(k))) continue;
    add(k, n.kind === 'ovs-port' && k === 'interfaces' ? withoutExternalIds(v) : v, 0);
  }
  if (ovs) rows.push(...ovsRows(n));
  // A kernel interface that is an OVS port is drawn instead of the port: show the port's ids on it.
  if (n.kind === 'interface' && model) for (const p of model.sourcesOf(n.id, 'ovs-interface')) rows.push(...ovsRows(p, n.props.name));
  if (n.kind === 'host' && model) {
    for (const f of model.targets(n.id, 'has-fact')) rows.push({ key: f.label, value: short(render(f.props.value ?? f.props.text ?? '')), source: typeof f.props.source === 'string' ? f.props.source : undefined });
  }
  return rows;
}

/** An OVS port's interfaces with their external_ids taken out (ovsRows shows those one per row). */
function withoutExternalIds(v: unknown): unknown {
  if (!Array.isArray(v)) return v;
  return v.map((i) => {
    if (typeof i !== 'object' || i === null) return i;
    const { externalIds: _ids, externalIdsProblem: _p, ...rest } = i as Record<string, unknown>;
    return rest;
  });
}

/**
 * OVS external_ids, one row per key, sourced with the table they were read from: on a bridge or
 * port `external_ids:iface-id`, for a port's interfaces `Interface vnet0 external_ids:iface-id`.
 * Seen from the kernel interface `asIface` (the port's interface of that name), `OVS Port …` and
 * `OVS Interface …`. Values are shown whole: the reader already bounded them (EXTERNAL_IDS_LIMITS).
 */
function ovsRows(n: GraphNode, asIface?: unknown): FactRow[] {
  const rows: FactRow[] = [];
  const one = (ids: unknown, problem: unknown, prefix: string, source: string) => {
    for (const [k, v] of externalIdPairs(ids)) rows.push({ key: `${prefix}external_ids:${k}`, value: v, source });
    if (typeof problem === 'string' && problem) rows.push({ key: `${prefix}external_ids (not all kept)`, value: short(problem), source });
  };
  const bridge = n.kind === 'ovs-bridge';
  one(n.props.externalIds, n.props.externalIdsProblem, asIface === undefined ? '' : 'OVS Port ', bridge ? EXTERNAL_IDS_SOURCE.bridge : EXTERNAL_IDS_SOURCE.port);
  if (n.kind === 'ovs-port' && Array.isArray(n.props.interfaces)) {
    for (const i of n.props.interfaces as unknown[]) {
      if (typeof i !== 'object' || i === null) continue;
      const r = i as Record<string, unknown>;
      if (asIface !== undefined && r.name !== asIface) continue;
      one(r.externalIds, r.externalIdsProblem, asIface === undefined ? `Interface ${String(r.name ?? '?')} ` : 'OVS Interface ', EXTERNAL_IDS_SOURCE.interface);
    }
  }
  return rows;
}

/** The host commands offered for a node (always a subset of the protocol's allow-list). */
export function actionsFor(n: GraphNode): NodeAction[] {
  const out: NodeAction[] = [{ command: 'virtlab.revealInTree', title: 'Reveal in Tree' }];
  const running = n.props.state === 'running';
  if (n.kind === 'container') {
    if (running) out.push({ command: 'virtlab.openNamespaceTerminal', title: 'Open Terminal in Namespaces' });
    out.push({ command: 'virtlab.inspectContainerNamespaces', title: 'Inspect Namespaces' });
    out.push({ command: 'virtlab.showCgroup', title: 'Show cgroup' });
  }
  if (n.kind === 'process') out.push({ command: 'virtlab.openNamespaceTerminal', title: 'Open Terminal in Namespaces' });
  if (n.kind === 'cgroup') out.push({ command: 'virtlab.showCgroup', title: 'Show cgroup' });
  if (n.kind === 'ovs-bridge') out.push({ command: 'virtlab.showFlows', title: 'Show Flows' });
  return out;
}

/** Which live metrics a node has, if any. */
export function metricsKindOf(n: GraphNode): MetricsKind | undefined {
  if ((n.kind === 'container' && n.props.state === 'running') || n.kind === 'cgroup') return 'cgroup';
  if (n.kind === 'interface' || n.kind === 'bridge') return 'interface';
  if (n.kind === 'ovs-bridge') return 'ovs-bridge';
  return undefined;
}
