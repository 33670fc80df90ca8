import type { GraphBuilder } from '../model/builder';
import { classifyDevice } from './devices';
import { firstLine, type ToolRunner } from '../sys/exec';
import { plural } from '../../shared/format';

/** `virsh dominfo` as key/value pairs. */
export interface LibvirtDomain {
  name: string;
  id?: number;
  uuid?: string;
  state?: string;
  osType?: string;
  cpus?: number;
  maxMemoryKiB?: number;
  usedMemoryKiB?: number;
  persistent?: boolean;
  autostart?: boolean;
  interfaces: LibvirtInterface[];
}

/** One row of `virsh domiflist`. */
export interface LibvirtInterface {
  /** Host-side tap (vnetN), or undefined while the domain is shut off (`-`). */
  ifname?: string;
  type: string;
  source: string;
  model: string;
  mac: string;
}

const LIBVIRT_FIX = 'Install the libvirt client to see libvirt domains: sudo apt-get install libvirt-clients';

/** Parse `virsh dominfo NAME` (`Key:   value` lines). */
export function parseDominfo(name: string, text: string): LibvirtDomain {
  const kv = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) kv.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  const int = (k: string): number | undefined => {
    const m = /^(\d+)/.exec(kv.get(k) ?? '');
    return m ? Number(m[1]) : undefined;
  };
  const yes = (k: string): boolean | undefined => (kv.has(k) ? /^(yes|enable)/i.test(kv.get(k)!) : undefined);
  return {
    name: kv.get('name') ?? name,
    id: int('id'),
    uuid: kv.get('uuid')?.toLowerCase(),
    state: kv.get('state'),
    osType: kv.get('os type'),
    cpus: int('cpu(s)'),
    maxMemoryKiB: int('max memory'),
    usedMemoryKiB: int('used memory'),
    persistent: yes('persistent'),
    autostart: yes('autostart'),
    interfaces: [],
  };
}

/** Parse `virsh domiflist NAME`: a header, a dashed rule, then `Interface Type Source Model MAC` rows. */
export function parseDomiflist(text: string): LibvirtInterface[] {
  const out: LibvirtInterface[] = [];
  let inBody = false;
  for (const line of text.split('\n')) {
    if (/^\s*-{5,}\s*$/.test(line)) {
      inBody = true;
      continue;
    }
    if (!inBody || !line.trim()) continue;
    const cols = line.trim().split(/\s+/);
    if (cols.length < 5) continue;
    const [ifname, type, source, model, mac] = cols;
    out.push({ ifname: ifname === '-' ? undefined : ifname, type, source, model, mac: mac.toLowerCase() });
  }
  return out;
}

/** libvirt's `<model type=...>` names to QEMU device models. */
const MODEL_TO_DRIVER: Record<string, string> = { virtio: 'virtio-net-pci', e1000: 'e1000', e1000e: 'e1000e', rtl8139: 'rtl8139', ne2k_pci: 'ne2k_pci', pcnet: 'pcnet', vmxnet3: 'vmxnet3' };

/** List libvirt domains through virsh (read-only connection) and add them to the graph; merges with QEMU processes by UUID. */
export async function collectLibvirt(runTool: ToolRunner, g: GraphBuilder, simulated: boolean): Promise<LibvirtDomain[]> {
  const list = await runTool('virsh', ['--readonly', 'list', '--all', '--name']);
  if (list.error === 'ENOENT') {
    g.source('libvirt', { state: 'absent', detail: 'virsh is not installed, so libvirt domains are not listed.', fix: LIBVIRT_FIX });
    return [];
  }
  if (!list.ok) {
    g.source('libvirt', {
      state: list.error === 'ETIMEDOUT' ? 'unavailable' : /permission|denied/i.test(list.stderr) ? 'denied' : 'unavailable',
      detail: `virsh list failed: ${firstLine(list.stderr) || list.error || `exit ${list.code}`}`,
      fix: 'Start libvirtd (sudo systemctl start libvirtd) or check that you may connect to qemu:///system.',
    });
    return [];
  }
  const names = list.stdout.split('\n').map((s) => s.trim()).filter(Boolean);
  const domains: LibvirtDomain[] = [];
  let failures = 0;
  for (const name of names) {
    const info = await runTool('virsh', ['--readonly', 'dominfo', '--', name]);
    if (!info.ok) {
      // The domain may have been undefined between list and dominfo.
      failures++;
      g.skip({ source: 'libvirt', path: name, reason: `virsh dominfo failed: ${firstLine(info.stderr) || info.error || info.code}` });
      continue;
    }
    const d = parseDominfo(name, info.stdout);
    const ifl = await runTool('virsh', ['--readonly', 'domiflist', '--', name]);
    if (ifl.ok) d.interfaces = parseDomiflist(ifl.stdout);
    else g.skip({ source: 'libvirt', path: name, reason: `virsh domiflist failed: ${firstLine(ifl.stderr) || ifl.error || ifl.code}` });
    domains.push(d);
    addLibvirtDomain(g, d, simulated);
  }
  g.source('libvirt', {
    state: failures ? 'partial' : 'ok',
    detail: `${plural(domains.length, 'libvirt domain')}${failures ? `, ${failures} could not be read` : ''}`,
  });
  return domains;
}

function addLibvirtDomain(g: GraphBuilder, d: LibvirtDomain, simulated: boolean): void {
  const key = d.uuid ?? `libvirt-${d.name}`;
  const vmId = `vm:${key}`;
  const running = g.get(vmId);
  const libvirt = { id: d.id, state: d.state, osType: d.osType, persistent: d.persistent, autostart: d.autostart, maxMemoryKiB: d.maxMemoryKiB, usedMemoryKiB: d.usedMemoryKiB };
  if (running) {
    // The QEMU process already described the guest in more detail; add what only libvirt knows.
    g.node(vmId, 'vm', '', { libvirt, hypervisor: 'libvirt' });
  } else {
    g.node(vmId, 'vm', d.name, {
      name: d.name,
      uuid: d.uuid,
      hypervisor: 'libvirt',
      libvirt,
      vcpus: d.cpus,
      memoryMiB: d.maxMemoryKiB !== undefined ? Math.round(d.maxMemoryKiB / 1024) : undefined,
      memoryFrom: 'virsh dominfo (max memory)',
      simulated: simulated || undefined,
    });
  }
  const existing = g.nodesOfKind('vm-device').filter((n) => n.props.vmId === vmId);
  d.interfaces.forEach((ifc) => {
    const match = existing.find((n) => typeof n.props.mac === 'string' && n.props.mac.toLowerCase() === ifc.mac);
    if (match) {
      if (ifc.ifname) g.node(match.id, 'vm-device', '', { tapIfname: ifc.ifname, libvirtSource: `${ifc.type} ${ifc.source}` });
      return;
    }
    const driver = MODEL_TO_DRIVER[ifc.model] ?? ifc.model;
    const cls = classifyDevice(driver);
    const devId = `vm-device:${key}:mac-${ifc.mac}`;
    g.node(devId, 'vm-device', `${ifc.mac} (${driver})`, {
      id: `mac-${ifc.mac}`,
      driver,
      category: 'network',
      virtualization: cls.virtualization,
      why: cls.why,
      known: cls.known,
      from: 'virsh domiflist',
      evidence: 'virsh domiflist',
      mac: ifc.mac,
      tapIfname: ifc.ifname,
      libvirtSource: `${ifc.type} ${ifc.source}`,
      vmId,
      simulated: simulated || undefined,
    });
    g.edge(vmId, devId, 'contains');
  });
}
