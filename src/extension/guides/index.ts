import * as vscode from 'vscode';
import { formatIssue, labsDir, type GuideCatalog } from '../../core/guide/loader';
import { GUIDE_VIEW_TYPE, isGuideId, isGuideWebviewState } from '../../shared/guideProtocol';
import type { SnapshotStore } from '../snapshotStore';
import type { GuideCore } from './core';
import { GuidePanel, type GuideDeps, type GuideEntry } from './panel';
import { GuideProgress } from './progress';
import { plural } from '../../shared/format';

/** A guided lab as the Labs view and the quick pick list it. */
export interface GuideSummary {
  id: string;
  number: number;
  title: string;
  summary: string;
  done: number;
  total: number;
  /** Set when the lab's file in the installed extension is missing or damaged: the first problem. */
  problem?: string;
}

/** The id a panel gets when no guide could be read at all (not a lab id: those start with a letter and have no dot). */
const ALL_GUIDES = 'guided.labs';

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

  // The guides ship with the extension, so a sound read is kept for the whole activation. A read
  // that found problems (a damaged install) is not kept: each ask reads again, so a repaired or
  // reinstalled file shows at once ("Try again"), and the problems are logged once per change.
  let sound: GuideCatalog | undefined;
  let logged = '';
  const catalog = async (): Promise<GuideCatalog> => {
    if (sound) return sound;
    let c: GuideCatalog;
    try {
      c = await core.loadGuides(context.extensionPath);
    } catch (e) {
      c = { labs: [], broken: [], issues: [{ file: labsDir(context.extensionPath), message: `could not be read (${(e as Error).message})` }] };
    }
    c = { ...c, labs: [...c.labs].sort((a, b) => a.number - b.number), broken: [...c.broken].sort((a, b) => a.number - b.number) };
    if (!c.issues.length) sound = c;
    const text = c.issues.map(formatIssue).join('\n');
    if (text && text !== logged) log.error(`guided labs: ${plural(c.issues.length, 'problem')} in the installed extension (${context.extensionPath}); reinstalling VirtLab restores them:\n${text}`);
    logged = text;
    return c;
  };

  /** The lab `id`, or why it cannot be shown; undefined when the guides hold no such lab. */
  const find = async (id: string): Promise<GuideEntry | undefined> => {
    const c = await catalog();
    const lab = c.labs.find((l) => l.id === id);
    if (lab) return { lab };
    const b = c.broken.find((x) => x.id === id);
    if (b) return { failure: { id: b.id, number: b.number, title: b.title, issues: b.issues } };
    // Problems that belong to no one lab (the labs folder itself is unreadable): shown for any id asked.
    const general = c.issues.filter((i) => !c.broken.some((x) => x.issues.includes(i)));
    if (general.length && (id === ALL_GUIDES || !c.labs.length)) return { failure: { id, issues: general } };
    return undefined;
  };

  const deps: GuideDeps = { context, store, log, core, progress, changed: () => changed.fire(), find };

  const summaries = async (): Promise<GuideSummary[]> => {
    const c = await catalog();
    const labs: GuideSummary[] = c.labs.map((l) => {
      const done = new Set(progress.get(l.id).done);
      return { id: l.id, number: l.number, title: l.title, summary: l.summary, done: l.steps.filter((s) => done.has(s.id)).length, total: l.steps.length };
    });
    const broken: GuideSummary[] = c.broken.map((b) => ({
      id: b.id,
      number: b.number,
      title: b.title ?? b.id,
      summary: 'This guide cannot be read: its file in the installed extension is missing or damaged. Open it to see why; reinstalling VirtLab restores it.',
      done: 0,
      total: 0,
      problem: b.issues[0] ? formatIssue(b.issues[0]) : 'cannot be read',
    }));
    return [...labs, ...broken].sort((a, b) => a.number - b.number);
  };

  const open = async (arg?: unknown): Promise<void> => {
    const wanted = typeof arg === 'string' ? arg : (arg as { labId?: unknown } | undefined)?.labId;
    let entry = isGuideId(wanted) ? await find(wanted) : undefined;
    if (!entry) {
      const list = await summaries();
      // Nothing to pick from: the panel says why.
      if (!list.length) entry = await find(ALL_GUIDES);
      else {
        const items = list.map((s) => ({
          label: `${s.number}. ${s.title}`,
          description: s.problem ? '$(error) cannot be read' : s.done ? `${s.done}/${s.total} steps done` : `${s.total} steps`,
          detail: s.problem ?? s.summary,
          id: s.id,
        }));
        const pick = await vscode.window.showQuickPick(items, { title: 'Open Guided Lab', placeHolder: 'Which guided lab?', matchOnDetail: true });
        entry = pick && (await find(pick.id));
      }
    }
    if (entry) GuidePanel.show(deps, entry);
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
        // A lab whose file was damaged since comes back in its error state, not as a vanished tab.
        const entry = isGuideWebviewState(state) ? await find(state.labId) : undefined;
        if (entry) GuidePanel.revive(panel, deps, entry);
        else panel.dispose();
      },
    }),
    { dispose: () => [...GuidePanel.open.values()].forEach((p) => p.dispose()) },
  );
  return { disposable, source: { list: summaries, onDidChange: changed.event } };
}
