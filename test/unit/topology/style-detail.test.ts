// The overview of a large graph (webview/style.ts, LABEL_ZOOM): zoomed out it drops label text
// and dotted dashes, which cost most of the first draw and could not be seen at that zoom. Checked
// against Cytoscape itself (headless, with the real stylesheet): the overview still shows every
// node, box and edge with its colour, and zooming in brings labels and dotted lines back.
import * as assert from 'node:assert/strict';
import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import { detailAt, LABEL_ZOOM, stylesheet, type Palette } from '../../../webview/style';

const PALETTE: Palette = {
  fg: '#cccccc', bg: '#1e1e1e', muted: '#9d9d9d', border: '#555555', accent: '#007fd4', selection: '#264f78', container: '#3794ff', vm: '#b180d7',
  bridge: '#d18616', ovs: '#cca700', iface: '#388a34', down: '#f14c4c', boxBg: '#252526', edge: '#858585', tunnel: '#b180d7', fontFamily: 'sans-serif',
};

const ELEMENTS: ElementDefinition[] = [
  { group: 'nodes', data: { id: 'ns', label: 'netns bench0' }, classes: 'box netns' },
  { group: 'nodes', data: { id: 'c', label: 'ctr-0', parent: 'ns' }, classes: 'container', position: { x: 0, y: 0 } },
  { group: 'nodes', data: { id: 'd', label: 'ctr-1' }, classes: 'container', position: { x: 200, y: 0 } },
  { group: 'nodes', data: { id: 'in', label: 'eth0', parent: 'ns' }, classes: 'interface', position: { x: 40, y: 0 } },
  { group: 'nodes', data: { id: 'out', label: 'veth0' }, classes: 'interface', position: { x: 120, y: 0 } },
  { group: 'nodes', data: { id: 'br', label: 'br0' }, classes: 'bridge', position: { x: 160, y: 60 } },
  { group: 'edges', data: { id: 'veth', source: 'out', target: 'in' }, classes: 'veth-peer' },
  { group: 'edges', data: { id: 'port', source: 'out', target: 'br' }, classes: 'bridge-port' },
  { group: 'edges', data: { id: 'share', source: 'c', target: 'd', label: 'ipc' }, classes: 'shares-namespace' },
];

function drawn(large: boolean, detail: boolean): Core {
  const cy = cytoscape({ headless: true, styleEnabled: true, style: stylesheet(PALETTE, large, detail) as cytoscape.StylesheetJson });
  cy.add(ELEMENTS);
  return cy;
}

const look = (cy: Core, id: string, props: string[]) => Object.fromEntries(props.map((p) => [p, cy.getElementById(id).style(p) as string]));

describe('Large-graph overview style', () => {
  it('small graphs always have detail; large ones from the zoom where 10 px labels are readable', () => {
    assert.equal(detailAt(0.05, false), true);
    assert.equal(detailAt(0.13, true), false);
    assert.equal(detailAt(LABEL_ZOOM - 0.01, true), false);
    assert.equal(detailAt(LABEL_ZOOM, true), true);
    assert.equal(detailAt(4, true), true);
    // Cytoscape hides text under min-zoomed-font-size anyway: below LABEL_ZOOM no node label could show.
    const cy = drawn(true, true);
    assert.ok(Number.parseFloat(cy.getElementById('c').style('font-size')) * (LABEL_ZOOM - 0.01) < Number.parseFloat(cy.getElementById('c').style('min-zoomed-font-size')));
  });

  it('zoomed in, a large graph has its labels and dotted lines', () => {
    const cy = drawn(true, true);
    assert.equal(cy.getElementById('c').style('label'), 'ctr-0');
    assert.equal(cy.getElementById('ns').style('label'), 'netns bench0');
    assert.equal(cy.getElementById('share').style('label'), 'ipc');
    assert.equal(cy.getElementById('share').style('line-style'), 'dotted');
  });

  it('the overview has no label text and solid, fainter lines for dotted edges', () => {
    const cy = drawn(true, false);
    for (const id of ['ns', 'c', 'd', 'in', 'out', 'br', 'share']) assert.equal(cy.getElementById(id).style('label'), '', id);
    assert.equal(cy.getElementById('share').style('line-style'), 'solid');
    assert.ok(Number.parseFloat(cy.getElementById('share').style('line-opacity')) < 1);
  });

  it('the overview still shows every node, box and edge as in the detailed picture', () => {
    const detail = drawn(true, true);
    const overview = drawn(true, false);
    const nodeProps = ['display', 'visibility', 'opacity', 'shape', 'width', 'height', 'background-color', 'background-opacity', 'border-width', 'border-color', 'border-style'];
    const edgeProps = ['display', 'visibility', 'opacity', 'width', 'line-color', 'curve-style'];
    for (const n of ['ns', 'c', 'd', 'in', 'out', 'br']) assert.deepEqual(look(overview, n, nodeProps), look(detail, n, nodeProps), n);
    for (const e of ['veth', 'port', 'share']) assert.deepEqual(look(overview, e, edgeProps), look(detail, e, edgeProps), e);
    for (const e of ['veth', 'port']) assert.deepEqual(look(overview, e, ['line-style', 'line-opacity']), look(detail, e, ['line-style', 'line-opacity']), e);
    // Same positions, same box around its members.
    const bb = (cy: Core) => { const b = cy.getElementById('ns').boundingBox({ includeLabels: false }); return [b.x1, b.y1, b.x2, b.y2].map(Math.round); };
    assert.deepEqual(bb(overview), bb(detail));
  });

  it('small graphs are unaffected by the large style switch', () => {
    const cy = drawn(false, true);
    assert.equal(cy.getElementById('c').style('label'), 'ctr-0');
    assert.equal(cy.getElementById('share').style('line-style'), 'dotted');
  });
});
