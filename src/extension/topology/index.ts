import * as vscode from 'vscode';
import { isNodeId, TOPOLOGY_VIEW_TYPE } from '../../shared/protocol';
import type { SnapshotStore } from '../snapshotStore';
import { TopologyPanel } from './panel';

/** `virtlab.openTopology` (optionally `{ nodeId }` or an id to focus) and the panel serializer for reloads. */
export function registerTopology(context: vscode.ExtensionContext, store: SnapshotStore, log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('virtlab.openTopology', (arg?: unknown) => {
      const id = typeof arg === 'string' ? arg : (arg as { nodeId?: unknown } | undefined)?.nodeId;
      TopologyPanel.show(context, store, log, isNodeId(id) ? id : undefined);
    }),
    vscode.window.registerWebviewPanelSerializer(TOPOLOGY_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => {
        TopologyPanel.revive(panel, context, store, log);
      },
    }),
    { dispose: () => TopologyPanel.current?.dispose() },
  );
}
