import type { GraphBuilder } from '../model/builder';
import { classifyBuiltinPci, categoryOfPciClass, VIRTIO_PCI_VENDOR, type DeviceCategory, type Virtualization } from './devices';
import type { QemuDevice, QemuGuestSpec } from './cmdline';
import type { QemuProcess } from './procscan';
import type { QmpInfo, QmpPciDevice } from './qmp';
import { plural } from '../../shared/format';

/** One guest device as shown in the graph, after command line, /proc and QMP were combined. */
export interface VmDeviceView {
  id: string;
  driver: string;
  category: DeviceCategory;
  virtualization: Virtualization;
  why: string;
  known: boolean;
  from: QemuDevice['from'];
  /** 'cmdline', 'cmdline+qmp-pci' (QMP confirmed it exists with these PCI ids) or 'qmp-pci' (only QMP knows it). */
  evidence: string;
  netdev?: string;
  netdevType?: string;
  tapIfname?: string;
  vhost?: boolean;
  mac?: string;
  /** Guest PCI address `bb:ss.f` from query-pci, or the `addr=` the command line asked for. */
  pciAddress?: string;
  bus?: string;
  drive?: string;
  pci?: { vendor: string; device: string; classCode: string; desc?: string };
}

/** The accelerator actually in use and how we know it. */
export interface AccelVerdict {
  accelerator: string;
  evidence: string[];
}

const hex4 = (n: number): string => `0x${n.toString(16).padStart(4, '0')}`;

/**
 * Decide KVM vs TCG from every witness: QMP query-kvm (QEMU's own answer), the process's KVM
 * file descriptors (kernel truth), vCPU thread names (`CPU 0/TCG`), then the command line.
 */
export function decideAccelerator(spec: QemuGuestSpec, proc: QemuProcess | undefined, qmp: QmpInfo | undefined): AccelVerdict {
  const evidence: string[] = [`command line: ${spec.accelFrom}`];
  const nonKvm = spec.accelCandidates.find((a) => a !== 'kvm') ?? 'tcg';
  const threadAccel = proc?.threads.map((t) => /^(?:CPU \d+|ALL CPUs)\/(\w+)$/.exec(t.comm)?.[1]).find(Boolean);
  if (threadAccel) evidence.push(`vCPU thread names end in /${threadAccel}`);
  if (proc?.kvmFds) evidence.push(proc.kvmFds.vm ? `process holds anon_inode:kvm-vm and ${plural(proc.kvmFds.vcpus, 'kvm-vcpu fd')}` : 'process holds no KVM file descriptor');
  if (qmp?.kvm) evidence.push(`QMP query-kvm: enabled=${qmp.kvm.enabled}, present=${qmp.kvm.present}`);
  let accelerator: string;
  if (qmp?.kvm) accelerator = qmp.kvm.enabled ? 'kvm' : nonKvm;
  else if (proc?.kvmFds) accelerator = proc.kvmFds.vm ? 'kvm' : nonKvm;
  else if (threadAccel) accelerator = threadAccel.toLowerCase();
  else accelerator = spec.accelCandidates[0] ?? 'tcg';
  return { accelerator, evidence };
}

/** vCPU thread ids: named threads when debug-threads=on, otherwise QMP's query-cpus-fast thread ids. */
export function vcpuThreads(proc: QemuProcess | undefined, qmp: QmpInfo | undefined): { tids: number[]; from: string } {
  const named = (proc?.threads ?? []).filter((t) => /^(?:CPU \d+|ALL CPUs)\/\w+$/.test(t.comm)).map((t) => t.tid);
  if (named.length) return { tids: named, from: 'thread names (/proc/<pid>/task/*/comm)' };
  if (qmp?.cpus?.length) return { tids: [...new Set(qmp.cpus.map((c) => c.threadId))].sort((a, b) => a - b), from: 'QMP query-cpus-fast' };
  return { tids: [], from: 'unknown (no debug-threads names and no QMP)' };
}

function viewOf(d: QemuDevice, spec: QemuGuestSpec, proc: QemuProcess | undefined): VmDeviceView {
  const nd = d.netdev ? spec.netdevs.find((n) => n.id === d.netdev) : undefined;
  const tapIfname = nd?.ifname ?? (nd?.fd && proc ? proc.tapFds[nd.fd] : undefined);
  return {
    id: d.id,
    driver: d.driver,
    category: d.cls.category,
    virtualization: d.cls.virtualization,
    why: d.cls.why,
    known: d.cls.known,
    from: d.from,
    evidence: 'cmdline',
    netdev: d.netdev || undefined,
    netdevType: nd?.type,
    tapIfname,
    vhost: nd ? nd.vhost : undefined,
    mac: d.mac,
    pciAddress: d.pciAddress,
    bus: d.bus,
    drive: d.drive || undefined,
  };
}

