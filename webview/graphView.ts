// The Cytoscape side: applies element patches by id (untouched nodes keep their place), lays out
// the first picture (fCoSE for small graphs, the packed grid for large ones), keeps positions the
// user dragged, and does search, neighbourhood focus and SVG/PNG export.
import cytoscape, { type Core, type ElementDefinition, type NodeSingular } from 'cytoscape';
import fcose from 'cytoscape-fcose';
import svg from 'cytoscape-svg';
import { diffElements, type Element } from './elements';
import { drawDirectlyUntilLayered, lightenFirstStyle, pinNoBackgroundImages } from './cytoscapeFixes';
import { keyboardStyle } from './keyboard';
import { packLayout, type PackItem, type Point } from './pack';
import { detailAt, readPalette, stylesheet } from './style';

cytoscape.use(fcose as unknown as cytoscape.Ext);
cytoscape.use(svg as unknown as cytoscape.Ext);

/** Above this many nodes the force layout is skipped for the packed grid (see pack.ts). */
export const FORCE_LAYOUT_LIMIT = 200;
/** Search zooms to its matches, but no closer than this (labels at twice their size). */
const SEARCH_MAX_ZOOM = 2;

export interface GraphViewEvents {
  onSelect(nodeId: string | null): void;
  /** A node was dragged; positions of the moved leaves. */
  onMoved(moved: Record<string, Point>): void;
}

export class GraphView {
  readonly cy: Core;
  private drawn = new Map<string, Element>();
  private saved: Record<string, Point> = {};
  private focused: string | null = null;
  /** Where removed nodes last stood, so one that comes back (a container after a Docker restart) returns there. */
  private readonly lastSeen = new Map<string, Point>();
  lastLayout: 'fcose' | 'packed' | 'none' = 'none';
  /** Drawn with the cheaper large-graph style (see stylesheet). */
  private large = false;
  /** Labels and dotted lines (a large graph only when zoomed in enough to see them; see LABEL_ZOOM). */
  private detail = true;

  constructor(container: HTMLElement, private readonly events: GraphViewEvents) {
    this.cy = cytoscape({
      container,
      style: [...stylesheet(readPalette()), ...keyboardStyle(readPalette())] as cytoscape.StylesheetJson,
      wheelSensitivity: 0.3,
      minZoom: 0.05,
      maxZoom: 4,
      boxSelectionEnabled: false,
      // Large graphs: draw edges and labels cheaply while panning.
      hideEdgesOnViewport: false,
      textureOnViewport: true,
      pixelRatio: 1,
    });
    lightenFirstStyle(this.cy);
    drawDirectlyUntilLayered(this.cy);
    this.cy.on('zoom', () => this.syncDetail());
    this.cy.on('tap', 'node', (e) => this.events.onSelect((e.target as NodeSingular).id()));
    this.cy.on('tap', (e) => {
      if (e.target === this.cy) this.events.onSelect(null);
    });
    this.cy.on('dragfree', 'node', (e) => {
      const n = e.target as NodeSingular;
      const moved: Record<string, Point> = {};
      const leaves = n.isParent() ? n.descendants().filter((d) => !d.isParent()) : n;
      leaves.forEach((l) => {
        const p = (l as NodeSingular).position();
        moved[l.id()] = { x: p.x, y: p.y };
      });
      Object.assign(this.saved, moved);
      this.events.onMoved(moved);
    });
  }

  /** Positions the user chose, kept across reloads through the webview state. */
  setSavedPositions(p: Record<string, Point>): void {
    this.saved = { ...p };
  }

  restyle(): void {
    this.cy.style([...stylesheet(readPalette(), this.large, this.detail), ...keyboardStyle(readPalette())] as cytoscape.StylesheetJson);
    lightenFirstStyle(this.cy);
  }

  /** Detail on or off for the current zoom (restyles only when that changes). */
  private syncDetail(): void {
    const want = detailAt(this.cy.zoom(), this.large);
    if (want === this.detail) return;
    this.detail = want;
    this.restyle();
  }

  /** Whether labels and dotted lines are currently drawn. */
  get detailShown(): boolean {
    return this.detail;
  }

  get elementCount(): { nodes: number; edges: number } {
    return { nodes: this.cy.nodes().length, edges: this.cy.edges().length };
  }

