import type * as vscode from 'vscode';
import { webviewPage } from '../webviewPage';

export { webviewOptions } from '../webviewPage';

/** The topology page: dist/webview.js and dist/webview.css under the shared strict CSP. */
export function topologyHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return webviewPage(webview, extensionUri, 'webview', 'VirtLab Topology');
}
