/** The live root mount of a container's init process, read from /proc/<pid>/mountinfo. */
import { dirname, isAbsolute, resolve } from 'node:path';
import { readLinkOr } from '../sys/fs';
import { mountPointField, parseMountInfo } from '../sys/mountinfo';

/** An overlay root: `lowerdirs` as mounted (top-most first), plus symlinks resolved to real dirs. */
export interface LiveOverlay {
  fsType: string;
  lowerdirs: string[];
  /** Docker mounts short `l/<id>` symlinks to keep the option string short; these are their targets. */
  lowerdirsResolved: string[];
  upperdir: string | null;
  workdir: string | null;
}

/** The mount at `/` as the process sees it (the last one wins when mounts are stacked). */
export function rootOverlayFromMountInfo(text: string): LiveOverlay | undefined {
  const roots = parseMountInfo(text, (l) => mountPointField(l) === '/').entries.filter((e) => e.mountPoint === '/');
  const root = roots[roots.length - 1];
  if (!root || root.fsType !== 'overlay') return undefined;
  let lowerdirs: string[] = [];
  let upperdir: string | null = null;
  let workdir: string | null = null;
  for (const opt of root.superOptions) {
    const eq = opt.indexOf('=');
    if (eq < 0) continue;
    const key = opt.slice(0, eq);
    const val = opt.slice(eq + 1);
    if (key === 'lowerdir') lowerdirs = val.split(':').filter(Boolean);
    else if (key === 'upperdir') upperdir = val;
    else if (key === 'workdir') workdir = val;
  }
  return { fsType: root.fsType, lowerdirs, lowerdirsResolved: lowerdirs, upperdir, workdir };
}

/** Follow one level of symlink for each lower dir (paths are host paths, read under `rootfs`). */
export async function resolveLowerDirs(rootfs: string, dirs: string[]): Promise<string[]> {
  const prefix = rootfs === '/' ? '' : rootfs.replace(/\/$/, '');
  return Promise.all(
    dirs.map(async (d) => {
      const target = await readLinkOr(prefix + d);
      if (target === undefined) return d;
      return isAbsolute(target) ? target : resolve(dirname(d), target);
    }),
  );
}
