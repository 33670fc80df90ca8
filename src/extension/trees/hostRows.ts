import type { HostFact } from '../../core/host/types';
import type { Snapshot } from '../../core/model/graph';
import { icon, tooltip, type RowSpec } from './spec';

const STATUS_ICON: Record<HostFact['status'], [string, string?]> = {
  ok: ['pass', 'testing.iconPassed'],
  warn: ['warning', 'list.warningForeground'],
  missing: ['circle-slash', 'disabledForeground'],
  info: ['info'],
};

/** Label and description that fit the default sidebar width (about 36 characters with the icon). */
const ROW_CHARS = 36;

/**
 * The description of a fact row: the whole value when it fits, else its short form (a tool's
 * version number with its build suffix, such as 20.10.24+dfsg1, the value without its parenthesis); the whole value stays in the tooltip.
 */
export function shortFactValue(f: Pick<HostFact, 'label' | 'value' | 'group' | 'status'>): string {
  if (f.label.length + 1 + f.value.length <= ROW_CHARS) return f.value;
  const version = f.group === 'tools' && f.status === 'ok' ? /\d+\.\d+(?:\.\d+)?[^\s,;()]*/.exec(f.value)?.[0] : undefined;
  if (version) return version;
  const short = f.value.replace(/\s*\([^)]*\)/g, '').replace(/ total, /, ', ').replace(/ available$/, ' free');
  return short || f.value;
}

function factRow(f: HostFact): RowSpec {
  return {
    id: `host/${f.key}`,
    label: f.label,
    description: shortFactValue(f),
    tooltip: tooltip(`${f.label}: ${f.value}`, [f.detail, f.fix && `Fix: ${f.fix}`], [f.source]),
    icon: icon(...STATUS_ICON[f.status]),
    contextValue: `hostFact.${f.status}${f.fix ? '.fixable' : ''}`,
    nodeId: `host-fact:${f.key}`,
    ariaLabel: `${f.label}: ${f.value}`,
  };
}

/** The Host view: this machine's kernel, virtualization layers, cgroup layout, then its tools in one group. */
export function hostRows(snap: Snapshot): RowSpec[] {
  const facts = snap.nodes.filter((n) => n.kind === 'host-fact').map((n) => n.props as unknown as HostFact);
  const tools = facts.filter((f) => f.group === 'tools');
  return [
    ...facts.filter((f) => f.group !== 'tools').map(factRow),
    {
      id: 'host/tools',
      label: 'Runtimes and tools',
      description: `${tools.filter((f) => f.status === 'ok').length} of ${tools.length} ready`,
      icon: icon('tools'),
      contextValue: 'hostGroup',
      expanded: true,
      children: tools.map(factRow),
    },
  ];
}
