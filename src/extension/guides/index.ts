import * as vscode from 'vscode';
import type { GuideLab } from '../../core/guide/types';
import { GUIDE_VIEW_TYPE, isGuideId, isGuideWebviewState } from '../../shared/guideProtocol';
import type { SnapshotStore } from '../snapshotStore';
import type { GuideCore } from './core';
import { GuidePanel, type GuideDeps } from './panel';
import { GuideProgress } from './progress';

/** A guided lab as the Labs view and the quick pick list it. */
export interface GuideSummary {
  id: string;
  number: number;
  title: string;
  summary: string;
  done: number;
  total: number;
}

/** What the Labs view reads: the guided labs with progress, and when that changes. */
export interface GuideSource {
  list(): Promise<GuideSummary[]>;
  readonly onDidChange: vscode.Event<void>;
}

export const OPEN_GUIDE_COMMAND = 'virtlab.openGuide';

/**
 * `virtlab.openGuide` (a lab id, `{ labId }`, or a quick pick of the guided labs), one panel per
 * lab, and the serializer that brings the panels back after a window reload.
 */
export function registerGuides(context: vscode.ExtensionContext, store: SnapshotStore, log: vscode.LogOutputChannel, core: GuideCore): { disposable: vscode.Disposable; source: GuideSource } {
  const changed = new vscode.EventEmitter<void>();
  const progress = new GuideProgress(vscode.Uri.joinPath(context.globalStorageUri, 'guide-progress.json').fsPath);
  const deps: GuideDeps = { context, store, log, core, progress, changed: () => changed.fire() };

  // Read once per activation: the guides ship with the extension and cannot change under it.
  let loaded: Promise<GuideLab[]> | undefined;
  const labs = (): Promise<GuideLab[]> => {
    loaded ??= Promise.resolve()
      .then(() => core.loadGuides(context.extensionPath))
      .then((l) => [...l].sort((a, b) => a.number - b.number))
      .catch((e: unknown) => {
        loaded = undefined;
        log.error(`guided labs could not be read: ${(e as Error).stack ?? e}`);
        throw e;
      });
    return loaded;
  };

  const summaries = async (): Promise<GuideSummary[]> =>
    (await labs()).map((l) => {
      const done = new Set(progress.get(l.id).done);
      return { id: l.id, number: l.number, title: l.title, summary: l.summary, done: l.steps.filter((s) => done.has(s.id)).length, total: l.steps.length };
    });

  const open = async (arg?: unknown): Promise<void> => {
    const wanted = typeof arg === 'string' ? arg : (arg as { labId?: unknown } | undefined)?.labId;
    const all = await labs();
    let lab = isGuideId(wanted) ? all.find((l) => l.id === wanted) : undefined;
    if (!lab) {
      const items = (await summaries()).map((s) => ({
        label: `${s.number}. ${s.title}`,
        description: s.done ? `${s.done}/${s.total} steps done` : `${s.total} steps`,
        detail: s.summary,
        id: s.id,
      }));
      const pick = await vscode.window.showQuickPick(items, { title: 'Open Guided Lab', placeHolder: 'Which guided lab?', matchOnDetail: true });
      lab = pick && all.find((l) => l.id === pick.id);
    }
    if (lab) GuidePanel.show(deps, lab);
  };

  const disposable = vscode.Disposable.from(
    changed,
    vscode.commands.registerCommand(OPEN_GUIDE_COMMAND, async (arg?: unknown) => {
      try {
        await open(arg);
      } catch (e) {
        void vscode.window.showErrorMessage(`VirtLab: the guided labs could not be opened: ${(e as Error).message}`);
      }
    }),
    vscode.window.registerWebviewPanelSerializer(GUIDE_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
        const lab = isGuideWebviewState(state) ? (await labs().catch(() => [])).find((l) => l.id === state.labId) : undefined;
        if (lab) GuidePanel.revive(panel, deps, lab);
        else panel.dispose();
      },
    }),
    { dispose: () => [...GuidePanel.open.values()].forEach((p) => p.dispose()) },
  );
  return { disposable, source: { list: summaries, onDidChange: changed.event } };
}
