import type * as vscode from 'vscode';
import { formatBytes } from '../../shared/format';

/** A theme icon as plain data: the provider makes the ThemeIcon. */
export interface IconSpec {
  id: string;
  color?: string;
}

/** A tooltip as plain data: a bold title, plain lines, and `source` lines rendered as code. */
export interface TooltipSpec {
  title: string;
  lines: string[];
  sources: string[];
}

/**
 * A plain description of one tree row, built from the graph; the provider turns it into a TreeItem.
 * Nothing in it is a vscode object, so the row builders run (and are tested) without VS Code.
 */
export interface RowSpec {
  /** Unique within its view and stable across scans (used for TreeItem.id, reveal and state). */
  id: string;
  label: string;
  description?: string;
  tooltip?: TooltipSpec | string;
  icon?: IconSpec;
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

export function tooltip(title: string, lines: (string | undefined | false)[], sources: (string | undefined)[] = []): TooltipSpec {
  return { title, lines: lines.filter((l): l is string => !!l), sources: sources.filter((s): s is string => !!s) };
}

export function icon(id: string, color?: string): IconSpec {
  return color ? { id, color } : { id };
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
