// The topology webview: a toolbar (search, layers, fit, layout, export), the graph, and a side
// panel with the selected node's facts, actions and live charts. Talks to the host only through
// the typed protocol; every incoming message is checked by isHostMessage first.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import 'uplot/dist/uPlot.min.css';
import './topology.css';
import { isHostMessage, type AllowedCommand, type HostMessage } from '../src/shared/protocol';
import { MetricsCharts } from './charts';
import { DetailsPanel } from './details';
import { toElements, type Layers } from './elements';
import { metricsKindOf } from './facts';
import { GraphView } from './graphView';
import { bestMatch, KeyboardNav } from './keyboard';
import { loadState, post, saveState } from './host';
import { GraphModel } from './model';
import { renderLegend } from './legend';
import { readPalette } from './style';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

const state = loadState();
const model = new GraphModel();
let haveGraph = false;
let requestSeq = 0;

// ---- layout of the page ----
const app = document.getElementById('app') ?? document.body;
const toolbar = el('div', 'toolbar');
const search = el('vscode-textfield', 'search') as HTMLElement & { value: string; placeholder: string };
search.setAttribute('placeholder', 'Search nodes');
search.setAttribute('aria-label', 'Search nodes');
const layerBoxes = el('span', 'layers');
const LAYER_TITLES: [keyof Layers, string][] = [['network', 'Network'], ['namespaces', 'Namespaces'], ['cgroups', 'cgroups'], ['storage', 'Storage']];
for (const [key, title] of LAYER_TITLES) {
  const cb = el('vscode-checkbox', 'layer') as HTMLElement & { checked: boolean };
  cb.dataset.layer = key;
  cb.textContent = title;
  if (state.layers[key]) cb.setAttribute('checked', '');
  cb.addEventListener('change', () => {
    state.layers[key] = cb.checked;
    saveState(state);
    redraw();
  });
  layerBoxes.append(cb);
}
const btn = (label: string, id: string, f: () => void) => {
  const b = el('vscode-button', 'tool', label);
  b.id = id;
  b.setAttribute('secondary', '');
  b.addEventListener('click', f);
  return b;
};
const status = el('span', 'status', 'Waiting for the first snapshot…');
toolbar.append(search, layerBoxes);
const main = el('div', 'main');
const graphEl = el('div', 'graph');
graphEl.id = 'graph';
const side = el('div', 'side');
// Facts of the node, its live charts right under the actions, then the full fact table.
const detailsEl = el('div', 'details');
const chartsEl = el('div', 'charts');
const factsEl = el('div', 'facts-box');
// The legend: what each shape, colour and line means, folded open by default (a <details>).
const legendBox = el('details', 'legend');
legendBox.open = true;
const legendBody = el('div', 'legend-body');
legendBox.append(el('summary', undefined, 'Legend'), legendBody);
renderLegend(legendBody, readPalette());
side.append(detailsEl, chartsEl, factsEl, legendBox);
// Shown while a source (Docker) does not answer and its last-known nodes are drawn greyed.
const banner = el('div', 'banner');
banner.setAttribute('role', 'status');
banner.hidden = true;
main.append(graphEl, side);
app.append(toolbar, banner, main);

const view = new GraphView(graphEl, {
  onSelect: (id) => select(id),
  onMoved: (moved) => {
    Object.assign(state.positions, moved);
    saveState(state);
  },
});
view.setSavedPositions(state.positions);
const keys = new KeyboardNav(graphEl, () => view.cy, { select: (id) => select(id) });
const charts = new MetricsCharts(chartsEl, readPalette());
const details = new DetailsPanel(detailsEl, factsEl, {
  run: (command, nodeId) => runCommand(command, nodeId),
  focus: (nodeId) => {
    const next = view.focusedNode === nodeId ? null : nodeId;
    view.focus(next);
    state.focused = next;
    saveState(state);
    showDetails();
  },
});
toolbar.append(
  btn('Fit', 'fit', () => view.fit()),
  btn('Re-layout', 'relayout', () => {
    state.positions = {};
    view.setSavedPositions({});
    saveState(state);
    view.layoutAll();
  }),
  btn('Export SVG', 'export-svg', () => post({ type: 'export', requestId: ++requestSeq, format: 'svg', data: view.exportSvg() })),
  btn('Export PNG', 'export-png', () => post({ type: 'export', requestId: ++requestSeq, format: 'png', data: view.exportPng() })),
  status,
);

search.addEventListener('input', () => {
  state.search = search.value ?? '';
  saveState(state);
  const n = view.search(state.search);
  updateStatus(state.search ? `${n} match${n === 1 ? '' : 'es'}` : undefined);
});
// Enter in the search box selects its (best) match, so its facts and actions are one key away.
search.addEventListener('keydown', (e: KeyboardEvent) => {
  if (e.key !== 'Enter') return;
  const q = (search.value ?? '').trim();
  if (!q) return;
  const hit = bestMatch(q, view.cy.nodes('.match:visible').map((n) => ({ id: n.id(), label: String(n.data('label') ?? '') })));
  if (!hit) {
    keys.live.textContent = `No node matches ${q}`;
    return;
  }
  keys.selectNode(hit);
  view.cy.center(view.cy.getElementById(hit));
});

