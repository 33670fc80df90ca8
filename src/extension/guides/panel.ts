import * as vscode from 'vscode';
import type { CheckContext, GuideLab, GuideStep } from '../../core/guide/types';
import { takeSnapshot } from '../../core/scan';
import { GUIDE_VIEW_TYPE, isGuideWebviewMessage, type GuideHostMessage, type GuideWebviewMessage, type WireLab, type WireVerdict } from '../../shared/guideProtocol';
import type { SnapshotStore } from '../snapshotStore';
import { webviewOptions, webviewPage } from '../webviewPage';
import type { GuideCore } from './core';
import type { GuideProgress, LabProgress } from './progress';
import { sendToGuideTerminal } from './terminal';

/** What every guide panel shares. */
export interface GuideDeps {
  context: vscode.ExtensionContext;
  store: SnapshotStore;
  log: vscode.LogOutputChannel;
  core: GuideCore;
  progress: GuideProgress;
  /** Called when a lab's progress changed (the Labs view shows it). */
  changed(): void;
}

/** The lab as sent: each command with the exact text Run will type, so the user sees what runs. */
const toWireLab = (lab: GuideLab, resolve: (text: string) => string): WireLab => ({
  id: lab.id,
  cli: resolve('virtlab'),
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

  static show(deps: GuideDeps, lab: GuideLab): GuidePanel {
    const existing = GuidePanel.open.get(lab.id);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(GUIDE_VIEW_TYPE, GuidePanel.title(lab), vscode.ViewColumn.Active, webviewOptions(deps.context.extensionUri));
    return new GuidePanel(panel, deps, lab);
  }

  /** After a window reload: the serializer hands back the panel of a lab the page had saved. */
  static revive(panel: vscode.WebviewPanel, deps: GuideDeps, lab: GuideLab): GuidePanel {
    GuidePanel.open.get(lab.id)?.dispose();
    panel.webview.options = webviewOptions(deps.context.extensionUri);
    panel.title = GuidePanel.title(lab);
    return new GuidePanel(panel, deps, lab);
  }

  private static title(lab: GuideLab): string {
    return `Guided Lab ${lab.number}: ${lab.title}`;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: GuideDeps,
    readonly lab: GuideLab,
  ) {
    GuidePanel.open.set(lab.id, this);
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
    return toWireLab(this.lab, (t) => this.resolve(t));
  }

  private step(stepId: string): GuideStep | undefined {
    return this.lab.steps.find((s) => s.id === stepId);
  }

  private checkContext(): CheckContext {
    const options = this.deps.store.options();
    // A snapshot taken now, not the store's latest: the step's commands may have just run.
    return { options, snapshot: () => takeSnapshot(options), extensionRoot: this.deps.context.extensionPath };
  }

  private refuse(raw: unknown, why: string): void {
    this.deps.log.warn(`guide ${this.lab.id}: refused a message (${why}): ${JSON.stringify(raw)?.slice(0, 200)}`);
  }

  private async onMessage(raw: unknown): Promise<void> {
    if (!isGuideWebviewMessage(raw)) return this.refuse(raw, 'not in the protocol');
    const msg: GuideWebviewMessage = raw;
    switch (msg.type) {
      case 'ready': {
        this.ready = true;
        const p = this.deps.progress.get(this.lab.id);
        this.post({ type: 'lab', lab: this.wireLab(), done: p.done, verdicts: p.verdicts });
        return;
      }
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
        this.postProgress(await this.deps.progress.markDone(this.lab.id, step.id));
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
    this.post({ type: 'busy', what: 'check', stepId: step.id, busy: true });
    let verdict: WireVerdict;
    try {
      const r = await this.deps.core.runCheck(this.lab.id, step.id, this.checkContext());
      verdict = { ok: r.ok, detail: r.detail, ...(r.ok ? {} : { hint: step.hint }), ...(r.simulated ? { simulated: true } : {}) };
    } catch (e) {
      this.deps.log.error(`guide ${this.lab.id}/${step.id}: check failed to run: ${(e as Error).stack ?? e}`);
      verdict = { ok: false, detail: `The check could not run: ${(e as Error).message}`, hint: step.hint };
    }
    this.deps.log.info(`guide ${this.lab.id}/${step.id}: ${verdict.ok ? 'passed' : 'failed'}: ${verdict.detail}`);
    const p = await this.deps.progress.verdict(this.lab.id, step.id, verdict);
    this.post({ type: 'verdict', stepId: step.id, verdict });
    this.postProgress(p);
    this.post({ type: 'busy', what: 'check', stepId: step.id, busy: false });
    this.deps.changed();
  }

  private async reset(): Promise<void> {
    const choice = await vscode.window.showWarningMessage(
      `Reset "${this.lab.title}"?`,
      { modal: true, detail: 'This removes what the guide created on this machine (its vlg… containers, namespaces and bridges) and clears your progress in this lab.' },
      'Reset',
    );
    if (choice !== 'Reset') return;
    this.post({ type: 'busy', what: 'reset', busy: true });
    try {
      const report = await this.deps.core.resetGuide(this.lab.id, this.checkContext());
      await this.deps.progress.clear(this.lab.id);
      this.deps.log.info(`guide ${this.lab.id}: reset removed ${report.removed.length}, left ${report.left.length}`);
      this.post({ type: 'lab', lab: this.wireLab(), done: [], verdicts: {} });
      this.post({ type: 'resetDone', removed: report.removed, left: report.left });
    } catch (e) {
      this.deps.log.error(`guide ${this.lab.id}: reset failed: ${(e as Error).stack ?? e}`);
      this.post({ type: 'notice', text: `Reset failed: ${(e as Error).message}` });
    } finally {
      this.post({ type: 'busy', what: 'reset', busy: false });
      this.deps.changed();
      void this.deps.store.refresh().catch(() => undefined);
    }
  }

  dispose(): void {
    if (GuidePanel.open.get(this.lab.id) === this) GuidePanel.open.delete(this.lab.id);
    for (const s of this.subs.splice(0)) s.dispose();
    this.panel.dispose();
  }
}
