import type { Roots } from '../context';
import { exists, readTextOr } from '../sys/fs';
import { run, type RunResult } from '../sys/exec';

/** Evidence that this machine is itself virtualized: a VM guest, inside a container, or both. */
export interface GuestEvidence {
  hypervisorFlag: boolean;
  /** DMI vendor/product, e.g. "QEMU / Standard PC (Q35 + ICH9, 2009)", "Microsoft Corporation / Virtual Machine". */
  dmi?: { vendor?: string; product?: string; source: string };
  /** /sys/hypervisor/type (Xen guests). */
  sysHypervisor?: string;
  /** The VM technology as named by DMI or systemd-detect-virt (kvm, xen, vmware, microsoft, ...). */
  vm?: string;
  vmSource?: string;
  /** Container technology: docker, podman, lxc, kubepods, or what systemd-detect-virt --container says. */
  container?: string;
  containerSource?: string;
}

const DMI_VENDORS: [RegExp, string][] = [
  [/^QEMU/i, 'qemu'],
  [/KVM/i, 'kvm'],
  [/VMware/i, 'vmware'],
  [/innotek|VirtualBox|Oracle/i, 'oracle'],
  [/Microsoft/i, 'microsoft'],
  [/Xen/i, 'xen'],
  [/Amazon EC2/i, 'amazon'],
  [/Google/i, 'google'],
  [/Firecracker/i, 'firecracker'],
  [/Parallels/i, 'parallels'],
  [/Bochs/i, 'bochs'],
];

/** Classify a DMI vendor/product string the way systemd-detect-virt does; undefined for bare metal. */
export function vmFromDmi(vendor = '', product = ''): string | undefined {
  for (const [re, name] of DMI_VENDORS) if (re.test(vendor) || re.test(product)) return name;
  return undefined;
}

/** Container markers: /.dockerenv, /run/.containerenv, PID 1's cgroup path. */
export async function detectContainer(roots: Roots): Promise<{ container?: string; source?: string }> {
  if (await exists(`${roots.rootfs.replace(/\/$/, '')}/.dockerenv`)) return { container: 'docker', source: '/.dockerenv exists' };
  if (await exists(`${roots.run}/.containerenv`)) return { container: 'podman', source: `${roots.run}/.containerenv exists` };
  const cg = await readTextOr(`${roots.proc}/1/cgroup`);
  const m = cg?.match(/\/(docker|lxc|kubepods|libpod|containerd)[/.-]/);
  if (m) return { container: m[1] === 'libpod' ? 'podman' : m[1], source: `${roots.proc}/1/cgroup mentions ${m[1]}` };
  return {};
}

let detectVirt: Promise<[RunResult, RunResult]> | undefined;

/**
 * systemd-detect-virt reads CPUID leaf 0x40000000, which names the hypervisor even without DMI.
 * Its answer cannot change while this process runs, and the live views rescan every few seconds:
 * ask once per process (a failed run is asked again next time).
 */
function detectVirtOnce(timeoutMs: number): Promise<[RunResult, RunResult]> {
  detectVirt ??= Promise.all([run('systemd-detect-virt', ['--vm'], { timeoutMs }), run('systemd-detect-virt', ['--container'], { timeoutMs })]).then((r) => {
    if (r.some((x) => x.error)) detectVirt = undefined;
    return r;
  });
  return detectVirt;
}

/** Gather guest evidence from cpu flags, DMI, /sys/hypervisor, container markers and systemd-detect-virt. */
export async function detectGuest(roots: Roots, hypervisorFlag: boolean, opts: { useSystemdDetectVirt: boolean; timeoutMs: number }): Promise<GuestEvidence> {
  const ev: GuestEvidence = { hypervisorFlag };
  const dmiDir = `${roots.sys}/class/dmi/id`;
  const vendor = (await readTextOr(`${dmiDir}/sys_vendor`))?.trim();
  const product = (await readTextOr(`${dmiDir}/product_name`))?.trim();
  if (vendor || product) ev.dmi = { vendor, product, source: `${dmiDir}/sys_vendor, product_name` };
  const xen = (await readTextOr(`${roots.sys}/hypervisor/type`))?.trim();
  if (xen) ev.sysHypervisor = xen;
  const dmiVm = vmFromDmi(vendor, product);
  if (xen) {
    ev.vm = xen;
    ev.vmSource = `${roots.sys}/hypervisor/type`;
  } else if (dmiVm) {
    ev.vm = dmiVm;
    ev.vmSource = ev.dmi?.source;
  }
  Object.assign(ev, await detectContainer(roots).then((c) => ({ container: c.container, containerSource: c.source })));
  if (opts.useSystemdDetectVirt) {
    const [vm, ctr] = await detectVirtOnce(opts.timeoutMs);
    const vmName = vm.stdout.trim();
    if (!ev.vm && vmName && vmName !== 'none' && !vm.error) {
      ev.vm = vmName;
      ev.vmSource = 'systemd-detect-virt --vm (CPUID)';
    }
    const ctrName = ctr.stdout.trim();
    if (!ev.container && ctrName && ctrName !== 'none' && !ctr.error) {
      ev.container = ctrName;
      ev.containerSource = 'systemd-detect-virt --container';
    }
  }
  return ev;
}
