import * as assert from 'node:assert/strict';
import type { GraphEdge, GraphNode, WireGraph } from '../../../src/shared/protocol';
import { DEFAULT_LAYERS, diffElements, toElements, type Element } from '../../../webview/elements';
import { GraphModel } from '../../../webview/model';
import { packLayout } from '../../../webview/pack';

const N = (id: string, kind: GraphNode['kind'], label: string, props: Record<string, unknown> = {}): GraphNode => ({ id, kind, label, props });
const E = (from: string, to: string, kind: GraphEdge['kind'], props?: Record<string, unknown>): GraphEdge => ({ from, to, kind, ...(props ? { props } : {}) });

/** Host netns 1 with docker0 and an OVS bridge; two containers (netns 2, 3) on docker0; a lab pair (netns 4, 5) on OVS. */
function fixture(): WireGraph {
  const nodes: GraphNode[] = [
    N('host:local', 'host', 'vm'),
    N('ns:net:1', 'namespace', 'net:[1]', { type: 'net', inode: 1, isHostNs: true, nsfs: [] }),
    N('ns:net:2', 'namespace', 'net:[2]', { type: 'net', inode: 2, nsfs: ['/run/docker/netns/aa'] }),
    N('ns:net:3', 'namespace', 'net:[3]', { type: 'net', inode: 3, nsfs: ['/run/docker/netns/bb'] }),
    N('ns:net:4', 'namespace', 'net:[4]', { type: 'net', inode: 4, nsfs: ['/run/netns/vlta'] }),
    N('ns:net:5', 'namespace', 'net:[5]', { type: 'net', inode: 5, nsfs: ['/run/netns/vltb'] }),
    N('ns:pid:9', 'namespace', 'pid:[9]', { type: 'pid', inode: 9 }),
    N('container:c1', 'container', 'web', { state: 'running', namespaces: { net: 2 } }),
    N('container:c2', 'container', 'db', { state: 'exited', namespaces: { net: 3 } }),
    N('iface:1:5', 'interface', 'docker0', { netns: 'ns:net:1', ifindex: 5 }),
    N('bridge:1:docker0', 'bridge', 'docker0', { netns: 'ns:net:1', ifaceId: 'iface:1:5' }),
    N('iface:1:10', 'interface', 'vethA', { netns: 'ns:net:1' }),
    N('iface:2:9', 'interface', 'eth0', { netns: 'ns:net:2' }),
    N('iface:1:12', 'interface', 'vethB', { netns: 'ns:net:1' }),
    N('iface:3:11', 'interface', 'eth0', { netns: 'ns:net:3', state: 'DOWN' }),
    N('ovs-bridge:vltbr', 'ovs-bridge', 'vltbr'),
    N('ovs-port:p1', 'ovs-port', 'vlt-h1'),
    N('ovs-port:p2', 'ovs-port', 'vlt-h2'),
    N('ovs-port:p3', 'ovs-port', 'vltbr'),
    N('iface:1:20', 'interface', 'vlt-h1', { netns: 'ns:net:1' }),
    N('iface:1:21', 'interface', 'vlt-h2', { netns: 'ns:net:1' }),
    N('iface:4:2', 'interface', 'eth0', { netns: 'ns:net:4' }),
    N('iface:5:2', 'interface', 'eth0', { netns: 'ns:net:5' }),
    N('process:1', 'process', 'init'),
    N('image:sha256:1', 'image', 'busybox'),
  ];
  const edges: GraphEdge[] = [
    E('container:c1', 'ns:net:2', 'member-of'),
    E('container:c2', 'ns:net:3', 'member-of'),
    E('container:c1', 'ns:pid:9', 'member-of'),
    E('container:c1', 'image:sha256:1', 'from-image'),
    ...['iface:1:5', 'iface:1:10', 'iface:1:12', 'iface:1:20', 'iface:1:21'].map((i) => E(i, 'ns:net:1', 'in-netns')),
    E('iface:2:9', 'ns:net:2', 'in-netns'),
    E('iface:3:11', 'ns:net:3', 'in-netns'),
    E('iface:4:2', 'ns:net:4', 'in-netns'),
    E('iface:5:2', 'ns:net:5', 'in-netns'),
    // Both directions of one pair, as a reader might record it: still one edge.
    E('iface:1:10', 'iface:2:9', 'veth-peer'),
    E('iface:2:9', 'iface:1:10', 'veth-peer'),
    E('iface:1:12', 'iface:3:11', 'veth-peer'),
    E('iface:1:20', 'iface:4:2', 'veth-peer'),
    E('iface:1:21', 'iface:5:2', 'veth-peer'),
    E('iface:1:10', 'bridge:1:docker0', 'bridge-port'),
    E('iface:1:12', 'bridge:1:docker0', 'bridge-port'),
    E('ovs-port:p1', 'ovs-bridge:vltbr', 'ovs-port'),
    E('ovs-port:p2', 'ovs-bridge:vltbr', 'ovs-port'),
    E('ovs-port:p3', 'ovs-bridge:vltbr', 'ovs-port'),
    E('ovs-port:p1', 'iface:1:20', 'ovs-interface'),
    E('ovs-port:p2', 'iface:1:21', 'ovs-interface'),
    E('process:1', 'ns:pid:9', 'member-of'),
  ];
  return { takenAt: 't0', nodes, edges, sources: {} };
}

