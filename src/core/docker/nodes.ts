/**
 * Turns what the Docker reader found into graph nodes and edges: containers, images, layers,
 * and the links to the namespace, process and cgroup nodes the proc/cgroup readers also make.
 */
import type { GraphBuilder } from '../model/builder';
import { NS_TYPES, nsId } from '../proc/namespaces';
import type { CgroupValue } from '../cgroup/types';
import type { DockerContainer } from './container-json';
import { layerDirs, type DockerImage } from './image-json';
import type { ContainerLive } from './live';
import { resolveSharing, type NsInodes } from './sharing';

/** Everything one Docker scan gathered, already normalised. */
export interface DockerScan {
  /** Oldest first, so the older of two containers sharing a namespace counts as its owner. */
  containers: DockerContainer[];
  /** Human status text ("Up 3 minutes") from the list call, by container id. */
  statusText: Map<string, string>;
  images: DockerImage[];
  /** Only for running containers whose init process could be read. */
  live: Map<string, ContainerLive>;
  hostNs: NsInodes;
}

export const containerNodeId = (id: string): string => `container:${id}`;
export const imageNodeId = (id: string): string => `image:${id}`;
export const layerNodeId = (digest: string): string => `layer:${digest}`;

const val = (v: CgroupValue | undefined): number | null => v?.value ?? null;

function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

/** Add the image and layer nodes; returns which images use each layer digest. */
function addImages(g: GraphBuilder, images: DockerImage[]): void {
  const users = new Map<string, string[]>();
  const dirOf = new Map<string, string>();
  for (const img of images) {
    const dirs = layerDirs(img);
    img.layers.forEach((digest, i) => {
      const list = users.get(digest) ?? [];
      if (!list.includes(img.id)) list.push(img.id);
      users.set(digest, list);
      const d = dirs[i];
      if (d) dirOf.set(digest, d);
    });
  }
  for (const [digest, imageIds] of users) {
    g.node(layerNodeId(digest), 'layer', shortId(digest), { digest, images: imageIds, shared: imageIds.length > 1, dir: dirOf.get(digest) ?? null });
  }
  for (const img of images) {
    g.node(imageNodeId(img.id), 'image', img.tags[0] ?? shortId(img.id), {
      id: img.id,
      tags: img.tags,
      digests: img.digests,
      parent: img.parent,
      createdAt: img.createdAt,
      size: img.size,
      layers: img.layers,
      graphDriver: img.graphDriver.name,
      lowerDirs: img.graphDriver.lowerDirs,
      upperDir: img.graphDriver.upperDir,
    });
    img.layers.forEach((digest, index) => g.edge(imageNodeId(img.id), layerNodeId(digest), 'uses-layer', { index }));
  }
}

/**
 * Namespace, process and cgroup nodes belong to the proc/cgroup readers; the Docker reader only
 * creates a minimal one when it is not there yet (readers of one phase run in parallel, and the
 * watcher's fast path re-runs this reader alone), so a richer node from those readers always wins.
 */
function ensureNode(g: GraphBuilder, id: string, kind: 'namespace' | 'process' | 'cgroup', label: string, props: Record<string, unknown>): void {
  if (!g.has(id)) g.node(id, kind, label, props);
}

function addContainer(g: GraphBuilder, scan: DockerScan, c: DockerContainer, sharing: ReturnType<typeof resolveSharing>): void {
  const id = containerNodeId(c.id);
  const live = scan.live.get(c.id);
  const stats = live?.cgroup?.stats;
  const hc = c.hostConfig;
  const share = sharing.get(c.id);
  g.node(id, 'container', c.name, {
    name: c.name,
    id: c.id,
    image: c.image,
    imageId: c.imageId,
    state: c.state,
    status: scan.statusText.get(c.id) || c.state,
    pid: c.pid,
    exitCode: c.exitCode,
    oomKilled: c.oomKilled,
    // False while dockerd was busy with the container; the next refresh completes it.
    complete: c.complete,
    command: c.command,
    namespaces: live ? { ...live.namespaces } : {},
    sharedNamespaces: share?.shared ?? {},
    cgroup: stats
      ? {
          path: stats.path,
          version: stats.version,
          memoryLimitBytes: val(stats.memoryLimitBytes),
          cpuQuotaMicros: val(stats.cpuQuotaMicros),
          cpuPeriodMicros: val(stats.cpuPeriodMicros),
          pidsLimit: val(stats.pidsLimit),
          // Which file each value came from, so the UI can show v1 vs v2 names.
          files: {
            memoryLimitBytes: stats.memoryLimitBytes?.file ?? null,
            cpuQuotaMicros: stats.cpuQuotaMicros?.file ?? null,
            cpuPeriodMicros: stats.cpuPeriodMicros?.file ?? null,
            pidsLimit: stats.pidsLimit?.file ?? null,
          },
        }
      : null,
    hostConfig: { memory: hc.memory, nanoCpus: hc.nanoCpus, cpuQuota: hc.cpuQuota, cpuPeriod: hc.cpuPeriod, pidsLimit: hc.pidsLimit },
    modes: { network: hc.networkMode, pid: hc.pidMode, ipc: hc.ipcMode, uts: hc.utsMode, userns: hc.usernsMode, cgroupns: hc.cgroupnsMode },
    privileged: hc.privileged,
    ports: c.ports,
    networks: c.networks,
    labels: c.labels,
    createdAt: c.createdAt,
    startedAt: c.startedAt,
    finishedAt: c.finishedAt,
    graphDriver: c.graphDriver.name,
    upperDir: c.graphDriver.upperDir,
    mergedDir: c.graphDriver.mergedDir,
    overlay: live?.overlay
      ? { lowerdirs: live.overlay.lowerdirs, lowerdirsResolved: live.overlay.lowerdirsResolved, upperdir: live.overlay.upperdir, workdir: live.overlay.workdir }
      : undefined,
  });
  if (c.imageId) g.edge(id, imageNodeId(c.imageId), 'from-image');
  for (const j of share?.joins ?? []) g.edge(id, containerNodeId(j.to), 'shares-namespace', { type: j.type });
  if (!live) return;
  // Same label shape as the proc reader's process nodes.
  ensureNode(g, `process:${live.pid}`, 'process', `${live.comm ?? '?'} (${live.pid})`, { pid: live.pid, comm: live.comm });
  g.edge(id, `process:${live.pid}`, 'runs');
  for (const type of NS_TYPES) {
    const inode = live.namespaces[type];
    if (inode === undefined) continue;
    ensureNode(g, nsId(type, inode), 'namespace', `${type}:[${inode}]`, { type, inode });
    g.edge(id, nsId(type, inode), 'member-of', { type });
  }
  if (live.cgroup) {
    const cg = `cgroup:${live.cgroup.idPath}`;
    ensureNode(g, cg, 'cgroup', live.cgroup.idPath, { path: live.cgroup.idPath, version: live.cgroup.stats.version });
    g.edge(id, cg, 'in-cgroup');
  }
}

/** Add containers, images and layers of one Docker scan to the graph. */
export function addDockerToGraph(g: GraphBuilder, scan: DockerScan): void {
  addImages(g, scan.images);
  const sharing = resolveSharing(
    scan.containers.map((c) => ({ id: c.id, name: c.name, hostConfig: c.hostConfig, namespaces: scan.live.get(c.id)?.namespaces ?? {} })),
    scan.hostNs,
  );
  for (const c of scan.containers) addContainer(g, scan, c, sharing);
}
