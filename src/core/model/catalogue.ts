/**
 * The node-kind catalogue: one typed props schema per node kind and per edge kind of the snapshot
 * graph, from which the TypeScript types (`NodeProps<K>`) and the snapshot's JSON Schema
 * (`virtlab schema`) are both derived, so the two cannot drift.
 *
 * Props are optional unless every reader that makes a node of that kind always writes them: the
 * builder merges props of the same node from several readers (the Docker reader makes a minimal
 * process or namespace node when the proc reader has not, libvirt adds to a QEMU guest). Unknown
 * props are refused. Nested values whose shape belongs to one reader's model are typed with that
 * model's TypeScript type (`opaque<T>()`) and left open in the JSON Schema.
 */
import * as z from 'zod';
import type { CgroupValue } from '../cgroup/types';
import type { DockerContainer, DockerEndpoint, DockerPort } from '../docker/container-json';
import type { HostFact } from '../host/types';
import type { FdbEntry } from '../net/fdb';
import type { NetAddress, VxlanInfo } from '../net/links';
import type { OvsFlow, OvsMacEntry } from '../ovs/flows';
import type { OvsInterface } from '../ovs/model';
import type { VmDeviceView } from '../vm/qemu';

/** A nested value typed by a reader's own model; the JSON Schema only says what it is. */
const opaque = <T>(description: string) => z.custom<T>(() => true).meta({ description }).optional();

const str = z.string().optional();
const num = z.number().optional();
const bool = z.boolean().optional();
const strs = z.array(z.string()).optional();
const nums = z.array(z.number()).optional();
const stringMap = z.record(z.string(), z.string()).optional();
const nsTypes = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'time', 'user', 'uts'] as const;
const nsType = z.enum(nsTypes);
/** A value read from one file (`null` = unlimited, e.g. `max`). */
const fileValue = z.strictObject({ value: z.number().nullable(), file: z.string() }).optional();
const simulated = z.literal(true).optional().meta({ description: 'read from a recorded tree, not this machine' });
const externalIds = z.record(z.string(), z.string()).optional();

const hostProps = z.strictObject({
  hostname: str,
  cgroupLayout: z.enum(['unified', 'hybrid', 'legacy', 'none']).optional(),
  cgroupMounts: opaque<unknown[]>('the cgroup mounts found (path, type, controllers)'),
});

const hostFactProps = z.strictObject({
  key: z.string(),
  group: z.enum(['system', 'virtualization', 'cgroups', 'tools']),
  label: z.string(),
  value: z.string(),
  status: z.enum(['ok', 'warn', 'missing', 'info']),
  source: z.string(),
  detail: str,
  fix: str,
});

const processProps = z.strictObject({
  pid: z.number(),
  ppid: num,
  comm: str,
  cmdline: strs,
  uid: num,
  state: str,
  nspid: nums.meta({ description: 'PID in each nested PID namespace, outermost first' }),
  threads: num,
});

const namespaceProps = z.strictObject({
  type: nsType,
  inode: z.number(),
  pids: nums,
  processCount: num,
  lowestPid: num,
  command: str,
  threadIds: nums,
  nsfs: strs.meta({ description: 'bind-mount paths holding it' }),
  nsfsMounts: z.array(z.strictObject({ path: z.string(), mntNs: str })).optional(),
  parent: str,
  owner: str,
  level: num,
  isHostNs: bool,
});

const cgroupValueKeys = [
  'memoryLimitBytes', 'memoryUsageBytes', 'memoryFailcnt', 'oomEvents', 'oomKillEvents', 'cpuQuotaMicros', 'cpuPeriodMicros',
  'cpuWeight', 'cpuShares', 'cpuUsageNanos', 'cpuThrottledPeriods', 'cpuThrottledNanos', 'pidsLimit', 'pidsCurrent',
  'ioReadBytes', 'ioWriteBytes',
] as const;
const cgroupProps = z.strictObject({
  path: str,
  version: z.union([z.literal(1), z.literal(2)]).optional(),
  layout: str,
  hierarchies: z.array(z.strictObject({ id: z.number(), controllers: z.array(z.string()), path: z.string() })).optional(),
  pids: nums,
  processCount: num,
  ...Object.fromEntries(cgroupValueKeys.map((k) => [k, fileValue])) as Record<(typeof cgroupValueKeys)[number], typeof fileValue>,
});

