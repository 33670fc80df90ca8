import * as vscode from 'vscode';

/** Read-only markdown documents (virtlab-details:) for inspect/show commands; content kept per URI. */
export class DetailsDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  static readonly scheme = 'virtlab-details';
  private readonly docs = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly reg = vscode.workspace.registerTextDocumentContentProvider(DetailsDocuments.scheme, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? '# Gone\n\nThis VirtLab document is no longer available; run the command again.';
  }

  /** Open (or update) a document named `name` with markdown `text`, beside the editor. */
  async show(name: string, text: string): Promise<vscode.TextEditor> {
    const safe = name.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 80);
    const uri = vscode.Uri.from({ scheme: DetailsDocuments.scheme, path: `/${safe}.md` });
    this.docs.set(uri.toString(), text);
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Active });
  }

  dispose(): void {
    this.reg.dispose();
    this.changed.dispose();
  }
}

/**
 * Text from the machine (container names, labels) inside a table cell of the raw markdown
 * document: only what could break the table or start code/HTML is neutralised, so the text stays
 * readable (the markdown preview, if a user opens one, sanitises HTML itself).
 */
export function md(s: unknown): string {
  return String(s ?? '').replace(/[\r\n]+/g, ' ').replace(/[|`<>]/g, (c) => `\\${c}`);
}

export function code(s: unknown): string {
  return '`' + String(s ?? '').replace(/`/g, "'") + '`';
}
