import type { Roots } from '../context';
import { shared, type ScanMemo } from '../scanMemo';
import { cgroupDir, v1MountFor, v2Mount } from './layout';
import { cgroupIdPath } from './membership';
import type { CgroupLayout, CgroupMount, CgroupStats, ProcCgroupEntry } from './types';
import { readV1Stats, type V1Dirs } from './v1';
import { readV2Stats } from './v2';

/** The directory under roots.cgroup that holds `path` in the hierarchy mounted at `mount`. */
export function cgroupPathDir(roots: Roots, mount: CgroupMount, path: string): string {
  const root = mount.root && mount.root !== '/' ? mount.root : '';
  // A mount of a subtree (container view with a host cgroup namespace) shows paths that still start with its root.
  const rel = root && (path === root || path.startsWith(root + '/')) ? path.slice(root.length) : path;
  const base = cgroupDir(roots, mount.mountPoint);
  return rel === '/' || rel === '' ? base : base + rel;
}

function v1Dir(roots: Roots, layout: CgroupLayout, entries: ProcCgroupEntry[], controller: string): string | undefined {
  const mount = v1MountFor(layout, controller);
  const entry = entries.find((e) => e.controllers.includes(controller));
  return mount && entry ? cgroupPathDir(roots, mount, entry.path) : undefined;
}

/**
 * Limits and usage of the cgroup(s) a process is in. Each controller is read from the v1 hierarchy
 * that holds it, else from the v2 hierarchy (so unified, hybrid and legacy layouts all work).
 * Missing files leave fields absent; this never throws. Async so callers need not change if a
 * reader ever has to wait; today the reads are synchronous (see readCgroupFile).
 */
export async function readCgroupStats(roots: Roots, layout: CgroupLayout, entries: ProcCgroupEntry[]): Promise<CgroupStats> {
  const dirs: V1Dirs = {
    memory: v1Dir(roots, layout, entries, 'memory'),
    cpu: v1Dir(roots, layout, entries, 'cpu'),
    cpuacct: v1Dir(roots, layout, entries, 'cpuacct'),
    pids: v1Dir(roots, layout, entries, 'pids'),
    blkio: v1Dir(roots, layout, entries, 'blkio'),
  };
  const v2 = v2Mount(layout);
  const v2Entry = entries.find((e) => e.hierarchyId === 0 && e.controllers.length === 0);
  const want = {
    memory: !v1MountFor(layout, 'memory'),
    cpu: !v1MountFor(layout, 'cpu'),
    pids: !v1MountFor(layout, 'pids'),
    io: !v1MountFor(layout, 'blkio'),
  };
  const s1 = readV1Stats(dirs);
  const s2 = v2 && v2Entry && (want.memory || want.cpu || want.pids || want.io) ? readV2Stats(cgroupPathDir(roots, v2, v2Entry.path), want) : {};
  const stats: CgroupStats = { version: layout.kind === 'unified' ? 2 : 1, path: cgroupIdPath(entries) ?? '/' };
  for (const [k, v] of Object.entries({ ...s1, ...s2 })) {
    if (v !== undefined) (stats as unknown as Record<string, unknown>)[k] = v;
  }
  return stats;
}

/** readCgroupStats, once per membership per snapshot (the proc and Docker readers both want a container's limits). */
export function sharedCgroupStats(opts: { roots: Roots; memo?: ScanMemo }, layout: CgroupLayout, entries: ProcCgroupEntry[]): Promise<CgroupStats> {
  const key = `cgroup-stats:${entries.map((e) => `${e.hierarchyId}:${e.controllers.join(',')}:${e.path}`).join('\n')}`;
  return shared(opts.memo, key, () => readCgroupStats(opts.roots, layout, entries));
}
