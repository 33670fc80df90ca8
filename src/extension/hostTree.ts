import * as vscode from 'vscode';
import type { GraphNode } from '../core/model/graph';
import type { HostFact } from '../core/host/types';
import type { SnapshotStore } from './snapshotStore';

/** A fact row, or the "Runtimes and tools" group, or an explanatory error row. */
export type HostItem =
  | { type: 'fact'; fact: HostFact }
  | { type: 'group'; id: 'tools'; label: string; facts: HostFact[] }
  | { type: 'message'; id: string; label: string; detail: string; icon: string; command?: vscode.Command };

const STATUS_ICON: Record<HostFact['status'], vscode.ThemeIcon> = {
  ok: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  warn: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
  missing: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground')),
  info: new vscode.ThemeIcon('info'),
};

function factTooltip(f: HostFact): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${f.label}**: `).appendText(f.value);
  if (f.detail) md.appendMarkdown('\n\n').appendText(f.detail);
  md.appendMarkdown('\n\n$(file-code) Source: ').appendText(f.source);
  if (f.fix) md.appendMarkdown('\n\n$(tools) Fix: ').appendText(f.fix);
  return md;
}

/** The Host view: this machine's kernel, virtualization layers, cgroup layout and tools. */
export class HostTreeProvider implements vscode.TreeDataProvider<HostItem> {
  private readonly changed = new vscode.EventEmitter<HostItem | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly store: SnapshotStore) {
    store.onDidChange(() => this.changed.fire(undefined));
  }

  private facts(): HostFact[] {
    const nodes: GraphNode[] = this.store.latest?.nodes.filter((n) => n.kind === 'host-fact') ?? [];
    return nodes.map((n) => n.props as unknown as HostFact);
  }

  async getChildren(element?: HostItem): Promise<HostItem[]> {
    if (element?.type === 'group') return element.facts.map((fact) => ({ type: 'fact', fact }));
    if (element) return [];
    if (!this.store.latest) {
      try {
        await this.store.refresh();
      } catch (e) {
        return [{ type: 'message', id: 'error', label: 'Could not read this machine', detail: (e as Error).message, icon: 'error', command: { command: 'virtlab.showLog', title: 'Show Log' } }];
      }
    }
    const facts = this.facts();
    const tools = facts.filter((f) => f.group === 'tools');
    return [
      ...facts.filter((f) => f.group !== 'tools').map((fact): HostItem => ({ type: 'fact', fact })),
      { type: 'group', id: 'tools', label: 'Runtimes and tools', facts: tools },
    ];
  }

  getTreeItem(item: HostItem): vscode.TreeItem {
    if (item.type === 'group') {
      const t = new vscode.TreeItem(item.label, vscode.TreeItemCollapsibleState.Expanded);
      const present = item.facts.filter((f) => f.status === 'ok').length;
      t.id = 'host/tools';
      t.description = `${present} of ${item.facts.length} ready`;
      t.iconPath = new vscode.ThemeIcon('tools');
      t.contextValue = 'hostGroup';
      return t;
    }
    if (item.type === 'message') {
      const t = new vscode.TreeItem(item.label);
      t.id = `host/${item.id}`;
      t.description = item.detail;
      t.tooltip = item.detail;
      t.iconPath = new vscode.ThemeIcon(item.icon);
      t.command = item.command;
      return t;
    }
    const f = item.fact;
    const t = new vscode.TreeItem(f.label);
    t.id = `host/${f.key}`;
    t.description = f.value;
    t.tooltip = factTooltip(f);
    t.iconPath = STATUS_ICON[f.status];
    t.contextValue = `hostFact.${f.status}${f.fix ? '.fixable' : ''}`;
    t.accessibilityInformation = { label: `${f.label}: ${f.value}` };
    return t;
  }

  getParent(item: HostItem): HostItem | undefined {
    if (item.type === 'fact' && item.fact.group === 'tools') {
      return { type: 'group', id: 'tools', label: 'Runtimes and tools', facts: this.facts().filter((f) => f.group === 'tools') };
    }
    return undefined;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