const nullableNum = z.number().nullable();
const containerProps = z.strictObject({
  name: z.string(),
  id: z.string(),
  image: str,
  imageId: str,
  state: str,
  status: str,
  pid: num,
  exitCode: num,
  oomKilled: bool,
  complete: bool.meta({ description: 'false while dockerd was busy with the container; the next refresh completes it' }),
  command: strs,
  namespaces: z.record(z.string(), z.number()).optional().meta({ description: '{ type: inode }' }),
  sharedNamespaces: z.record(z.string(), z.string()).optional().meta({ description: "{ type: 'own' | 'host' | 'container:<name>' }" }),
  cgroup: z
    .strictObject({
      path: z.string(),
      version: z.number(),
      memoryLimitBytes: nullableNum,
      cpuQuotaMicros: nullableNum,
      cpuPeriodMicros: nullableNum,
      pidsLimit: nullableNum,
      files: z.record(z.string(), z.string().nullable()),
    })
    .nullable()
    .optional(),
  hostConfig: z.strictObject({ memory: num, nanoCpus: num, cpuQuota: num, cpuPeriod: num, pidsLimit: z.number().nullable().optional() }).optional(),
  modes: z.record(z.string(), z.string().optional()).optional(),
  privileged: bool,
  ports: opaque<DockerPort[]>('published ports'),
  networks: opaque<Record<string, DockerEndpoint>>('endpoints by network name'),
  labels: stringMap,
  createdAt: str,
  startedAt: str,
  finishedAt: str,
  graphDriver: str,
  upperDir: str,
  mergedDir: str,
  overlay: z.strictObject({ lowerdirs: z.array(z.string()), lowerdirsResolved: strs, upperdir: str, workdir: str }).optional(),
});

const imageProps = z.strictObject({
  id: z.string(),
  tags: strs,
  digests: strs,
  parent: str,
  createdAt: str,
  size: num,
  layers: strs.meta({ description: 'layer digests, bottom first' }),
  graphDriver: str,
  lowerDirs: strs,
  upperDir: str,
});

const layerProps = z.strictObject({ digest: z.string(), images: strs, shared: bool, dir: z.string().nullable().optional() });

const interfaceProps = z.strictObject({
  name: z.string(),
  ifindex: z.number(),
  kind: str,
  infoKind: str,
  state: str,
  flags: strs,
  mtu: num,
  mac: str,
  addresses: opaque<NetAddress[]>('addresses (family, address, prefixlen, scope)'),
  master: str,
  masterId: str,
  portOf: str,
  alias: str,
  netns: str,
  netnsInode: num,
  linkIndex: num,
  linkNetnsId: num,
  linkName: str,
  peerId: str,
  vxlan: opaque<VxlanInfo>('VXLAN settings (vni, local, remote, group, port, dev)'),
  mode: str,
});

const bridgeProps = z.strictObject({
  name: z.string(),
  netns: str,
  netnsInode: num,
  ifaceId: str,
  stp: bool,
  vlanFiltering: bool,
  bridgeId: str,
  ports: strs,
  fdb: opaque<FdbEntry[]>('forwarding database, first 256 entries'),
  fdbCount: num,
});

