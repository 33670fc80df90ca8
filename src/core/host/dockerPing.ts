import { dockerClient } from '../docker/client';

export interface DockerPing {
  reachable: boolean;
  version?: string;
  apiVersion?: string;
  cgroupVersion?: string;
  /** ENOENT (no socket), EACCES (no permission), ECONNREFUSED (daemon down), ETIMEDOUT. */
  error?: string;
}

function str(o: unknown, k: string): string | undefined {
  const v = o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined;
  return typeof v === 'string' ? v : undefined;
}

/** Ask the Docker Engine (GET /version, /info through dockerode) for its version and cgroup version; never throws. */
export async function pingDocker(socketPath: string, timeoutMs: number): Promise<DockerPing> {
  const docker = dockerClient(socketPath);
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeoutMs);
  try {
    // dockerode's typings omit abortSignal on these two, though the calls honour it.
    const opt = { abortSignal: ctl.signal };
    const [version, info] = await Promise.all([(docker.version as (o: typeof opt) => Promise<unknown>)(opt), (docker.info as (o: typeof opt) => Promise<unknown>)(opt)]);
    return { reachable: true, version: str(version, 'Version'), apiVersion: str(version, 'ApiVersion'), cgroupVersion: str(info, 'CgroupVersion') };
  } catch (e) {
    return { reachable: false, error: ctl.signal.aborted ? 'ETIMEDOUT' : ((e as NodeJS.ErrnoException).code ?? 'EIO') };
  } finally {
    clearTimeout(timer);
  }
}
