// A deterministic O(n) layout for large graphs: the children of each box (network namespace, VM)
// in a square grid inside it, then boxes and loose nodes packed in shelves, largest first. Force
// layouts cost O(n^2) per step and take seconds on thousands of nodes; this takes milliseconds
// and still keeps every namespace a separate, non-overlapping box.

export interface PackItem {
  id: string;
  parent?: string;
}

export interface Point {
  x: number;
  y: number;
}

const CELL = 70;
const PAD = 24;
const GAP = 40;

interface Block {
  id: string;
  w: number;
  h: number;
  /** Leaf offsets relative to the block's top-left corner. */
  leaves: Map<string, Point>;
}

/** Positions (centres) for the leaves of a forest of boxes; boxes follow their children. */
export function packLayout(items: PackItem[], origin: Point = { x: 0, y: 0 }): Map<string, Point> {
  const ids = new Set(items.map((i) => i.id));
  const children = new Map<string, string[]>();
  const roots: string[] = [];
  for (const it of items) {
    const p = it.parent && ids.has(it.parent) && it.parent !== it.id ? it.parent : undefined;
    if (p) {
      let c = children.get(p);
      if (!c) children.set(p, (c = []));
      c.push(it.id);
    } else roots.push(it.id);
  }
  const visiting = new Set<string>();
  const block = (id: string): Block => {
    const kids = children.get(id);
    if (!kids?.length || visiting.has(id)) return { id, w: CELL, h: CELL, leaves: new Map([[id, { x: CELL / 2, y: CELL / 2 }]]) };
    visiting.add(id);
    const inner = shelves(kids.map(block));
    visiting.delete(id);
    const leaves = new Map<string, Point>();
    for (const [k, p] of inner.leaves) leaves.set(k, { x: p.x + PAD, y: p.y + PAD });
    return { id, w: inner.w + 2 * PAD, h: inner.h + 2 * PAD, leaves };
  };
  const all = shelves(roots.map(block));
  const out = new Map<string, Point>();
  for (const [k, p] of all.leaves) out.set(k, { x: p.x + origin.x, y: p.y + origin.y });
  return out;
}

/** Shelf packing: tallest blocks first, rows about as wide as the total is tall (a square-ish picture). */
function shelves(blocks: Block[]): { w: number; h: number; leaves: Map<string, Point> } {
  const sorted = [...blocks].sort((a, b) => b.h - a.h || b.w - a.w || (a.id < b.id ? -1 : 1));
  const area = sorted.reduce((s, b) => s + (b.w + GAP) * (b.h + GAP), 0);
  const maxW = Math.max(Math.sqrt(area) * 1.4, ...sorted.map((b) => b.w));
  const leaves = new Map<string, Point>();
  let x = 0;
  let y = 0;
  let rowH = 0;
  let w = 0;
  for (const b of sorted) {
    if (x > 0 && x + b.w > maxW) {
      y += rowH + GAP;
      x = 0;
      rowH = 0;
    }
    for (const [k, p] of b.leaves) leaves.set(k, { x: x + p.x, y: y + p.y });
    x += b.w + GAP;
    w = Math.max(w, x - GAP);
    rowH = Math.max(rowH, b.h);
  }
  return { w, h: y + rowH, leaves };
}
