// The lab guide webview: the steps of one guided lab, each with Run/Paste buttons for its
// commands and a Check button whose verdict the host computes against the live machine. It talks
// to the host only through src/shared/guideProtocol.ts; every incoming message is checked first.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import './guide.css';
import { isGuideHostMessage, type GuideHostMessage, type GuideWebviewMessage, type WireLab, type WireStep, type WireVerdict } from '../../src/shared/guideProtocol';
import { renderLoadError } from './loadError';
import { button, el, inline, renderMarkdown, type Button } from './dom';
import { parseInline } from './markdown';

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;
const api = acquireVsCodeApi();
const post = (msg: GuideWebviewMessage) => api.postMessage(msg);

interface StepView {
  step: WireStep;
  root: HTMLElement;
  check?: Button;
  markDone?: Button;
  ring: HTMLElement;
  verdict: HTMLElement;
  hint: HTMLElement;
}

const app = document.getElementById('app') ?? document.body;
let lab: WireLab | undefined;
let done = new Set<string>();
const steps = new Map<string, StepView>();
let resetting = false;
const checking = new Set<string>();

const header = el('header', 'head');
const title = el('h1', 'title', 'Loading the guided lab…');
const summary = el('p', 'summary');
const progressRow = el('div', 'progress-row');
const bar = el('vscode-progress-bar', 'bar') as HTMLElement & { value?: number; max: number };
bar.setAttribute('aria-label', 'Steps done');
const progressText = el('span', 'progress-text');
progressText.id = 'progress-text';
const resetBtn = button('Reset lab…', 'reset', () => post({ type: 'reset' }), true);
resetBtn.id = 'reset';
resetBtn.title = 'Remove what this guide created on the machine and start again';
const resetRing = el('vscode-progress-ring', 'busy');
resetRing.setAttribute('aria-label', 'Resetting');
resetRing.hidden = true;
progressRow.append(bar, progressText, resetBtn, resetRing);
const notice = el('div', 'notice');
notice.id = 'notice';
notice.setAttribute('role', 'status');
notice.setAttribute('aria-live', 'polite');
header.append(title, summary, progressRow, notice);
const intro = el('div', 'intro');
const list = el('ol', 'steps');
// Shown instead of the steps when the guide's file could not be read from the installed extension.
const loadError = el('section', 'load-error');
loadError.id = 'load-error';
loadError.setAttribute('role', 'alert');
loadError.hidden = true;
app.append(header, loadError, intro, list);

function commandRow(step: WireStep, index: number): HTMLElement {
  const row = el('div', 'command');
  row.dataset.step = step.id;
  row.dataset.index = String(index);
  // Shown as the guide writes it (`virtlab …`, readable); the tooltip and the terminal get the
  // exact text Run types, and the lab's note says what `virtlab` stands for.
  const command = step.commands[index]!;
  const pre = el('pre', 'command-text');
  pre.append(el('code', undefined, command.source));
  pre.title = command.text;
  const actions = el('div', 'command-actions');
  // Screen readers announce each button with the command it acts on, not a row of bare "Run"s.
  const run = button('Run', 'run', () => post({ type: 'runCommand', stepId: step.id, index, enter: true }), false, `Run: ${command.source}`);
  run.title = 'Type this command into the VirtLab Guide terminal and press Enter';
  const paste = button('Paste', 'paste', () => post({ type: 'runCommand', stepId: step.id, index, enter: false }), true, `Paste into terminal: ${command.source}`);
  paste.title = 'Type this command into the VirtLab Guide terminal without Enter, to edit it first';
  actions.append(run, paste);
  row.append(pre, actions);
  return row;
}

