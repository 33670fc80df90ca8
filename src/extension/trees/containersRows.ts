import type { GraphNode, Snapshot } from '../../core/model/graph';
import { GraphIndex, prop } from './index';
import { NS_TYPES } from '../../core/proc/namespaces';
import { NS_ISOLATES } from './namespacesRows';
import { plural } from '../../shared/format';
import { bytes, icon, messageRow, tooltip, type RowSpec } from './spec';

const STATE_ICON: Record<string, [string, string?]> = {
  running: ['vm-running', 'testing.iconPassed'],
  paused: ['debug-pause', 'list.warningForeground'],
  restarting: ['sync', 'list.warningForeground'],
  exited: ['vm-outline', 'disabledForeground'],
  created: ['vm-outline', 'disabledForeground'],
  dead: ['error', 'errorForeground'],
};

function sharedText(v: string | undefined): string {
  if (!v || v === 'own') return 'own';
  if (v === 'host') return 'shared with host';
  return `shared with ${v.replace(/^container:/, 'container ')}`;
}

function namespacesRow(c: GraphNode, base: string): RowSpec {
  const ns = prop<Record<string, number>>(c, 'namespaces') ?? {};
  const shared = prop<Record<string, string>>(c, 'sharedNamespaces') ?? {};
  const pid = prop<number>(c, 'pid');
  const own = NS_TYPES.filter((t) => ns[t] !== undefined && sharedText(shared[t]) === 'own').length;
  return {
    id: `${base}/ns`,
    label: 'Namespaces',
    description: Object.keys(ns).length ? `${own} own, ${Object.keys(ns).length - own} shared` : 'not running',
    icon: icon('symbol-namespace'),
    contextValue: 'containerNamespaces',
    nodeId: c.id,
    children: NS_TYPES.filter((t) => ns[t] !== undefined).map((t) => ({
      id: `${base}/ns/${t}`,
      label: t,
      description: `${ns[t]} · ${sharedText(shared[t])}`,
      tooltip: tooltip(`${t} namespace ${ns[t]}: ${sharedText(shared[t])}`, [NS_ISOLATES[t]], [`/proc/${pid}/ns/${t} -> ${t}:[${ns[t]}]`]),
      icon: icon(sharedText(shared[t]) === 'own' ? 'lock' : 'link'),
      contextValue: `containerNs.${t}`,
      nodeId: `ns:${t}:${ns[t]}`,
    })),
  };
}

function cgroupRow(g: GraphIndex, c: GraphNode, base: string): RowSpec | undefined {
  const cg = prop<Record<string, unknown>>(c, 'cgroup');
  if (!cg) return undefined;
  const node = g.targets(c.id, 'in-cgroup')[0];
  const files = (cg.files ?? {}) as Record<string, string | null>;
  const usage = prop<{ value: number | null; file: string }>(node, 'memoryUsageBytes');
  const rows: [string, string, string | null | undefined][] = [
    ['Memory limit', bytes(cg.memoryLimitBytes), files.memoryLimitBytes],
    ['Memory usage', usage ? bytes(usage.value) : 'unknown', usage?.file],
    ['CPU quota', typeof cg.cpuQuotaMicros === 'number' && typeof cg.cpuPeriodMicros === 'number' ? `${cg.cpuQuotaMicros} µs per ${cg.cpuPeriodMicros} µs = ${(cg.cpuQuotaMicros / cg.cpuPeriodMicros).toFixed(2)} CPUs` : 'unlimited', files.cpuQuotaMicros],
    ['PIDs limit', typeof cg.pidsLimit === 'number' ? String(cg.pidsLimit) : 'unlimited', files.pidsLimit],
  ];
  return {
    id: `${base}/cgroup`,
    label: 'cgroup',
    description: `v${cg.version} ${cg.path}`,
    tooltip: tooltip(`cgroup ${cg.path}`, ['cgroups govern resources: how much memory, CPU time and how many processes this container may use.']),
    icon: icon('dashboard'),
    contextValue: 'containerCgroup',
    nodeId: node?.id,
    children: rows.map(([label, value, file]) => ({ id: `${base}/cgroup/${label}`, label, description: value, tooltip: tooltip(`${label}: ${value}`, [], [file ?? undefined]), icon: icon('symbol-numeric') })),
  };
}