  /** Draw `next`: the first time with a layout, later as a patch by id without moving untouched nodes. */
  render(next: Map<string, Element>): void {
    const first = this.drawn.size === 0;
    const patch = diffElements(this.drawn, next);
    const cy = this.cy;
    const added: string[] = [];
    let packedNow = false;
    // The style is chosen once, before the first elements exist, where changing it costs nothing.
    if (first && !this.large && [...next.values()].filter((e) => e.group === 'nodes').length > FORCE_LAYOUT_LIMIT) {
      this.large = true;
      // Labels and dotted lines come with the zoom that can show them (syncDetail, after the first fit).
      this.detail = false;
      this.restyle();
    }
    cy.batch(() => {
      if (patch.remove.length) {
        const gone = patch.remove.map((id) => cy.getElementById(id)).filter((e) => e.nonempty());
        this.releaseFromRemoved(gone, new Set(patch.remove));
        cy.remove(cy.collection(gone as unknown as cytoscape.CollectionArgument));
      }
      // Nodes first (parents before children), then edges.
      const nodes = patch.add.filter((e) => e.group === 'nodes').sort((a, b) => (a.data.parent ? 1 : 0) - (b.data.parent ? 1 : 0));
      const defs: ElementDefinition[] = [...nodes, ...patch.add.filter((e) => e.group === 'edges')].map((e) => ({ group: e.group, data: { ...e.data }, classes: e.classes }));
      // Large first pictures get their packed positions as they are added: one pass, no second layout.
      if (first && nodes.length > FORCE_LAYOUT_LIMIT) {
        const pos = packLayout(nodes.map((n) => ({ id: n.data.id, parent: n.data.parent })));
        for (const d of defs) {
          const p = d.group === 'nodes' ? (this.saved[d.data.id!] ?? pos.get(d.data.id!)) : undefined;
          if (p) d.position = { x: p.x, y: p.y };
        }
        this.lastLayout = 'packed';
        packedNow = true;
      }
      const parents = new Set(nodes.map((n) => n.data.id));
      // A child whose box arrives later in this batch is added without it, then moved in.
      const deferredMoves: [string, string][] = [];
      for (const d of defs) {
        const parent = d.data.parent as string | undefined;
        if (parent && !parents.has(parent) && cy.getElementById(parent).empty()) {
          delete d.data.parent;
        }
      }
      pinNoBackgroundImages(cy.add(defs).nodes());
      for (const e of patch.update) {
        const el = cy.getElementById(e.data.id);
        if (el.empty()) continue;
        el.data('label', e.data.label);
        el.classes(e.classes);
        if (el.isNode() && (el.data('parent') ?? undefined) !== e.data.parent) deferredMoves.push([e.data.id, e.data.parent ?? '']);
      }
      for (const [id, parent] of deferredMoves) {
        const n = cy.getElementById(id);
        if (n.nonempty() && (!parent || cy.getElementById(parent).nonempty())) n.move({ parent: parent || null });
      }
      for (const n of nodes) added.push(n.data.id);
    });
    this.drawn = next;
    if (packedNow) this.fitPositions();
    else if (first) this.layoutAll();
    else if (added.length) this.placeNew(added);
    if (this.focused) this.focus(this.focused);
    this.syncDetail();
  }

  /**
   * Fit the viewport from node centres alone. cy.fit() measures every label for the bounding box,
   * which on a first draw of thousands of nodes cost more than adding them.
   */
  private fitPositions(padding = 30): void {
    const cy = this.cy;
    let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
    cy.nodes().forEach((n) => {
      if (n.isParent()) return;
      const p = n.position();
      x1 = Math.min(x1, p.x); x2 = Math.max(x2, p.x); y1 = Math.min(y1, p.y); y2 = Math.max(y2, p.y);
    });
    if (!Number.isFinite(x1)) return;
    // Room for node size and box padding around the outermost centres.
    x1 -= 60; y1 -= 60; x2 += 60; y2 += 60;
    const w = cy.width() - 2 * padding;
    const h = cy.height() - 2 * padding;
    const zoom = Math.max(cy.minZoom(), Math.min(cy.maxZoom(), Math.min(w / (x2 - x1), h / (y2 - y1))));
    cy.viewport({ zoom, pan: { x: padding + (w - zoom * (x2 - x1)) / 2 - zoom * x1, y: padding + (h - zoom * (y2 - y1)) / 2 - zoom * y1 } });
  }

  /** Lay out everything; positions the user dragged win over the layout. */
  layoutAll(): void {
    const cy = this.cy;
    const n = cy.nodes().length;
    if (!n) return;
    if (n <= FORCE_LAYOUT_LIMIT) {
      cy.layout({ name: 'fcose', quality: 'default', randomize: true, animate: false, nodeDimensionsIncludeLabels: false, idealEdgeLength: 60, nodeRepulsion: 6000, tile: true, fit: true, padding: 30 } as cytoscape.LayoutOptions).run();
      this.lastLayout = 'fcose';
    } else {
      const pos = packLayout(cy.nodes().map((x) => ({ id: x.id(), parent: x.data('parent') as string | undefined })));
      cy.batch(() => {
        for (const [id, p] of pos) {
          const el = cy.getElementById(id);
          if (el.nonempty() && !el.isParent()) el.position(p);
        }
      });
      this.lastLayout = 'packed';
    }
    this.applySaved();
    cy.fit(undefined, 30);
  }

  private applySaved(): void {
    const cy = this.cy;
    cy.batch(() => {
      for (const [id, p] of Object.entries(this.saved)) {
        const el = cy.getElementById(id);
        if (el.nonempty() && el.isNode() && !el.isParent()) el.position(p);
      }
    });
  }

