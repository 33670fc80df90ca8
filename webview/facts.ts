// What the side panel shows for a node: its facts as key/value rows (with the file or tool each
// value came from, where the graph records it) and the host commands that apply to it. Pure, so
// the rules are unit-tested; the DOM side (details.ts) only ever sets textContent.
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
  for (const [k, v] of Object.entries(n.props)) if (!SKIP.has(k)) add(k, v, 0);
  if (n.kind === 'host' && model) {
    for (const f of model.targets(n.id, 'has-fact')) rows.push({ key: f.label, value: short(render(f.props.value ?? f.props.text ?? '')), source: typeof f.props.source === 'string' ? f.props.source : undefined });
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
