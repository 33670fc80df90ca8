import * as vscode from 'vscode';
import { excludeGlobs, findFilesExclude, labExcluder } from '../../core/lab/exclude';

/** Lab files of the workspace, without the folders of `virtlab.labs.exclude` (node_modules, .tools, .git, test fixtures…). */
export async function findLabFiles(log: vscode.LogOutputChannel, limit = 200): Promise<vscode.Uri[]> {
  const globs = excludeGlobs(vscode.workspace.getConfiguration('virtlab').get('labs.exclude'));
  const ex = labExcluder(globs);
  if (ex.invalid.length) log.warn(`virtlab.labs.exclude: ignored invalid glob(s) ${ex.invalid.join(', ')}`);
  // findFiles skips what it can (so the limit is not used up inside node_modules); the matcher the rest.
  const found = await vscode.workspace.findFiles('**/*.vlab.{yaml,yml}', findFilesExclude(globs), limit);
  return found.filter((u) => !ex.excluded(vscode.workspace.asRelativePath(u, false)));
}
