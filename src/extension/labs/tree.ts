import * as path from 'node:path';
import * as vscode from 'vscode';
import { labStatus, type LabStatus } from '../../core/lab/engine';
import type { GuideSource, GuideSummary } from '../guides';
import { findLabFiles } from './discover';

// Labs view: lab files in the workspace (defined) and labs in the ledger (running), with their hosts
// and switches, and the guided labs shipped with the extension. Ids are stable so selection and
// reveal survive refreshes.

export type LabItem =
  | { type: 'group'; id: 'defined' | 'running' | 'guided' }
  | { type: 'guide'; guide: GuideSummary }
  | { type: 'file'; uri: vscode.Uri; name?: string }
  | { type: 'lab'; status: LabStatus }
  | { type: 'host'; lab: string; host: LabStatus['hosts'][number] }
  | { type: 'switch'; lab: string; sw: LabStatus['switches'][number] };

export class LabsTreeProvider implements vscode.TreeDataProvider<LabItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<LabItem | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private labs: LabStatus[] = [];
  private files: vscode.Uri[] = [];
  private guides: GuideSummary[] = [];
  private readonly parents = new Map<string, LabItem>();
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    private readonly stateDir: () => string | undefined,
    private readonly log: vscode.LogOutputChannel,
    private readonly guideSource?: GuideSource,
  ) {
    if (guideSource) this.subs.push(guideSource.onDidChange(() => this.refresh()));
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  /** Labs as last read (for pickers). */
  get running(): LabStatus[] {
    return this.labs;
  }

  get defined(): vscode.Uri[] {
    return this.files;
  }

  private idOf(i: LabItem): string {
    switch (i.type) {
      case 'group':
        return `group:${i.id}`;
      case 'file':
        return `file:${i.uri.toString()}`;
      case 'guide':
        return `guide:${i.guide.id}`;
      case 'lab':
        return `lab:${i.status.name}`;
      case 'host':
        return `lab:${i.lab}/host:${i.host.name}`;
      case 'switch':
        return `lab:${i.lab}/switch:${i.sw.name}`;
    }
  }

  async getChildren(el?: LabItem): Promise<LabItem[]> {
    if (!el) {
      try {
        [this.labs, this.files] = await Promise.all([labStatus({ stateDir: this.stateDir() }), findLabFiles(this.log)]);
      } catch (e) {
        this.log.warn(`labs: ${(e as Error).message}`);
      }
      try {
        this.guides = (await this.guideSource?.list()) ?? [];
      } catch (e) {
        this.log.warn(`guided labs: ${(e as Error).message}`);
      }
      return [
        { type: 'group', id: 'running' },
        { type: 'group', id: 'defined' },
        ...(this.guideSource ? [{ type: 'group' as const, id: 'guided' as const }] : []),
      ];
    }
    let out: LabItem[] = [];
    if (el.type === 'group') {
      if (el.id === 'running') out = this.labs.map((status) => ({ type: 'lab' as const, status }));
      else if (el.id === 'defined') out = this.files.map((uri) => ({ type: 'file' as const, uri }));
      else out = this.guides.map((guide) => ({ type: 'guide' as const, guide }));
    }
    else if (el.type === 'lab') out = [...el.status.hosts.map((host) => ({ type: 'host' as const, lab: el.status.name, host })), ...el.status.switches.map((sw) => ({ type: 'switch' as const, lab: el.status.name, sw }))];
    for (const c of out) this.parents.set(this.idOf(c), el);
    return out;
  }

  getParent(el: LabItem): LabItem | undefined {
    return this.parents.get(this.idOf(el));
  }

  getTreeItem(el: LabItem): vscode.TreeItem {
    const id = this.idOf(el);
    switch (el.type) {
      case 'group': {
        const title = { running: `Running (${this.labs.length})`, defined: `Lab files (${this.files.length})`, guided: `Guided labs (${this.guides.length})` }[el.id];
        const t = new vscode.TreeItem(title, vscode.TreeItemCollapsibleState.Expanded);
        t.id = id;
        t.contextValue = `labGroup.${el.id}`;
        return t;
      }
      case 'file': {
        const t = new vscode.TreeItem(path.basename(el.uri.fsPath), vscode.TreeItemCollapsibleState.None);
        t.id = id;
        t.resourceUri = el.uri;
        t.description = vscode.workspace.asRelativePath(path.dirname(el.uri.fsPath));
        t.contextValue = 'labFile';
        t.command = { command: 'vscode.open', title: 'Open', arguments: [el.uri] };
        return t;
      }
      case 'guide': {
        const g = el.guide;
        const t = new vscode.TreeItem(`${g.number}. ${g.title}`, vscode.TreeItemCollapsibleState.None);
        t.id = id;
        if (g.problem) {
          t.description = 'cannot be read';
          t.tooltip = `${g.summary}\n\n${g.problem}`;
          t.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
          t.contextValue = 'guide.broken';
          t.command = { command: 'virtlab.openGuide', title: 'Open Guided Lab', arguments: [{ labId: g.id }] };
          return t;
        }
        t.description = g.done === g.total ? 'done' : g.done ? `${g.done}/${g.total} steps` : undefined;
        t.tooltip = g.summary;
        t.iconPath = new vscode.ThemeIcon(g.done === g.total ? 'pass' : 'mortar-board');
        t.contextValue = 'guide';
        t.command = { command: 'virtlab.openGuide', title: 'Open Guided Lab', arguments: [{ labId: g.id }] };
        return t;
      }
      case 'lab': {
        const s = el.status;
        const t = new vscode.TreeItem(s.name, vscode.TreeItemCollapsibleState.Collapsed);
        t.id = id;
        t.description = s.stale ? 'cut off: clean up' : `${s.phase} · ${s.present}/${s.objects} objects`;
        t.tooltip = new vscode.MarkdownString(`**${s.name}** (${s.phase})\n\nstarted ${s.startedAt}${s.file ? `\n\nfrom \`${s.file}\`` : ''}`);
        t.iconPath = new vscode.ThemeIcon(s.stale ? 'warning' : 'beaker');
        t.contextValue = s.stale ? 'lab.stale' : 'lab.running';
        return t;
      }
      case 'host': {
        const t = new vscode.TreeItem(el.host.name, vscode.TreeItemCollapsibleState.None);
        t.id = id;
        t.description = `${el.host.kind === 'linux' ? 'container' : 'netns'} · ${el.host.addresses.join(', ')}`;
        t.tooltip = `netns ${el.host.netns}${el.host.present ? '' : ' (missing)'}`;
        t.iconPath = new vscode.ThemeIcon(el.host.kind === 'linux' ? 'package' : 'vm');
        t.contextValue = 'labHost';
        return t;
      }
      case 'switch': {
        const t = new vscode.TreeItem(el.sw.name, vscode.TreeItemCollapsibleState.None);
        t.id = id;
        t.description = `${el.sw.kind === 'ovs-bridge' ? 'Open vSwitch' : 'Linux bridge'} ${el.sw.dev}`;
        t.iconPath = new vscode.ThemeIcon('type-hierarchy');
        t.contextValue = el.sw.kind === 'ovs-bridge' ? 'labSwitch.ovs' : 'labSwitch.bridge';
        return t;
      }
    }
  }

  dispose(): void {
    for (const s of this.subs.splice(0)) s.dispose();
    this.changed.dispose();
  }
}
