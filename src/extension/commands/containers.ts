import * as vscode from 'vscode';
import { containerAction, type ContainerAction } from '../../core/actions/containers';
import { pickContainer } from '../pickers';
import type { SnapshotStore } from '../snapshotStore';
import { prop } from '../trees/index';
import type { RowSpec } from '../trees/spec';

const VERB: Record<ContainerAction, string> = { start: 'Starting', stop: 'Stopping', restart: 'Restarting', remove: 'Removing' };

/** Start/stop/restart/remove a container; remove asks first. The tree follows through Docker events. */
export async function runContainerAction(store: SnapshotStore, action: ContainerAction, arg?: unknown): Promise<void> {
  const snap = store.latest ?? (await store.refresh());
  const id = (arg as RowSpec | undefined)?.nodeId;
  const c = (id && snap.nodes.find((n) => n.id === id && n.kind === 'container')) || (await pickContainer(snap, `${VERB[action]} a container`));
  if (!c) return;
  if (action === 'remove') {
    const ok = await vscode.window.showWarningMessage(`Remove container "${c.label}"? It is stopped first if running; its writable layer is deleted.`, { modal: true }, 'Remove');
    if (ok !== 'Remove') return;
  }
  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${VERB[action]} ${c.label}…` }, () => containerAction(store.options(), String(prop(c, 'id')), action));
  } catch (e) {
    void vscode.window.showErrorMessage(`Could not ${action} ${c.label}: ${(e as Error).message}`);
    return;
  }
  if (!store.live) await store.refresh();
}
