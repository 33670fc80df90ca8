import * as vscode from 'vscode';
import { run } from '../../core/sys/exec';
import type { SnapshotStore } from '../snapshotStore';

/**
 * The read-only root scan: the same CLI (`dist/cli.js snapshot --json`, which only reads) run
 * through `sudo -n`, so it never prompts; if sudo needs a password, say which rule would allow it.
 */
export async function scanAsRoot(context: vscode.ExtensionContext, store: SnapshotStore): Promise<void> {
  if (process.getuid?.() === 0) {
    void vscode.window.showInformationMessage('VirtLab already runs as root and sees every process.');
    await store.refresh();
    return;
  }
  const cli = vscode.Uri.joinPath(context.extensionUri, 'dist', 'cli.js').fsPath;
  const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Scanning as root (read-only)…' }, () => run('sudo', ['-n', process.execPath, cli, 'snapshot', '--json', '--compact'], { timeoutMs: 60000 }));
  if (!r.ok) {
    const user = process.env.USER ?? 'you';
    void vscode.window.showErrorMessage(`sudo did not allow the read-only scan without a password (${r.stderr.trim() || r.error || `exit ${r.code}`}). To allow exactly this command, add with \`sudo visudo -f /etc/sudoers.d/virtlab\`: ${user} ALL=(root) NOPASSWD: ${process.execPath} ${cli} snapshot --json --compact`);
    return;
  }
  try {
    store.adopt(JSON.parse(r.stdout), 'root scan');
  } catch (e) {
    void vscode.window.showErrorMessage(`The root scan printed something that is not a snapshot: ${(e as Error).message}`);
  }
}