const ovsBridgeProps = z.strictObject({
  name: z.string(),
  uuid: str,
  datapathType: str,
  datapath: str,
  datapathActive: bool,
  datapathProblem: str,
  datapathId: str,
  failMode: str,
  stpEnable: bool,
  protocols: strs,
  controllers: z.array(z.strictObject({ target: z.string(), isConnected: bool, role: str })).optional(),
  ports: num,
  flows: opaque<OvsFlow[]>('OpenFlow rules, first 256'),
  flowCount: num,
  macTable: opaque<(OvsMacEntry & { portName?: string })[]>('learned MAC table'),
  externalIds,
  externalIdsProblem: str,
  netnsInode: num,
});

const ovsPortProps = z.strictObject({
  name: z.string(),
  uuid: str,
  bridge: str,
  ofport: num,
  type: str,
  options: stringMap,
  tag: num,
  trunks: nums,
  vlanMode: str,
  interfaces: opaque<OvsInterface[]>('the port interfaces'),
  externalIds,
  externalIdsProblem: str,
  netnsInode: num,
});

const dockerNetworkProps = z.strictObject({
  id: z.string(),
  name: z.string(),
  driver: str,
  scope: str,
  internal: bool,
  subnet: str,
  gateway: str,
  subnets: z.array(z.strictObject({ subnet: str, gateway: str })).optional(),
  bridgeName: str,
  bridgeId: str,
  labels: stringMap,
});

const sriovPfProps = z.strictObject({
  pci: z.string(),
  ifname: str,
  ifnames: strs,
  driver: z.string().nullable().optional(),
  vendor: str,
  device: str,
  totalVfs: num,
  numVfs: num,
  sriovEnabled: bool,
  offset: num,
  stride: num,
  vfDeviceId: str,
  driversAutoprobe: bool,
  numaNode: num,
  mac: str,
  operstate: str,
  simulated,
});

const sriovVfProps = z.strictObject({
  pci: z.string(),
  index: z.number(),
  pf: str,
  driver: z.string().nullable().optional(),
  bound: bool,
  role: str,
  ifname: str,
  ifnames: strs,
  vendor: str,
  device: str,
  physfnOk: bool,
  mac: str,
  vlan: num,
  qos: num,
  vlanProtocol: str,
  spoofCheck: bool,
  trust: bool,
  linkState: str,
  maxTxRateMbps: num,
  minTxRateMbps: num,
  vfSettingsFrom: str,
  simulated,
});

const vmProps = z.strictObject({
  name: str,
  pid: num,
  uuid: str,
  hypervisor: z.enum(['qemu', 'libvirt', 'virtualbox']).optional(),
  emulator: str,
  machine: str,
  accelerator: str,
  acceleratorEvidence: strs,
  vcpus: num,
  vcpuThreads: nums,
  vcpuThreadsFrom: str,
  memoryMiB: num,
  memoryFrom: str,
  rssKiB: num,
  threadCount: num,
  paused: bool,
  qmp: opaque<Record<string, unknown>>('what QMP said (endpoint, version, status, running, kvm, cpus, errors)'),
  qmpUnavailable: str,
  netdevs: z.array(z.strictObject({ id: z.string(), type: z.string(), ifname: str, vhost: bool, bridge: str })).optional(),
  tapIfnames: strs,
  vhostNetFds: num.meta({ description: 'how many vhost-net file descriptors the process holds' }),
  devices: z.strictObject({ paravirtual: z.number(), emulated: z.number(), passthrough: z.number(), chipset: z.number() }).optional(),
  cmdline: str,
  libvirt: z
    .strictObject({ id: num, state: str, osType: str, persistent: bool, autostart: bool, maxMemoryKiB: num, usedMemoryKiB: num })
    .optional(),
  virtualbox: z.strictObject({ state: z.string() }).optional(),
  simulated,
});