function model(g = fixture()): GraphModel {
  const m = new GraphModel();
  m.setGraph(g);
  return m;
}

const nodesOf = (els: Map<string, Element>) => [...els.values()].filter((e) => e.group === 'nodes');
const edgesOf = (els: Map<string, Element>, kind?: string) => [...els.values()].filter((e) => e.group === 'edges' && (!kind || e.data.kind === kind));

describe('topology elements (graph -> drawable elements)', () => {
  it('draws each veth pair as exactly one edge', () => {
    const els = toElements(model(), DEFAULT_LAYERS);
    const veth = edgesOf(els, 'veth-peer');
    assert.equal(veth.length, 4);
    const pairs = veth.map((e) => [e.data.source, e.data.target].sort().join(' '));
    assert.ok(pairs.includes('iface:1:10 iface:2:9'));
  });

  it('makes each network namespace a box holding its interfaces and containers', () => {
    const els = toElements(model(), DEFAULT_LAYERS);
    const parentOf = (id: string) => els.get(id)?.data.parent;
    assert.equal(parentOf('iface:2:9'), 'ns:net:2');
    assert.equal(parentOf('container:c1'), 'ns:net:2');
    assert.equal(parentOf('iface:4:2'), 'ns:net:4');
    assert.equal(parentOf('bridge:1:docker0'), 'ns:net:1');
    assert.equal(els.get('ns:net:4')?.data.label, 'netns vlta');
    assert.equal(els.get('ns:net:1')?.data.label, 'host network namespace');
    assert.equal(els.get('ns:net:2')?.data.label, 'netns of web');
    // Nesting replaces the member-of edge into the container's own netns.
    assert.equal(edgesOf(els).some((e) => e.data.source === 'container:c1' && e.data.target === 'ns:net:2'), false);
  });

  it('draws a running lab as a box holding its hosts and switches, each joined to what implements it', () => {
    const g = fixture();
    g.nodes.push(
      N('lab:vlt-pair', 'lab', 'vlt-pair', { phase: 'up' }),
      N('lab-host:vlt-pair:h1', 'lab-host', 'h1', { netns: 'vlta' }),
      N('lab-host:vlt-pair:h2', 'lab-host', 'h2', { netns: 'vltb' }),
      N('lab-switch:vlt-pair:s1', 'lab-switch', 's1', { kind: 'ovs-bridge', dev: 'vltbr' }),
    );
    g.edges.push(
      ...['lab-host:vlt-pair:h1', 'lab-host:vlt-pair:h2', 'lab-switch:vlt-pair:s1'].map((id) => E('lab:vlt-pair', id, 'contains')),
      E('lab-host:vlt-pair:h1', 'ns:net:4', 'implements'),
      E('lab-host:vlt-pair:h2', 'ns:net:5', 'implements'),
      E('lab-switch:vlt-pair:s1', 'ovs-bridge:vltbr', 'implements'),
    );
    const els = toElements(model(g), DEFAULT_LAYERS);
    for (const id of ['lab-host:vlt-pair:h1', 'lab-host:vlt-pair:h2', 'lab-switch:vlt-pair:s1']) assert.equal(els.get(id)?.data.parent, 'lab:vlt-pair', id);
    assert.match(els.get('lab:vlt-pair')!.classes, /\bbox\b/);
    // Nesting says "in this lab": no contains edge; the implements edges leave the box.
    assert.equal(edgesOf(els, 'contains').length, 0);
    assert.deepEqual(edgesOf(els, 'implements').map((e) => `${e.data.source}>${e.data.target}`).sort(), [
      'lab-host:vlt-pair:h1>ns:net:4', 'lab-host:vlt-pair:h2>ns:net:5', 'lab-switch:vlt-pair:s1>ovs-bridge:vltbr',
    ]);
    // A lab host whose lab node is gone (ledger half read) is drawn loose rather than dropped.
    const loose = fixture();
    loose.nodes.push(N('lab-host:x:h1', 'lab-host', 'h1'));
    assert.equal(toElements(model(loose), DEFAULT_LAYERS).get('lab-host:x:h1')?.data.parent, undefined);
  });

  it('folds a bridge device into its bridge and an OVS port into its interface', () => {
    const els = toElements(model(), DEFAULT_LAYERS);
    assert.equal(els.has('iface:1:5'), false, 'docker0 device drawn once, as the bridge');
    assert.equal(els.has('ovs-port:p1'), false);
    assert.ok(els.has('ovs-port:p3'), 'an OVS port without a kernel interface stays a node');
    const ovs = edgesOf(els, 'ovs-port').map((e) => `${e.data.source}>${e.data.target}`).sort();
    assert.deepEqual(ovs, ['iface:1:20>ovs-bridge:vltbr', 'iface:1:21>ovs-bridge:vltbr', 'ovs-port:p3>ovs-bridge:vltbr']);
    assert.equal(edgesOf(els, 'bridge-port').length, 2);
  });

  it('never draws processes, and other namespaces, images only with their layer', () => {
    const base = toElements(model(), DEFAULT_LAYERS);
    assert.equal(base.has('process:1'), false);
    assert.equal(base.has('ns:pid:9'), false);
    assert.equal(base.has('image:sha256:1'), false);
    const all = toElements(model(), { network: true, namespaces: true, cgroups: true, storage: true });
    assert.equal(all.has('process:1'), false);
    assert.ok(all.has('ns:pid:9'));
    assert.ok(all.has('image:sha256:1'));
    assert.ok(edgesOf(all, 'member-of').some((e) => e.data.source === 'container:c1' && e.data.target === 'ns:pid:9'));
    const noNet = toElements(model(), { network: false, namespaces: false, cgroups: false, storage: false });
    assert.deepEqual(nodesOf(noNet).map((n) => n.data.id).sort(), ['container:c1', 'container:c2', 'host:local']);
    assert.equal(noNet.get('container:c1')?.data.parent, undefined);
  });

  it('classes carry state (stopped container, interface down)', () => {
    const els = toElements(model(), DEFAULT_LAYERS);
    assert.match(els.get('container:c2')!.classes, /\bstopped\b/);
    assert.doesNotMatch(els.get('container:c1')!.classes, /\bstopped\b/);
    assert.match(els.get('iface:3:11')!.classes, /\bdown\b/);
  });

  it('keeps hostile labels as plain data (rendering decides; nothing is parsed here)', () => {
    const g = fixture();
    g.nodes.find((n) => n.id === 'container:c1')!.label = '</script><img src=x onerror=alert(1)>';
    const els = toElements(model(g), DEFAULT_LAYERS);
    assert.equal(els.get('container:c1')?.data.label, '</script><img src=x onerror=alert(1)>');
  });
});