function updateStatus(extra?: string): void {
  const c = view.elementCount;
  const taken = model.takenAt ? new Date(model.takenAt).toLocaleTimeString() : '';
  status.textContent = `${c.nodes} nodes, ${c.edges} edges${taken ? ` · ${taken}` : ''}${extra ? ` · ${extra}` : ''}`;
}

function redraw(): void {
  view.render(toElements(model, state.layers));
  if (state.search) view.search(state.search);
  updateStatus();
}

function showBanner(text: string | undefined): void {
  const was = banner.hidden;
  banner.hidden = !text;
  banner.textContent = text ?? '';
  // The graph got shorter or taller: Cytoscape only notices window resizes by itself.
  if (was !== banner.hidden) view.cy.resize();
}

function showDetails(): void {
  const n = state.selected ? model.nodes.get(state.selected) : undefined;
  details.show(n, model, !!n && view.focusedNode === n.id);
}

function select(id: string | null): void {
  const n = id ? model.nodes.get(id) : undefined;
  state.selected = n ? n.id : null;
  saveState(state);
  view.select(state.selected);
  showDetails();
  const kind = n ? metricsKindOf(n) : undefined;
  if (n && kind) {
    if (charts.nodeId !== n.id) charts.start(n.id, kind);
    post({ type: 'watchMetrics', nodeId: n.id });
  } else {
    charts.clear();
    post({ type: 'watchMetrics', nodeId: null });
  }
}

const pending = new Map<number, AllowedCommand>();
function runCommand(command: AllowedCommand, nodeId: string): void {
  const requestId = ++requestSeq;
  pending.set(requestId, command);
  post({ type: 'runCommand', requestId, command, nodeId });
}

function onHostMessage(msg: HostMessage): void {
  switch (msg.type) {
    case 'graph':
      model.setGraph(msg.graph);
      haveGraph = true;
      showBanner(msg.graph.notice);
      redraw();
      if (state.focused && model.nodes.has(state.focused)) view.focus(state.focused);
      if (state.selected && model.nodes.has(state.selected)) select(state.selected);
      else showDetails();
      break;
    case 'diff':
      if (!haveGraph) return;
      model.applyDiff(msg.diff);
      showBanner(msg.diff.notice);
      redraw();
      if (state.selected && !model.nodes.has(state.selected)) select(null);
      else if (state.selected && msg.diff.changedNodes.some((n) => n.id === state.selected)) showDetails();
      break;
    case 'metrics':
      if (msg.nodeId === charts.nodeId) charts.push(msg.point, msg.sources);
      break;
    case 'metricsUnavailable':
      if (msg.nodeId === state.selected) details.note(`Live metrics unavailable: ${msg.reason}`);
      break;
    case 'reply': {
      const what = pending.get(msg.requestId);
      pending.delete(msg.requestId);
      if (!msg.ok) details.note(`${what ?? 'Request'} failed: ${msg.error ?? 'unknown error'}`);
      break;
    }
    case 'focus':
      if (model.nodes.has(msg.nodeId)) {
        select(msg.nodeId);
        view.cy.fit(view.cy.getElementById(msg.nodeId), 120);
      }
      break;
  }
}

window.addEventListener('message', (e: MessageEvent) => {
  // Only messages the protocol knows; anything else (other frames, stale shapes) is dropped.
  if (isHostMessage(e.data)) onHostMessage(e.data);
});

// Theme changes: VS Code swaps the body classes (vscode-light / vscode-dark / vscode-high-contrast).
new MutationObserver(() => {
  view.restyle();
  charts.setPalette(readPalette());
  renderLegend(legendBody, readPalette());
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

if (state.search) search.value = state.search;

/** A read-only view of what is drawn, for the end-to-end tests and the benchmark. */
(window as unknown as { virtlabTopology: unknown }).virtlabTopology = {
  drawn: () => ({
    nodes: view.cy.nodes().map((n) => ({ id: n.id(), label: String(n.data('label')), kind: String(n.data('kind')), parent: (n.data('parent') as string | undefined) ?? null, isParent: n.isParent(), visible: n.visible(), classes: n.classes() })),
    edges: view.cy.edges().map((e) => ({ id: e.id(), kind: String(e.data('kind')), source: e.source().id(), target: e.target().id() })),
  }),
  renderedPosition: (id: string) => view.cy.getElementById(id).renderedPosition(),
  /** Where a node or box is drawn on screen, without its label. */
  renderedBox: (id: string) => {
    const b = view.cy.getElementById(id).renderedBoundingBox({ includeLabels: false });
    return { x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 };
  },
  layout: () => view.lastLayout,
  /** The node the keyboard focus ring is on. */
  keyFocus: () => keys.current,
  /** The zoom and whether labels and dotted lines are drawn at it (a large graph's overview has neither). */
  detail: () => ({ zoom: view.cy.zoom(), shown: view.detailShown }),
  metrics: () => ({ nodeId: charts.nodeId ?? null, kind: charts.activeKind ?? null, last: { ...charts.last }, events: charts.events.length, points: charts.points }),
  /** The event marks the charts hold now: chart id, kind, time (ms), y and how many events each stands for. */
  marks: () => charts.marks(),
};

updateStatus();
showDetails();
post({ type: 'ready' });