/** Device props: QEMU's device view, plus what libvirt adds; keys checked against VmDeviceView below. */
const vmDeviceProps = z.strictObject({
  id: str,
  driver: str,
  category: str,
  virtualization: z.enum(['paravirtual', 'emulated', 'passthrough']).optional(),
  why: str,
  known: bool,
  from: str,
  evidence: str,
  netdev: str,
  netdevType: str,
  tapIfname: str,
  vhost: bool,
  mac: str,
  pciAddress: str,
  bus: str,
  drive: str,
  pci: z.strictObject({ vendor: z.string(), device: z.string(), classCode: z.string(), desc: str }).optional(),
  libvirtSource: str,
  vmId: str,
  simulated,
});

const labProps = z.strictObject({ name: z.string(), stem: str, phase: str, file: str, startedAt: str, objects: num });
const labHostProps = z.strictObject({
  lab: z.string(),
  kind: str,
  netns: str,
  netnsInode: num,
  container: str,
  addresses: strs,
  present: bool,
});
const labSwitchProps = z.strictObject({ lab: z.string(), kind: str, dev: str, netns: str });
const vxlanProps = z.strictObject({ vni: z.number() });

/** Every node kind and the schema of its props. */
export const NODE_PROPS = {
  host: hostProps,
  'host-fact': hostFactProps,
  process: processProps,
  namespace: namespaceProps,
  cgroup: cgroupProps,
  container: containerProps,
  image: imageProps,
  layer: layerProps,
  interface: interfaceProps,
  bridge: bridgeProps,
  'ovs-bridge': ovsBridgeProps,
  'ovs-port': ovsPortProps,
  vxlan: vxlanProps,
  'docker-network': dockerNetworkProps,
  'sriov-pf': sriovPfProps,
  'sriov-vf': sriovVfProps,
  vm: vmProps,
  'vm-device': vmDeviceProps,
  lab: labProps,
  'lab-host': labHostProps,
  'lab-switch': labSwitchProps,
} as const;

const none = z.strictObject({});
/** Every edge kind and the schema of its props (most edges carry none). */
export const EDGE_PROPS = {
  'member-of': z.strictObject({ thread: num, type: nsType.optional() }),
  'shares-namespace': z.strictObject({ type: z.string() }),
  'in-cgroup': none,
  'uses-layer': z.strictObject({ index: z.number() }),
  runs: none,
  'parent-of': none,
  'owned-by': none,
  'in-netns': none,
  'veth-peer': none,
  'bridge-port': none,
  'ovs-port': none,
  'vxlan-tunnel': z.strictObject({ via: z.enum(['linux', 'ovs']), local: str, remote: str, group: str, port: num, dev: str }),
  implements: none,
  'vf-of': none,
  'vm-nic': z.strictObject({ tap: str }),
  'has-fact': none,
  contains: none,
  'from-image': none,
  'ovs-interface': none,
} as const;

export type CatalogueNodeKind = keyof typeof NODE_PROPS;
export type CatalogueEdgeKind = keyof typeof EDGE_PROPS;
export type NodeProps<K extends CatalogueNodeKind> = z.infer<(typeof NODE_PROPS)[K]>;
export type EdgeProps<K extends CatalogueEdgeKind> = z.infer<(typeof EDGE_PROPS)[K]>;

/** The id pattern of each node kind, as the README documents it. */
export const NODE_ID_PATTERN: Record<CatalogueNodeKind, string> = {
  host: 'host:local',
  'host-fact': 'host-fact:<key>',
  process: 'process:<pid>',
  namespace: 'ns:<type>:<inode>',
  cgroup: 'cgroup:<path>',
  container: 'container:<id>',
  image: 'image:<sha256:…>',
  layer: 'layer:<digest>',
  interface: 'iface:<netnsInode>:<ifindex>',
  bridge: 'bridge:<netnsInode>:<name>',
  'ovs-bridge': 'ovs-bridge:<name>',
  'ovs-port': 'ovs-port:<uuid>',
  vxlan: 'vxlan:<vni>',
  'docker-network': 'docker-network:<id>',
  'sriov-pf': 'sriov-pf:<pci>',
  'sriov-vf': 'sriov-vf:<pci>',
  vm: 'vm:<uuid or pid>',
  'vm-device': 'vm-device:<vmid>:<devid>',
  lab: 'lab:<name>',
  'lab-host': 'lab-host:<lab>:<host>',
  'lab-switch': 'lab-switch:<lab>:<sw>',
};

