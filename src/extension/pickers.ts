import * as vscode from 'vscode';
import type { GraphNode, Snapshot } from '../core/model/graph';
import { nsSelectionText, type NsPickRow } from '../core/actions/nsenter';
import type { NsType } from '../core/proc/namespaces';
import { GraphIndex, prop } from './trees/index';

export interface ContainerPick extends vscode.QuickPickItem {
  node: GraphNode;
}

/** Quick pick of containers (state and image in the description); running ones first. */
export async function pickContainer(snap: Snapshot, title: string, runningOnly = false): Promise<GraphNode | undefined> {
  const all = snap.nodes.filter((n) => n.kind === 'container' && (!runningOnly || prop(n, 'state') === 'running'));
  if (!all.length) {
    void vscode.window.showInformationMessage(runningOnly ? 'No running containers. Start one, e.g. `docker run -d --name demo busybox sleep 3600`.' : 'No containers on this machine.');
    return undefined;
  }
  const items: ContainerPick[] = all
    .sort((a, b) => Number(prop(b, 'state') === 'running') - Number(prop(a, 'state') === 'running') || a.label.localeCompare(b.label))
    .map((n) => ({ label: n.label, description: `${prop<string>(n, 'state')} · ${prop<string>(n, 'image')}`, detail: prop<number>(n, 'pid') ? `PID ${prop<number>(n, 'pid')} · ${String(prop<string>(n, 'id')).slice(0, 12)}` : String(prop<string>(n, 'id')).slice(0, 12), iconPath: new vscode.ThemeIcon(prop(n, 'state') === 'running' ? 'vm-running' : 'vm-outline'), node: n }));
  return (await vscode.window.showQuickPick(items, { title, placeHolder: 'Pick a container', matchOnDescription: true, matchOnDetail: true }))?.node;
}

/** Quick pick of a container or any process, for the namespace terminal. */
export async function pickProcessOrContainer(snap: Snapshot): Promise<{ pid: number; label: string; node: GraphNode } | undefined> {
  const g = GraphIndex.of(snap);
  type Item = vscode.QuickPickItem & { pid?: number; node?: GraphNode };
  const items: Item[] = [{ label: 'Containers', kind: vscode.QuickPickItemKind.Separator }];
  for (const c of g.ofKind('container').filter((c) => prop(c, 'state') === 'running')) items.push({ label: c.label, description: `container · PID ${prop<number>(c, 'pid')} · ${prop<string>(c, 'image')}`, iconPath: new vscode.ThemeIcon('vm-running'), pid: prop<number>(c, 'pid'), node: c });
  items.push({ label: 'Processes', kind: vscode.QuickPickItemKind.Separator });
  for (const p of g.ofKind('process').sort((a, b) => (prop<number>(a, 'pid') ?? 0) - (prop<number>(b, 'pid') ?? 0))) {
    items.push({ label: `${prop<number>(p, 'pid')} ${prop<string>(p, 'comm')}`, description: (prop<string[]>(p, 'cmdline') ?? []).join(' ').slice(0, 120), pid: prop<number>(p, 'pid'), node: p });
  }
  const hit = await vscode.window.showQuickPick(items, { title: 'Open Terminal in Namespaces', placeHolder: 'Pick a container or a process', matchOnDescription: true });
  return hit?.pid && hit.node ? { pid: hit.pid, label: hit.node.kind === 'container' ? hit.node.label : `${prop<string>(hit.node, 'comm')}-${hit.pid}`, node: hit.node } : undefined;
}

/** Multi-select of namespace types to enter; undefined when dismissed. */
export function pickNamespaceTypes(title: string, rows: readonly NsPickRow[]): Promise<NsType[] | undefined> {
  type Item = vscode.QuickPickItem & { row: NsPickRow };
  const qp = vscode.window.createQuickPick<Item>();
  const items: Item[] = rows.map((r) => ({ label: r.type, description: r.inode === undefined ? '' : `${r.inode}${r.own ? ' · same as VS Code\'s own, will be skipped' : ''}`, detail: r.isolates, row: r }));
  qp.title = title;
  qp.canSelectMany = true;
  qp.items = items;
  qp.selectedItems = items;
  const say = () => (qp.placeholder = nsSelectionText(qp.selectedItems.map((i) => i.row), items.length));
  say();
  return new Promise((resolve) => {
    let done = false;
    qp.onDidChangeSelection(say);
    qp.onDidAccept(() => {
      done = true;
      resolve(qp.selectedItems.map((i) => i.row.type));
      qp.hide();
    });
    qp.onDidHide(() => {
      if (!done) resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
}
