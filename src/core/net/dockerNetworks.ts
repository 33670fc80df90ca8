import type { ScanOptions } from '../context';
import { describeDockerFailure, dockerCall, dockerClient, unusableDockerSocket } from '../docker/client';
import { isObj } from '../sys/json';

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
  const unusable = unusableDockerSocket(opts);
  if (unusable) return { state: 'unavailable', detail: unusable.detail ?? '', fix: unusable.fix ?? '' };
  let raw: unknown;
  try {
    // dockerode's typings omit abortSignal here, though the call honours it.
    const docker = dockerClient(opts.dockerSocket);
    raw = await dockerCall('GET /networks', opts.timeoutMs, (abortSignal) => (docker.listNetworks as (o: { abortSignal: AbortSignal }) => Promise<unknown>)({ abortSignal }));
  } catch (e) {
    // The same words as the Docker reader's state, so both sources say one thing about one daemon.
    const s = describeDockerFailure(e, opts);
    return { state: s.state === 'denied' ? 'denied' : 'unavailable', detail: s.detail ?? 'Docker could not be read', fix: s.fix ?? '' };
  }
  if (!Array.isArray(raw)) return { state: 'unavailable', detail: 'GET /networks did not return a list', fix: 'Check the Docker daemon version (`docker version`).' };
  const networks: DockerNetwork[] = [];
  for (const r of raw) {
    const n = normaliseDockerNetwork(r);
    if (n) networks.push(n);
  }
  return { state: 'ok', networks, dropped: raw.length - networks.length };
}
