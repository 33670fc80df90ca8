import { firstLine, run } from '../sys/exec';
import { which } from '../sys/which';
import type { HostFact } from './types';
import { VersionCache } from './versionCache';

interface ToolSpec {
  key: string;
  label: string;
  bin: string;
  versionArgs: string[];
  /** A cheap call that proves the tool's daemon answers (OVS database), if it has one. */
  probeArgs?: string[];
  install: string;
  what: string;
}

const TOOLS: ToolSpec[] = [
  { key: 'ovs', label: 'Open vSwitch', bin: 'ovs-vsctl', versionArgs: ['--version'], probeArgs: ['--timeout=2', 'get', 'Open_vSwitch', '.', 'ovs_version'], install: 'sudo apt-get install openvswitch-switch', what: 'software switch with OpenFlow' },
  { key: 'qemu', label: 'QEMU', bin: 'qemu-system-x86_64', versionArgs: ['--version'], install: 'sudo apt-get install --no-install-recommends qemu-system-x86', what: 'machine emulator and, with KVM, hypervisor' },
  { key: 'virsh', label: 'libvirt (virsh)', bin: 'virsh', versionArgs: ['--version'], install: 'sudo apt-get install libvirt-clients', what: 'libvirt domain manager' },
  { key: 'ip', label: 'iproute2 (ip)', bin: 'ip', versionArgs: ['-V'], install: 'sudo apt-get install iproute2', what: 'network namespaces, links, bridges' },
  { key: 'mn', label: 'Mininet (mn)', bin: 'mn', versionArgs: ['--version'], install: 'sudo apt-get install mininet', what: 'reference network emulator' },
  { key: 'lsns', label: 'lsns', bin: 'lsns', versionArgs: ['--version'], install: 'sudo apt-get install util-linux', what: 'lists namespaces (used to cross-check)' },
  { key: 'nsenter', label: 'nsenter', bin: 'nsenter', versionArgs: ['--version'], install: 'sudo apt-get install util-linux', what: 'enters namespaces (namespace terminals)' },
];

/** Which runtimes and tools are installed (found on PATH) and, for daemons, reachable. */
export async function detectTools(path: string, timeoutMs: number, versionCacheFile?: string): Promise<HostFact[]> {
  const cache = await VersionCache.open(versionCacheFile);
  const facts = await Promise.all(
    TOOLS.map(async (t): Promise<HostFact> => {
      const found = await which(t.bin, path);
      if (!found) {
        return { key: `tool.${t.key}`, group: 'tools', label: t.label, value: 'not installed', status: 'missing', source: `${t.bin} not found on PATH`, detail: t.what, fix: t.install };
      }
      const key = await VersionCache.keyFor(found);
      let version = cache.get(key);
      if (!version) {
        const ver = await run(found, t.versionArgs, { timeoutMs });
        version = firstLine(ver.stdout || ver.stderr) || 'version unknown';
        if (ver.ok) cache.set(key, version);
      }
      if (t.probeArgs) {
        const probe = await run(found, t.probeArgs, { timeoutMs });
        if (!probe.ok) {
          return { key: `tool.${t.key}`, group: 'tools', label: t.label, value: 'installed, not answering', status: 'warn', source: `${found} ${t.probeArgs.join(' ')} failed: ${firstLine(probe.stderr) || probe.error || `exit ${probe.code}`}`, detail: `${version} — ${t.what}`, fix: t.key === 'ovs' ? 'Start it: sudo /usr/share/openvswitch/scripts/ovs-ctl start' : undefined };
        }
      }
      return { key: `tool.${t.key}`, group: 'tools', label: t.label, value: version, status: 'ok', source: `${found} ${t.versionArgs.join(' ')}`, detail: t.what };
    }),
  );
  await cache.save();
  return facts;
}
