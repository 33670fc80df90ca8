import * as vscode from 'vscode';
import { LABS_PLACEHOLDER } from '../../core/guide/commands';
import { formatIssue, type GuideIssue } from '../../core/guide/loader';
import type { CheckContext, GuideLab, GuideStep } from '../../core/guide/types';
import { takeSnapshot } from '../../core/scan';
import { GUIDE_VIEW_TYPE, isGuideWebviewMessage, type ErrorAction, type GuideHostMessage, type GuideWebviewMessage, type WireLab, type WireVerdict } from '../../shared/guideProtocol';
import type { SnapshotStore } from '../snapshotStore';
import { webviewOptions, webviewPage } from '../webviewPage';
import type { GuideCore } from './core';
import type { GuideProgress, LabProgress } from './progress';
import { sendToGuideTerminal } from './terminal';
import { plural } from '../../shared/format';

/** A guide the panel cannot show (its file in the installed extension is missing or damaged). */
export interface GuideFailure {
  /** The lab's id (from its folder name), or the id asked for when no guide could be read at all. */
  id: string;
  number?: number;
  title?: string;
  issues: GuideIssue[];
}

/** What a panel shows: a lab, or why it cannot. */
export type GuideEntry = { lab: GuideLab; failure?: undefined } | { lab?: undefined; failure: GuideFailure };

const entryId = (e: GuideEntry): string => e.lab?.id ?? e.failure!.id;

/** What every guide panel shares. */
export interface GuideDeps {
  context: vscode.ExtensionContext;
  store: SnapshotStore;
  log: vscode.LogOutputChannel;
  core: GuideCore;
  progress: GuideProgress;
  /** Called when a lab's progress changed (the Labs view shows it). */
  changed(): void;
  /** The guide with this id, read again if the last read found problems; undefined if there is none. */
  find(id: string): Promise<GuideEntry | undefined>;
}

/** The text "Copy details" puts on the clipboard: enough for a bug report. */
export function failureReport(f: GuideFailure, version: string, extensionDir: string, editor: string): string {
  return [
    `VirtLab ${version}: ${f.number ? `guided lab ${f.number} (${f.id})` : 'the guided labs'} could not be loaded.`,
    `Extension folder: ${extensionDir}`,
    `Editor: ${editor}; ${process.platform} ${process.arch}; Node ${process.version}`,
    'Problems:',
    ...f.issues.map((i) => `  ${formatIssue(i)}`),
  ].join('\n');
}

/** The lab as sent: each command with the exact text Run will type, so the user sees what runs. */
const toWireLab = (lab: GuideLab, resolve: (text: string) => string): WireLab => ({
  id: lab.id,
  cli: resolve('virtlab'),
  labs: resolve(LABS_PLACEHOLDER),
  number: lab.number,
  title: lab.title,
  summary: lab.summary,
  ...(lab.intro ? { intro: lab.intro } : {}),
  steps: lab.steps.map((s) => ({ id: s.id, title: s.title, markdown: s.markdown, commands: s.commands.map((c) => ({ text: resolve(c.text), source: c.text })), hasCheck: s.hasCheck })),
});

/**
 * One panel per guided lab. The webview renders the steps and asks, by step id and command index,
 * for commands to be typed, checks to run and the reset; the host looks everything up in the
 * shipped guide, so nothing the page sends is ever executed as text.
 */
export class GuidePanel implements vscode.Disposable {
  static readonly open = new Map<string, GuidePanel>();

  private ready = false;
  /** Checks and the reset run one at a time, in the order asked. */
  private queue: Promise<void> = Promise.resolve();
  private readonly subs: vscode.Disposable[] = [];

