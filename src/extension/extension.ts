import * as vscode from 'vscode';
import type { Snapshot } from '../core/model/graph';
import { runContainerAction } from './commands/containers';
import { inspectContainerNamespaces, openNamespaceTerminal } from './commands/namespaces';
import { openNetnsTerminal } from './commands/netnsTerminal';
import { scanAsRoot } from './commands/scanAsRoot';
import { copyNodeAsJson, showCgroup, showFdb, showFlows } from './commands/show';
import { DetailsDocuments } from './details';
import { welcomeOnFirstRun } from './firstRun';
import { registerGuides } from './guides';
import { guideCore } from './guides/core';
import { hostRows } from './trees/hostRows';
import { registerLabs } from './labs';
import { registerTopology } from './topology';
import { SnapshotStore } from './snapshotStore';
import { containersRows } from './trees/containersRows';
import { GraphTreeProvider, type RowBuilder } from './trees/graphTree';
import { namespacesRows } from './trees/namespacesRows';
import { networkRows } from './trees/networkRows';
import type { RowSpec } from './trees/spec';
import { vmRows } from './trees/vmRows';

/** What `activate` returns: used by the extension-host tests and by other extensions. */
export interface VirtLabApi {
  snapshot(): Promise<Snapshot>;
  latest(): Snapshot | undefined;
  hostTree: vscode.TreeDataProvider<RowSpec>;
  trees: Record<string, GraphTreeProvider>;
  /** Whether live updates run (a VirtLab view is visible). */
  isLive(): boolean;
}

const GRAPH_VIEWS: [string, RowBuilder][] = [
  ['virtlab.host', hostRows],
  ['virtlab.vms', vmRows],
  ['virtlab.containers', containersRows],
  ['virtlab.namespaces', namespacesRows],
  ['virtlab.network', networkRows],
];

