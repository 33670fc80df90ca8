import { dockerCall, dockerClient, type DockerCallError } from '../docker/client';
import { isObj, optStr } from '../sys/json';

export interface DockerPing {
  reachable: boolean;
  version?: string;
  apiVersion?: string;
  cgroupVersion?: string;
  /** ENOENT (no socket), EACCES (no permission), ECONNREFUSED (daemon down), ETIMEDOUT. */
  error?: string;
}

const str = (o: unknown, k: string): string | undefined => (isObj(o) ? optStr(o[k]) : undefined);

/** Ask the Docker Engine (GET /version, /info through dockerode) for its version and cgroup version; never throws. */
export async function pingDocker(socketPath: string, timeoutMs: number): Promise<DockerPing> {
  // dockerode's typings omit abortSignal on these two, though the calls honour it.
  type Get = (o: { abortSignal: AbortSignal }) => Promise<unknown>;
  try {
    const docker = dockerClient(socketPath);
    const [version, info] = await Promise.all([
      dockerCall('GET /version', timeoutMs, (abortSignal) => (docker.version as Get)({ abortSignal })),
      dockerCall('GET /info', timeoutMs, (abortSignal) => (docker.info as Get)({ abortSignal })),
    ]);
    return { reachable: true, version: str(version, 'Version'), apiVersion: str(version, 'ApiVersion'), cgroupVersion: str(info, 'CgroupVersion') };
  } catch (e) {
    return { reachable: false, error: (e as DockerCallError).code ?? 'EIO' };
  }
}
