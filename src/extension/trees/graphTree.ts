import * as vscode from 'vscode';
import type { Snapshot } from '../../core/model/graph';
import type { SnapshotStore } from '../snapshotStore';
import type { IconSpec, RowSpec, TooltipSpec } from './spec';

/** Builds the rows of one view from a snapshot. */
export type RowBuilder = (snap: Snapshot) => RowSpec[];

function signature(r: RowSpec): string {
  return JSON.stringify([r.label, r.description, r.tooltip, r.icon, r.contextValue, (r.children ?? []).map(signature)]);
}

/** Markdown tooltip: a bold title, plain lines, and `source` lines rendered as code. */
function markdown(t: TooltipSpec | string | undefined): vscode.MarkdownString | string | undefined {
  if (t === undefined || typeof t === 'string') return t;
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown('**').appendText(t.title).appendMarkdown('**');
  for (const l of t.lines) md.appendMarkdown('\n\n').appendText(l);
  if (t.sources.length) {
    md.appendMarkdown('\n\n$(file-code) Source:');
    for (const s of t.sources) md.appendMarkdown('\n\n').appendMarkdown('`' + s.replace(/`/g, "'") + '`');
  }
  return md;
}

function themeIcon(i: IconSpec | undefined): vscode.ThemeIcon | undefined {
  if (!i) return undefined;
  return i.color ? new vscode.ThemeIcon(i.id, new vscode.ThemeColor(i.color)) : new vscode.ThemeIcon(i.id);
}

/**
 * A tree view drawn from the graph. Rows are rebuilt per snapshot; the view is refreshed only
 * when what it shows changed (a diff elsewhere in the graph costs it nothing), and stable ids
 * keep expansion state and selection across live updates. `getParent` is answered from the last build, so `reveal` works.
 */
export class GraphTreeProvider implements vscode.TreeDataProvider<RowSpec>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RowSpec | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: RowSpec[] | undefined;
  private readonly byId = new Map<string, RowSpec>();
  private readonly parentOf = new Map<string, RowSpec>();
  private readonly sigs = new Map<string, string>();
  private readonly sub: vscode.Disposable;

  constructor(
    private readonly store: SnapshotStore,
    private readonly build: RowBuilder,
  ) {
    this.sub = store.onDidChange((snap) => this.update(snap));
  }

  private index(rows: RowSpec[], parent?: RowSpec): void {
    for (const r of rows) {
      this.byId.set(r.id, r);
      if (parent) this.parentOf.set(r.id, parent);
      this.index(r.children ?? [], r);
    }
  }

  private update(snap: Snapshot): void {
    const next = this.build(snap);
    const old = this.sigs;
    const newSigs = new Map<string, string>();
    const walk = (rows: RowSpec[]) => rows.forEach((r) => (newSigs.set(r.id, signature(r)), walk(r.children ?? [])));
    walk(next);
    const topChanged = !this.roots || this.roots.length !== next.length || this.roots.some((r, i) => r.id !== next[i].id);
    this.roots = next;
    this.byId.clear();
    this.parentOf.clear();
    this.index(next);
    // VS Code matches refreshed elements by object identity, and every build makes new row objects:
    // refresh from the root, but only when something this view shows changed. Rows keep their ids,
    // so expansion and selection survive.
    const changed = topChanged || next.some((r) => old.get(r.id) !== newSigs.get(r.id));
    this.sigs.clear();
    for (const [k, v] of newSigs) this.sigs.set(k, v);
    if (changed) this.changed.fire(undefined);
  }

  async getChildren(element?: RowSpec): Promise<RowSpec[]> {
    if (element) return this.byId.get(element.id)?.children ?? element.children ?? [];
    if (!this.roots) {
      const snap = this.store.latest ?? (await this.store.refresh());
      if (!this.roots) this.update(snap);
    }
    return this.roots ?? [];
  }

  getTreeItem(r: RowSpec): vscode.TreeItem {
    const state = r.children?.length ? (r.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed) : vscode.TreeItemCollapsibleState.None;
    const t = new vscode.TreeItem(r.label, state);
    t.id = r.id;
    t.description = r.description;
    t.tooltip = markdown(r.tooltip);
    t.iconPath = themeIcon(r.icon);
    t.contextValue = r.contextValue;
    t.command = r.command;
    t.accessibilityInformation = { label: r.ariaLabel ?? (r.description ? `${r.label}, ${r.description}` : r.label) };
    return t;
  }

  getParent(r: RowSpec): RowSpec | undefined {
    return this.parentOf.get(r.id);
  }

  /** The first row showing a graph node, for reveal from the topology and from commands. */
  rowForNode(nodeId: string): RowSpec | undefined {
    for (const r of this.byId.values()) if (r.nodeId === nodeId) return r;
    return undefined;
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
