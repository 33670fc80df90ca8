/**
 * Which of a container's namespaces are its own and which it shares with the host or another
 * container. The kernel's inode numbers are the truth for running containers; HostConfig modes
 * (`--pid=host`, `--net=container:X` ...) name the partner and cover stopped containers.
 */
import { NS_TYPES, type NsType } from '../proc/namespaces';
import type { DockerHostConfig } from './container-json';

export type NsInodes = Partial<Record<NsType, number>>;
/** 'host', 'own', or `container:<name>`. */
export type SharedWith = string;

export interface SharingInput {
  id: string;
  name: string;
  hostConfig: DockerHostConfig;
  /** Empty when not running. */
  namespaces: NsInodes;
}

export interface SharingResult {
  shared: Partial<Record<NsType, SharedWith>>;
  /** Containers this one joined: one shares-namespace edge each (from this container to `to`). */
  joins: { to: string; type: NsType }[];
}

/** The HostConfig mode that governs one namespace type ('' when Docker has no option for it). */
export function modeFor(hc: DockerHostConfig, type: NsType): string {
  switch (type) {
    case 'pid': return hc.pidMode;
    case 'net': return hc.networkMode;
    case 'ipc': return hc.ipcMode;
    case 'uts': return hc.utsMode;
    case 'user': return hc.usernsMode;
    case 'cgroup': return hc.cgroupnsMode;
    default: return '';
  }
}

/** What the mode alone says; undefined when it depends on the daemon (user, time) and nothing is known. */
function fromMode(mode: string, type: NsType): 'host' | 'own' | undefined {
  if (mode === 'host') return 'host';
  if (type === 'mnt') return 'own';
  // Docker never unshares the time namespace, and the user namespace only with daemon-wide userns-remap.
  if (type === 'time' || type === 'user') return undefined;
  return 'own';
}

/** Resolve sharing for every container at once, because a partner is named by id, short id or name. */
export function resolveSharing(containers: SharingInput[], hostNs: NsInodes): Map<string, SharingResult> {
  const byRef = new Map<string, SharingInput>();
  for (const c of containers) {
    byRef.set(c.id, c);
    byRef.set(c.name, c);
  }
  const find = (ref: string): SharingInput | undefined => {
    const hit = byRef.get(ref) ?? byRef.get(ref.replace(/^\//, ''));
    if (hit) return hit;
    // Docker accepts any unique id prefix.
    const prefixed = ref.length >= 4 ? containers.filter((c) => c.id.startsWith(ref)) : [];
    return prefixed.length === 1 ? prefixed[0] : undefined;
  };
  const out = new Map<string, SharingResult>();
  for (const c of containers) {
    const res: SharingResult = { shared: {}, joins: [] };
    for (const type of NS_TYPES) {
      const mode = modeFor(c.hostConfig, type);
      const inode = c.namespaces[type];
      if (mode.startsWith('container:')) {
        const ref = mode.slice('container:'.length);
        const partner = find(ref);
        res.shared[type] = `container:${partner?.name ?? ref}`;
        if (partner && partner.id !== c.id) res.joins.push({ to: partner.id, type });
        continue;
      }
      if (inode !== undefined && hostNs[type] !== undefined) {
        if (inode === hostNs[type]) {
          res.shared[type] = 'host';
          continue;
        }
        // Same inode as another container without a mode saying so (e.g. both joined a third
        // container's namespace): name the first such container, by creation order of the list.
        const other = containers.find((o) => o.id !== c.id && o.namespaces[type] === inode && !modeFor(o.hostConfig, type).startsWith('container:'));
        if (other && containers.indexOf(other) < containers.indexOf(c)) {
          res.shared[type] = `container:${other.name}`;
          res.joins.push({ to: other.id, type });
        } else {
          res.shared[type] = 'own';
        }
        continue;
      }
      const guess = fromMode(mode, type);
      if (guess) res.shared[type] = guess;
    }
    out.set(c.id, res);
  }
  return out;
}
