import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LabIssue } from '../../core/lab/types';
import { loadLab } from '../../core/lab/validate';

// Lab file problems in the Problems panel (one diagnostic per issue, on the line and column the
// validator names, its fix as related text) instead of one crammed notification paragraph.

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

export function issueDiagnostic(doc: vscode.TextDocument | undefined, i: LabIssue): vscode.Diagnostic {
  const line = Math.max(0, i.line - 1);
  const col = Math.max(0, i.col - 1);
  const end = doc && line < doc.lineCount ? doc.lineAt(line).range.end : new vscode.Position(line, col + 1);
  const range = new vscode.Range(line, col, end.line, Math.max(end.character, col + 1));
  const d = new vscode.Diagnostic(range, i.fix ? `${i.message}\nfix: ${i.fix}` : i.message, vscode.DiagnosticSeverity.Error);
  d.source = 'VirtLab lab';
  return d;
}

export class LabDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('virtlab-lab');

  /** Check `uri`; its problems replace the old ones. Resolves with the issues (none: the file is fine). */
  async check(uri: vscode.Uri): Promise<LabIssue[]> {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const text = doc ? doc.getText() : Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
    const issues = loadLab(text).issues;
    this.collection.set(uri, issues.map((i) => issueDiagnostic(doc, i)));
    return issues;
  }

  /** Check before Lab: Up; with problems, a short notification that opens the Problems panel. */
  async checkBeforeUp(uri: vscode.Uri): Promise<boolean> {
    const issues = await this.check(uri);
    if (!issues.length) return true;
    const first = issues[0];
    void vscode.window
      .showErrorMessage(`VirtLab: ${path.basename(uri.fsPath)} has ${plural(issues.length, 'problem')}, nothing was created. First, line ${first.line}: ${first.message}`, 'Show Problems', 'Open File')
      .then((c) => {
        if (c === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
        if (c === 'Open File') void vscode.window.showTextDocument(uri, { selection: new vscode.Range(first.line - 1, Math.max(0, first.col - 1), first.line - 1, Math.max(0, first.col - 1)) });
      });
    return false;
  }

  dispose(): void {
    this.collection.dispose();
  }
}
