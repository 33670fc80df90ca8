// DOM nodes from the parsed markdown subset. Text goes in through textContent only: nothing a
// guide (or anything else) holds is ever parsed as HTML.
import { assignCommands, parseMarkdown, SHELL_LANGS, type Block, type Inline } from './markdown';

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

export type Button = HTMLElement & { disabled: boolean };

/**
 * A VS Code styled button (role=button, focusable, Enter/Space activate it). `name` is its
 * accessible name when the visible label alone ("Run") does not say what it acts on.
 */
export function button(label: string, cls: string, onClick: () => void, secondary = false, name?: string): Button {
  const b = el('vscode-button', cls, label) as Button;
  if (secondary) b.setAttribute('secondary', '');
  if (name) b.setAttribute('aria-label', name);
  b.addEventListener('click', () => {
    if (!b.disabled) onClick();
  });
  return b;
}

export function inline(parent: HTMLElement, parts: Inline[]): void {
  for (const p of parts) {
    if (p.t === 'text') parent.append(document.createTextNode(p.s));
    else parent.append(el(p.t === 'code' ? 'code' : p.t === 'bold' ? 'strong' : 'em', undefined, p.s));
  }
}

function block(b: Block, headingOffset: number): HTMLElement {
  switch (b.t) {
    case 'heading': {
      const h = el(`h${Math.min(6, b.level + headingOffset)}` as 'h3');
      inline(h, b.inline);
      return h;
    }
    case 'para': {
      const p = el('p');
      inline(p, b.inline);
      return p;
    }
    case 'list': {
      const l = el(b.ordered ? 'ol' : 'ul');
      if (b.start !== undefined) (l as HTMLOListElement).start = b.start;
      for (const item of b.items) {
        const li = el('li');
        inline(li, item);
        l.append(li);
      }
      return l;
    }
    case 'table': {
      const table = el('table', 'md-table');
      b.rows.forEach((row, r) => {
        const tr = el('tr');
        for (const cell of row) {
          const td = el(r === 0 ? 'th' : 'td');
          inline(td, cell);
          tr.append(td);
        }
        table.append(tr);
      });
      return table;
    }
    case 'code': {
      const pre = el('pre', 'code-block');
      pre.append(el('code', undefined, b.text));
      return pre;
    }
  }
}

/** How a command row offers itself: run it (with Enter) or paste it for editing (without). */
export type CommandRow = (index: number) => HTMLElement;

/**
 * A step's prose. Each shell block is replaced by rows for the commands it holds (`commandRow`);
 * shell lines that are not commands (comments) stay visible as code above them.
 */
export function renderMarkdown(markdown: string, commands: string[], commandRow: CommandRow, headingOffset = 2): HTMLElement[] {
  const blocks = parseMarkdown(markdown);
  const { perBlock, rest } = assignCommands(blocks, commands);
  const out: HTMLElement[] = [];
  blocks.forEach((b, i) => {
    const mine = perBlock.get(i);
    if (b.t !== 'code' || !SHELL_LANGS.includes(b.lang) || !mine?.length) {
      out.push(block(b, headingOffset));
      return;
    }
    const claimed = new Set(mine.map((k) => commands[k]!.trim()));
    const other = b.text.split('\n').filter((line) => line.trim() && !claimed.has(line.trim()) && ![...claimed].some((c) => c.includes(line.trim())));
    if (other.length) out.push(block({ t: 'code', lang: b.lang, text: other.join('\n') }, headingOffset));
    const box = el('div', 'commands');
    for (const k of mine) box.append(commandRow(k));
    out.push(box);
  });
  if (rest.length) {
    const box = el('div', 'commands');
    for (const k of rest) box.append(commandRow(k));
    out.push(box);
  }
  return out;
}
