import type { Collector } from '../collector';
import type { ScanOptions } from '../context';
import type { GraphBuilder } from '../model/builder';
import { readSriov, type SriovPf, type SriovVf } from './sysfs';
import { ipLinkReader, parseIpLinkVfs, type IpLinkReader, type PfLinkInfo, type VfInfo } from './vfinfo';
import { plural } from '../../shared/format';

export interface SriovCollectorDeps {
  /** Reads `ip -j link show dev <pf>`; defaults to the real `ip`. */
  ipLink?: (opts: ScanOptions) => IpLinkReader;
}

/** What a VF is being used for, from the driver bound to it. */
export function vfRole(driver: string | undefined): string {
  if (!driver) return 'not bound to a driver: the VF exists on the PCI bus but nothing uses it yet';
  if (driver === 'vfio-pci') return 'bound to vfio-pci: reserved for passthrough into a VM, where the guest runs the NIC vendor VF driver';
  if (driver === 'pci-stub') return 'bound to pci-stub: held away from host drivers, typically for legacy VM assignment';
  return `bound to ${driver}: the host kernel uses the VF as a network interface of its own (e.g. for a container)`;
}

function vfProps(vf: SriovVf, info: VfInfo | undefined, simulated: boolean): Record<string, unknown> {
  return {
    pci: vf.pci,
    index: vf.index,
    pf: vf.pfPci,
    driver: vf.driver ?? null,
    bound: Boolean(vf.driver),
    role: vfRole(vf.driver),
    ifname: vf.ifnames[0],
    ifnames: vf.ifnames,
    vendor: vf.vendor,
    device: vf.device,
    physfnOk: vf.physfnOk,
    mac: info?.mac,
    vlan: info?.vlan,
    qos: info?.qos,
    vlanProtocol: info?.vlanProtocol,
    spoofCheck: info?.spoofCheck,
    trust: info?.trust,
    linkState: info?.linkState,
    maxTxRateMbps: info?.maxTxRateMbps,
    minTxRateMbps: info?.minTxRateMbps,
    vfSettingsFrom: info ? 'ip -j link show (vfinfo_list)' : undefined,
    simulated: simulated || undefined,
  };
}

/** VF settings of one PF from `ip`; a failure is recorded and the VFs are still shown from sysfs. */
async function pfLink(pf: SriovPf, read: IpLinkReader, g: GraphBuilder): Promise<PfLinkInfo | null | undefined> {
  const ifname = pf.ifnames[0];
  if (!ifname || pf.numVfs === 0) return undefined;
  const r = await read(ifname);
  if (!r.ok) {
    g.skip({ source: 'sriov', path: ifname, reason: `ip link show failed, VF MAC/VLAN/trust unknown: ${r.stderr.trim().split('\n')[0] || r.error || r.code}`, code: r.error });
    return null;
  }
  const info = parseIpLinkVfs(r.stdout);
  if (!info) g.skip({ source: 'sriov', path: ifname, reason: 'ip -j link show returned an unexpected shape' });
  return info ?? null;
}

/** Build the SR-IOV collector; tests inject recorded `ip` output. */
export function makeSriovCollector(deps: SriovCollectorDeps = {}): Collector {
  return {
    name: 'sriov',
    phase: 1,
    async collect(opts: ScanOptions, g: GraphBuilder): Promise<void> {
      const sys = opts.roots.sys;
      const simulated = sys !== '/sys';
      const scan = await readSriov(sys);
      for (const s of scan.skipped) g.skip(s);
      if (!scan.pfs.length) {
        g.source('sriov', {
          state: 'absent',
          detail: `No SR-IOV capable network device on this machine (no sriov_totalvfs under ${sys}/class/net/*/device).`,
          fix: 'SR-IOV needs a NIC that supports it (e.g. Intel X710/E810, Mellanox ConnectX) with SR-IOV enabled in firmware; VMs and most cloud instances do not expose one.',
        });
        return;
      }
      const read = (deps.ipLink ?? ipLinkReader)(opts);
      let vfCount = 0;
      let ipFailures = 0;
      await Promise.all(
        scan.pfs.map(async (pf) => {
          const fetched = await pfLink(pf, read, g);
          if (fetched === null) ipFailures++;
          const link = fetched ?? undefined;
          const pfId = `sriov-pf:${pf.pci}`;
          g.node(pfId, 'sriov-pf', pf.ifnames[0] ? `${pf.ifnames[0]} (${pf.pci})` : pf.pci, {
            pci: pf.pci,
            ifname: pf.ifnames[0],
            ifnames: pf.ifnames,
            driver: pf.driver ?? null,
            vendor: pf.vendor,
            device: pf.device,
            totalVfs: pf.totalVfs,
            numVfs: pf.numVfs,
            sriovEnabled: pf.numVfs > 0,
            offset: pf.offset,
            stride: pf.stride,
            vfDeviceId: pf.vfDeviceId,
            driversAutoprobe: pf.driversAutoprobe,
            numaNode: pf.numaNode,
            mac: link?.mac,
            operstate: link?.operstate,
            simulated: simulated || undefined,
          });
          for (const vf of pf.vfs) {
            vfCount++;
            const vfId = `sriov-vf:${vf.pci}`;
            const info = link?.vfs.find((v) => v.vf === vf.index);
            g.node(vfId, 'sriov-vf', vf.ifnames[0] ? `${vf.ifnames[0]} (VF ${vf.index})` : `VF ${vf.index} (${vf.pci})`, vfProps(vf, info, simulated));
            g.edge(vfId, pfId, 'vf-of');
            if (!vf.physfnOk) g.skip({ source: 'sriov', path: vf.pci, reason: `physfn of ${vf.pci} does not point back at ${pf.pci}` });
          }
        }),
      );
      g.source('sriov', {
        state: scan.skipped.length || ipFailures ? 'partial' : 'ok',
        detail: `${plural(scan.pfs.length, 'SR-IOV capable NIC function')}, ${scan.pfs.filter((p) => p.numVfs > 0).length} with VFs enabled, ${plural(vfCount, 'VF')}${simulated ? ` (recorded tree ${sys})` : ''}`,
      });
    },
  };
}

/** The SR-IOV collector: PFs and VFs from sysfs plus per-VF settings from `ip -j link`. */
export const sriovCollector: Collector = makeSriovCollector();
