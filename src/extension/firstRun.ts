import * as vscode from 'vscode';

// First run: VS Code opens an extension's walkthrough only when it is installed from the UI
// (`workbench.welcomePage.walkthroughs.openOnInstall`); a VSIX installed on the command line (as
// `npm start` does) or a profile with the start page off shows an empty editor. So on the first
// activation VirtLab opens its own walkthrough and reveals its view container, once.

export const WELCOMED_KEY = 'virtlab.welcomed';
/** `publisher.name#walkthrough id` from package.json "walkthroughs". */
export const WALKTHROUGH_ID = 'virtlab.virtlab#virtlab.getStarted';

/**
 * Whether to welcome now: never before, and neither VS Code's walkthroughs-on-install nor
 * `virtlab.openWalkthroughOnFirstRun` is off. (code-server's remote extension host sees only the
 * default of the workbench's own setting, never the user's value, so VirtLab has its own switch.)
 */
export function shouldWelcome(welcomedBefore: boolean, openOnInstall: boolean | undefined, ownSwitch: boolean | undefined = true): boolean {
  return !welcomedBefore && openOnInstall !== false && ownSwitch !== false;
}

export async function welcomeOnFirstRun(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Promise<void> {
  const openOnInstall = vscode.workspace.getConfiguration('workbench.welcomePage.walkthroughs').get<boolean>('openOnInstall');
  const own = vscode.workspace.getConfiguration('virtlab').get<boolean>('openWalkthroughOnFirstRun');
  if (!shouldWelcome(context.globalState.get<boolean>(WELCOMED_KEY, false), openOnInstall, own)) return;
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
