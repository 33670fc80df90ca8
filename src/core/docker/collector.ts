/** The Docker reader: the Engine API for containers and images, /proc for what the kernel sees. */
import type { Collector } from '../collector';
import type { ScanOptions } from '../context';
import { detectCgroupLayout } from '../cgroup/layout';
import type { GraphBuilder } from '../model/builder';
import { mapPool } from '../sys/pool';
import { shared } from '../scanMemo';
import { dockerApi, describeDockerFailure, DockerCallError, unusableDockerSocket, type DockerApi } from './client';
import { describeDockerSocket } from './socket';
import { containerFromSummary, normaliseContainerInspect, normaliseContainerList, type DockerContainer, type DockerContainerSummary } from './container-json';
import { normaliseImageInspect, normaliseImageList, type DockerImage } from './image-json';
import { readContainerLive, readHostNamespaces, type ContainerLive } from './live';
import { addDockerToGraph, type DockerScan } from './nodes';
import { plural } from '../../shared/format';

const SOURCE = 'docker';
/** Enough parallel inspects to hide per-call latency without flooding the daemon. */
const POOL = 8;

/**
 * Image inspect answers by id. An image id is the digest of its config, so layers and driver
 * dirs never change for an id; only tags do, and those are taken from the list call every scan.
 */
export class ImageCache {
  private readonly byId = new Map<string, DockerImage>();

  get(id: string): DockerImage | undefined {
    return this.byId.get(id);
  }

  set(img: DockerImage): void {
    this.byId.set(img.id, img);
  }

  /** Forget images that are gone, so the cache never outgrows the daemon's list. */
  keepOnly(ids: Set<string>): void {
    for (const id of this.byId.keys()) if (!ids.has(id)) this.byId.delete(id);
  }
}

function reason(e: unknown): { reason: string; code?: string } {
  if (e instanceof DockerCallError) return { reason: e.message, code: e.code ?? (e.statusCode ? `HTTP ${e.statusCode}` : undefined) };
  return { reason: (e as Error)?.message ?? String(e) };
}

/**
 * What the watcher's Docker reader keeps between refreshes, so an event about one container
 * re-reads only that container: the last complete inspect and kernel view per container, and
 * which containers events named since. Anything not named by an event and still in the same
 * state in the list is taken from here; a reconnect (events may have been missed) marks all dirty.
 */
export class DockerIncrementalState {
  readonly inspects = new Map<string, DockerContainer>();
  readonly lives = new Map<string, ContainerLive>();
  private dirty = new Set<string>();
  private allDirty = true;

  /** An event named this container: read it afresh next time. */
  markDirty(id: string): void {
    if (id) this.dirty.add(id);
  }

  /** Events may have been missed: read every container afresh next time. */
  markAllDirty(): void {
    this.allDirty = true;
  }

  /** Take the dirty marks for one refresh; marks made from now on belong to the next one. */
  take(): { all: boolean; ids: Set<string> } {
    const t = { all: this.allDirty, ids: this.dirty };
    this.allDirty = false;
    this.dirty = new Set();
    return t;
  }
}

export interface CollectDockerOptions {
  images?: ImageCache;
  /**
   * Wait at most this long for one container's inspect before using its last inspect (or its
   * list row) instead: dockerd holds a container's lock while starting or killing it, so an
   * inspect can block ~100-200 ms. The late answer still fills the cache. Unset = always wait.
   */
  inspectSoftMs?: number;
  /** Last full inspect by container id, for inspectSoftMs. */
  containers?: Map<string, DockerContainer>;
  /** Reuse unchanged containers' inspect and kernel view (the watcher); `containers` is then its map. */
  incremental?: DockerIncrementalState;
}

