import { resolveDockerSocket } from './docker/socket';
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
  /** The Docker Engine socket (resolveDockerSocket); empty when dockerSocketProblem says why none is used. */
  dockerSocket: string;
  /** Where dockerSocket came from (`virtlab.dockerSocket`, `DOCKER_HOST`, `default` …), shown in the reports. */
  dockerSocketFrom: string;
  /** Set when no socket can be used (DOCKER_HOST=tcp://…): Docker is then reported, not asked. */
  dockerSocketProblem?: string;
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

export type ScanOptionsInput = Partial<Omit<ScanOptions, 'roots' | 'dockerSocketFrom' | 'dockerSocketProblem'>> & {
  roots?: Partial<Roots>;
  /** What an explicit dockerSocket is called where the user set it (`virtlab.dockerSocket`, `--docker-socket`). */
  dockerSocketName?: string;
};

export function scanOptions(partial: ScanOptionsInput = {}): ScanOptions {
  const given = Object.fromEntries(Object.entries(partial.roots ?? {}).filter(([, v]) => typeof v === 'string' && v)) as Partial<Roots>;
  const roots = { ...defaultRoots, ...given };
  if (given.sys && !given.cgroup) roots.cgroup = `${given.sys}/fs/cgroup`;
  const docker = resolveDockerSocket({ value: partial.dockerSocket, name: partial.dockerSocketName ?? 'the dockerSocket option' });
  return {
    roots,
    dockerSocket: docker.path,
    dockerSocketFrom: docker.from,
    ...(docker.problem ? { dockerSocketProblem: docker.problem } : {}),
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
