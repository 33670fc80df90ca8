/** Container shapes from the Docker Engine API (list and inspect), normalised at the boundary. */
import { asObject, isContainerId, num, numOrNull, str, stringMap, strings, bool, isImageId } from './guards';

/** A published or exposed port; hostPort is null when exposed but not published. */
export interface DockerPort {
  containerPort: number;
  protocol: string;
  hostIp: string | null;
  hostPort: number | null;
}

/** One network endpoint of a container, keyed by network name in DockerContainer.networks. */
export interface DockerEndpoint {
  ip: string;
  prefixLen: number;
  mac: string;
  gateway: string;
  networkId: string;
  endpointId: string;
}

/** The overlay2 (or other driver) directories Docker reports for a container or image. */
export interface GraphDriverInfo {
  name: string;
  /** Top-most first, as in the overlay `lowerdir=` option. */
  lowerDirs: string[];
  upperDir: string | null;
  mergedDir: string | null;
  workDir: string | null;
}

/** The HostConfig values that decide limits and namespace sharing. 0 / null mean "not set". */
export interface DockerHostConfig {
  memory: number;
  memorySwap: number;
  nanoCpus: number;
  cpuQuota: number;
  cpuPeriod: number;
  cpuShares: number;
  /** null, 0 or -1 all mean unlimited in the API. */
  pidsLimit: number | null;
  networkMode: string;
  pidMode: string;
  ipcMode: string;
  utsMode: string;
  usernsMode: string;
  cgroupnsMode: string;
  cgroupParent: string;
  privileged: boolean;
}

/** One row of GET /containers/json?all=1. */
export interface DockerContainerSummary {
  id: string;
  name: string;
  image: string;
  imageId: string;
  state: string;
  /** Human text such as "Up 3 minutes" or "Exited (3) 2 hours ago". */
  status: string;
  created: number;
  labels: Record<string, string>;
  ports: DockerPort[];
  networks: Record<string, DockerEndpoint>;
  networkMode: string;
}

/** GET /containers/<id>/json, normalised. */
export interface DockerContainer {
  id: string;
  name: string;
  image: string;
  imageId: string;
  state: string;
  running: boolean;
  paused: boolean;
  /** Init process pid on the host; 0 when not running. */
  pid: number;
  exitCode: number;
  oomKilled: boolean;
  createdAt: string;
  startedAt: string;
  finishedAt: string;
  command: string[];
  labels: Record<string, string>;
  ports: DockerPort[];
  networks: Record<string, DockerEndpoint>;
  hostConfig: DockerHostConfig;
  graphDriver: GraphDriverInfo;
  /** False when built from the list row only (the inspect was still blocked on the container). */
  complete: boolean;
}

/** A leading '/' is Docker's legacy link-namespace root, not part of the name users type. */
export function containerName(raw: string): string {
  return raw.startsWith('/') ? raw.slice(1) : raw;
}

/** Split `a:b:c` lists of overlay dirs (the API joins LowerDir with ':'). */
function dirList(v: unknown): string[] {
  const s = str(v);
  return s ? s.split(':').filter(Boolean) : [];
}

/** GraphDriver {Name, Data:{LowerDir, UpperDir, MergedDir, WorkDir}} of a container or image. */
export function normaliseGraphDriver(v: unknown): GraphDriverInfo {
  const o = asObject(v) ?? {};
  const data = asObject(o.Data) ?? {};
  return {
    name: str(o.Name),
    lowerDirs: dirList(data.LowerDir),
    upperDir: str(data.UpperDir) || null,
    mergedDir: str(data.MergedDir) || null,
    workDir: str(data.WorkDir) || null,
  };
}

function normaliseHostConfig(v: unknown): DockerHostConfig {
  const h = asObject(v) ?? {};
  return {
    memory: num(h.Memory),
    memorySwap: num(h.MemorySwap),
    nanoCpus: num(h.NanoCpus),
    cpuQuota: num(h.CpuQuota),
    cpuPeriod: num(h.CpuPeriod),
    cpuShares: num(h.CpuShares),
    pidsLimit: numOrNull(h.PidsLimit),
    networkMode: str(h.NetworkMode),
    pidMode: str(h.PidMode),
    ipcMode: str(h.IpcMode),
    utsMode: str(h.UTSMode),
    usernsMode: str(h.UsernsMode),
    cgroupnsMode: str(h.CgroupnsMode),
    cgroupParent: str(h.CgroupParent),
    privileged: bool(h.Privileged),
  };
}

/** NetworkSettings.Ports: {"80/tcp": [{HostIp, HostPort}] | null}. */
function normalisePorts(v: unknown): DockerPort[] {
  const o = asObject(v);
  if (!o) return [];
  const out: DockerPort[] = [];
  for (const [key, bindings] of Object.entries(o)) {
    const m = /^(\d{1,5})\/([a-z]+)$/.exec(key);
    if (!m) continue;
    const containerPort = Number(m[1]);
    const protocol = m[2];
    const list = Array.isArray(bindings) ? bindings.map(asObject).filter((b): b is Record<string, unknown> => !!b) : [];
    if (!list.length) out.push({ containerPort, protocol, hostIp: null, hostPort: null });
    for (const b of list) {
      const hp = Number(str(b.HostPort));
      out.push({ containerPort, protocol, hostIp: str(b.HostIp) || null, hostPort: Number.isInteger(hp) && hp > 0 && hp < 65536 ? hp : null });
    }
  }
  return out;
}