function layersRow(g: GraphIndex, c: GraphNode, base: string): RowSpec | undefined {
  const image = g.targets(c.id, 'from-image')[0];
  const layers = image ? g.edgesOut(image.id, 'uses-layer').sort((a, b) => Number(b.props?.index ?? 0) - Number(a.props?.index ?? 0)) : [];
  const overlay = prop<{ upperdir?: string; lowerdirs?: string[] }>(c, 'overlay');
  const children: RowSpec[] = [];
  const upper = overlay?.upperdir ?? prop<string>(c, 'upperDir');
  if (upper) children.push({ id: `${base}/fs/upper`, label: 'upper (writable)', description: upper, tooltip: tooltip('Upper directory', ['Every file the container writes or changes is copied up here; the image layers below stay read-only.'], [overlay ? `/proc/${prop(c, 'pid')}/mountinfo (overlay upperdir)` : 'docker inspect GraphDriver.Data.UpperDir']), icon: icon('edit'), contextValue: 'overlayDir' });
  const merged = prop<string>(c, 'mergedDir');
  if (merged) children.push({ id: `${base}/fs/merged`, label: 'merged (what the container sees)', description: merged, icon: icon('layers'), contextValue: 'overlayDir', tooltip: tooltip('Merged directory', ['The union of the upper directory over all image layers: the container\'s root file system.'], ['docker inspect GraphDriver.Data.MergedDir']) });
  for (const e of layers) {
    const l = g.nodes.get(e.to);
    if (!l) continue;
    const shared = prop<boolean>(l, 'shared');
    children.push({
      id: `${base}/fs/${l.id}`,
      label: `layer ${Number(e.props?.index ?? 0)}`,
      description: `${l.label}${shared ? ` · shared by ${plural((prop<string[]>(l, 'images') ?? []).length, 'image')}` : ''}`,
      tooltip: tooltip(`Layer ${prop<string>(l, 'digest')}`, [shared ? 'Several images use this layer: it is stored once on disk.' : 'Used by this image only.', prop<string>(l, 'dir') && `Directory: ${prop<string>(l, 'dir')}`], ['docker image inspect RootFS.Layers']),
      icon: icon(shared ? 'references' : 'layers'),
      contextValue: 'layer',
      nodeId: l.id,
    });
  }
  if (!children.length) return undefined;
  return { id: `${base}/fs`, label: 'File system layers', description: `${prop<string>(c, 'graphDriver') ?? ''} · ${plural(layers.length, 'image layer')}`, icon: icon('layers'), contextValue: 'containerLayers', children };
}

function interfacesRow(g: GraphIndex, c: GraphNode, base: string): RowSpec | undefined {
  const ns = prop<Record<string, number>>(c, 'namespaces') ?? {};
  if (ns.net === undefined) return undefined;
  const ifaces = g.sources(`ns:net:${ns.net}`, 'in-netns').filter((n) => n.kind === 'interface');
  if (!ifaces.length) return undefined;
  return {
    id: `${base}/net`,
    label: 'Network interfaces',
    description: `${ifaces.length}`,
    icon: icon('plug'),
    contextValue: 'containerInterfaces',
    children: ifaces.map((i) => {
      const peer = [...g.targets(i.id, 'veth-peer'), ...g.sources(i.id, 'veth-peer')][0];
      const master = peer ? prop<string>(peer, 'master') : undefined;
      const addrs = (prop<{ address: string; prefixlen: number }[]>(i, 'addresses') ?? []).map((a) => `${a.address}/${a.prefixlen}`);
      return {
        id: `${base}/net/${i.id}`,
        label: prop<string>(i, 'name') ?? i.label,
        description: [addrs.join(' '), peer && `↔ ${prop<string>(peer, 'name')}${master ? ` on ${master}` : ''}`].filter(Boolean).join(' · '),
        tooltip: tooltip(`${prop<string>(i, 'name')} (${prop<string>(i, 'kind')})`, [peer ? `veth peer: ${prop<string>(peer, 'name')} in ${prop<string>(peer, 'netns')}${master ? `, a port of ${master}` : ''}` : undefined, `MAC ${prop<string>(i, 'mac') ?? '?'}, MTU ${prop<number>(i, 'mtu') ?? '?'}`], [`ip -j -d addr (in ${prop<string>(i, 'netns')})`]),
        icon: icon('plug'),
        contextValue: 'interface',
        nodeId: i.id,
      };
    }),
  };
}

