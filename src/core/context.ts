import type { ScanMemo } from './scanMemo';

/** Where the readers look. Every root is a parameter so tests can point readers at recorded trees. */
export interface Roots {
  proc: string;
  sys: string;
  /** Usually `${sys}/fs/cgroup`, kept separate because a recorded tree may hold only this part. */
  cgroup: string;
  run: string;
  etc: string;
  dev: string;
  /** The file system root, for markers such as /.dockerenv. */
  rootfs: string;
}

export interface ScanOptions {
  roots: Roots;
  dockerSocket: string;
  /** Per external call (docker API, ovs-vsctl, QMP ...), so an unanswering daemon never hangs a scan. */
  timeoutMs: number;
  /** PATH used to look for tools (ovs-vsctl, qemu, virsh, mn ...). */
  path: string;
  /** Where tool versions are cached by binary identity; undefined = always ask the tools. */
  versionCacheFile?: string;
  /** Reads shared by the collectors of one snapshot; takeSnapshot sets a fresh one per scan. */
  memo?: ScanMemo;
}

export const defaultRoots: Roots = { proc: '/proc', sys: '/sys', cgroup: '/sys/fs/cgroup', run: '/run', etc: '/etc', dev: '/dev', rootfs: '/' };

export function scanOptions(partial: Partial<Omit<ScanOptions, 'roots'>> & { roots?: Partial<Roots> } = {}): ScanOptions {
  const given = Object.fromEntries(Object.entries(partial.roots ?? {}).filter(([, v]) => typeof v === 'string' && v)) as Partial<Roots>;
  const roots = { ...defaultRoots, ...given };
  if (given.sys && !given.cgroup) roots.cgroup = `${given.sys}/fs/cgroup`;
  return {
    roots,
    dockerSocket: partial.dockerSocket ?? process.env.VIRTLAB_DOCKER_SOCKET ?? '/var/run/docker.sock',
    timeoutMs: partial.timeoutMs ?? 5000,
    path: partial.path ?? process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    versionCacheFile: partial.versionCacheFile,
  };
}

/** The per-user cache file for tool versions ($XDG_CACHE_HOME/virtlab or ~/.cache/virtlab). */
export function defaultVersionCacheFile(): string | undefined {
  const base = process.env.XDG_CACHE_HOME || (process.env.HOME ? `${process.env.HOME}/.cache` : undefined);
  return base ? `${base}/virtlab/tool-versions.json` : undefined;
}
