import * as vscode from 'vscode';

// First run: VS Code opens an extension's walkthrough only when it is installed from the UI
// (`workbench.welcomePage.walkthroughs.openOnInstall`); a VSIX installed on the command line (as
// `npm start` does) or a profile with the start page off shows an empty editor. So on the first
// activation VirtLab opens its own walkthrough and reveals its view container, once.

export const WELCOMED_KEY = 'virtlab.welcomed';
/** `publisher.name#walkthrough id` from package.json "walkthroughs". */
export const WALKTHROUGH_ID = 'virtlab.virtlab#virtlab.getStarted';

/** Whether to welcome now: never before, and the user has not turned walkthroughs-on-install off. */
export function shouldWelcome(welcomedBefore: boolean, openOnInstall: boolean | undefined): boolean {
  return !welcomedBefore && openOnInstall !== false;
}

export async function welcomeOnFirstRun(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Promise<void> {
  const openOnInstall = vscode.workspace.getConfiguration('workbench.welcomePage.walkthroughs').get<boolean>('openOnInstall');
  if (!shouldWelcome(context.globalState.get<boolean>(WELCOMED_KEY, false), openOnInstall)) return;
  // Remember first: a failure below must not reopen it on every start.
  await context.globalState.update(WELCOMED_KEY, true);
  try {
    await vscode.commands.executeCommand('workbench.view.extension.virtlab');
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
    log.info('first run: opened the "Get started with VirtLab" walkthrough and the VirtLab view');
  } catch (e) {
    log.warn(`first run: could not open the walkthrough: ${(e as Error).message}`);
  }
}
