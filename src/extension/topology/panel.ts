import * as vscode from 'vscode';
import { isEmptyDiff } from '../../core/model/diff';
import type { Snapshot } from '../../core/model/graph';
import { metricSourceFor, startSampling, type Sampling } from '../../core/metrics/sampler';
import { isWebviewMessage, TOPOLOGY_VIEW_TYPE, type HostMessage, type WebviewMessage } from '../../shared/protocol';
import type { SnapshotStore } from '../snapshotStore';
import { topologyHtml, webviewOptions } from './html';
import { keepLastKnown } from './lastKnown';
import { toWireDiff, toWireGraph } from './wire';

const METRICS_INTERVAL_MS = 1000;
const LIVE_OWNER = 'topology';

/**
 * The one topology panel. The webview gets the flat graph after its `ready`, then diffs; the store
 * is kept live while the panel is visible, and the selected node is sampled each second.
 */
export class TopologyPanel implements vscode.Disposable {
  static current: TopologyPanel | undefined;

  private ready = false;
  /** The snapshot the webview holds, so the next one can be sent as a diff against it. */
  private sent: Snapshot | undefined;
  /** The last store snapshot handled, and what was last shown (kept across hide/show for keepLastKnown). */
  private lastIn: Snapshot | undefined;
  private shown: Snapshot | undefined;
  private sentNotice: string | undefined;
  private metricsNode: string | null = null;
  private sampling: Sampling | undefined;
  private pendingFocus: string | undefined;
  private readonly subs: vscode.Disposable[] = [];

  static show(context: vscode.ExtensionContext, store: SnapshotStore, log: vscode.LogOutputChannel, focusNodeId?: string): TopologyPanel {
    if (TopologyPanel.current) {
      TopologyPanel.current.panel.reveal();
    } else {
      const panel = vscode.window.createWebviewPanel(TOPOLOGY_VIEW_TYPE, 'VirtLab Topology', vscode.ViewColumn.Active, webviewOptions(context.extensionUri));
      TopologyPanel.current = new TopologyPanel(panel, context, store, log);
    }
    if (focusNodeId) TopologyPanel.current.focus(focusNodeId);
    return TopologyPanel.current;
  }

