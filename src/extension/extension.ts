import * as vscode from 'vscode';
import type { Snapshot } from '../core/model/graph';
import { HostTreeProvider, type HostItem } from './hostTree';
import { SnapshotStore } from './snapshotStore';
import { containersRows } from './trees/containersRows';
import { GraphTreeProvider, type RowBuilder } from './trees/graphTree';
import { namespacesRows } from './trees/namespacesRows';
import { networkRows } from './trees/networkRows';
import { vmRows } from './trees/vmRows';
import type { RowSpec } from './trees/spec';

/** What `activate` returns: used by the extension-host tests and by other extensions. */
export interface VirtLabApi {
  snapshot(): Promise<Snapshot>;
  hostTree: vscode.TreeDataProvider<HostItem>;
  trees: Record<string, GraphTreeProvider>;
}

const GRAPH_VIEWS: [string, RowBuilder][] = [
  ['virtlab.vms', vmRows],
  ['virtlab.containers', containersRows],
  ['virtlab.namespaces', namespacesRows],
  ['virtlab.network', networkRows],
];

export function activate(context: vscode.ExtensionContext): VirtLabApi {
  const log = vscode.window.createOutputChannel('VirtLab', { log: true });
  const store = new SnapshotStore(log);
  const hostTree = new HostTreeProvider(store);
  const hostView = vscode.window.createTreeView('virtlab.host', { treeDataProvider: hostTree, showCollapseAll: false });
  const trees: Record<string, GraphTreeProvider> = {};
  const views: vscode.TreeView<unknown>[] = [hostView];
  for (const [id, build] of GRAPH_VIEWS) {
    const provider = new GraphTreeProvider(store, build);
    trees[id] = provider;
    const view = vscode.window.createTreeView<RowSpec>(id, { treeDataProvider: provider, showCollapseAll: true });
    views.push(view as vscode.TreeView<unknown>);
    context.subscriptions.push(provider, view);
  }

  // Live only while somebody looks: any VirtLab view visible.
  const updateLive = () => store.setLive(views.some((v) => v.visible));
  for (const v of views) context.subscriptions.push(v.onDidChangeVisibility(updateLive));
  updateLive();

  const refreshWithProgress = () => vscode.window.withProgress({ location: { viewId: 'virtlab.host' }, title: 'Reading this machine' }, () => store.refresh());

  context.subscriptions.push(
    log,
    store,
    hostTree,
    hostView,
    vscode.commands.registerCommand('virtlab.refresh', async () => {
      try {
        await refreshWithProgress();
      } catch (e) {
        void vscode.window.showErrorMessage(`VirtLab could not read this machine: ${(e as Error).message}`);
      }
    }),
    vscode.commands.registerCommand('virtlab.copySnapshot', async () => {
      const snap = store.latest ?? (await refreshWithProgress());
      await vscode.env.clipboard.writeText(JSON.stringify(snap, null, 2));
      void vscode.window.showInformationMessage(`Copied a snapshot of ${snap.nodes.length} nodes and ${snap.edges.length} edges.`);
    }),
    vscode.commands.registerCommand('virtlab.showLog', () => log.show()),
  );
  log.info(`VirtLab ${context.extension.packageJSON.version as string} activated (extension host: Node ${process.versions.node}, ${process.platform})`);

  return { snapshot: () => store.refresh(), hostTree, trees };
}

export function deactivate(): void {
  /* subscriptions are disposed by VS Code */
}