export function activate(context: vscode.ExtensionContext): VirtLabApi {
  const log = vscode.window.createOutputChannel('VirtLab', { log: true });
  const store = new SnapshotStore(log);
  const docs = new DetailsDocuments();
  const trees: Record<string, GraphTreeProvider> = {};
  const treeViews: Record<string, vscode.TreeView<RowSpec>> = {};
  const views: vscode.TreeView<unknown>[] = [];
  for (const [id, build] of GRAPH_VIEWS) {
    const provider = new GraphTreeProvider(store, build);
    trees[id] = provider;
    const view = vscode.window.createTreeView<RowSpec>(id, { treeDataProvider: provider, showCollapseAll: id !== 'virtlab.host' });
    treeViews[id] = view;
    views.push(view as vscode.TreeView<unknown>);
    context.subscriptions.push(provider, view);
  }

  // Live only while somebody looks: any VirtLab view visible. Nothing polls, no Docker calls otherwise.
  // In Restricted Mode only the user's own refreshInterval counts: an untrusted folder must not be
  // able to make VirtLab rescan the machine every second.
  const interval = () => {
    const c = vscode.workspace.getConfiguration('virtlab');
    const seconds = vscode.workspace.isTrusted ? c.get<number>('refreshInterval', 5) : c.inspect<number>('refreshInterval')?.globalValue ?? 5;
    return Math.min(300, Math.max(1, Number(seconds) || 5)) * 1000;
  };
  const updateLive = () => store.setLive(views.some((v) => v.visible), interval());
  for (const v of views) context.subscriptions.push(v.onDidChangeVisibility(updateLive));
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('virtlab')) {
        store.setLive(false);
        updateLive();
      }
    }),
  );
  // Trust granted: the workspace's own refreshInterval now applies.
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      store.setLive(false);
      updateLive();
    }),
  );
  updateLive();

  const refreshWithProgress = () => vscode.window.withProgress({ location: { viewId: 'virtlab.host' }, title: 'Reading this machine' }, () => store.refresh());

  /** Reveal the row of a graph node in whichever view shows it. */
  const revealNode = async (nodeId?: string): Promise<boolean> => {
    if (!nodeId) {
      const snap = store.latest ?? (await store.refresh());
      const items = snap.nodes.filter((n) => ['container', 'namespace', 'bridge', 'ovs-bridge', 'vm', 'vxlan', 'interface'].includes(n.kind)).map((n) => ({ label: n.label, description: n.kind, id: n.id }));
      nodeId = (await vscode.window.showQuickPick(items, { title: 'Reveal in Tree', matchOnDescription: true }))?.id;
      if (!nodeId) return false;
    }
    for (const [id, provider] of Object.entries(trees)) {
      await provider.getChildren();
      const row = provider.rowForNode(nodeId);
      if (row) {
        await treeViews[id].reveal(row, { select: true, focus: true, expand: true });
        return true;
      }
    }
    void vscode.window.showInformationMessage(`${nodeId} is not shown in any VirtLab tree.`);
    return false;
  };

  const guard =
    <A extends unknown[]>(what: string, f: (...a: A) => PromiseLike<unknown>) =>
    async (...a: A) => {
      try {
        await f(...a);
      } catch (e) {
        log.error(`${what}: ${(e as Error).stack ?? e}`);
        void vscode.window.showErrorMessage(`VirtLab: ${what} failed: ${(e as Error).message}`);
      }
    };

  context.subscriptions.push(
    log,
    store,
    docs,
    vscode.commands.registerCommand('virtlab.refresh', guard('Refresh', refreshWithProgress)),
    vscode.commands.registerCommand(
      'virtlab.copySnapshot',
      guard('Copy Snapshot', async () => {
        const snap = store.latest ?? (await refreshWithProgress());
        await vscode.env.clipboard.writeText(JSON.stringify(snap, null, 2));
        void vscode.window.showInformationMessage(`Copied a snapshot of ${snap.nodes.length} nodes and ${snap.edges.length} edges.`);
      }),
    ),
    vscode.commands.registerCommand('virtlab.showLog', () => log.show()),
    vscode.commands.registerCommand('virtlab.inspectContainerNamespaces', guard('Inspect Container Namespaces', (arg?: unknown) => inspectContainerNamespaces(store, docs, arg))),
    vscode.commands.registerCommand('virtlab.openNamespaceTerminal', guard('Open Terminal in Namespaces', (arg?: unknown) => openNamespaceTerminal(store, arg, undefined, log))),
    vscode.commands.registerCommand('virtlab.openNetnsTerminal', guard('Open Terminal in Network Namespace', (arg?: unknown) => openNetnsTerminal(store, arg))),
    vscode.commands.registerCommand('virtlab.showCgroup', guard('Show cgroup', (arg?: unknown) => showCgroup(store, docs, arg))),
    vscode.commands.registerCommand('virtlab.showFlows', guard('Show OVS Flows', (arg?: unknown) => showFlows(store, docs, arg))),
    vscode.commands.registerCommand('virtlab.showFdb', guard('Show Bridge FDB', (arg?: unknown) => showFdb(store, docs, arg))),
    vscode.commands.registerCommand('virtlab.copyAsJson', guard('Copy as JSON', (arg?: unknown) => copyNodeAsJson(store, arg))),
    vscode.commands.registerCommand('virtlab.revealInTree', guard('Reveal in Tree', (arg?: unknown) => revealNode(typeof arg === 'string' ? arg : (arg as RowSpec | undefined)?.nodeId))),
    vscode.commands.registerCommand('virtlab.startContainer', guard('Start container', (arg?: unknown) => runContainerAction(store, 'start', arg))),
    vscode.commands.registerCommand('virtlab.stopContainer', guard('Stop container', (arg?: unknown) => runContainerAction(store, 'stop', arg))),
    vscode.commands.registerCommand('virtlab.restartContainer', guard('Restart container', (arg?: unknown) => runContainerAction(store, 'restart', arg))),
    vscode.commands.registerCommand('virtlab.removeContainer', guard('Remove container', (arg?: unknown) => runContainerAction(store, 'remove', arg))),
    vscode.commands.registerCommand('virtlab.scanAsRoot', guard('Scan as Root', () => scanAsRoot(context, store))),
  );
  const guides = registerGuides(context, store, log, guideCore);
  context.subscriptions.push(guides.disposable, registerLabs(context, store, log, guides.source, docs));
  context.subscriptions.push(registerTopology(context, store, log));
  void welcomeOnFirstRun(context, log);
  log.info(`VirtLab ${context.extension.packageJSON.version as string} activated (extension host: Node ${process.versions.node}, ${process.platform}, uid ${process.getuid?.()})`);

  return { snapshot: () => store.refresh(), latest: () => store.latest, hostTree: trees['virtlab.host'], trees, isLive: () => store.live };
}

export function deactivate(): void {
  /* subscriptions are disposed by VS Code */
}
