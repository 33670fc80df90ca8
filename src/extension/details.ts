import * as vscode from 'vscode';

/**
 * Read-only reports (virtlab-report:) for the inspect/show commands and Ping All: the markdown is
 * kept per URI and shown rendered in VS Code's markdown preview, never as an editable source or an
 * untitled document that asks to be saved.
 */
export class DetailsDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  static readonly scheme = 'virtlab-report';
  private readonly docs = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly reg = vscode.workspace.registerTextDocumentContentProvider(DetailsDocuments.scheme, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? '# Gone\n\nThis VirtLab report is no longer available; run the command again.';
  }

  /** The URI of the report titled `title` (what the preview tab shows, e.g. "web1 namespaces"). */
  static uriOf(title: string): vscode.Uri {
    const safe = reportTitle(title);
    return vscode.Uri.from({ scheme: DetailsDocuments.scheme, path: `/${safe}.md` });
  }

  /** Show (or update) the report titled `title` with markdown `text`, rendered, in the active column. */
  async show(title: string, text: string): Promise<vscode.Uri> {
    const uri = DetailsDocuments.uriOf(title);
    this.docs.set(uri.toString(), text);
    this.changed.fire(uri);
    await vscode.commands.executeCommand('markdown.showPreview', uri);
    return uri;
  }

  /** The markdown of a report shown before (tests, Copy). */
  text(uri: vscode.Uri): string | undefined {
    return this.docs.get(uri.toString());
  }

  dispose(): void {
    this.reg.dispose();
    this.changed.dispose();
  }
}

/** A report title safe as a file name: letters, digits, space and `_.-:@`, at most 80 characters. */
export function reportTitle(title: string): string {
  return title.replace(/[^A-Za-z0-9 _.:@-]+/g, '-').replace(/\s+/g, ' ').trim().slice(0, 80) || 'report';
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
