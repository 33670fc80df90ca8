/**
 * What the kernel says about a running container, read through its init process in /proc:
 * namespace inodes, cgroup membership and limits, and the live overlay root mount.
 */
import type { Roots } from '../context';
import { readProcCgroups, cgroupIdPath } from '../cgroup/membership';
import { sharedCgroupStats } from '../cgroup/stats';
import type { ScanMemo } from '../scanMemo';
import type { CgroupLayout, CgroupStats } from '../cgroup/types';
import { readNsLinks, type NsType } from '../proc/namespaces';
import { readText } from '../sys/fs';
import { rootOverlayFromMountInfo, resolveLowerDirs, type LiveOverlay } from './overlay';

export interface ContainerLive {
  pid: number;
  /** Empty when the process vanished or /proc/<pid>/ns was unreadable (see nsError). */
  namespaces: Partial<Record<NsType, number>>;
  nsError?: string;
  comm?: string;
  /** The stable id path of the cgroup (v1 memory path, else v2 path) and what its files say. */
  cgroup?: { idPath: string; stats: CgroupStats };
  overlay?: LiveOverlay;
  mountinfoError?: string;
}

/** Read namespaces, cgroup and root mount of one running container's init process; never throws. */
export async function readContainerLive(roots: Roots, layout: CgroupLayout, pid: number, memo?: ScanMemo): Promise<ContainerLive> {
  const dir = `${roots.proc}/${pid}`;
  const [ns, comm, entries, mountinfo] = await Promise.all([
    readNsLinks(dir),
    readText(`${dir}/comm`),
    readProcCgroups(roots.proc, pid),
    readText(`${dir}/mountinfo`),
  ]);
  const live: ContainerLive = { pid, namespaces: ns.inodes };
  if (ns.error) live.nsError = ns.error;
  if (comm.text !== undefined) live.comm = comm.text.trim();
  const idPath = cgroupIdPath(entries);
  if (idPath !== undefined) live.cgroup = { idPath, stats: await sharedCgroupStats({ roots, memo }, layout, entries) };
  if (mountinfo.text !== undefined) {
    const overlay = rootOverlayFromMountInfo(mountinfo.text);
    if (overlay) live.overlay = { ...overlay, lowerdirsResolved: await resolveLowerDirs(roots.rootfs, overlay.lowerdirs) };
  } else {
    live.mountinfoError = mountinfo.code;
  }
  return live;
}

/**
 * The namespaces `--pid=host`, `--net=host` ... refer to: those of dockerd itself (its pid file),
 * else of pid 1, else of the scanning process. pid 1 is not always readable (on this kind of
 * sandboxed machine /proc/1/ns is EACCES even for root), hence the order.
 */
export async function readHostNamespaces(roots: Roots): Promise<{ inodes: Partial<Record<NsType, number>>; from: string }> {
  const pidText = (await readText(`${roots.run}/docker.pid`)).text?.trim();
  const candidates = [...(pidText && /^\d+$/.test(pidText) ? [`${roots.proc}/${pidText}`] : []), `${roots.proc}/1`, `${roots.proc}/self`];
  for (const c of candidates) {
    const { inodes } = await readNsLinks(c);
    if (Object.keys(inodes).length >= 6) return { inodes, from: c };
  }
  return { inodes: {}, from: '' };
}
