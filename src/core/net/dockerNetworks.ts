import type { ScanOptions } from '../context';
import { dockerClient } from '../docker/client';

/** A Docker network as VirtLab shows it, with the Linux bridge that implements a `bridge`-driver network. */
export interface DockerNetwork {
  id: string;
  name: string;
  driver: string;
  scope?: string;
  internal: boolean;
  subnets: { subnet: string; gateway?: string }[];
  /** Kernel bridge name for driver `bridge`: the com.docker.network.bridge.name option, else `br-<id12>`. */
  bridgeName?: string;
  /** Labels, to tell VirtLab's test/lab networks apart. */
  labels: Record<string, string>;
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function strRecord(v: unknown): Record<string, string> {
  if (!isObj(v)) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** Validate one entry of GET /networks; undefined when it has no id or name. */
export function normaliseDockerNetwork(raw: unknown): DockerNetwork | undefined {
  if (!isObj(raw) || typeof raw.Id !== 'string' || !/^[0-9a-f]{12,64}$/.test(raw.Id) || typeof raw.Name !== 'string') return undefined;
  const driver = typeof raw.Driver === 'string' ? raw.Driver : '';
  const options = strRecord(raw.Options);
  const ipamCfg = isObj(raw.IPAM) && Array.isArray(raw.IPAM.Config) ? raw.IPAM.Config : [];
  const subnets = ipamCfg
    .filter(isObj)
    .filter((c) => typeof c.Subnet === 'string')
    .map((c) => ({ subnet: c.Subnet as string, gateway: typeof c.Gateway === 'string' ? c.Gateway : undefined }));
  return {
    id: raw.Id,
    name: raw.Name,
    driver,
    scope: typeof raw.Scope === 'string' ? raw.Scope : undefined,
    internal: raw.Internal === true,
    subnets,
    bridgeName: driver === 'bridge' ? options['com.docker.network.bridge.name'] || `br-${raw.Id.slice(0, 12)}` : undefined,
    labels: strRecord(raw.Labels),
  };
}

export type DockerNetworksResult =
  | { state: 'ok'; networks: DockerNetwork[]; dropped: number }
  | { state: 'absent' | 'unavailable' | 'denied'; detail: string; fix: string };

/** GET /networks on the Docker socket, with the scan's timeout; failures become a state, never a throw. */
export async function readDockerNetworks(opts: ScanOptions): Promise<DockerNetworksResult> {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), opts.timeoutMs);
  let raw: unknown;
  try {
    // dockerode's typings omit abortSignal here, though the call honours it.
    raw = await (dockerClient(opts.dockerSocket).listNetworks as (o: { abortSignal: AbortSignal }) => Promise<unknown>)({ abortSignal: ctl.signal });
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (ctl.signal.aborted) return { state: 'unavailable', detail: `Docker did not answer on ${opts.dockerSocket} within ${opts.timeoutMs} ms`, fix: 'Check the daemon: `docker info`.' };
    if (code === 'ENOENT') return { state: 'absent', detail: `No Docker socket at ${opts.dockerSocket}`, fix: 'Install Docker (`sudo apt-get install docker.io`) and start it, or set virtlab.dockerSocket.' };
    if (code === 'EACCES' || code === 'EPERM') return { state: 'denied', detail: `No permission to use ${opts.dockerSocket}`, fix: 'Add yourself to the docker group: `sudo usermod -aG docker $USER`, then log in again.' };
    return { state: 'unavailable', detail: `Docker is not answering on ${opts.dockerSocket}: ${(e as Error).message}`, fix: 'Start it with `sudo systemctl start docker`.' };
  } finally {
    clearTimeout(timer);
  }
  if (!Array.isArray(raw)) return { state: 'unavailable', detail: 'GET /networks did not return a list', fix: 'Check the Docker daemon version (`docker version`).' };
  const networks: DockerNetwork[] = [];
  for (const r of raw) {
    const n = normaliseDockerNetwork(r);
    if (n) networks.push(n);
  }
  return { state: 'ok', networks, dropped: raw.length - networks.length };
}
