// The two Cytoscape workarounds of webview/cytoscapeFixes.ts, checked against Cytoscape itself
// (headless, with styles): they must be in effect on the Cytoscape we ship, and a graph drawn with
// them must measure and hide exactly as one drawn without.
import * as assert from 'node:assert/strict';
import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import { lightenFirstStyle, pinNoBackgroundImages } from '../../../webview/cytoscapeFixes';

const STYLE = [
  { selector: 'node', style: { width: 18, height: 18, 'border-width': 1 } },
  { selector: 'node.big', style: { width: 40, height: 30 } },
  { selector: 'node.box', style: { padding: '8px', 'border-width': 2 } },
  { selector: 'edge', style: { width: 1, 'curve-style': 'haystack' } },
  { selector: '.hidden', style: { display: 'none' } },
];

/** Boxes b0..b{n-1} with 4 children each, a veth-like edge between neighbouring boxes' children. */
function elements(n: number): ElementDefinition[] {
  const out: ElementDefinition[] = [];
  for (let b = 0; b < n; b++) {
    out.push({ group: 'nodes', data: { id: `b${b}` }, classes: 'box' });
    for (let k = 0; k < 4; k++) out.push({ group: 'nodes', data: { id: `b${b}n${k}`, parent: `b${b}` }, classes: k === 0 ? 'big' : '', position: { x: b * 200 + k * 30, y: k * 25 } });
  }
  for (let b = 1; b < n; b++) out.push({ group: 'edges', data: { id: `e${b}`, source: `b${b - 1}n1`, target: `b${b}n2` } });
  return out;
}

function make(fixed: boolean): Core {
  const cy = cytoscape({ headless: true, styleEnabled: true, style: STYLE as cytoscape.StylesheetJson });
  if (fixed) lightenFirstStyle(cy);
  return cy;
}

const measure = (cy: Core) =>
  cy.elements().map((e) => {
    const bb = e.boundingBox();
    return [e.id(), e.visible(), Math.round(bb.x1), Math.round(bb.y1), Math.round(bb.x2), Math.round(bb.y2)];
  });

describe('Cytoscape workarounds for large compound graphs', () => {
  it('the first-style shortcut is in effect on the Cytoscape we ship', () => {
    const cy = make(true);
    assert.equal((cy.style() as unknown as { __virtlabFirstStyle?: boolean }).__virtlabFirstStyle, true, 'Cytoscape no longer marks first styles: the shortcut fell back to the full path');
  });

  it('a graph styled with the shortcut measures exactly as one without', () => {
    const plain = make(false);
    const fixed = make(true);
    plain.add(elements(6));
    fixed.add(elements(6));
    assert.deepEqual(measure(fixed), measure(plain));
  });

  it('later style changes still reach children, boxes and edges', () => {
    const cy = make(true);
    cy.add(elements(3));
    assert.ok(cy.getElementById('b1n0').visible());
    assert.ok(cy.getElementById('e1').visible());
    cy.getElementById('b1').addClass('hidden');
    assert.equal(cy.getElementById('b1n0').visible(), false, 'a child of a hidden box is hidden');
    assert.equal(cy.getElementById('e1').visible(), false, 'an edge into a hidden box is hidden');
    cy.getElementById('b1').removeClass('hidden');
    assert.ok(cy.getElementById('b1n0').visible());
    assert.ok(cy.getElementById('e1').visible());
  });

  it('a node added later to a drawn box grows the box around it', () => {
    const cy = make(true);
    cy.add(elements(2));
    const box = cy.getElementById('b0');
    const w = box.boundingBox().w;
    cy.add({ group: 'nodes', data: { id: 'late', parent: 'b0' }, classes: 'big', position: { x: -300, y: 0 } });
    assert.ok(box.boundingBox().x1 < -300 && box.boundingBox().w > w);
  });

  it('background-image bookkeeping stays false on pinned nodes', () => {
    const cy = make(true);
    const nodes = cy.add(elements(1)).nodes();
    const p = (nodes[0] as unknown as { _private: { backgrounding?: unknown } })._private;
    assert.equal(typeof p.backgrounding, 'boolean', 'Cytoscape still keeps the backgrounding flag');
    pinNoBackgroundImages(nodes);
    p.backgrounding = true;
    assert.equal((nodes[0] as unknown as { backgrounding(): boolean }).backgrounding(), false);
  });
});
