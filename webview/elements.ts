// Graph -> drawable elements, as pure functions (unit-tested in Node): which nodes are drawn for the
// layers switched on, which compound box (network namespace, VM) holds each, how edges are merged
// (a veth pair is one edge; an OVS port is drawn as the edge from its interface to the bridge),
// and the add/remove/update patch between two element sets so live updates touch only what changed.
import type { EdgeKind, GraphEdge, GraphNode } from '../src/shared/protocol';
import type { GraphModel } from './model';

export interface Layers {
  network: boolean;
  namespaces: boolean;
  cgroups: boolean;
  storage: boolean;
}

export const DEFAULT_LAYERS: Layers = { network: true, namespaces: false, cgroups: false, storage: false };

export interface ElementData {
  id: string;
  label: string;
  kind: string;
  /** The graph node this element draws (absent for edges). */
  nodeId?: string;
  parent?: string;
  source?: string;
  target?: string;
}

export interface Element {
  group: 'nodes' | 'edges';
  data: ElementData;
  classes: string;
}

export interface ElementPatch {
  add: Element[];
  remove: string[];
  /** Same id, different label/classes/parent. */
  update: Element[];
}

const ALWAYS = new Set(['host', 'container', 'vm', 'lab', 'lab-host', 'lab-switch']);
const NETWORK = new Set(['interface', 'bridge', 'ovs-bridge', 'ovs-port', 'vxlan', 'docker-network', 'sriov-pf', 'sriov-vf', 'vm-device']);
const STORAGE = new Set(['image', 'layer']);
/** Drawn edges; all others (process, fact, membership already shown by nesting) are not. */
const DRAWN_EDGES = new Set<EdgeKind>([
  'veth-peer', 'bridge-port', 'ovs-port', 'vxlan-tunnel', 'vf-of', 'vm-nic', 'implements', 'shares-namespace', 'member-of', 'in-cgroup', 'from-image', 'uses-layer',
]);
/** Edges where the direction carries no meaning, merged into one per pair. */
const UNDIRECTED = new Set<EdgeKind>(['veth-peer', 'shares-namespace']);

const str = (n: GraphNode, k: string): string | undefined => (typeof n.props[k] === 'string' ? (n.props[k] as string) : undefined);
const num = (n: GraphNode, k: string): number | undefined => (typeof n.props[k] === 'number' ? (n.props[k] as number) : undefined);

function isNetns(n: GraphNode): boolean {
  return n.kind === 'namespace' && n.props.type === 'net';
}

/** The host node says it is this machine (its hostname under it), so it is not read as one more VM. */
export const hostLabel = (hostname: string): string => `This machine\n${hostname}`;

/** A label a person recognises for a network namespace box. */
export function netnsLabel(n: GraphNode, model: GraphModel): string {
  if (n.props.isHostNs === true) return 'host network namespace';
  const nsfs = Array.isArray(n.props.nsfs) ? (n.props.nsfs as unknown[]).filter((p): p is string => typeof p === 'string') : [];
  const named = nsfs.find((p) => p.startsWith('/run/netns/'));
  if (named) return `netns ${named.slice('/run/netns/'.length)}`;
  const ctrs = model.sourcesOf(n.id, 'member-of').filter((c) => c.kind === 'container');
  if (ctrs.length) return `netns of ${ctrs.map((c) => c.label).join(', ')}`;
  return `netns ${num(n, 'inode') ?? n.id}`;
}

function nodeClasses(n: GraphNode): string {
  const c = [n.kind.replace(/[^a-z0-9-]/g, '')];
  if (isNetns(n)) c.push('netns');
  const state = str(n, 'state');
  // A container kept from before Docker stopped answering (lastKnown.ts): drawn greyed, not as stopped.
  if (n.kind === 'container' && state === 'unknown') c.push('unknown');
  else if (n.kind === 'container' && state !== 'running') c.push('stopped');
  if (n.kind === 'interface' && (state === 'DOWN' || state === 'LOWERLAYERDOWN')) c.push('down');
  if (n.props.isHostNs === true) c.push('hostns');
  return c.join(' ');
}

/** Which graph nodes are drawn, which are folded into another one, and the box holding each. */
export interface Placement {
  drawn: Map<string, GraphNode>;
  /** Folded node id -> the drawn node that stands for it (bridge device -> bridge, OVS port -> its interface). */
  alias: Map<string, string>;
  parent: Map<string, string>;
}