describe('topology diffs applied by id', () => {
  it('a diff of added, changed and removed nodes becomes a patch touching only those', () => {
    const m = model();
    const before = toElements(m, DEFAULT_LAYERS);
    m.applyDiff({
      takenAt: 't1',
      addedNodes: [N('container:c3', 'container', 'cache', { state: 'running', namespaces: { net: 2 } })],
      changedNodes: [N('container:c2', 'container', 'db', { state: 'running', namespaces: { net: 3 } })],
      removedNodes: ['iface:5:2'],
      addedEdges: [E('container:c3', 'ns:net:2', 'member-of')],
      removedEdges: [],
    });
    const after = toElements(m, DEFAULT_LAYERS);
    const patch = diffElements(before, after);
    assert.deepEqual(patch.add.map((e) => e.data.id), ['container:c3']);
    assert.equal(patch.add[0]!.data.parent, 'ns:net:2');
    // c2 changed state; the box of c3 is relabelled "netns of web, cache"; vltb's box lost its only child.
    assert.deepEqual(patch.update.map((e) => e.data.id).sort(), ['container:c2', 'ns:net:2', 'ns:net:5']);
    assert.doesNotMatch(after.get('ns:net:5')!.classes, /\bbox\b/);
    assert.equal(after.get('ns:net:2')?.data.label, 'netns of web, cache');
    // The interface and its veth edge to vlt-h2 go; nothing else.
    assert.deepEqual(patch.remove.sort(), ['iface:5:2', 'veth-peer|iface:1:21|iface:5:2'].sort());
    assert.equal(m.edges.size, fixture().edges.length + 1 - 2, 'edges of a removed node are dropped with it');
  });

  it('an empty diff gives an empty patch', () => {
    const m = model();
    const before = toElements(m, DEFAULT_LAYERS);
    m.applyDiff({ takenAt: 't1', addedNodes: [], changedNodes: [], removedNodes: [], addedEdges: [], removedEdges: [] });
    const patch = diffElements(before, toElements(m, DEFAULT_LAYERS));
    assert.deepEqual(patch, { add: [], remove: [], update: [] });
  });

  it('switching a layer on adds its elements without touching the rest', () => {
    const m = model();
    const patch = diffElements(toElements(m, DEFAULT_LAYERS), toElements(m, { ...DEFAULT_LAYERS, namespaces: true }));
    assert.deepEqual(patch.add.map((e) => e.data.id).sort(), ['member-of|container:c1|ns:pid:9', 'ns:pid:9']);
    assert.deepEqual(patch.remove, []);
    assert.deepEqual(patch.update, []);
  });
});