  /**
   * New nodes go next to a sibling in their box or a neighbour, never through a new layout. Those
   * with neither (a lab that just came up: new boxes and everything in them) are packed as a
   * group to the right of the picture, so new boxes do not overlap each other.
   */
  private placeNew(ids: string[]): void {
    const cy = this.cy;
    const fresh = new Set(ids);
    const loose: PackItem[] = [];
    const freshBoxes = new Set<string>();
    let k = 0;
    cy.batch(() => {
      for (const id of ids) {
        const n = cy.getElementById(id);
        if (n.empty() || n.isParent()) continue;
        const saved = this.saved[id] ?? this.lastSeen.get(id);
        if (saved) {
          n.position(saved);
          continue;
        }
        const parent = n.parent().first() as NodeSingular;
        const anchor = (parent.nonempty() ? parent.children() : n.neighborhood('node')).filter((c) => c.id() !== id && !fresh.has(c.id())).first() as NodeSingular;
        if (anchor.nonempty()) {
          const j = k++;
          const p = anchor.position();
          n.position({ x: p.x + 30 + (j % 5) * 14, y: p.y + 24 + Math.floor(j / 5) * 14 });
        } else if (parent.nonempty() && !fresh.has(parent.id())) {
          // The only child of a box that was already drawn: where the box stood.
          n.position({ ...parent.position() });
        } else {
          const box = parent.nonempty() ? parent.id() : undefined;
          if (box) freshBoxes.add(box);
          loose.push({ id, parent: box });
        }
      }
      if (!loose.length) return;
      // The extent of the picture before (every node and label measured) only when needed.
      const bb = cy.nodes().filter((x) => !fresh.has(x.id())).boundingBox();
      const origin = Number.isFinite(bb.x2) ? { x: bb.x2 + 60, y: bb.y1 } : { x: 0, y: 0 };
      for (const [id, p] of packLayout([...loose, ...[...freshBoxes].map((b) => ({ id: b }))], origin)) {
        if (!freshBoxes.has(id)) cy.getElementById(id).position(p);
      }
    });
  }

  /**
   * Before `gone` is removed: remember where its leaves stood, and take the children that stay out
   * of a box that goes (Cytoscape removes a box's children with it; a kept container whose
   * namespace box vanished must stay drawn where it is).
   */
  private releaseFromRemoved(gone: cytoscape.CollectionReturnValue[], removed: Set<string>): void {
    for (const el of gone) {
      if (!el.isNode()) continue;
      const n = el as unknown as NodeSingular;
      if (!n.isParent()) {
        const p = n.position();
        this.lastSeen.set(n.id(), { x: p.x, y: p.y });
        continue;
      }
      n.children().forEach((c) => {
        if (!removed.has(c.id())) c.move({ parent: null });
      });
    }
  }

  select(nodeId: string | null): void {
    this.cy.$(':selected').unselect();
    if (nodeId) this.cy.getElementById(nodeId).select();
  }

  /** Mark nodes whose label or id contains `text`; returns how many matched. */
  search(text: string): number {
    const q = text.trim().toLowerCase();
    const cy = this.cy;
    let count = 0;
    cy.batch(() => {
      cy.nodes().removeClass('match');
      if (!q) return;
      cy.nodes().forEach((n) => {
        const label = String(n.data('label') ?? '').toLowerCase();
        if (label.includes(q) || n.id().toLowerCase().includes(q)) {
          n.addClass('match');
          count++;
        }
      });
    });
    const hits = cy.nodes('.match');
    if (hits.nonempty()) {
      cy.fit(hits, 60);
      // A single small hit would otherwise fill the view at the maximum zoom.
      if (cy.zoom() > SEARCH_MAX_ZOOM) {
        cy.zoom(SEARCH_MAX_ZOOM);
        cy.center(hits);
      }
    }
    return count;
  }

  /** Show only a node, its neighbours and their boxes (null: everything again). */
  focus(nodeId: string | null): void {
    const cy = this.cy;
    this.focused = nodeId;
    cy.batch(() => {
      cy.elements().removeClass('hidden');
      if (!nodeId) return;
      const n = cy.getElementById(nodeId);
      if (n.empty()) return;
      let keep = n.closedNeighborhood().union(n.descendants()).union(n.descendants().closedNeighborhood());
      keep = keep.union(keep.ancestors());
      cy.elements().difference(keep).addClass('hidden');
    });
    if (nodeId) cy.fit(cy.elements(':visible'), 40);
  }

  get focusedNode(): string | null {
    return this.focused;
  }

  exportPng(): string {
    return this.withDetail(() => this.cy.png({ output: 'base64uri', full: true, scale: 2, bg: readPalette().bg }));
  }

  exportSvg(): string {
    return this.withDetail(() => (this.cy as unknown as { svg(o: object): string }).svg({ full: true, scale: 1, bg: readPalette().bg }));
  }

  /** Exports are drawn at their own scale, where labels are readable: never from the overview style. */
  private withDetail<T>(draw: () => T): T {
    if (this.detail) return draw();
    this.detail = true;
    this.restyle();
    try {
      return draw();
    } finally {
      this.syncDetail();
    }
  }

  fit(): void {
    this.cy.fit(undefined, 30);
  }
}
