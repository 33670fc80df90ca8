// Two workarounds for Cytoscape costs that dominated drawing large compound graphs (Cytoscape 3.34).
//
// 1. A shortcut for the first style of a new element in a graph with compound nodes (namespace boxes).
//
// Cytoscape applies an element's style lazily, property by property, and after each property it
// clears the cached state derived from it (style caches of the element, its descendants, its
// ancestors and every edge touching them; bounding boxes; z-order), building a dozen collections
// and emitting a 'bounds' event each time. For an element added since the last paint that work is
// wasted: Cytoscape already cleared its box's bounds and the z-order when it was added, and any
// other cached value could only depend on the new element by reading its style, which applies it
// first. On the first draw of 2,000 nodes in 200 boxes this was about a third of the time to paint.
// Every later style change (search, focus, state, a new theme) takes Cytoscape's full path.
//
// 2. No restyle on every draw of a node. Cytoscape's node drawing checks whether background images
// are still loading, and for a node without images that check flips the element's
// `backgrounding` flag from false to true and back on each draw (the 'inside'/'over' image
// containment passes count differently), and each flip restyles the node, its box and, for a box,
// everything in it. After each paint the whole graph was restyled again: a diff of 10 nodes
// repainted in ~430 ms. Our stylesheet draws no background images, so the flag is pinned to false.
import type { Core, NodeCollection } from 'cytoscape';

interface StyleInternals {
  checkTriggers(ele: unknown, name: string, from: unknown, to: unknown): void;
  apply(eles: unknown): unknown;
  __virtlabFirstStyle?: true;
}

interface EleInternals {
  _private: { appliedInitStyle?: boolean; styleCache: unknown };
}

/** Keep `backgrounding` false on these nodes (no background images are ever drawn; see 2. above). */
export function pinNoBackgroundImages(nodes: NodeCollection): void {
  nodes.forEach((n) => {
    const p = (n as unknown as { _private: Record<string, unknown> })._private;
    if (p && typeof p.backgrounding === 'boolean') Object.defineProperty(p, 'backgrounding', { get: () => false, set: () => undefined, configurable: true, enumerable: true });
  });
}

/** Install on the current stylesheet object of `cy` (again after each cy.style(...) replaces it). */
export function lightenFirstStyle(cy: Core): void {
  const style = cy.style() as unknown as StyleInternals;
  if (typeof style.checkTriggers !== 'function' || style.__virtlabFirstStyle) return;
  // New elements are recognised by Cytoscape's own mark of a finished first style: an element is
  // created without it, gets `true` after its first style and `false` when a new stylesheet
  // restyles everything. A Cytoscape that no longer keeps the mark keeps its full path.
  if (!String(style.apply).includes('appliedInitStyle')) return;
  const full = style.checkTriggers;
  style.checkTriggers = function (this: StyleInternals, ele, name, from, to) {
    const p = (ele as EleInternals)._private;
    if (p.appliedInitStyle !== undefined) return full.call(this, ele, name, from, to);
    p.styleCache = null;
  };
  style.__virtlabFirstStyle = true;
}

// 3. The first picture drawn directly instead of through per-element textures.
//
// At the zoom levels where Cytoscape draws the graph from a few whole-graph layer images, those
// layers are built over the following frames; until then (the first picture, and after changes
// invalidate them) Cytoscape falls back to drawing every element into its own texture canvas and
// copying that onto the screen. For a first picture of thousands of elements this doubled the
// drawing: about a third of the time until the 2,000-node graph was on screen. Drawn directly
// the pixels are the same and appear sooner; the
// layers still replace it as soon as they exist. Zoomed in beyond the layered range, Cytoscape's
// own cached drawing is kept (few elements visible, redrawn often while panning).

interface LayerInternals {
  data: { lyrTxrCache: { getLayers(eles: unknown, pxRatio: number): { bb: BB; canvas: CanvasImageSource }[] | null } };
  drawLayeredElements(ctx: CanvasRenderingContext2D, eles: EleList, pxRatio: number, extent: BB): void;
  drawCachedElements(ctx: CanvasRenderingContext2D, eles: EleList, pxRatio: number, extent: BB): void;
  drawElement(ctx: CanvasRenderingContext2D, ele: unknown): void;
  __virtlabDirectFirst?: true;
}
interface BB { x1: number; y1: number; x2: number; y2: number; w: number; h: number }
type EleList = ArrayLike<unknown>;

/** Above this zoom Cytoscape never uses layer images (its layered texture cache's own limit). */
export const LAYERED_MAX_ZOOM = 3.99;

/** Install on the canvas renderer of `cy` (no-op headless or on a Cytoscape without layer caching). */
export function drawDirectlyUntilLayered(cy: Core): boolean {
  const r = (cy as unknown as { renderer(): LayerInternals | undefined }).renderer?.();
  if (!r || typeof r.drawLayeredElements !== 'function' || typeof r.drawElement !== 'function' || !r.data?.lyrTxrCache || r.__virtlabDirectFirst) return false;
  r.drawLayeredElements = function (ctx, eles, pxRatio, extent) {
    const layers = r.data.lyrTxrCache.getLayers(eles, pxRatio);
    if (layers) {
      for (const layer of layers) {
        const bb = layer.bb;
        if (bb.w !== 0 && bb.h !== 0) ctx.drawImage(layer.canvas, bb.x1, bb.y1, bb.w, bb.h);
      }
      return;
    }
    if (cy.zoom() >= LAYERED_MAX_ZOOM) return r.drawCachedElements(ctx, eles, pxRatio, extent);
    // No culling by bounding box: asking every element for it cost more than drawing them all.
    for (let i = 0; i < eles.length; i++) r.drawElement(ctx, eles[i]);
  };
  r.__virtlabDirectFirst = true;
  return true;
}
