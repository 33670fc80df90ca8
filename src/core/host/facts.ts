import { constants, promises as fsp } from 'node:fs';
import type { ScanOptions } from '../context';
import { detectCgroupLayout } from '../cgroup/layout';
import { describeDockerSocket } from '../docker/socket';
import type { CgroupLayout } from '../cgroup/types';
import { shared } from '../scanMemo';
import { readTextOr } from '../sys/fs';
import { which } from '../sys/which';
import { parseCpuInfo } from './cpu';
import { pingDocker, type DockerPing } from './dockerPing';
import { detectGuest, type GuestEvidence } from './guest';
import { memoryFact } from './memory';
import { detectTools } from './tools';
import type { HostFact } from './types';

function osReleaseName(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const vars = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = line.match(/^([A-Z_]+)=(.*)$/);
    if (m) vars.set(m[1], m[2].replace(/^["']|["']$/g, ''));
  }
  return vars.get('PRETTY_NAME') ?? vars.get('NAME');
}

async function kvmDevice(path: string): Promise<{ state: 'usable' | 'no-access' | 'absent' }> {
  try {
    await fsp.access(path, constants.R_OK | constants.W_OK);
    return { state: 'usable' };
  } catch (e) {
    return { state: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'absent' : 'no-access' };
  }
}

const LAYOUT_TEXT: Record<CgroupLayout['kind'], string> = {
  unified: 'v2 (unified)',
  hybrid: 'hybrid (v1 controllers + v2 at unified/)',
  legacy: 'v1 (legacy)',
  none: 'not mounted',
};

function guestFacts(ev: GuestEvidence, cpuinfoPath: string): HostFact[] {
  const facts: HostFact[] = [];
  const vmEvidence = [ev.hypervisorFlag && `\`hypervisor\` CPU flag in ${cpuinfoPath}`, ev.dmi && `DMI: ${[ev.dmi.vendor, ev.dmi.product].filter(Boolean).join(' / ')}`, ev.sysHypervisor && `/sys/hypervisor/type = ${ev.sysHypervisor}`].filter(Boolean) as string[];
  const isGuest = vmEvidence.length > 0 || !!ev.vm;
  facts.push({
    key: 'guest.vm',
    group: 'virtualization',
    label: 'Runs as a VM guest',
    value: isGuest ? `yes${ev.vm ? ` (${ev.vm})` : ''}` : 'no (bare metal)',
    status: 'info',
    detail: isGuest ? 'This kernel runs on virtual hardware provided by a hypervisor; VMs started here are nested.' : 'No hypervisor flag, DMI vendor or /sys/hypervisor entry: this kernel runs on the hardware itself.',
    source: [...vmEvidence, ev.vmSource && `hypervisor named by ${ev.vmSource}`].filter(Boolean).join('; ') || `${cpuinfoPath} flags, DMI, /sys/hypervisor`,
  });
  facts.push({
    key: 'guest.container',
    group: 'virtualization',
    label: 'Inside a container',
    value: ev.container ? `yes (${ev.container})` : 'no',
    status: 'info',
    detail: ev.container ? 'VirtLab itself runs in a container: the "host" it shows is the container\'s view, sharing the kernel below it.' : 'No container markers found.',
    source: ev.containerSource ?? '/.dockerenv, /run/.containerenv, /proc/1/cgroup',
  });
  return facts;
}

/** The Docker Engine row: its version, or why it is not answering; either way which socket was used and why that one. */
function dockerFact(opts: ScanOptions, docker: DockerPing): HostFact {
  const base = { key: 'tool.docker', group: 'tools', label: 'Docker Engine' } as const;
  if (opts.dockerSocketProblem) {
    return {
      ...base,
      value: 'DOCKER_HOST is not a local socket',
      status: 'missing',
      source: opts.dockerSocketProblem,
      detail: 'container runtime; VirtLab reads the Engine API on a local unix socket only',
      fix: 'Set virtlab.dockerSocket (or --docker-socket) to the local socket, e.g. /var/run/docker.sock, or unset DOCKER_HOST',
    };
  }
  const socket = describeDockerSocket({ path: opts.dockerSocket, from: opts.dockerSocketFrom });
  if (docker.reachable) {
    return { ...base, value: `${docker.version ?? '?'} (API ${docker.apiVersion ?? '?'}, cgroup v${docker.cgroupVersion ?? '?'})`, status: 'ok', source: `GET /version and /info on ${socket}`, detail: `container runtime, read on ${socket}` };
  }
  return {
    ...base,
    value: docker.error === 'EACCES' ? 'no permission on the socket' : docker.error === 'ENOENT' ? 'not running (no socket)' : 'not answering',
    status: 'missing',
    source: `${socket}: ${docker.error}`,
    detail: `container runtime, looked for on ${socket}`,
    fix: docker.error === 'EACCES' ? 'Add yourself to the docker group: sudo usermod -aG docker $USER (then log in again)' : 'Start it with `sudo systemctl start docker` (or `sudo dockerd &`)',
  };
}

/** Read every Host fact: kernel, distribution, CPU virtualization, /dev/kvm, guest layers, cgroups, tools. */
export async function readHostFacts(opts: ScanOptions): Promise<{ facts: HostFact[]; layout: CgroupLayout; hostname?: string }> {
  const { roots } = opts;
  const osrelPath = `${roots.proc}/sys/kernel/osrelease`;
  const cpuinfoPath = `${roots.proc}/cpuinfo`;
  const osReleasePath = `${roots.etc}/os-release`;
  // systeminformation reads the real /proc only; a recorded tree has no memory fact.
  const live = roots.proc === '/proc';
  const [kernel, kernelVersion, hostname, osRelease, cpuText, layout, kvm, docker, tools, sdv, mem] = await Promise.all([
    readTextOr(osrelPath),
    readTextOr(`${roots.proc}/version`),
    readTextOr(`${roots.proc}/sys/kernel/hostname`),
    readTextOr(osReleasePath),
    readTextOr(cpuinfoPath),
    shared(opts.memo, 'cgroup-layout', () => detectCgroupLayout(roots)),
    kvmDevice(`${roots.dev}/kvm`),
    opts.dockerSocketProblem ? Promise.resolve<DockerPing>({ reachable: false, error: 'not a unix socket' }) : pingDocker(opts.dockerSocket, opts.timeoutMs),
    detectTools(opts.path, opts.timeoutMs, opts.versionCacheFile),
    which('systemd-detect-virt', opts.path),
    live ? memoryFact() : Promise.resolve(undefined),
  ]);
  const cpu = parseCpuInfo(cpuText ?? '');
  // systemd-detect-virt reads the real machine; only ask it when reading the real /proc.
  const guest = await detectGuest(roots, cpu.hypervisorFlag, { useSystemdDetectVirt: !!sdv && live, timeoutMs: opts.timeoutMs });
  const facts: HostFact[] = [
    { key: 'kernel', group: 'system', label: 'Kernel', value: kernel?.trim() ?? 'unknown', status: kernel ? 'ok' : 'missing', source: osrelPath, detail: kernelVersion?.trim() },
    { key: 'distro', group: 'system', label: 'Distribution', value: osReleaseName(osRelease) ?? 'unknown', status: osRelease ? 'ok' : 'missing', source: `${osReleasePath} (PRETTY_NAME)` },
    ...(mem ? [mem] : []),
    { key: 'cpu', group: 'system', label: 'CPU', value: `${cpu.model ?? 'unknown model'}, ${cpu.logicalCpus} logical`, status: 'info', source: cpuinfoPath },
    {
      key: 'cpu.virt',
      group: 'virtualization',
      label: 'CPU virtualization',
      value: cpu.extension === 'vmx' ? 'Intel VT-x (vmx)' : cpu.extension === 'svm' ? 'AMD-V (svm)' : 'vmx/svm not exposed',
      status: cpu.extension ? 'ok' : kvm.state === 'usable' ? 'warn' : 'missing',
      detail: cpu.extension
        ? 'The CPU can run guest code natively under a hypervisor (hardware-assisted virtualization).'
        : kvm.state === 'usable'
          ? 'The CPU flags hide vmx/svm (common in nested guests), yet /dev/kvm works: the outer hypervisor provides nested KVM.'
          : 'Without vmx/svm, QEMU falls back to TCG: full emulation of every instruction, much slower.',
      source: `${cpuinfoPath} flags`,
    },
    {
      key: 'kvm',
      group: 'virtualization',
      label: '/dev/kvm',
      value: kvm.state === 'usable' ? 'present, read/write' : kvm.state === 'no-access' ? 'present, no permission' : 'absent',
      status: kvm.state === 'usable' ? 'ok' : kvm.state === 'no-access' ? 'warn' : 'missing',
      detail: 'The KVM device: QEMU opens it to run guests with hardware acceleration.',
      fix: kvm.state === 'no-access' ? 'Add yourself to the kvm group: sudo usermod -aG kvm $USER (then log in again)' : kvm.state === 'absent' ? 'Load the module (sudo modprobe kvm_intel or kvm_amd) or enable virtualization in the firmware' : undefined,
      source: `access(${roots.dev}/kvm, R_OK|W_OK)`,
    },
    ...guestFacts(guest, cpuinfoPath),
    {
      key: 'cgroup.layout',
      group: 'cgroups',
      label: 'cgroup layout',
      value: LAYOUT_TEXT[layout.kind],
      status: layout.kind === 'none' ? 'missing' : 'ok',
      detail: layout.mounts.map((m) => `v${m.version} ${m.mountPoint}${m.controllers.length ? ` [${m.controllers.join(',')}]` : ''}`).join('\n'),
      source: `${layout.source} (what is mounted at /sys/fs/cgroup, as systemd decides)`,
    },
    dockerFact(opts, docker),
    ...tools,
  ];
  return { facts, layout, hostname: hostname?.trim() };
}