  static show(deps: GuideDeps, entry: GuideEntry): GuidePanel {
    const existing = GuidePanel.open.get(entryId(entry));
    if (existing) {
      // A lab found broken (or repaired) since its panel opened shows what it is now.
      if (!existing.entry.lab !== !entry.lab || existing.entry.failure) existing.setEntry(entry);
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(GUIDE_VIEW_TYPE, GuidePanel.title(entry), vscode.ViewColumn.Active, webviewOptions(deps.context.extensionUri));
    return new GuidePanel(panel, deps, entry);
  }

  /** After a window reload: the serializer hands back the panel of a lab the page had saved. */
  static revive(panel: vscode.WebviewPanel, deps: GuideDeps, entry: GuideEntry): GuidePanel {
    GuidePanel.open.get(entryId(entry))?.dispose();
    panel.webview.options = webviewOptions(deps.context.extensionUri);
    panel.title = GuidePanel.title(entry);
    return new GuidePanel(panel, deps, entry);
  }

  private static title(entry: GuideEntry): string {
    if (entry.lab) return `Guided Lab ${entry.lab.number}: ${entry.lab.title}`;
    return entry.failure.number ? `Guided Lab ${entry.failure.number}: cannot be read` : 'Guided labs: cannot be read';
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: GuideDeps,
    private entry: GuideEntry,
  ) {
    GuidePanel.open.set(entryId(entry), this);
    panel.iconPath = vscode.Uri.joinPath(deps.context.extensionUri, 'media', 'virtlab.svg');
    panel.webview.html = webviewPage(panel.webview, deps.context.extensionUri, 'guide', 'VirtLab Guided Lab');
    this.subs.push(
      panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
      panel.onDidChangeViewState(() => {
        // Without retainContextWhenHidden the page is torn down when hidden; it says `ready` again.
        if (!panel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** The lab, for messages only a lab's page sends (its buttons exist only there). */
  private get shownLab(): GuideLab {
    if (!this.entry.lab) throw new Error('no lab is shown');
    return this.entry.lab;
  }

  private setEntry(entry: GuideEntry): void {
    const [was, now] = [entryId(this.entry), entryId(entry)];
    this.entry = entry;
    if (was !== now) {
      if (GuidePanel.open.get(was) === this) GuidePanel.open.delete(was);
      GuidePanel.open.set(now, this);
    }
    this.panel.title = GuidePanel.title(entry);
    this.postContent();
  }

  /** The lab with its progress, or the error state. */
  private postContent(): void {
    const { lab, failure } = this.entry;
    if (lab) {
      const p = this.deps.progress.get(lab.id);
      this.post({ type: 'lab', lab: this.wireLab(), done: p.done, verdicts: p.verdicts });
      return;
    }
    this.post({
      type: 'loadError',
      labId: failure.id,
      ...(failure.number ? { number: failure.number } : {}),
      ...(failure.title ? { title: failure.title } : {}),
      problems: failure.issues.map((i) => ({ file: i.file, ...(i.line ? { line: i.line } : {}), message: i.message })),
      extensionDir: this.deps.context.extensionPath,
    });
  }

  private async errorAction(action: ErrorAction): Promise<void> {
    const failure = this.entry.failure;
    switch (action) {
      case 'retry': {
        const entry = await this.deps.find(entryId(this.entry));
        if (entry) {
          this.deps.log.info(`guide ${entryId(entry)}: read again: ${entry.lab ? 'loaded' : `${plural(entry.failure.issues.length, 'problem')}`}`);
          this.setEntry(entry);
          this.deps.changed();
        } else {
          // The guides read fine now but hold no lab by this id: offer the list.
          this.dispose();
          void vscode.commands.executeCommand('virtlab.openGuide');
        }
        return;
      }
      case 'reinstall':
        // The Extensions view on VirtLab, where Uninstall / Install are.
        await vscode.commands.executeCommand('workbench.extensions.search', `@installed ${this.deps.context.extension.packageJSON.displayName ?? 'VirtLab'}`);
        return;
      case 'copyDetails': {
        if (!failure) return;
        const version = String(this.deps.context.extension.packageJSON.version ?? '?');
        await vscode.env.clipboard.writeText(failureReport(failure, version, this.deps.context.extensionPath, `${vscode.env.appName} ${vscode.version}`));
        this.post({ type: 'notice', text: 'Copied the details to the clipboard: paste them into your report.' });
        return;
      }
      case 'showLog':
        this.deps.log.show();
        return;
    }
  }

  private post(msg: GuideHostMessage): void {
    if (this.ready) void this.panel.webview.postMessage(msg);
  }

  private postProgress(p: LabProgress): void {
    this.post({ type: 'progress', done: p.done });
  }

  private resolve(text: string): string {
    return this.deps.core.terminalText(text, this.deps.context.extensionPath);
  }

  private wireLab(): WireLab {
    return toWireLab(this.shownLab, (t) => this.resolve(t));
  }

  private step(stepId: string): GuideStep | undefined {
    return this.entry.lab?.steps.find((s) => s.id === stepId);
  }

  private checkContext(): CheckContext {
    const options = this.deps.store.options();
    // A snapshot taken now, not the store's latest: the step's commands may have just run.
    return { options, snapshot: () => takeSnapshot(options), extensionRoot: this.deps.context.extensionPath };
  }

  private refuse(raw: unknown, why: string): void {
    this.deps.log.warn(`guide ${entryId(this.entry)}: refused a message (${why}): ${JSON.stringify(raw)?.slice(0, 200)}`);
  }

  private async onMessage(raw: unknown): Promise<void> {
    if (!isGuideWebviewMessage(raw)) return this.refuse(raw, 'not in the protocol');
    const msg: GuideWebviewMessage = raw;
    if (msg.type === 'ready') {
      this.ready = true;
      this.postContent();
      return;
    }
    if (msg.type === 'errorAction') {
      if (this.entry.lab && msg.action !== 'showLog') return this.refuse(raw, 'the lab loaded; there is no error to act on');
      return this.errorAction(msg.action);
    }
    // Everything else is a lab's button.
    if (!this.entry.lab) return this.refuse(raw, 'this guide could not be read');
    switch (msg.type) {
      case 'runCommand': {
        const command = this.step(msg.stepId)?.commands[msg.index];
        if (!command) return this.refuse(raw, 'no such step or command');
        sendToGuideTerminal(this.resolve(command.text), msg.enter);
        return;
      }
      case 'check': {
        const step = this.step(msg.stepId);
        if (!step?.hasCheck) return this.refuse(raw, 'no such step with a check');
        return this.enqueue(() => this.check(step));
      }
      case 'markDone': {
        const step = this.step(msg.stepId);
        if (!step || step.hasCheck) return this.refuse(raw, 'no such reading step');
        this.postProgress(await this.deps.progress.markDone(this.shownLab.id, step.id));
        this.deps.changed();
        return;
      }
      case 'reset':
        return this.enqueue(() => this.reset());
    }
  }

  private enqueue(job: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(job, job);
    return this.queue;
  }

  private async check(step: GuideStep): Promise<void> {
    const lab = this.shownLab;
    this.post({ type: 'busy', what: 'check', stepId: step.id, busy: true });
    let verdict: WireVerdict;
    try {
      const r = await this.deps.core.runCheck(lab.id, step.id, this.checkContext());
      verdict = { ok: r.ok, detail: r.detail, ...(r.ok ? {} : { hint: step.hint }), ...(r.simulated ? { simulated: true } : {}) };
    } catch (e) {
      this.deps.log.error(`guide ${lab.id}/${step.id}: check failed to run: ${(e as Error).stack ?? e}`);
      verdict = { ok: false, detail: `The check could not run: ${(e as Error).message}`, hint: step.hint };
    }
    this.deps.log.info(`guide ${lab.id}/${step.id}: ${verdict.ok ? 'passed' : 'failed'}: ${verdict.detail}`);
    const p = await this.deps.progress.verdict(lab.id, step.id, verdict);
    this.post({ type: 'verdict', stepId: step.id, verdict });
    this.postProgress(p);
    this.post({ type: 'busy', what: 'check', stepId: step.id, busy: false });
    this.deps.changed();
  }

  private async reset(): Promise<void> {
    const lab = this.shownLab;
    const choice = await vscode.window.showWarningMessage(
      `Reset "${lab.title}"?`,
      { modal: true, detail: 'This removes what the guide created on this machine (its vlg… containers, namespaces and bridges) and clears your progress in this lab.' },
      'Reset',
    );
    if (choice !== 'Reset') return;
    this.post({ type: 'busy', what: 'reset', busy: true });
    try {
      const report = await this.deps.core.resetGuide(lab.id, this.checkContext());
      await this.deps.progress.clear(lab.id);
      this.deps.log.info(`guide ${lab.id}: reset removed ${report.removed.length}, left ${report.left.length}`);
      this.post({ type: 'lab', lab: this.wireLab(), done: [], verdicts: {} });
      this.post({ type: 'resetDone', removed: report.removed, left: report.left });
    } catch (e) {
      this.deps.log.error(`guide ${lab.id}: reset failed: ${(e as Error).stack ?? e}`);
      this.post({ type: 'notice', text: `Reset failed: ${(e as Error).message}` });
    } finally {
      this.post({ type: 'busy', what: 'reset', busy: false });
      this.deps.changed();
      void this.deps.store.refresh().catch(() => undefined);
    }
  }

  dispose(): void {
    if (GuidePanel.open.get(entryId(this.entry)) === this) GuidePanel.open.delete(entryId(this.entry));
    for (const s of this.subs.splice(0)) s.dispose();
    this.panel.dispose();
  }
}