  /** After a reload of the window: the serializer hands back the panel; its webview restores its own state. */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, store: SnapshotStore, log: vscode.LogOutputChannel): TopologyPanel {
    TopologyPanel.current?.dispose();
    panel.webview.options = webviewOptions(context.extensionUri);
    TopologyPanel.current = new TopologyPanel(panel, context, store, log);
    return TopologyPanel.current;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly store: SnapshotStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    panel.webview.html = topologyHtml(panel.webview, context.extensionUri);
    this.subs.push(
      panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
      panel.onDidChangeViewState(() => this.onVisibility()),
      panel.onDidDispose(() => this.dispose()),
      store.onDidChange((snap) => this.sendSnapshot(snap)),
    );
    this.onVisibility();
  }

  private post(msg: HostMessage): void {
    if (this.ready) void this.panel.webview.postMessage(msg);
  }

  focus(nodeId: string): void {
    if (this.ready) this.post({ type: 'focus', nodeId });
    else this.pendingFocus = nodeId;
  }

  private onVisibility(): void {
    const visible = this.panel.visible;
    this.store.holdLive(LIVE_OWNER, visible);
    if (!visible) {
      // Without retainContextWhenHidden the page is torn down when hidden; it says `ready` again when shown.
      this.ready = false;
      this.sent = undefined;
      this.stopSampling();
    }
  }

  private sendSnapshot(snap: Snapshot): void {
    if (!this.ready) return;
    if (this.sent && this.lastIn === snap) return;
    this.lastIn = snap;
    const { snap: shown, notice } = keepLastKnown(this.shown, snap, this.store.options().dockerSocket);
    this.shown = shown;
    if (!this.sent) {
      this.post({ type: 'graph', graph: toWireGraph(shown, notice) });
    } else {
      // The store's own diff when this is its latest change (shown is snap while Docker answers).
      const diff = toWireDiff(this.store.diffBetween(this.sent, shown), shown.takenAt, notice);
      if (!isEmptyDiff(diff) || notice !== this.sentNotice) this.post({ type: 'diff', diff });
    }
    this.sent = shown;
    this.sentNotice = notice;
  }

  private async onMessage(raw: unknown): Promise<void> {
    if (!isWebviewMessage(raw)) {
      this.log.warn(`topology: refused a message that is not in the protocol: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    const msg: WebviewMessage = raw;
    switch (msg.type) {
      case 'ready': {
        this.ready = true;
        this.sent = undefined;
        const snap = this.store.latest ?? (await this.store.refresh().catch(() => undefined));
        if (snap) this.sendSnapshot(snap);
        if (this.pendingFocus) {
          this.post({ type: 'focus', nodeId: this.pendingFocus });
          this.pendingFocus = undefined;
        }
        return;
      }
      case 'refresh':
        await this.store.refresh().catch(() => undefined);
        return;
      case 'runCommand': {
        // The allow-list and the id were checked by the guard; the argument shape is the one the trees use.
        const arg = msg.command === 'virtlab.revealInTree' ? msg.nodeId : { nodeId: msg.nodeId };
        try {
          await vscode.commands.executeCommand(msg.command, arg);
          this.post({ type: 'reply', requestId: msg.requestId, ok: true });
        } catch (e) {
          this.post({ type: 'reply', requestId: msg.requestId, ok: false, error: (e as Error).message });
        }
        return;
      }
      case 'watchMetrics':
        this.metricsNode = msg.nodeId;
        this.startSampling();
        return;
      case 'export':
        await this.saveExport(msg.requestId, msg.format, msg.data);
        return;
    }
  }

  private stopSampling(): void {
    this.sampling?.stop();
    this.sampling = undefined;
  }

  private startSampling(): void {
    this.stopSampling();
    const nodeId = this.metricsNode;
    const snap = this.store.latest;
    if (!nodeId || !snap || !this.panel.visible) return;
    const source = metricSourceFor(this.store.options(), snap, nodeId);
    if ('error' in source) {
      this.post({ type: 'metricsUnavailable', nodeId, reason: source.error });
      return;
    }
    let lastError = '';
    this.sampling = startSampling(
      source,
      METRICS_INTERVAL_MS,
      (point, reading) => {
        lastError = '';
        this.post({ type: 'metrics', nodeId, kind: source.kind, point, sources: reading.files });
      },
      (error) => {
        if (error !== lastError) this.post({ type: 'metricsUnavailable', nodeId, reason: error });
        lastError = error;
      },
    );
  }

  private async saveExport(requestId: number, format: 'svg' | 'png', data: string): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? this.context.globalStorageUri;
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(folder, `virtlab-topology.${format}`),
      filters: format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
      title: `Export Topology as ${format.toUpperCase()}`,
    });
    if (!target) return this.post({ type: 'reply', requestId, ok: true });
    try {
      const bytes = format === 'svg' ? Buffer.from(data, 'utf8') : Buffer.from(data.slice(data.indexOf(',') + 1), 'base64');
      await vscode.workspace.fs.writeFile(target, bytes);
      this.post({ type: 'reply', requestId, ok: true });
      void vscode.window.showInformationMessage(`Topology saved to ${target.fsPath}`);
    } catch (e) {
      this.post({ type: 'reply', requestId, ok: false, error: (e as Error).message });
    }
  }

  dispose(): void {
    if (TopologyPanel.current === this) TopologyPanel.current = undefined;
    this.stopSampling();
    this.store.holdLive(LIVE_OWNER, false);
    for (const s of this.subs.splice(0)) s.dispose();
    this.panel.dispose();
  }
}