function attachPci(v: VmDeviceView, p: QmpPciDevice): void {
  v.pciAddress = p.address;
  v.pci = { vendor: hex4(p.vendor), device: hex4(p.device), classCode: hex4(p.classCode), desc: p.desc };
  v.evidence = 'cmdline+qmp-pci';
  // The vendor id is a fact; the name table is an inference. A virtio vendor id settles it.
  if (p.vendor === VIRTIO_PCI_VENDOR && v.virtualization !== 'paravirtual') {
    v.virtualization = 'paravirtual';
    v.why = `${v.driver}: paravirtual - QMP query-pci shows PCI vendor 0x1af4 (virtio), so the guest driver exchanges data through shared-memory virtqueues`;
  }
}

/** Combine command-line devices with QMP's PCI list: confirm them, and add what the machine type built in. */
export function deviceViews(spec: QemuGuestSpec, proc: QemuProcess | undefined, qmp: QmpInfo | undefined): VmDeviceView[] {
  const views = spec.devices.map((d) => viewOf(d, spec, proc));
  if (!qmp?.pci) return views;
  const byId = new Map(views.map((v) => [v.id, v]));
  const unmatched: QmpPciDevice[] = [];
  for (const p of qmp.pci) {
    const v = p.qdevId ? byId.get(p.qdevId) : undefined;
    if (v) attachPci(v, p);
    else unmatched.push(p);
  }
  // Devices made by -nic/-drive/-vga have no qdev id: pair them with id-less PCI functions of the same kind.
  const implicit = spec.devices.filter((d) => !d.idExplicit).map((d) => byId.get(d.id)!);
  for (const p of unmatched) {
    const cat = categoryOfPciClass(p.classCode);
    const isVirtio = p.vendor === VIRTIO_PCI_VENDOR;
    const v = implicit.find((x) => !x.pci && x.category === cat && (x.virtualization === 'paravirtual') === isVirtio);
    if (v) {
      attachPci(v, p);
      continue;
    }
    const desc = p.desc ?? `PCI class ${hex4(p.classCode)}`;
    const cls = classifyBuiltinPci(desc, p.vendor, p.classCode);
    views.push({
      id: p.qdevId || `pci-${p.address}`,
      driver: desc,
      category: cls.category,
      virtualization: cls.virtualization,
      why: cls.why,
      known: cls.known,
      from: 'qmp',
      evidence: 'qmp-pci',
      pciAddress: p.address,
      pci: { vendor: hex4(p.vendor), device: hex4(p.device), classCode: hex4(p.classCode), desc: p.desc },
    });
  }
  return views;
}

/** Add one QEMU guest (vm node, device nodes, contains edges) to the graph; returns the vm id. */
export function addQemuGuest(
  g: GraphBuilder,
  spec: QemuGuestSpec,
  proc: QemuProcess,
  qmp: { info?: QmpInfo; endpoint?: string; error?: string; skippedBecause?: string },
  simulated: boolean,
): string {
  const key = spec.uuid ?? String(proc.pid);
  const vmId = `vm:${key}`;
  const info = qmp.info;
  const accel = decideAccelerator(spec, proc, info);
  const threads = vcpuThreads(proc, info);
  const views = deviceViews(spec, proc, info);
  const count = (k: Virtualization): number => views.filter((v) => v.virtualization === k).length;
  const name = info?.name || spec.name || `qemu ${proc.pid}`;
  const vcpus = info?.cpus?.length ?? spec.vcpus;
  g.node(vmId, 'vm', name, {
    name,
    pid: proc.pid,
    uuid: spec.uuid,
    hypervisor: spec.libvirt ? 'libvirt' : 'qemu',
    emulator: spec.emulator,
    machine: spec.machine,
    accelerator: accel.accelerator,
    acceleratorEvidence: accel.evidence,
    vcpus,
    vcpuThreads: threads.tids,
    vcpuThreadsFrom: threads.from,
    memoryMiB: spec.memoryMiB,
    memoryFrom: spec.memoryFrom === 'cmdline' ? '-m' : 'QEMU default (no -m)',
    rssKiB: proc.rssKiB,
    threadCount: proc.threads.length,
    paused: spec.paused,
    qmp: info
      ? { endpoint: qmp.endpoint, version: info.version, status: info.status, running: info.running, kvm: info.kvm, cpus: info.cpus, errors: info.errors.length ? info.errors : undefined }
      : undefined,
    qmpUnavailable: info ? undefined : (qmp.error ?? qmp.skippedBecause),
    netdevs: spec.netdevs.map((n) => ({ id: n.id, type: n.type, ifname: n.ifname ?? (n.fd ? proc.tapFds[n.fd] : undefined), vhost: n.vhost, bridge: n.bridge })),
    tapIfnames: [...new Set(views.map((v) => v.tapIfname).filter((x): x is string => Boolean(x)))],
    vhostNetFds: proc.vhostNetFds,
    // chipset: devices only QMP knows about (built in by the machine type), included in the other counts.
    devices: { paravirtual: count('paravirtual'), emulated: count('emulated'), passthrough: count('passthrough'), chipset: views.filter((v) => v.from === 'qmp').length },
    cmdline: proc.argv.join(' '),
    simulated: simulated || undefined,
  });
  for (const v of views) {
    const devId = `vm-device:${key}:${v.id}`;
    g.node(devId, 'vm-device', `${v.id} (${v.driver})`, { ...v, vmId, simulated: simulated || undefined });
    g.edge(vmId, devId, 'contains');
  }
  return vmId;
}
