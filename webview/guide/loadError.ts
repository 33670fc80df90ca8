// The guide page's error state: which shipped file could not be read and why, and what to do about
// it (reinstall, or report with the details the host copies). Text only through textContent.
import type { ErrorAction, GuideHostMessage } from '../../src/shared/guideProtocol';
import { button, el } from './dom';

type LoadError = Extract<GuideHostMessage, { type: 'loadError' }>;

export function renderLoadError(box: HTMLElement, msg: LoadError, act: (a: ErrorAction) => void): void {
  const problems = el('ul', 'problems');
  for (const p of msg.problems) {
    const li = el('li', 'problem');
    li.append(el('code', 'problem-file', `${p.file}${p.line ? `:${p.line}` : ''}`), document.createTextNode(': '), el('span', 'problem-message', p.message));
    problems.append(li);
  }
  const steps = el('ol', 'error-steps');
  const reinstall = el('li');
  reinstall.append(
    el('strong', undefined, 'Reinstall VirtLab. '),
    document.createTextNode('In the Extensions view, uninstall VirtLab and install it again (or run '),
    el('code', undefined, 'code --install-extension virtlab.vsix --force'),
    document.createTextNode(' with the VSIX you installed from), then reload the window. Guide text is read only from the installed extension, never from your workspace, so no file in your project can stand in for it.'),
  );
  const report = el('li');
  report.append(
    el('strong', undefined, 'Still broken after a fresh install? Report it. '),
    document.createTextNode('Copy details puts the problems above, the VirtLab version and the extension folder on the clipboard for your report; the VirtLab log has the same lines.'),
  );
  steps.append(reinstall, report);
  const where = el('p', 'extension-dir');
  where.append(document.createTextNode('Installed at '), el('code', undefined, msg.extensionDir));
  const actions = el('div', 'error-actions');
  const retry = button('Try again', 'retry', () => act('retry'));
  retry.title = 'Read the guide from the installed extension again';
  const reinstallBtn = button('Reinstall VirtLab…', 'reinstall', () => act('reinstall'), true);
  reinstallBtn.title = 'Show VirtLab in the Extensions view, where you can uninstall and install it again';
  const copy = button('Copy details', 'copy-details', () => act('copyDetails'), true);
  copy.title = 'Copy the problems, the VirtLab version and the extension folder, for a report';
  const log = button('Show log', 'show-log', () => act('showLog'), true);
  log.title = 'Open the VirtLab log';
  actions.append(retry, reinstallBtn, copy, log);
  box.replaceChildren(el('h2', undefined, msg.problems.length === 1 ? 'What failed' : `What failed (${msg.problems.length} problems)`), problems, el('h2', undefined, 'What to do'), steps, where, actions);
}
