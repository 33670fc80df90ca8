import { promises as fsp } from 'node:fs';
import type { ScanOptions } from '../context';
import type { GraphBuilder } from '../model/builder';
import { listDir } from '../sys/fs';
import { ownNetnsInode, type NetnsTarget } from './netns';

export interface NetnsTargetInfo extends NetnsTarget {
  /** Name under /run/netns, when it has one (what `ip netns list-id` prints). */
  name?: string;
  isHost?: boolean;
}

const nums = (v: unknown): number[] => (Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : []);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function nameUnderRunNetns(opts: ScanOptions, paths: string[]): { path?: string; name?: string } {
  const dir = `${opts.roots.run}/netns/`;
  const named = paths.find((p) => p.startsWith(dir) && !p.slice(dir.length).includes('/'));
  return { path: named ?? paths[0], name: named?.slice(dir.length) };
}

/** The net namespaces the process reader put in the graph (`namespace` nodes with type 'net'), as targets to enter. */
export function netnsTargetsFromGraph(opts: ScanOptions, g: GraphBuilder): NetnsTargetInfo[] {
  const out: NetnsTargetInfo[] = [];
  for (const n of g.nodesOfKind('namespace')) {
    if (n.props.type !== 'net' || typeof n.props.inode !== 'number') continue;
    const { path, name } = nameUnderRunNetns(opts, strings(n.props.nsfs));
    out.push({ inode: n.props.inode, nsfsPath: path, pids: nums(n.props.pids), name, isHost: n.props.isHostNs === true });
  }
  return out;
}

async function statOf(path: string): Promise<{ ino: number; dev: number } | undefined> {
  try {
    const st = await fsp.stat(path);
    return { ino: st.ino, dev: st.dev };
  } catch {
    return undefined;
  }
}

/**
 * Without the process reader: our own namespace plus the bind-mounted ones (`ip netns` names and
 * Docker's). Process-held namespaces without a bind mount are only found by the process reader.
 */
export async function discoverNetnsTargets(opts: ScanOptions): Promise<NetnsTargetInfo[]> {
  const byInode = new Map<number, NetnsTargetInfo>();
  const self = await ownNetnsInode(opts);
  // Namespace files live on the nsfs pseudo file system; Docker leaves plain empty files behind
  // in /run/docker/netns after a container stops, which have another st_dev and are skipped.
  const nsfsDev = (await statOf(`${opts.roots.proc}/${process.pid}/ns/net`))?.dev;
  if (self !== undefined) byInode.set(self, { inode: self, pid: process.pid, isHost: true });
  for (const [dir, named] of [[`${opts.roots.run}/netns`, true], [`${opts.roots.run}/docker/netns`, false]] as const) {
    for (const f of (await listDir(dir)).sort()) {
      const path = `${dir}/${f}`;
      const st = await statOf(path);
      if (!st || st.dev !== nsfsDev) continue;
      const inode = st.ino;
      const t = byInode.get(inode) ?? { inode };
      t.nsfsPath ??= path;
      if (named) t.name ??= f;
      byInode.set(inode, t);
    }
  }
  return [...byInode.values()];
}
