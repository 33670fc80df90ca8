import type { Roots } from '../context';
import { readText } from '../sys/fs';
import { parseMountInfo } from '../sys/mountinfo';
import type { CgroupLayout, CgroupMount } from './types';

/** The canonical mount point; recorded trees keep it in mountinfo while their files live under roots.cgroup. */
export const CGROUP_MOUNT_BASE = '/sys/fs/cgroup';

/** Map a mount point from mountinfo to the directory to read under `roots.cgroup`. */
export function cgroupDir(roots: Roots, mountPoint: string): string {
  if (mountPoint === CGROUP_MOUNT_BASE || mountPoint.startsWith(CGROUP_MOUNT_BASE + '/')) {
    return roots.cgroup + mountPoint.slice(CGROUP_MOUNT_BASE.length);
  }
  return mountPoint;
}

const V1_SUPER_OPTS = new Set(['rw', 'ro', 'relatime', 'nosuid', 'nodev', 'noexec', 'clone_children', 'noprefix', 'xattr']);

/**
 * Decide the layout the way systemd does (what is mounted at /sys/fs/cgroup): cgroup2 there is
 * "unified"; tmpfs with cgroup2 at /sys/fs/cgroup/unified (or systemd's hybrid mount) is "hybrid";
 * tmpfs with only v1 hierarchies is "legacy".
 */
export async function detectCgroupLayout(roots: Roots): Promise<CgroupLayout> {
  const file = `${roots.proc}/self/mountinfo`;
  const { text } = await readText(file);
  if (text === undefined) return { kind: 'none', mounts: [], source: `${file} (unreadable)` };
  const mounts: CgroupMount[] = [];
  for (const m of parseMountInfo(text, (l) => l.includes(' - cgroup')).entries) {
    if (m.fsType === 'cgroup2') {
      const controllers = (await readText(`${cgroupDir(roots, m.mountPoint)}/cgroup.controllers`)).text?.trim().split(/\s+/).filter(Boolean) ?? [];
      mounts.push({ mountPoint: m.mountPoint, version: 2, controllers, root: m.root });
    } else if (m.fsType === 'cgroup') {
      const controllers = m.superOptions.filter((o) => !V1_SUPER_OPTS.has(o) && !o.startsWith('release_agent='));
      mounts.push({ mountPoint: m.mountPoint, version: 1, controllers, root: m.root });
    }
  }
  const v2AtBase = mounts.some((m) => m.version === 2 && m.mountPoint === CGROUP_MOUNT_BASE);
  const v2Below = mounts.some((m) => m.version === 2 && m.mountPoint.startsWith(CGROUP_MOUNT_BASE + '/'));
  const hasV1 = mounts.some((m) => m.version === 1);
  const kind = v2AtBase ? 'unified' : hasV1 && v2Below ? 'hybrid' : hasV1 ? 'legacy' : v2Below ? 'unified' : 'none';
  return { kind, mounts, source: file };
}

/** The v1 mount that holds a controller (e.g. 'memory'), if any. */
export function v1MountFor(layout: CgroupLayout, controller: string): CgroupMount | undefined {
  return layout.mounts.find((m) => m.version === 1 && m.controllers.includes(controller));
}

/** The cgroup2 mount, if any (at /sys/fs/cgroup when unified, /sys/fs/cgroup/unified when hybrid). */
export function v2Mount(layout: CgroupLayout): CgroupMount | undefined {
  return layout.mounts.find((m) => m.version === 2);
}