/** A node's id starts with its kind's prefix (the part of the pattern before the first ':'). */
const idPrefix = (k: CatalogueNodeKind): string => `${NODE_ID_PATTERN[k].split(':')[0]}:`;

function nodeSchema<K extends CatalogueNodeKind>(kind: K) {
  return z.strictObject({
    // Prefixes are lower-case words and hyphens: nothing to escape.
    id: z.string().regex(new RegExp(`^${idPrefix(kind)}`)),
    kind: z.literal(kind),
    label: z.string(),
    props: NODE_PROPS[kind],
  });
}

function edgeSchema<K extends CatalogueEdgeKind>(kind: K) {
  return z.strictObject({ from: z.string(), to: z.string(), kind: z.literal(kind), props: EDGE_PROPS[kind].optional() });
}

const kinds = <T extends object>(o: T) => Object.keys(o) as (keyof T)[];

/** The snapshot JSON Schema (draft 2020-12): one `$defs` entry per node and edge kind, `kind` telling them apart. */
export function snapshotJsonSchema(): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  const nodes = kinds(NODE_PROPS).map((k) => {
    const s = nodeSchema(k);
    registry.add(s, { id: `node:${k}` });
    return s;
  });
  const edges = kinds(EDGE_PROPS).map((k) => {
    const s = edgeSchema(k);
    registry.add(s, { id: `edge:${k}` });
    return s;
  });
  const source = z.strictObject({
    state: z.enum(['ok', 'absent', 'unavailable', 'denied', 'partial']),
    detail: str,
    fix: str,
    durationMs: num,
  });
  const snapshot = z.strictObject({
    version: z.literal(1),
    takenAt: z.string(),
    nodes: z.array(z.discriminatedUnion('kind', nodes as [ReturnType<typeof nodeSchema>, ...ReturnType<typeof nodeSchema>[]])),
    edges: z.array(z.discriminatedUnion('kind', edges as [ReturnType<typeof edgeSchema>, ...ReturnType<typeof edgeSchema>[]])),
    report: z.strictObject({
      durationMs: z.number(),
      skipped: z.array(z.strictObject({ source: z.string(), path: str, reason: z.string(), code: str })),
      sources: z.record(z.string(), source),
    }),
  });
  const schema = z.toJSONSchema(snapshot, { target: 'draft-2020-12', unrepresentable: 'any', metadata: registry });
  return { $id: 'https://virtlab.invalid/snapshot.schema.json', title: 'VirtLab snapshot', ...schema };
}

// Compile-time checks that the catalogue keeps up with the readers' own models: a field a reader
// model gains or retypes, and the catalogue lacks, is a type error here.
type Keys<T> = keyof T & string;
type Covers<Model, Props> = Exclude<Keys<Model>, Keys<Props>> extends never ? true : false;
type Fits<A, B> = [A] extends [B] ? true : false;
const modelChecks: [
  Covers<VmDeviceView, NodeProps<'vm-device'>>,
  Fits<HostFact, NodeProps<'host-fact'>>,
  Fits<Pick<DockerContainer['hostConfig'], 'memory' | 'nanoCpus' | 'cpuQuota' | 'cpuPeriod' | 'pidsLimit'>, NonNullable<NodeProps<'container'>['hostConfig']>>,
  Fits<CgroupValue | undefined, NodeProps<'cgroup'>['memoryLimitBytes'] | undefined>,
  Fits<NodeProps<'cgroup'>['memoryLimitBytes'], CgroupValue | undefined>,
] = [true, true, true, true, true];
void modelChecks;
