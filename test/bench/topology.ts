/**
 * `node esbuild.mjs && node dist/bench-topology.js`: the topology webview (dist/webview.js) in
 * headless Chromium, in a plain page with a stub host (an acquireVsCodeApi shim, for this bench
 * only). Measures the first draw of a 2,000-node / 3,000-edge graph and applying a diff of 10
 * nodes, from the message to the next painted frames. Medians of several runs; nothing asserted.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import type { GraphEdge, GraphNode, WireDiff, WireGraph } from '../../src/shared/protocol';

const DIST = path.resolve(__dirname);
const REPO = path.resolve(DIST, '..');
/** Another build's webview.js/webview.css to measure instead (a before/after comparison); results are then only printed. */
const WEBVIEW_DIR = process.env.VIRTLAB_BENCH_WEBVIEW_DIR ? path.resolve(process.env.VIRTLAB_BENCH_WEBVIEW_DIR) : DIST;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A machine-shaped graph: `boxes` network namespaces with a container and 4 veth ends each, their peers on 10 host bridges, containers sharing namespaces. */
export function syntheticGraph(boxes: number, shares: number): WireGraph {
  const nodes: GraphNode[] = [{ id: 'host:local', kind: 'host', label: 'bench', props: {} }];
  const edges: GraphEdge[] = [];
  const host = 1;
  nodes.push({ id: `ns:net:${host}`, kind: 'namespace', label: 'net', props: { type: 'net', inode: host, isHostNs: true, nsfs: [] } });
  for (let b = 0; b < 10; b++) {
    nodes.push({ id: `iface:${host}:${b + 2}`, kind: 'interface', label: `br${b}`, props: { netns: `ns:net:${host}`, ifindex: b + 2, kind: 'bridge', state: 'UP' } });
    nodes.push({ id: `bridge:${host}:br${b}`, kind: 'bridge', label: `br${b}`, props: { netns: `ns:net:${host}`, ifaceId: `iface:${host}:${b + 2}` } });
  }
  let hostIf = 100;
  for (let i = 0; i < boxes; i++) {
    const ns = 1000 + i;
    nodes.push({ id: `ns:net:${ns}`, kind: 'namespace', label: `net:[${ns}]`, props: { type: 'net', inode: ns, nsfs: [`/run/netns/bench${i}`] } });
    nodes.push({ id: `container:c${i}`, kind: 'container', label: `ctr-${i}`, props: { state: 'running', namespaces: { net: ns } } });
    edges.push({ from: `container:c${i}`, to: `ns:net:${ns}`, kind: 'member-of' });
    for (let k = 0; k < 4; k++) {
      const inner = `iface:${ns}:${k + 2}`;
      const outer = `iface:${host}:${hostIf++}`;
      nodes.push({ id: inner, kind: 'interface', label: `eth${k}`, props: { netns: `ns:net:${ns}`, state: 'UP' } });
      nodes.push({ id: outer, kind: 'interface', label: `veth${i}_${k}`, props: { netns: `ns:net:${host}`, state: 'UP' } });
      edges.push({ from: outer, to: inner, kind: 'veth-peer' }, { from: outer, to: `bridge:${host}:br${(i + k) % 10}`, kind: 'bridge-port' });
    }
  }
  for (let i = 0; i < boxes; i++) for (let s = 1; s <= shares; s++) edges.push({ from: `container:c${i}`, to: `container:c${(i + s) % boxes}`, kind: 'shares-namespace', props: { type: 'ipc' } });
  return { takenAt: new Date().toISOString(), nodes, edges, sources: {} };
}

/** 10 nodes: 4 new containers in existing boxes, 3 changed (stopped), 3 interfaces removed. */
export function tenNodeDiff(round: number): WireDiff {
  const added: GraphNode[] = [];
  const addedEdges: GraphEdge[] = [];
  for (let j = 0; j < 4; j++) {
    const id = `container:new${round}_${j}`;
    added.push({ id, kind: 'container', label: `new-${round}-${j}`, props: { state: 'running', namespaces: { net: 1000 + j * 7 + round } } });
    addedEdges.push({ from: id, to: `ns:net:${1000 + j * 7 + round}`, kind: 'member-of' });
  }
  const changed: GraphNode[] = [0, 1, 2].map((j) => ({ id: `container:c${50 + round * 3 + j}`, kind: 'container', label: `ctr-${50 + round * 3 + j}`, props: { state: 'exited', namespaces: { net: 1050 + round * 3 + j } } }));
  const removed = [0, 1, 2].map((j) => `iface:${1100 + round * 3 + j}:2`);
  return { takenAt: new Date().toISOString(), addedNodes: added, changedNodes: changed, removedNodes: removed, addedEdges, removedEdges: [] };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** CPU time (ms) used so far by all of Chromium's processes: less swayed than wall time by other work on a shared machine. */
type CpuClock = () => Promise<number>;
async function cpuClock(browser: import('playwright-core').Browser): Promise<CpuClock> {
  const cdp = await browser.newBrowserCDPSession();
  return async () => {
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { cpuTime: number }[] };
    return processInfo.reduce((sum, p) => sum + p.cpuTime, 0) * 1000;
  };
}

/**
 * Dispatch a host message in the page: [applied, painted, cpu] in ms. Applied = the handler returned
 * (model patched, Cytoscape updated, layout done); painted = two animation frames later, i.e. the
 * canvas shows it (on this software-rendered headless Chromium, mostly canvas raster time);
 * cpu = Chromium's CPU time over the same span.
 */
