import * as vscode from 'vscode';

// The one integrated terminal every guide types into, so the user sees (and may edit) each
// command in a real shell, exactly as if they had typed it.

export const GUIDE_TERMINAL_NAME = 'VirtLab Guide';

let terminal: vscode.Terminal | undefined;

function guideTerminal(): vscode.Terminal {
  if (terminal && terminal.exitStatus === undefined && vscode.window.terminals.includes(terminal)) return terminal;
  terminal = vscode.window.terminals.find((t) => t.name === GUIDE_TERMINAL_NAME && t.exitStatus === undefined) ?? vscode.window.createTerminal({ name: GUIDE_TERMINAL_NAME });
  return terminal;
}

/**
 * Show the guide terminal and type `text` into it; with `enter` false the text waits at the
 * prompt for the user to edit. Focus stays where it was (the guide), so keyboard users keep going.
 */
export function sendToGuideTerminal(text: string, enter: boolean): void {
  const t = guideTerminal();
  t.show(true);
  t.sendText(text, enter);
}
