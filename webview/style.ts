// Cytoscape draws on a canvas and cannot read CSS variables, so the VS Code theme colours are
// read once from the page (and again when the theme changes) and turned into a stylesheet.

export interface Palette {
  fg: string;
  bg: string;
  muted: string;
  border: string;
  accent: string;
  selection: string;
  container: string;
  vm: string;
  bridge: string;
  ovs: string;
  iface: string;
  down: string;
  boxBg: string;
  edge: string;
  tunnel: string;
  fontFamily: string;
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

/** Colours from the VS Code theme variables the webview host sets on <body>. */
export function readPalette(): Palette {
  const dark = document.body.classList.contains('vscode-dark') || document.body.classList.contains('vscode-high-contrast');
  return {
    fg: cssVar('--vscode-editor-foreground', dark ? '#cccccc' : '#333333'),
    bg: cssVar('--vscode-editor-background', dark ? '#1e1e1e' : '#ffffff'),
    muted: cssVar('--vscode-descriptionForeground', dark ? '#9d9d9d' : '#717171'),
    border: cssVar('--vscode-panel-border', dark ? '#555555' : '#c8c8c8'),
    accent: cssVar('--vscode-focusBorder', '#007fd4'),
    selection: cssVar('--vscode-editor-selectionBackground', dark ? '#264f78' : '#add6ff'),
    container: cssVar('--vscode-charts-blue', '#3794ff'),
    vm: cssVar('--vscode-charts-purple', '#b180d7'),
    bridge: cssVar('--vscode-charts-orange', '#d18616'),
    ovs: cssVar('--vscode-charts-yellow', '#cca700'),
    iface: cssVar('--vscode-charts-green', '#388a34'),
    down: cssVar('--vscode-charts-red', '#f14c4c'),
    boxBg: cssVar('--vscode-sideBar-background', dark ? '#252526' : '#f3f3f3'),
    edge: cssVar('--vscode-editorLineNumber-foreground', dark ? '#858585' : '#6e7681'),
    tunnel: cssVar('--vscode-charts-purple', '#b180d7'),
    fontFamily: cssVar('--vscode-font-family', 'sans-serif'),
  };
}

/**
 * Below this zoom a large graph is drawn as an overview: no label content at all, and dotted
 * edges as faint solid lines. Cytoscape hides text smaller than min-zoomed-font-size (7 px on
 * screen: node labels are 10 px, so zoom 0.7) but still measures every label for bounding boxes;
 * on the first draw of 2,000 nodes that measuring and the label textures were a third of the time
 * to paint a picture showing no text. Dotted lines are drawn dash by dash on the software canvas:
 * 1,600 of them took longer than everything else in a frame, for dots a fraction of a pixel apart
 * at this zoom (a 10-node diff repainted in 300 ms instead of 70 ms).
 */
export const LABEL_ZOOM = 0.7;

/** Whether a graph drawn with the `large` style shows labels and dotted lines at `zoom` (small graphs always do). */
export const detailAt = (zoom: number, large: boolean): boolean => !large || zoom >= LABEL_ZOOM;

/**
 * The Cytoscape stylesheet; labels come from data(label) and are drawn as text on the canvas.
 * `large`: every edge a haystack line (centre to centre, under the nodes), which skips the
 * endpoint geometry of straight edges; with thousands of edges that geometry cost more than drawing.
 * `detail` false: the overview of a large graph (see LABEL_ZOOM).
 */
export function stylesheet(p: Palette, large = false, detail = true): unknown[] {
  const sheet: unknown[] = [
    {
      selector: 'node',
      style: {
        label: 'data(label)', color: p.fg, 'font-size': 10, 'font-family': p.fontFamily, 'text-valign': 'bottom', 'text-margin-y': 3,
        'text-max-width': '140px', 'text-wrap': 'ellipsis', width: 18, height: 18, 'background-color': p.muted, 'border-width': 1, 'border-color': p.border,
        'min-zoomed-font-size': 7,
        // The drawing order 'auto' gives (boxes under what they hold, nodes over edges), stated
        // instead of computed: 'auto' counts each node's ancestors on every comparison of the
        // z-order sort, a tenth of the first draw of a large graph. Boxes never nest here.
        'z-compound-depth': 'top',
      },
    },
    // This machine: outlined (double border), not filled like a VM, and labelled "This machine" over its hostname.
    { selector: 'node.host', style: { shape: 'round-rectangle', width: 34, height: 24, 'background-color': p.bg, 'border-width': 4, 'border-style': 'double', 'border-color': p.fg, 'text-wrap': 'wrap' } },
    { selector: 'node.container', style: { shape: 'round-rectangle', width: 30, height: 22, 'background-color': p.container } },
    { selector: 'node.container.stopped', style: { 'background-opacity': 0.35, 'border-style': 'dashed' } },
    { selector: 'node.vm', style: { shape: 'round-rectangle', 'background-color': p.vm } },
    { selector: 'node.bridge', style: { shape: 'diamond', width: 24, height: 24, 'background-color': p.bridge } },
    { selector: 'node.ovs-bridge', style: { shape: 'hexagon', width: 30, height: 26, 'background-color': p.ovs } },
    { selector: 'node.ovs-port', style: { shape: 'rectangle', width: 10, height: 10, 'background-color': p.ovs } },
    { selector: 'node.interface', style: { shape: 'ellipse', width: 12, height: 12, 'background-color': p.iface, 'font-size': 8 } },
    { selector: 'node.interface.down', style: { 'background-color': p.down } },
    { selector: 'node.vxlan', style: { shape: 'tag', 'background-color': p.tunnel } },
    { selector: 'node.namespace, node.cgroup, node.image, node.layer, node.docker-network', style: { shape: 'round-tag', width: 14, height: 14, 'background-color': p.muted } },
    { selector: 'node.sriov-pf, node.sriov-vf', style: { shape: 'barrel', 'background-color': p.bridge } },
    {
      selector: 'node.box',
      style: {
        shape: 'round-rectangle', 'background-color': p.boxBg, 'background-opacity': 0.6, 'border-color': p.border, 'border-width': 1,
        'text-valign': 'top', 'text-halign': 'center', 'text-margin-y': -2, padding: '8px', color: p.muted, 'font-size': 9, 'z-compound-depth': 'bottom',
      },
    },
    { selector: 'node.box.netns', style: { 'border-style': 'solid' } },
    { selector: 'node.box.hostns', style: { 'border-style': 'dashed' } },
    { selector: 'node.box.vm', style: { 'background-color': p.vm, 'background-opacity': 0.12, 'border-color': p.vm } },
    { selector: 'node.box.lab', style: { 'border-style': 'dashed', 'border-color': p.accent } },
    { selector: 'node.lab-host', style: { shape: 'round-rectangle', width: 22, height: 16, 'background-color': p.iface } },
    { selector: 'node.lab-switch', style: { shape: 'round-diamond', width: 20, height: 20, 'background-color': p.bridge } },
    {
      selector: 'edge',
      style: {
        // Haystack edges skip the endpoint-on-shape geometry of 'straight' and are far cheaper to draw.
        width: 1, 'line-color': p.edge, 'curve-style': 'haystack', 'haystack-radius': 0, 'z-compound-depth': 'top',
      },
    },
    {
      selector: 'edge.vxlan-tunnel, edge.shares-namespace',
      style: {
        'curve-style': 'straight', label: 'data(label)', 'font-size': 8, color: p.muted,
        'text-background-color': p.bg, 'text-background-opacity': 0.8, 'text-background-padding': '1px', 'min-zoomed-font-size': 7,
      },
    },
    { selector: 'edge.veth-peer', style: { width: 2, 'line-color': p.iface } },
    { selector: 'edge.vxlan-tunnel', style: { width: 2, 'line-style': 'dashed', 'line-color': p.tunnel } },
    { selector: 'edge.ovs-port, edge.bridge-port', style: { 'line-color': p.bridge } },
    { selector: 'edge.shares-namespace, edge.member-of, edge.in-cgroup, edge.from-image, edge.uses-layer', style: { 'line-style': 'dotted' } },
    { selector: 'edge.vm-nic', style: { 'line-color': p.vm, width: 2 } },
    { selector: '.match', style: { 'border-width': 3, 'border-color': p.accent } },
    { selector: 'node:selected', style: { 'border-width': 3, 'border-color': p.accent, 'overlay-opacity': 0 } },
    { selector: 'edge:selected', style: { 'line-color': p.accent } },
    { selector: '.faded', style: { opacity: 0.15 } },
    { selector: '.hidden', style: { display: 'none' } },
  ];
  if (large) sheet.push({ selector: 'edge.vxlan-tunnel, edge.shares-namespace', style: { 'curve-style': 'haystack', 'haystack-radius': 0 } });
  if (!detail) {
    sheet.push(
      { selector: 'node, edge', style: { label: '' } },
      { selector: 'edge.shares-namespace, edge.member-of, edge.in-cgroup, edge.from-image, edge.uses-layer', style: { 'line-style': 'solid', 'line-opacity': 0.45 } },
      { selector: 'edge.vxlan-tunnel', style: { 'line-style': 'solid' } },
    );
  }
  return sheet;
}
