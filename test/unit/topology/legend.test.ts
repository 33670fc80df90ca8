// The legend says what the stylesheet draws: each entry's swatch is checked against Cytoscape
// itself (headless, the real stylesheet) for an element of the classes it describes, so a colour
// or line style changed in style.ts without the legend fails here.
import * as assert from 'node:assert/strict';
import cytoscape from 'cytoscape';
import { hostLabel } from '../../../webview/elements';
import { legendEntries } from '../../../webview/legend';
import { stylesheet, type Palette } from '../../../webview/style';

const PALETTE: Palette = {
  fg: '#cccccc', bg: '#1e1e1e', muted: '#9d9d9d', border: '#555555', accent: '#007fd4', selection: '#264f78', container: '#3794ff', vm: '#b180d7',
  bridge: '#d18616', ovs: '#cca700', iface: '#388a34', down: '#f14c4c', boxBg: '#252526', edge: '#858585', tunnel: '#b18fd7', fontFamily: 'sans-serif',
};

const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(',')})`;

describe('topology legend', () => {
  const cy = cytoscape({ headless: true, styleEnabled: true, style: stylesheet(PALETTE, false, true) as cytoscape.StylesheetJson });
  cy.add([{ group: 'nodes', data: { id: 'a', label: 'a' } }, { group: 'nodes', data: { id: 'b', label: 'b' } }]);

  it('names every mark it shows, and each swatch has the colour and line style the graph draws', () => {
    const entries = legendEntries(PALETTE);
    assert.ok(entries.length >= 12, `${entries.length} entries`);
    for (const e of entries) {
      assert.ok(e.text.length > 5, e.of);
      if (e.swatch.shape === 'line') {
        const edge = cy.add({ group: 'edges', data: { id: `e-${e.of}`, label: 'x', source: 'a', target: 'b' }, classes: e.of });
        assert.equal(edge.style('line-color'), rgb(e.swatch.stroke), `${e.of} line colour`);
        assert.equal(edge.style('line-style'), e.swatch.dashed ? 'dashed' : e.swatch.dotted ? 'dotted' : 'solid', `${e.of} line style`);
      } else {
        const node = cy.add({ group: 'nodes', data: { id: `n-${e.of}`, label: 'x' }, classes: e.of });
        assert.equal(node.style('background-color'), rgb(e.swatch.fill), `${e.of} fill`);
        if (e.swatch.dashed) assert.equal(node.style('border-style'), 'dashed', `${e.of} dashed border`);
        if (e.swatch.stroke && e.of !== 'box netns') assert.equal(node.style('border-color'), rgb(e.swatch.stroke), `${e.of} border`);
      }
    }
  });

  it('a red interface dot is explained, and the host is this machine, not a VM', () => {
    const entries = legendEntries(PALETTE);
    const down = entries.find((e) => e.swatch.shape !== 'line' && e.swatch.fill === PALETTE.down);
    assert.match(down?.text ?? '', /interface, down/);
    assert.match(entries.find((e) => e.of === 'host')?.text ?? '', /^This machine/);
    assert.equal(hostLabel('bookworm'), 'This machine\nbookworm');
    const host = cy.add({ group: 'nodes', data: { id: 'h', label: 'h' }, classes: 'host' });
    const vm = cy.add({ group: 'nodes', data: { id: 'v', label: 'v' }, classes: 'vm' });
    assert.notEqual(host.style('background-color'), vm.style('background-color'));
    assert.equal(host.style('border-style'), 'double');
  });
});
