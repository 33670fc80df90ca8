import type { SkipEntry } from '../model/graph';
import { parseMountInfo } from '../sys/mountinfo';
import { parseNsLink, type NsType } from './namespaces';
import { mapPool } from '../sys/pool';
import { errCode, realProcFs, type ProcFs } from './procfs';

/** A namespace held open by an nsfs bind mount (`ip netns add`, Docker's /run/docker/netns/<id> ...). */
export interface NsfsMount {
  type: NsType;
  inode: number;
  /** The mount point as seen inside `mntNs`. */
  path: string;
  /** Inode of the mount namespace whose mount table holds this mount. */
  mntNs?: number;
}

/** The nsfs mounts listed in one mountinfo text. */
export function nsfsMountsOf(mountinfo: string, mntNs?: number): NsfsMount[] {
  const out: NsfsMount[] = [];
  for (const m of parseMountInfo(mountinfo, (l) => l.includes(' - nsfs ')).entries) {
    if (m.fsType !== 'nsfs') continue;
    // For nsfs the mountinfo root field is the namespace itself, e.g. `net:[4026532286]`.
    const ns = parseNsLink(m.root);
    if (ns) out.push({ ...ns, path: m.mountPoint, mntNs });
  }
  return out;
}

/**
 * Every nsfs mount in every mount namespace: reads /proc/<pid>/mountinfo of one process per
 * distinct mount namespace (`readers` maps mnt inode -> pid), or `${procRoot}/self` when none is known.
 */
export async function readNsfsMounts(procRoot: string, readers: Map<number, number>, fs: ProcFs = realProcFs): Promise<{ mounts: NsfsMount[]; skipped: SkipEntry[] }> {
  const skipped: SkipEntry[] = [];
  const targets: Array<{ dir: string; mntNs?: number }> = readers.size
    ? [...readers].map(([mntNs, pid]) => ({ dir: `${procRoot}/${pid}`, mntNs }))
    : [{ dir: `${procRoot}/self` }];
  const lists = await mapPool(targets, 16, async ({ dir, mntNs }) => {
    try {
      return nsfsMountsOf(await fs.readFile(`${dir}/mountinfo`), mntNs);
    } catch (e) {
      skipped.push({ source: 'proc', path: `${dir}/mountinfo`, reason: 'mount table unreadable (nsfs bind mounts of this mount namespace not seen)', code: errCode(e) });
      return [];
    }
  });
  return { mounts: lists.flat(), skipped };
}