function showVerdict(v: StepView, verdict: WireVerdict | undefined): void {
  v.verdict.replaceChildren();
  v.hint.replaceChildren();
  v.hint.hidden = true;
  v.verdict.className = 'verdict';
  if (!verdict) return;
  v.verdict.classList.add(verdict.ok ? 'ok' : 'failed');
  const detail = el('span', 'verdict-detail');
  inline(detail, parseInline(verdict.detail));
  v.verdict.append(el('span', 'verdict-mark', verdict.ok ? '✓' : '✗'), el('span', 'verdict-word', verdict.ok ? ' Passed: ' : ' Not yet: '), detail);
  if (verdict.simulated) v.verdict.append(el('span', 'simulated', ' (checked on a simulated tree)'));
  if (!verdict.ok && verdict.hint) {
    v.hint.hidden = false;
    v.hint.append(el('strong', 'hint-title', 'Hint'), ...renderMarkdown(verdict.hint, [], () => el('div'), 3));
  }
}

function renderLab(l: WireLab, verdicts: Record<string, WireVerdict>): void {
  lab = l;
  api.setState({ labId: l.id });
  loadError.hidden = true;
  loadError.replaceChildren();
  progressRow.hidden = false;
  title.classList.remove('error');
  title.textContent = `Guided lab ${l.number}: ${l.title}`;
  resetBtn.setAttribute('aria-label', `Reset guided lab ${l.number}: remove what it created…`);
  summary.textContent = l.summary;
  intro.replaceChildren(...(l.intro ? renderMarkdown(l.intro, [], () => el('div'), 1) : []));
  const sources = l.steps.flatMap((s) => s.commands.map((c) => c.source));
  const usesCli = sources.some((c) => /(^|[;&|(]\s*)virtlab(\s|$)/.test(c));
  const usesLabs = sources.some((c) => c.includes('{labs}'));
  if (usesCli || usesLabs) {
    const note = el('p', 'cli-note');
    note.append(document.createTextNode('In these commands '));
    if (usesCli) note.append(el('code', undefined, 'virtlab'), document.createTextNode(" is VirtLab's own command line; Run types it as "), el('code', undefined, l.cli), document.createTextNode(usesLabs ? '. ' : '.'));
    if (usesLabs) note.append(el('code', undefined, '{labs}'), document.createTextNode(' is the folder of the guided labs in this installation: '), el('code', undefined, l.labs), document.createTextNode('.'));
    intro.append(note);
  }
  steps.clear();
  list.replaceChildren();
  l.steps.forEach((step, i) => {
    const root = el('li', 'step');
    root.dataset.step = step.id;
    const h = el('h2', 'step-title');
    h.append(el('span', 'step-mark'), document.createTextNode(`Step ${i + 1}: ${step.title}`));
    root.append(h, ...renderMarkdown(step.markdown, step.commands.map((c) => c.source), (k) => commandRow(step, k)));
    const checkRow = el('div', 'check-row');
    const ring = el('vscode-progress-ring', 'busy');
    ring.setAttribute('aria-label', 'Checking');
    ring.hidden = true;
    const v: StepView = { step, root, ring, verdict: el('div', 'verdict'), hint: el('div', 'hint') };
    v.verdict.setAttribute('role', 'status');
    v.verdict.setAttribute('aria-live', 'polite');
    v.hint.hidden = true;
    if (step.hasCheck) {
      v.check = button('Check', 'check', () => post({ type: 'check', stepId: step.id }), false, `Check step ${i + 1}: ${step.title}`);
      v.check.title = 'Check this step against what VirtLab sees on the machine now';
      checkRow.append(v.check, ring);
    } else {
      v.markDone = button('Mark as done', 'mark-done', () => post({ type: 'markDone', stepId: step.id }), true);
      checkRow.append(v.markDone);
    }
    root.append(checkRow, v.verdict, v.hint);
    steps.set(step.id, v);
    list.append(root);
    showVerdict(v, verdicts[step.id]);
  });
  updateProgress();
  updateBusy();
}

function updateProgress(): void {
  if (!lab) return;
  const n = lab.steps.filter((s) => done.has(s.id)).length;
  bar.max = lab.steps.length;
  bar.value = n;
  progressText.textContent = `${n} of ${lab.steps.length} steps done`;
  for (const v of steps.values()) {
    const isDone = done.has(v.step.id);
    v.root.classList.toggle('done', isDone);
    v.root.querySelector('.step-mark')!.textContent = isDone ? '✓ ' : '';
    if (v.markDone) {
      v.markDone.textContent = isDone ? 'Done' : 'Mark as done';
      const n = lab.steps.indexOf(v.step) + 1;
      v.markDone.setAttribute('aria-label', isDone ? `Step ${n} is done: ${v.step.title}` : `Mark step ${n} as done: ${v.step.title}`);
    }
  }
}

function updateBusy(): void {
  resetRing.hidden = !resetting;
  resetBtn.disabled = resetting;
  document.body.setAttribute('aria-busy', String(resetting || checking.size > 0));
  for (const v of steps.values()) {
    const busy = checking.has(v.step.id);
    v.ring.hidden = !busy;
    v.root.classList.toggle('checking', busy);
    if (v.check) v.check.disabled = busy || resetting;
    if (v.markDone) v.markDone.disabled = resetting || done.has(v.step.id);
  }
}

function onHostMessage(msg: GuideHostMessage): void {
  switch (msg.type) {
    case 'lab':
      done = new Set(msg.done);
      notice.textContent = '';
      renderLab(msg.lab, msg.verdicts);
      return;
    case 'progress':
      done = new Set(msg.done);
      updateProgress();
      updateBusy();
      return;
    case 'busy':
      if (msg.what === 'reset') resetting = msg.busy;
      else if (msg.stepId && msg.busy) checking.add(msg.stepId);
      else if (msg.stepId) checking.delete(msg.stepId);
      if (msg.busy && msg.stepId) {
        const v = steps.get(msg.stepId);
        if (v) showVerdict(v, undefined);
      }
      updateBusy();
      return;
    case 'verdict': {
      const v = steps.get(msg.stepId);
      if (!v) return;
      showVerdict(v, msg.verdict);
      // How many verdicts this step got since shown: lets a test tell a new verdict from the last.
      v.root.dataset.verdicts = String(Number(v.root.dataset.verdicts ?? 0) + 1);
      return;
    }
    case 'resetDone': {
      notice.replaceChildren();
      notice.className = 'notice reset-report';
      notice.append(el('strong', undefined, msg.removed.length ? `Reset removed ${msg.removed.length} object${msg.removed.length === 1 ? '' : 's'}.` : 'Reset: nothing of this guide was left on the machine.'));
      if (msg.removed.length) {
        const ul = el('ul', 'removed');
        for (const r of msg.removed) ul.append(el('li', undefined, r));
        notice.append(ul);
      }
      if (msg.left.length) {
        notice.append(el('p', 'left-title', 'Could not remove:'));
        const ul = el('ul', 'left');
        for (const l of msg.left) ul.append(el('li', undefined, `${l.object}: ${l.error}`));
        notice.append(ul);
      }
      return;
    }
    case 'notice':
      notice.className = 'notice';
      notice.textContent = msg.text;
      return;
    case 'loadError':
      // The page keeps asking for this lab after a reload; nothing of a lab is left on screen.
      api.setState({ labId: msg.labId });
      lab = undefined;
      steps.clear();
      checking.clear();
      resetting = false;
      list.replaceChildren();
      intro.replaceChildren();
      notice.textContent = '';
      progressRow.hidden = true;
      document.body.setAttribute('aria-busy', 'false');
      title.classList.add('error');
      title.textContent = msg.number ? `Guided lab ${msg.number}${msg.title ? `: ${msg.title}` : ''} could not be loaded` : 'The guided labs could not be loaded';
      summary.textContent = 'Guide text ships inside the VirtLab extension, and a file of this installation is missing or damaged.';
      renderLoadError(loadError, msg, (action) => post({ type: 'errorAction', action }));
      loadError.hidden = false;
      // How many error states this page showed: lets a test tell a new one (after Try again) from the last.
      loadError.dataset.shown = String(Number(loadError.dataset.shown ?? 0) + 1);
      return;
  }
}

window.addEventListener('message', (e: MessageEvent) => {
  // Only messages the protocol knows; anything else (other frames, stale shapes) is dropped.
  if (isGuideHostMessage(e.data)) onHostMessage(e.data);
});

// The host answers with the lab's content and progress (again after every reload or re-show).
post({ type: 'ready' });