describe('packed layout for large graphs', () => {
  it('places boxes so that no two overlap and children sit inside their box region', () => {
    const items = [];
    for (let b = 0; b < 30; b++) {
      items.push({ id: `box${b}` });
      for (let c = 0; c < (b % 7) + 1; c++) items.push({ id: `box${b}/c${c}`, parent: `box${b}` });
    }
    for (let i = 0; i < 50; i++) items.push({ id: `loose${i}` });
    const pos = packLayout(items);
    assert.equal(pos.has('box0'), false, 'boxes follow their children');
    assert.equal(pos.size, items.filter((i) => !i.id.startsWith('box') || i.id.includes('/')).length);
    const bbox = new Map<string, { x1: number; x2: number; y1: number; y2: number }>();
    for (const [id, p] of pos) {
      const key = id.includes('/') ? id.split('/')[0]! : id;
      const b = bbox.get(key) ?? { x1: Infinity, x2: -Infinity, y1: Infinity, y2: -Infinity };
      bbox.set(key, { x1: Math.min(b.x1, p.x - 20), x2: Math.max(b.x2, p.x + 20), y1: Math.min(b.y1, p.y - 20), y2: Math.max(b.y2, p.y + 20) });
    }
    const list = [...bbox.entries()];
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const [a, A] = list[i]!;
        const [b, B] = list[j]!;
        const overlap = A.x1 < B.x2 && B.x1 < A.x2 && A.y1 < B.y2 && B.y1 < A.y2;
        assert.equal(overlap, false, `${a} overlaps ${b}`);
      }
    }
  });
});