export function placeNodes(model: GraphModel, layers: Layers): Placement {
  const drawn = new Map<string, GraphNode>();
  const alias = new Map<string, string>();
  const parent = new Map<string, string>();
  const show = (n: GraphNode): boolean => {
    if (ALWAYS.has(n.kind)) return true;
    if (n.kind === 'namespace') return isNetns(n) ? layers.network : layers.namespaces;
    if (NETWORK.has(n.kind)) return layers.network;
    if (STORAGE.has(n.kind)) return layers.storage;
    // cgroups are drawn when they hold a drawn container; the whole system tree would drown the picture.
    if (n.kind === 'cgroup') return layers.cgroups && model.sourcesOf(n.id, 'in-cgroup').some((s) => s.kind === 'container');
    return false;
  };
  // Loopback devices connect to nothing; one per namespace would only add clutter.
  const loopback = (n: GraphNode) => n.kind === 'interface' && n.props.kind === 'loopback';
  for (const n of model.nodes.values()) if (show(n) && !loopback(n)) drawn.set(n.id, n);
  if (layers.network) {
    for (const n of model.nodes.values()) {
      // A Linux bridge is also an interface of its namespace: draw it once.
      const dev = n.kind === 'bridge' ? str(n, 'ifaceId') : undefined;
      if (dev && drawn.has(dev)) {
        drawn.delete(dev);
        alias.set(dev, n.id);
      }
      // An OVS port with a kernel interface is drawn as that interface's edge to the bridge.
      if (n.kind === 'ovs-port') {
        const iface = model.targets(n.id, 'ovs-interface').find((i) => i.kind === 'interface');
        if (iface && drawn.has(iface.id) && drawn.has(n.id)) {
          drawn.delete(n.id);
          alias.set(n.id, alias.get(iface.id) ?? iface.id);
        }
      }
      // VM devices are drawn only when they connect to something (NICs).
      if (n.kind === 'vm-device' && !model.edgesOf(n.id).some((e) => e.kind === 'vm-nic')) drawn.delete(n.id);
    }
  }
  for (const n of drawn.values()) {
    let box: string | undefined;
    if (n.kind === 'interface' || n.kind === 'bridge') box = str(n, 'netns');
    else if (n.kind === 'container') {
      box = model.targets(n.id, 'member-of').find(isNetns)?.id;
      const nsInode = (n.props.namespaces as Record<string, unknown> | undefined)?.net;
      box ??= typeof nsInode === 'number' ? `ns:net:${nsInode}` : undefined;
    } else if (n.kind === 'vm-device') box = model.sourcesOf(n.id, 'contains').find((v) => v.kind === 'vm')?.id;
    // A running lab is one group: its hosts and switches sit in the lab's box, each joined by an
    // `implements` edge to the namespace or bridge that is it.
    else if (n.kind === 'lab-host' || n.kind === 'lab-switch') box = model.sourcesOf(n.id, 'contains').find((l) => l.kind === 'lab')?.id;
    if (box && box !== n.id && drawn.has(box)) parent.set(n.id, box);
  }
  return { drawn, alias, parent };
}

function edgeLabel(e: GraphEdge, model: GraphModel): string {
  if (e.kind === 'vxlan-tunnel') {
    const vni = e.props?.vni ?? [model.nodes.get(e.from), model.nodes.get(e.to)].map((n) => n?.kind === 'vxlan' ? n.props.vni : undefined).find((v) => v !== undefined);
    return vni !== undefined ? `VNI ${String(vni)}` : 'vxlan';
  }
  if (e.kind === 'shares-namespace') return typeof e.props?.type === 'string' ? `shares ${e.props.type}` : 'shares';
  return '';
}

/** The elements to draw for a model and layer choice, keyed by element id. */
export function toElements(model: GraphModel, layers: Layers): Map<string, Element> {
  const { drawn, alias, parent } = placeNodes(model, layers);
  const out = new Map<string, Element>();
  // Boxes get a class instead of relying on Cytoscape's :parent selector, whose style triggers
  // re-check every ancestor on each add and dominated the first draw of large graphs.
  const boxes = new Set(parent.values());
  for (const n of drawn.values()) {
    const data: ElementData = { id: n.id, nodeId: n.id, label: isNetns(n) ? netnsLabel(n, model) : n.kind === 'host' ? hostLabel(n.label) : n.label, kind: n.kind };
    const p = parent.get(n.id);
    if (p) data.parent = p;
    out.set(n.id, { group: 'nodes', data, classes: boxes.has(n.id) ? `${nodeClasses(n)} box` : nodeClasses(n) });
  }
  const ancestors = (id: string): Set<string> => {
    const s = new Set<string>();
    for (let p = parent.get(id); p && !s.has(p); p = parent.get(p)) s.add(p);
    return s;
  };
  for (const e of model.edges.values()) {
    if (!DRAWN_EDGES.has(e.kind)) continue;
    let from = alias.get(e.from) ?? e.from;
    let to = alias.get(e.to) ?? e.to;
    if (from === to || !drawn.has(from) || !drawn.has(to)) continue;
    // Nesting already says "this container is in that netns": no edge into its own box.
    if (ancestors(from).has(to) || ancestors(to).has(from)) continue;
    if (UNDIRECTED.has(e.kind) && from > to) [from, to] = [to, from];
    const id = `${e.kind}|${from}|${to}`;
    if (out.has(id)) continue;
    out.set(id, { group: 'edges', data: { id, label: edgeLabel(e, model), kind: e.kind, source: from, target: to }, classes: e.kind });
  }
  return out;
}

function sameElement(a: Element, b: Element): boolean {
  return a.classes === b.classes && a.data.label === b.data.label && a.data.parent === b.data.parent && a.data.source === b.data.source && a.data.target === b.data.target;
}

/** What to add, remove and update to turn the drawn `before` into `after`, by id. */
export function diffElements(before: Map<string, Element>, after: Map<string, Element>): ElementPatch {
  const add: Element[] = [];
  const update: Element[] = [];
  const remove: string[] = [];
  for (const [id, el] of after) {
    const old = before.get(id);
    if (!old) add.push(el);
    else if (!sameElement(old, el)) update.push(el);
  }
  for (const id of before.keys()) if (!after.has(id)) remove.push(id);
  return { add, remove, update };
}
