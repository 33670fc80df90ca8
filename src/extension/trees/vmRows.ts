import type { GraphNode, Snapshot } from '../../core/model/graph';
import { GraphIndex, prop } from './index';
import { icon, messageRow, tooltip, type RowSpec } from './spec';

function deviceRow(base: string, d: GraphNode): RowSpec {
  const v = prop<string>(d, 'virtualization');
  return {
    id: `${base}/${d.id}`,
    label: prop<string>(d, 'driver') ?? d.label,
    description: [prop<string>(d, 'id'), prop<string>(d, 'category'), prop<string>(d, 'tapIfname') && `tap ${prop<string>(d, 'tapIfname')}`].filter(Boolean).join(' · '),
    tooltip: tooltip(`${prop<string>(d, 'driver')}: ${v}`, [prop<string>(d, 'why')], [String(prop<string>(d, 'from') ?? prop<string>(d, 'evidence') ?? 'QEMU command line')]),
    icon: icon(v === 'paravirtual' ? 'zap' : v === 'emulated' ? 'circuit-board' : 'chip'),
    contextValue: `vmDevice.${v}`,
    nodeId: d.id,
  };
}

/** The Virtual Machines view: each guest with its accelerator and devices grouped paravirtual / emulated. */
export function vmRows(snap: Snapshot): RowSpec[] {
  const g = GraphIndex.of(snap);
  const vms = g.ofKind('vm');
  const rows: RowSpec[] = [];
  if (!vms.length) {
    const s = snap.report.sources.vm;
    rows.push(messageRow('vm/none', 'No virtual machines running', s?.detail ?? 'No QEMU, libvirt or VirtualBox guests were found.', 'info'));
  }
  for (const vm of vms) {
    const base = `vm/${vm.id}`;
    const devices = g.targets(vm.id, 'contains').filter((d) => d.kind === 'vm-device');
    const groups: [string, string, string][] = [
      ['paravirtual', 'Paravirtual devices (virtio)', 'The guest knows it is virtualized and talks to the host through shared-memory queues: few exits to the hypervisor, near-native speed.'],
      ['emulated', 'Emulated devices', 'QEMU imitates real hardware register by register; every guest access traps to the hypervisor: works with any guest driver, but slow.'],
      ['passthrough', 'Passed-through devices', 'Real hardware (e.g. an SR-IOV VF) given to the guest directly.'],
    ];
    const children: RowSpec[] = [];
    for (const [key, label, why] of groups) {
      const ds = devices.filter((d) => prop(d, 'virtualization') === key);
      if (ds.length) children.push({ id: `${base}/${key}`, label, description: `${ds.length}`, tooltip: tooltip(label, [why]), icon: icon(key === 'paravirtual' ? 'zap' : 'circuit-board'), contextValue: 'vmDeviceGroup', expanded: true, children: ds.map((d) => deviceRow(`${base}/${key}`, d)) });
    }
    const other = devices.filter((d) => !['paravirtual', 'emulated', 'passthrough'].includes(String(prop(d, 'virtualization'))));
    if (other.length) children.push({ id: `${base}/other`, label: 'Other devices', description: `${other.length}`, icon: icon('chip'), children: other.map((d) => deviceRow(`${base}/other`, d)) });
    const accel = prop<string>(vm, 'accelerator') ?? '?';
    const qmp = prop<{ status?: string }>(vm, 'qmp');
    rows.push({
      id: base,
      label: vm.label,
      description: [prop<string>(vm, 'hypervisor'), accel === 'kvm' ? 'KVM (hardware-assisted)' : accel === 'tcg' ? 'TCG (full emulation)' : accel, `${prop<number>(vm, 'vcpus') ?? '?'} vCPU`, prop<number>(vm, 'memoryMiB') !== undefined && `${prop<number>(vm, 'memoryMiB')} MiB`, qmp?.status].filter(Boolean).join(' · '),
      tooltip: tooltip(vm.label, [
        accel === 'kvm' ? 'Guest code runs directly on the CPU under KVM; QEMU only handles device I/O.' : accel === 'tcg' ? 'No KVM: QEMU translates every guest instruction (full emulation), much slower.' : undefined,
        prop<number>(vm, 'pid') !== undefined && `QEMU process ${prop<number>(vm, 'pid')}, vCPU threads ${(prop<number[]>(vm, 'vcpuThreads') ?? []).join(', ')}`,
        prop<boolean>(vm, 'simulated') && 'SIMULATED: from a recorded tree, not this machine.',
      ], [prop<string>(vm, 'acceleratorEvidence'), qmp ? 'QMP query-status, query-kvm, query-cpus-fast' : undefined]),
      icon: icon('vm', accel === 'kvm' ? 'testing.iconPassed' : undefined),
      contextValue: `vm.${prop<string>(vm, 'hypervisor')}`,
      nodeId: vm.id,
      expanded: true,
      children,
    });
  }
  for (const name of ['libvirt', 'virtualbox']) {
    const s = snap.report.sources[name];
    if (s && s.state !== 'ok') rows.push(messageRow(`vm/${name}-state`, name === 'libvirt' ? 'libvirt: not available' : 'VirtualBox: not available', s.detail ?? s.state, 'circle-slash', undefined, s.fix));
  }
  return rows;
}