function normaliseNetworks(v: unknown): Record<string, DockerEndpoint> {
  const o = asObject(v);
  const out: Record<string, DockerEndpoint> = {};
  if (!o) return out;
  for (const [name, raw] of Object.entries(o)) {
    const e = asObject(raw);
    if (!e) continue;
    out[name] = {
      ip: str(e.IPAddress),
      prefixLen: num(e.IPPrefixLen),
      mac: str(e.MacAddress),
      gateway: str(e.Gateway),
      networkId: str(e.NetworkID),
      endpointId: str(e.EndpointID),
    };
  }
  return out;
}

/** One entry of GET /containers/json; undefined when it has no valid id (the entry is skipped). */
export function normaliseContainerSummary(v: unknown): DockerContainerSummary | undefined {
  const o = asObject(v);
  if (!o || !isContainerId(o.Id)) return undefined;
  const names = strings(o.Names);
  return {
    id: o.Id,
    name: containerName(names[0] ?? ''),
    image: str(o.Image),
    imageId: isImageId(o.ImageID) ? o.ImageID : '',
    state: str(o.State),
    status: str(o.Status),
    created: num(o.Created),
    labels: stringMap(o.Labels),
    ports: normaliseListPorts(o.Ports),
    networks: normaliseNetworks(asObject(o.NetworkSettings)?.Networks),
    networkMode: str(asObject(o.HostConfig)?.NetworkMode),
  };
}

/** The list call's Ports: [{IP, PrivatePort, PublicPort, Type}]. */
function normaliseListPorts(v: unknown): DockerPort[] {
  if (!Array.isArray(v)) return [];
  const out: DockerPort[] = [];
  for (const raw of v) {
    const p = asObject(raw);
    const containerPort = num(p?.PrivatePort, -1);
    if (!p || !Number.isInteger(containerPort) || containerPort < 0) continue;
    const hostPort = num(p.PublicPort, 0);
    out.push({ containerPort, protocol: str(p.Type, 'tcp'), hostIp: str(p.IP) || null, hostPort: hostPort > 0 ? hostPort : null });
  }
  return out;
}

/** The whole list; a non-array answer gives [] and `bad` counts the rows that were dropped. */
export function normaliseContainerList(v: unknown): { containers: DockerContainerSummary[]; bad: number } {
  if (!Array.isArray(v)) return { containers: [], bad: v === undefined ? 0 : 1 };
  const containers: DockerContainerSummary[] = [];
  let bad = 0;
  for (const row of v) {
    const c = normaliseContainerSummary(row);
    if (c) containers.push(c);
    else bad++;
  }
  return { containers, bad };
}

/** GET /containers/<id>/json; undefined when the answer has no valid Id (nothing can be keyed on it). */
export function normaliseContainerInspect(v: unknown): DockerContainer | undefined {
  const o = asObject(v);
  if (!o || !isContainerId(o.Id)) return undefined;
  const state = asObject(o.State) ?? {};
  const config = asObject(o.Config) ?? {};
  const settings = asObject(o.NetworkSettings) ?? {};
  const running = bool(state.Running);
  const pid = num(state.Pid);
  return {
    id: o.Id,
    name: containerName(str(o.Name)),
    image: str(config.Image),
    imageId: isImageId(o.Image) ? o.Image : '',
    state: str(state.Status, running ? 'running' : 'unknown'),
    running,
    paused: bool(state.Paused),
    // A stale pid of a stopped container must never be followed into /proc.
    pid: running && Number.isInteger(pid) && pid > 0 ? pid : 0,
    exitCode: num(state.ExitCode),
    oomKilled: bool(state.OOMKilled),
    createdAt: str(o.Created),
    startedAt: str(state.StartedAt),
    finishedAt: str(state.FinishedAt),
    command: [str(o.Path), ...strings(o.Args)].filter(Boolean),
    labels: stringMap(config.Labels),
    ports: normalisePorts(settings.Ports),
    networks: normaliseNetworks(settings.Networks),
    hostConfig: normaliseHostConfig(o.HostConfig),
    graphDriver: normaliseGraphDriver(o.GraphDriver),
    complete: true,
  };
}

const NO_HOST_CONFIG = normaliseHostConfig(undefined);

/**
 * A container from its list row alone, for when its inspect is blocked: dockerd holds the
 * container's lock while it starts or kills it, the list call does not wait for that lock.
 */
export function containerFromSummary(s: DockerContainerSummary): DockerContainer {
  return {
    id: s.id,
    name: s.name,
    image: s.image,
    imageId: s.imageId,
    state: s.state,
    running: s.state === 'running',
    paused: s.state === 'paused',
    pid: 0,
    exitCode: 0,
    oomKilled: false,
    createdAt: s.created ? new Date(s.created * 1000).toISOString() : '',
    startedAt: '',
    finishedAt: '',
    command: [],
    labels: s.labels,
    ports: s.ports,
    networks: s.networks,
    hostConfig: { ...NO_HOST_CONFIG, networkMode: s.networkMode },
    graphDriver: { name: '', lowerDirs: [], upperDir: null, mergedDir: null, workDir: null },
    complete: false,
  };
}
