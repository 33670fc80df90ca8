import * as vscode from 'vscode';
import { formatBytes } from '../../shared/format';

/** A plain description of one tree row, built from the graph; the provider turns it into a TreeItem. */
export interface RowSpec {
  /** Unique within its view and stable across scans (used for TreeItem.id, reveal and state). */
  id: string;
  label: string;
  description?: string;
  tooltip?: vscode.MarkdownString | string;
  icon?: vscode.ThemeIcon;
  contextValue?: string;
  /** The graph node this row shows, for commands (terminal, inspect, reveal from the topology). */
  nodeId?: string;
  command?: vscode.Command;
  children?: RowSpec[];
  /** Expanded by default (only read when the row has children). */
  expanded?: boolean;
  /** What a screen reader says; default "label, description". */
  ariaLabel?: string;
}

/** Markdown tooltip: a bold title, plain lines, and `source` lines rendered as code. */
export function tooltip(title: string, lines: (string | undefined | false)[], sources: (string | undefined)[] = []): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown('**').appendText(title).appendMarkdown('**');
  for (const l of lines) if (l) md.appendMarkdown('\n\n').appendText(l);
  const src = sources.filter(Boolean) as string[];
  if (src.length) {
    md.appendMarkdown('\n\n$(file-code) Source:');
    for (const s of src) md.appendMarkdown('\n\n').appendMarkdown('`' + s.replace(/`/g, "'") + '`');
  }
  return md;
}

export function icon(id: string, color?: string): vscode.ThemeIcon {
  return color ? new vscode.ThemeIcon(id, new vscode.ThemeColor(color)) : new vscode.ThemeIcon(id);
}

/** A row that explains an empty or error state, optionally with a fix action. */
export function messageRow(id: string, label: string, detail: string, iconId = 'info', command?: vscode.Command, fix?: string): RowSpec {
  return {
    id,
    label,
    description: detail,
    tooltip: tooltip(label, [detail, fix && `Fix: ${fix}`]),
    icon: icon(iconId),
    contextValue: command ? 'message.fixable' : 'message',
    command,
  };
}

export function bytes(n: unknown): string {
  return typeof n === 'number' && Number.isFinite(n) ? formatBytes(n) : 'unlimited';
}
