// The side panel: facts of the selected node and its actions. Every string from the machine goes
// through textContent (never innerHTML), so a label such as `</script>` or `<img onerror=...>`
// is shown as the characters it is.
import type { AllowedCommand, GraphNode } from '../src/shared/protocol';
import { actionsFor, factRows } from './facts';
import type { GraphModel } from './model';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

export interface DetailsEvents {
  run(command: AllowedCommand, nodeId: string): void;
  focus(nodeId: string): void;
}

export class DetailsPanel {
  constructor(private readonly root: HTMLElement, private readonly factsRoot: HTMLElement, private readonly events: DetailsEvents) {}

  show(n: GraphNode | undefined, model: GraphModel, focused: boolean): void {
    this.root.replaceChildren();
    this.factsRoot.replaceChildren();
    if (!n) {
      this.root.append(el('p', 'hint', 'Click a node to see its facts and actions.'));
      return;
    }
    const title = el('h2', 'details-title', n.label);
    title.title = n.id;
    const kind = el('div', 'details-kind', n.kind);
    const actions = el('div', 'actions');
    for (const a of actionsFor(n)) {
      const b = el('vscode-button', 'action', a.title);
      b.dataset.command = a.command;
      b.setAttribute('secondary', '');
      b.addEventListener('click', () => this.events.run(a.command, n.id));
      actions.append(b);
    }
    const f = el('vscode-button', 'action', focused ? 'Show All' : 'Focus Neighbourhood');
    f.dataset.command = 'focus';
    f.setAttribute('secondary', '');
    f.addEventListener('click', () => this.events.focus(n.id));
    actions.append(f);
    const table = el('table', 'facts');
    const body = el('tbody');
    for (const r of factRows(n, model)) {
      const tr = el('tr');
      tr.dataset.key = r.key;
      const v = el('td', 'fact-value', r.value);
      if (r.source) {
        const src = el('div', 'fact-source', r.source);
        v.append(src);
      }
      tr.append(el('th', 'fact-key', r.key), v);
      body.append(tr);
    }
    table.append(body);
    this.root.append(title, kind, actions);
    this.factsRoot.append(table);
  }

  /** A short status line (command errors, metrics unavailable). */
  note(text: string): void {
    let n = this.root.querySelector<HTMLElement>('.details-note');
    if (!n) {
      n = el('div', 'details-note');
      this.root.prepend(n);
    }
    n.textContent = text;
  }
}
