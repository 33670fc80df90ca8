// The topology's legend: what each shape, colour and line style of the stylesheet (style.ts) stands
// for, drawn with the same palette so it matches the graph in light, dark and high-contrast themes.
// legendEntries is pure (unit-tested in Node); renderLegend builds the DOM (no innerHTML).
import type { Palette } from './style';

export type Swatch =
  | { shape: 'rect' | 'round' | 'circle' | 'diamond' | 'hexagon' | 'box'; fill: string; stroke?: string; dashed?: boolean }
  | { shape: 'line'; stroke: string; dashed?: boolean; dotted?: boolean };

export interface LegendEntry {
  swatch: Swatch;
  text: string;
  /** The Cytoscape classes of the element it describes (a unit test draws one and compares the colours). */
  of: string;
}

/** Every mark the stylesheet draws, in words. Colours are the palette's, so the legend follows the theme. */
export function legendEntries(p: Palette): LegendEntry[] {
  return [
    { of: 'host', swatch: { shape: 'round', fill: p.bg, stroke: p.fg }, text: 'This machine (the host: the kernel every container shares)' },
    { of: 'container', swatch: { shape: 'round', fill: p.container }, text: 'Container (running)' },
    { of: 'container stopped', swatch: { shape: 'round', fill: p.container, dashed: true }, text: 'Container stopped, or greyed: last known while its engine does not answer' },
    { of: 'vm', swatch: { shape: 'rect', fill: p.vm }, text: 'Virtual machine (its own kernel, under a hypervisor)' },
    { of: 'interface', swatch: { shape: 'circle', fill: p.iface }, text: 'Network interface, up' },
    { of: 'interface down', swatch: { shape: 'circle', fill: p.down }, text: 'Network interface, down (state DOWN or LOWERLAYERDOWN)' },
    { of: 'bridge', swatch: { shape: 'diamond', fill: p.bridge }, text: 'Linux bridge, or a lab switch' },
    { of: 'ovs-bridge', swatch: { shape: 'hexagon', fill: p.ovs }, text: 'Open vSwitch bridge (OpenFlow decides)' },
    { of: 'box netns', swatch: { shape: 'box', fill: p.boxBg, stroke: p.border }, text: 'Box: a network namespace (dashed: the host\'s), a VM or a running lab, holding what is inside it' },
    { of: 'veth-peer', swatch: { shape: 'line', stroke: p.iface }, text: 'veth pair: two ends of one virtual cable' },
    { of: 'bridge-port', swatch: { shape: 'line', stroke: p.bridge }, text: 'Port of a bridge or switch' },
    { of: 'vxlan-tunnel', swatch: { shape: 'line', stroke: p.tunnel, dashed: true }, text: 'VXLAN tunnel (an overlay carried over UDP)' },
    { of: 'member-of', swatch: { shape: 'line', stroke: p.edge, dotted: true }, text: 'Shares a namespace, member of, in cgroup, from image (the Namespaces, cgroups and Storage layers)' },
  ];
}

const SVG = 'http://www.w3.org/2000/svg';

function svgEl(name: string, attrs: Record<string, string>): SVGElement {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

function swatchSvg(s: Swatch): SVGElement {
  const svg = svgEl('svg', { width: '22', height: '14', viewBox: '0 0 22 14', 'aria-hidden': 'true', class: 'legend-swatch' });
  if (s.shape === 'line') {
    const dash = s.dashed ? '4 2' : s.dotted ? '1 2' : '';
    svg.append(svgEl('line', { x1: '1', y1: '7', x2: '21', y2: '7', stroke: s.stroke, 'stroke-width': '2', ...(dash ? { 'stroke-dasharray': dash } : {}) }));
    return svg;
  }
  const paint = { fill: s.fill, stroke: s.stroke ?? s.fill, 'stroke-width': '1.5', ...(s.dashed ? { 'stroke-dasharray': '2 1.5', 'fill-opacity': '0.35' } : {}) };
  const shape =
    s.shape === 'circle' ? svgEl('circle', { cx: '11', cy: '7', r: '5', ...paint })
    : s.shape === 'diamond' ? svgEl('polygon', { points: '11,1 17,7 11,13 5,7', ...paint })
    : s.shape === 'hexagon' ? svgEl('polygon', { points: '6,2 16,2 20,7 16,12 6,12 2,7', ...paint })
    : svgEl('rect', { x: '2', y: '2', width: '18', height: '10', rx: s.shape === 'round' || s.shape === 'box' ? '3' : '0', ...paint, ...(s.shape === 'box' ? { 'fill-opacity': '0.6' } : {}) });
  svg.append(shape);
  return svg;
}

/** Fill `container` with the legend: a <details> the user can fold, its state kept by the caller. */
export function renderLegend(container: HTMLElement, p: Palette): void {
  container.replaceChildren();
  const list = document.createElement('ul');
  list.className = 'legend-list';
  for (const e of legendEntries(p)) {
    const li = document.createElement('li');
    const text = document.createElement('span');
    text.textContent = e.text;
    li.append(swatchSvg(e.swatch), text);
    list.append(li);
  }
  container.append(list);
}