async function timeMessage(page: Page, msg: unknown, cpu: CpuClock): Promise<[number, number, number]> {
  const c0 = await cpu();
  const [applied, painted] = await page.evaluate(
    (m) =>
      new Promise<[number, number]>((resolve) => {
        const t0 = performance.now();
        window.dispatchEvent(new MessageEvent('message', { data: m }));
        const applied = performance.now() - t0;
        requestAnimationFrame(() => requestAnimationFrame(() => resolve([applied, performance.now() - t0])));
      }),
    msg,
  );
  return [applied, painted, (await cpu()) - c0];
}

async function freshPage(dir: string, browser: import('playwright-core').Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`file://${dir}/index.html`);
  await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'));
  return page;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vlt-bench-topology-'));
  writeFileSync(
    path.join(dir, 'index.html'),
    `<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="stylesheet" href="file://${WEBVIEW_DIR}/webview.css"></head>
<body class="vscode-dark"><div id="app"></div>
<script>window.__posted=[];window.acquireVsCodeApi=()=>({postMessage:(m)=>window.__posted.push(m),getState:()=>undefined,setState:()=>{}});</script>
<script src="file://${WEBVIEW_DIR}/webview.js"></script></body></html>`,
  );
  const browser = await chromium.launch({ executablePath: process.env.VIRTLAB_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
  try {
    const cpu = await cpuClock(browser);
    const big = syntheticGraph(200, 7);
    const first: [number, number, number][] = [];
    const diffs: [number, number, number][] = [];
    let drawn = { nodes: 0, edges: 0, layout: '' };
    for (let r = 0; r < RUNS; r++) {
      const page = await freshPage(dir, browser);
      first.push(await timeMessage(page, { type: 'graph', graph: big }, cpu));
      drawn = await page.evaluate(() => {
        const t = (window as unknown as { virtlabTopology: { drawn(): { nodes: unknown[]; edges: unknown[] }; layout(): string } }).virtlabTopology;
        const d = t.drawn();
        return { nodes: d.nodes.length, edges: d.edges.length, layout: t.layout() };
      });
      for (let k = 0; k < 3; k++) diffs.push(await timeMessage(page, { type: 'diff', diff: tenNodeDiff(r * 3 + k) }, cpu));
      await page.close();
    }
    // For reference: a graph small enough for the force-directed layout (fCoSE).
    const small = syntheticGraph(15, 2);
    const smallFirst: [number, number, number][] = [];
    let smallDrawn = { nodes: 0, edges: 0, layout: '' };
    for (let r = 0; r < RUNS; r++) {
      const page = await freshPage(dir, browser);
      smallFirst.push(await timeMessage(page, { type: 'graph', graph: small }, cpu));
      smallDrawn = await page.evaluate(() => {
        const t = (window as unknown as { virtlabTopology: { drawn(): { nodes: unknown[]; edges: unknown[] }; layout(): string } }).virtlabTopology;
        const d = t.drawn();
        return { nodes: d.nodes.length, edges: d.edges.length, layout: t.layout() };
      });
      await page.close();
    }
    const med = (xs: [number, number, number][], i: 0 | 1 | 2) => Math.round(median(xs.map((x) => x[i])) * 10) / 10;
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    const result = {
      when: new Date().toISOString(),
      runs: RUNS,
      loadAverage: load,
      firstDraw: { nodes: drawn.nodes, edges: drawn.edges, layout: drawn.layout, appliedMs: med(first, 0), paintedMs: med(first, 1), cpuMs: med(first, 2), budgetMs: 1000 },
      diff10: { appliedMs: med(diffs, 0), paintedMs: med(diffs, 1), cpuMs: med(diffs, 2), budgetMs: 50 },
      smallFirstDraw: { nodes: smallDrawn.nodes, edges: smallDrawn.edges, layout: smallDrawn.layout, appliedMs: med(smallFirst, 0), paintedMs: med(smallFirst, 1), cpuMs: med(smallFirst, 2) },
    };
    console.log(`load average ${load} (2 cores)`);
    console.log(`first draw of ${drawn.nodes} nodes / ${drawn.edges} edges (${drawn.layout} layout): applied ${result.firstDraw.appliedMs} ms, painted ${result.firstDraw.paintedMs} ms, Chromium CPU ${result.firstDraw.cpuMs} ms (budget 1000 ms)`);
    console.log(`diff of 10 nodes: applied ${result.diff10.appliedMs} ms, painted ${result.diff10.paintedMs} ms, Chromium CPU ${result.diff10.cpuMs} ms (budget 50 ms)`);
    console.log(`first draw of ${smallDrawn.nodes} nodes / ${smallDrawn.edges} edges (${smallDrawn.layout} layout): applied ${result.smallFirstDraw.appliedMs} ms, painted ${result.smallFirstDraw.paintedMs} ms`);
    if (WEBVIEW_DIR === DIST) {
      mkdirSync(path.join(REPO, 'bench-results'), { recursive: true });
      writeFileSync(path.join(REPO, 'bench-results', 'topology.json'), JSON.stringify(result, null, 2) + '\n');
    } else console.log(`(webview from ${WEBVIEW_DIR}: bench-results/topology.json left as it was)`);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