function processesRow(g: GraphIndex, c: GraphNode, base: string): RowSpec | undefined {
  const ns = prop<Record<string, number>>(c, 'namespaces') ?? {};
  if (ns.pid === undefined) return undefined;
  const procs = g.sources(`ns:pid:${ns.pid}`, 'member-of').filter((p) => p.kind === 'process').sort((a, b) => (prop<number>(a, 'pid') ?? 0) - (prop<number>(b, 'pid') ?? 0));
  const shared = prop<Record<string, string>>(c, 'sharedNamespaces')?.pid;
  const list = shared && shared !== 'own' ? procs.filter((p) => g.sources(p.id, 'runs').some((x) => x.id === c.id)) : procs;
  return {
    id: `${base}/procs`,
    label: 'Processes',
    description: shared && shared !== 'own' ? `PID namespace ${sharedText(shared)}` : `${list.length}`,
    icon: icon('server-process'),
    contextValue: 'containerProcesses',
    children: list.slice(0, 100).map((p) => {
      const nspid = prop<number[]>(p, 'nspid') ?? [];
      const inner = nspid.length > 1 ? nspid[nspid.length - 1] : undefined;
      return {
        id: `${base}/procs/${p.id}`,
        label: prop<string>(p, 'comm') ?? p.label,
        description: `host PID ${prop<number>(p, 'pid')}${inner !== undefined ? ` · PID ${inner} in container` : ''}`,
        tooltip: tooltip(`${prop<string>(p, 'comm')}`, [(prop<string[]>(p, 'cmdline') ?? []).join(' ')], [`/proc/${prop<number>(p, 'pid')}/status NSpid: ${nspid.join(' ')}`]),
        icon: icon('terminal'),
        contextValue: 'process',
        nodeId: p.id,
      };
    }),
  };
}

/** The Containers view: running and stopped containers with their namespaces, cgroup, layers, interfaces and processes. */
export function containersRows(snap: Snapshot): RowSpec[] {
  const g = GraphIndex.of(snap);
  const docker = snap.report.sources.docker;
  if (docker && docker.state !== 'ok' && docker.state !== 'partial') {
    return [messageRow('ctr/unavailable', docker.state === 'denied' ? 'No permission on the Docker socket' : docker.state === 'absent' ? 'Docker is not installed' : 'Docker is not running', docker.detail ?? '', 'warning', { command: 'virtlab.refresh', title: 'Retry' }, docker.fix)];
  }
  const containers = g.ofKind('container').sort((a, b) => Number(prop(b, 'state') === 'running') - Number(prop(a, 'state') === 'running') || a.label.localeCompare(b.label));
  return containers.map((c) => {
    const base = `ctr/${prop<string>(c, 'id')}`;
    const state = prop<string>(c, 'state') ?? 'unknown';
    const [ic, color] = STATE_ICON[state] ?? ['vm-outline'];
    const children = [namespacesRow(c, base), cgroupRow(g, c, base), layersRow(g, c, base), interfacesRow(g, c, base), processesRow(g, c, base)].filter((r): r is RowSpec => !!r && (r.children?.length ?? 0) > 0);
    return {
      id: base,
      label: c.label,
      description: `${state} · ${prop<string>(c, 'image') ?? ''}`,
      tooltip: tooltip(c.label, [`${prop<string>(c, 'status') ?? state}`, `Image: ${prop<string>(c, 'image')}`, `ID: ${prop<string>(c, 'id')}`, prop<number>(c, 'pid') ? `Init process: host PID ${prop<number>(c, 'pid')}` : undefined], [`Docker API GET /containers/${String(prop<string>(c, 'id')).slice(0, 12)}/json`]),
      icon: icon(ic, color),
      contextValue: `container.${state}`,
      nodeId: c.id,
      children,
    };
  });
}
