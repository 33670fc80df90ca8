// Keyboard use of the topology canvas: the graph is one focusable element (role "application",
// labelled), arrow keys move a visible focus ring to the nearest node in that direction, Enter
// selects it (the side panel shows its facts and actions, as a click does), Escape clears, and
// an aria-live region says in words which node has the focus or the selection.
// nearestInDirection is pure (unit-tested in Node); KeyboardNav wires it to the page.
import type { Core, NodeSingular } from 'cytoscape';
import type { Palette } from './style';

export type Direction = 'left' | 'right' | 'up' | 'down';

export interface Spot {
  id: string;
  x: number;
  y: number;
}

/**
 * The candidate nearest to `from` in `dir` (screen coordinates: y grows downwards), or undefined.
 * Only candidates inside the 90° cone around the direction count; among them the one with the
 * smallest distance, where sideways offset weighs double (a node straight ahead beats a closer
 * one off to the side). Ties go to the lower id, so the answer never depends on input order.
 */
export function nearestInDirection(from: Spot, candidates: readonly Spot[], dir: Direction): Spot | undefined {
  let best: Spot | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    if (c.id === from.id) continue;
    const dx = c.x - from.x;
    const dy = c.y - from.y;
    const ahead = dir === 'right' ? dx : dir === 'left' ? -dx : dir === 'down' ? dy : -dy;
    const side = Math.abs(dir === 'left' || dir === 'right' ? dy : dx);
    if (ahead <= 0 || side > ahead) continue;
    const score = Math.hypot(ahead, 2 * side);
    if (score < bestScore || (score === bestScore && best && c.id < best.id)) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

const KEY_DIRECTIONS: Record<string, Direction> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };

/** The direction an arrow key stands for (undefined for any other key). */
export const directionOfKey = (key: string): Direction | undefined => KEY_DIRECTIONS[key];

/** How a node is announced: its label and what it is ("web1, container"). */
export function describeNode(label: string, kind: string, box?: string): string {
  const what = kind.replace(/-/g, ' ');
  return box ? `${label}, ${what} in ${box}` : `${label}, ${what}`;
}

/** The styles of the keyboard focus ring and of last-known (unknown) nodes, appended to the stylesheet. */
export function keyboardStyle(p: Palette): unknown[] {
  return [
    { selector: 'node.unknown', style: { 'background-color': p.muted, 'background-opacity': 0.3, 'border-style': 'dashed', 'border-color': p.muted, color: p.muted } },
    { selector: 'node.kbfocus', style: { 'overlay-color': p.accent, 'overlay-opacity': 0.25, 'overlay-padding': 6, 'border-width': 3, 'border-color': p.accent } },
  ];
}

export interface KeyboardEvents {
  select(nodeId: string | null): void;
}

const ARIA_LABEL = 'Topology graph. Arrow keys move between nodes, Enter selects the focused node and shows its facts and actions, Escape clears.';

export class KeyboardNav {
  /** The node the keyboard focus ring is on. */
  current: string | null = null;
  readonly live: HTMLElement;

  constructor(container: HTMLElement, private readonly cy: () => Core, private readonly events: KeyboardEvents) {
    container.tabIndex = 0;
    container.setAttribute('role', 'application');
    container.setAttribute('aria-roledescription', 'graph');
    container.setAttribute('aria-label', ARIA_LABEL);
    this.live = document.createElement('div');
    this.live.className = 'sr-live';
    this.live.setAttribute('aria-live', 'polite');
    this.live.setAttribute('role', 'status');
    container.after(this.live);
    container.addEventListener('keydown', (e) => this.onKey(e));
    container.addEventListener('focus', () => {
      if (!this.current || this.cy().getElementById(this.current).empty()) this.moveTo(this.startNode());
      else this.announce(`Focused ${this.words(this.current)}`);
    });
  }

  /** Nodes a person can go to: visible leaves and boxes, where they are on screen. */
  private spots(): Spot[] {
    return this.cy()
      .nodes(':visible')
      .map((n) => {
        const p = n.renderedPosition();
        return { id: n.id(), x: p.x, y: p.y };
      });
  }

  /** Where the focus starts: the selected node, else the one nearest the middle of the view. */
  private startNode(): string | null {
    const cy = this.cy();
    const sel = cy.nodes(':selected:visible').first();
    if (sel.nonempty()) return sel.id();
    const mid = { id: '', x: cy.width() / 2, y: cy.height() / 2 };
    let best: string | null = null;
    let d = Infinity;
    for (const s of this.spots()) {
      const e = Math.hypot(s.x - mid.x, s.y - mid.y);
      if (e < d || (e === d && best !== null && s.id < best)) {
        d = e;
        best = s.id;
      }
    }
    return best;
  }

  private words(id: string): string {
    const n = this.cy().getElementById(id) as NodeSingular;
    if (n.empty()) return id;
    const parent = n.parent().first() as NodeSingular;
    const state = n.hasClass('unknown') ? ', state unknown' : '';
    return describeNode(String(n.data('label') ?? id), String(n.data('kind') ?? 'node'), parent.nonempty() ? String(parent.data('label')) : undefined) + state;
  }

  private announce(text: string): void {
    this.live.textContent = text;
  }

  /** Put the focus ring on `id` (null: nowhere), keep it in view and say so. */
  moveTo(id: string | null): void {
    const cy = this.cy();
    cy.nodes('.kbfocus').removeClass('kbfocus');
    this.current = id;
    if (!id) return;
    const n = cy.getElementById(id);
    if (n.empty()) return;
    n.addClass('kbfocus');
    const p = n.renderedPosition();
    if (p.x < 20 || p.y < 20 || p.x > cy.width() - 20 || p.y > cy.height() - 20) cy.center(n);
    this.announce(`Focused ${this.words(id)}`);
  }

  /** Select `id` as a click would, with the focus ring on it. */
  selectNode(id: string): void {
    this.moveTo(id);
    this.events.select(id);
    this.announce(`Selected ${this.words(id)}; its facts and actions are in the side panel`);
  }

  private onKey(e: KeyboardEvent): void {
    const dir = directionOfKey(e.key);
    if (dir) {
      e.preventDefault();
      const here = this.current ? this.spots().find((s) => s.id === this.current) : undefined;
      if (!here) return this.moveTo(this.startNode());
      const next = nearestInDirection(here, this.spots(), dir);
      if (next) this.moveTo(next.id);
      else this.announce(`No node ${dir === 'up' || dir === 'down' ? dir : `to the ${dir}`} of ${this.words(here.id)}`);
      return;
    }
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      if (this.current) this.selectNode(this.current);
      return;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      this.moveTo(null);
      this.events.select(null);
      this.announce('Selection cleared');
    }
  }
}

/**
 * The match search + Enter selects: the node whose label is the query (any case), else the one
 * whose label starts with it, else the shortest label containing it; ties by id. Undefined when
 * there are no candidates.
 */
export function bestMatch(query: string, candidates: readonly { id: string; label: string }[]): string | undefined {
  const q = query.trim().toLowerCase();
  const rank = (c: { label: string }): number => {
    const l = c.label.toLowerCase();
    return l === q ? 0 : l.startsWith(q) ? 1 : l.includes(q) ? 2 : 3;
  };
  const sorted = [...candidates].sort((a, b) => rank(a) - rank(b) || a.label.length - b.label.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return sorted[0]?.id;
}