/** Read containers and images from `api` and the kernel, and add them to `g`. Never throws. */
export async function collectDocker(api: DockerApi, opts: ScanOptions, g: GraphBuilder, o: CollectDockerOptions = {}): Promise<void> {
  const cache = o.images ?? new ImageCache();
  const inc = o.incremental;
  const lastInspect = inc?.inspects ?? o.containers ?? new Map<string, DockerContainer>();
  // Taken before the first call, so an event arriving during this refresh marks the next one.
  const dirty = inc?.take();
  /** Ids whose answer this refresh did not fully get: read again next time. */
  const redo = (id: string) => inc?.markDirty(id);
  let rawContainers: unknown;
  let rawImages: unknown;
  const unusable = unusableDockerSocket(opts);
  if (unusable) {
    g.source(SOURCE, unusable);
    return;
  }
  try {
    // The first call doubles as the liveness check: its failure is the whole source's state.
    [rawContainers, rawImages] = await Promise.all([api.listContainers(), api.listImages()]);
  } catch (e) {
    g.source(SOURCE, describeDockerFailure(e, opts));
    return;
  }
  const list = normaliseContainerList(rawContainers);
  const imageList = normaliseImageList(rawImages);
  if (list.bad) g.skip({ source: SOURCE, path: 'GET /containers/json', reason: `${list.bad} malformed entr${list.bad === 1 ? 'y' : 'ies'} dropped` });
  if (imageList.bad) g.skip({ source: SOURCE, path: 'GET /images/json', reason: `${imageList.bad} malformed entr${imageList.bad === 1 ? 'y' : 'ies'} dropped` });

  const reused = new Set<string>();
  const inspect = async (s: DockerContainerSummary): Promise<DockerContainer | undefined> => {
    const known = lastInspect.get(s.id);
    // No event named it and the list agrees on its state: nothing about it changed.
    if (dirty && !dirty.all && !dirty.ids.has(s.id) && known?.complete && known.state === s.state) {
      reused.add(s.id);
      return known;
    }
    const answer = api.inspectContainer(s.id).then(normaliseContainerInspect);
    answer.then((c) => c && lastInspect.set(c.id, c)).catch(() => undefined);
    if (o.inspectSoftMs !== undefined) {
      let timer: NodeJS.Timeout | undefined;
      const soft = new Promise<'soft'>((r) => (timer = setTimeout(() => r('soft'), o.inspectSoftMs)));
      const first = await Promise.race([answer.then(() => 'done' as const, () => 'done' as const), soft]);
      clearTimeout(timer);
      if (first === 'soft') {
        redo(s.id);
        const prev = lastInspect.get(s.id);
        const running = s.state === 'running';
        return prev ? { ...prev, state: s.state, running, pid: running ? prev.pid : 0, complete: false } : containerFromSummary(s);
      }
    }
    try {
      const c = await answer;
      if (!c) redo(s.id);
      if (!c) g.skip({ source: SOURCE, path: `GET /containers/${s.id}/json`, reason: 'malformed answer' });
      return c;
    } catch (e) {
      // 404: removed between the list and the inspect; it will be gone from the next list too.
      redo(s.id);
      g.skip({ source: SOURCE, path: `GET /containers/${s.id}/json`, ...reason(e) });
      return undefined;
    }
  };

  const [inspected, images, layout, hostNs] = await Promise.all([
    mapPool(list.containers, POOL, inspect),
    mapPool(imageList.images, POOL, async (s): Promise<DockerImage | undefined> => {
      let img = cache.get(s.id);
      if (!img) {
        try {
          img = normaliseImageInspect(await api.inspectImage(s.id));
        } catch (e) {
          g.skip({ source: SOURCE, path: `GET /images/${s.id}/json`, ...reason(e) });
          return undefined;
        }
        if (!img) {
          g.skip({ source: SOURCE, path: `GET /images/${s.id}/json`, reason: 'malformed answer' });
          return undefined;
        }
        cache.set(img);
      }
      return { ...img, tags: s.tags };
    }),
    shared(opts.memo, 'cgroup-layout', () => detectCgroupLayout(opts.roots)),
    readHostNamespaces(opts.roots),
  ]);
  cache.keepOnly(new Set(imageList.images.map((i) => i.id)));
  const listed = new Set(list.containers.map((c) => c.id));
  for (const id of lastInspect.keys()) if (!listed.has(id)) lastInspect.delete(id);
  if (inc) for (const id of inc.lives.keys()) if (!listed.has(id)) inc.lives.delete(id);

  const containers = inspected.filter((c): c is DockerContainer => !!c).sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  const live = new Map<string, ContainerLive>();
  await mapPool(containers.filter((c) => c.pid > 0), POOL, async (c) => {
    const cached = reused.has(c.id) ? inc?.lives.get(c.id) : undefined;
    const l = cached?.pid === c.pid ? cached : await readContainerLive(opts.roots, layout, c.pid, opts.memo);
    if (inc) inc.lives.set(c.id, l);
    if (l.nsError) g.skip({ source: SOURCE, path: `${opts.roots.proc}/${c.pid}/ns`, reason: `namespaces of container ${c.name}`, code: l.nsError });
    // A process that exited between inspect and this read leaves nothing to link to.
    if (Object.keys(l.namespaces).length || l.cgroup) live.set(c.id, l);
  });
  if (!Object.keys(hostNs.inodes).length) g.skip({ source: SOURCE, reason: 'host namespaces unreadable (dockerd, pid 1 and self); sharing with the host is taken from HostConfig only' });

  const scan: DockerScan = {
    containers,
    statusText: new Map(list.containers.map((s) => [s.id, s.status])),
    images: images.filter((i): i is DockerImage => !!i),
    live,
    hostNs: hostNs.inodes,
  };
  addDockerToGraph(g, scan);
  const dropped = containers.length < list.containers.length || scan.images.length < imageList.images.length;
  const running = containers.filter((c) => c.running).length;
  g.source(SOURCE, {
    state: dropped || list.bad || imageList.bad ? 'partial' : 'ok',
    detail: `${plural(containers.length, 'container')} (${running} running), ${plural(scan.images.length, 'image')} on ${describeDockerSocket({ path: opts.dockerSocket, from: opts.dockerSocketFrom })}`,
  });
}

/** A Docker collector with its own caches; `inspectSoftMs` and `incremental` as in CollectDockerOptions (the watcher sets them). */
export function createDockerCollector(
  settings: { inspectSoftMs?: number; makeApi?: (opts: ScanOptions) => DockerApi; incremental?: DockerIncrementalState } = {},
): Collector {
  const images = new ImageCache();
  const containers = new Map<string, DockerContainer>();
  const makeApi = settings.makeApi ?? ((o: ScanOptions) => dockerApi(o.dockerSocket, o.timeoutMs));
  const incremental = settings.incremental;
  return { name: SOURCE, phase: 1, collect: (opts, g) => collectDocker(makeApi(opts), opts, g, { images, containers, inspectSoftMs: settings.inspectSoftMs, incremental }) };
}

/** The Docker reader for the snapshot's collector list (waits for every inspect: complete data). */
export const dockerCollector: Collector = createDockerCollector();
