import { promises as fsp } from 'node:fs';
import type { SkipEntry } from '../model/graph';

/**
 * SR-IOV as the kernel lays it out in sysfs (Documentation/PCI/pci-iov-howto.rst,
 * Documentation/ABI/testing/sysfs-bus-pci): a physical function (PF) directory holds
 * `sriov_totalvfs`, `sriov_numvfs` and one `virtfnN` link per enabled virtual function (VF);
 * each VF directory links back with `physfn`.
 */

export interface SriovVf {
  pci: string;
  /** N of the PF's `virtfnN` link, which is also the VF number `ip link` uses. */
  index: number;
  pfPci: string;
  /** Bound kernel driver (iavf, ixgbevf, mlx5_core, vfio-pci ...); undefined when no driver is bound. */
  driver?: string;
  ifnames: string[];
  vendor?: string;
  device?: string;
  /** The VF's `physfn` link points back at its PF, as it must. */
  physfnOk: boolean;
}

export interface SriovPf {
  pci: string;
  ifnames: string[];
  driver?: string;
  vendor?: string;
  device?: string;
  pciClass?: string;
  totalVfs: number;
  numVfs: number;
  offset?: number;
  stride?: number;
  vfDeviceId?: string;
  driversAutoprobe?: boolean;
  numaNode?: number;
  vfs: SriovVf[];
}

export interface SriovScan {
  pfs: SriovPf[];
  /** PCI network functions looked at (with or without SR-IOV), for the "nothing here" message. */
  networkFunctions: number;
  skipped: SkipEntry[];
}

async function text(path: string): Promise<string | undefined> {
  try {
    return (await fsp.readFile(path, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

async function int(path: string): Promise<number | undefined> {
  const t = await text(path);
  return t !== undefined && /^-?\d+$/.test(t) ? Number(t) : undefined;
}

async function linkBase(path: string): Promise<string | undefined> {
  try {
    const l = await fsp.readlink(path);
    return l.slice(l.lastIndexOf('/') + 1);
  } catch {
    return undefined;
  }
}

async function list(path: string): Promise<string[]> {
  try {
    return (await fsp.readdir(path)).sort();
  } catch {
    return [];
  }
}

const PCI_ADDR = /^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/;

async function readVf(pfDir: string, pfPci: string, link: string, index: number): Promise<SriovVf | undefined> {
  const pci = await linkBase(`${pfDir}/${link}`);
  if (!pci) return undefined;
  const dir = `${pfDir}/${link}`;
  const [driver, ifnames, vendor, device, physfn] = await Promise.all([linkBase(`${dir}/driver`), list(`${dir}/net`), text(`${dir}/vendor`), text(`${dir}/device`), linkBase(`${dir}/physfn`)]);
  return { pci, index, pfPci, driver, ifnames, vendor, device, physfnOk: physfn === pfPci };
}

async function readPf(dir: string, pci: string, totalVfs: number, skipped: SkipEntry[]): Promise<SriovPf> {
  const [numVfs, offset, stride, vfDeviceId, autoprobe, numaNode, driver, ifnames, vendor, device, pciClass, entries] = await Promise.all([
    int(`${dir}/sriov_numvfs`),
    int(`${dir}/sriov_offset`),
    int(`${dir}/sriov_stride`),
    text(`${dir}/sriov_vf_device`),
    int(`${dir}/sriov_drivers_autoprobe`),
    int(`${dir}/numa_node`),
    linkBase(`${dir}/driver`),
    list(`${dir}/net`),
    text(`${dir}/vendor`),
    text(`${dir}/device`),
    text(`${dir}/class`),
    list(dir),
  ]);
  const links = entries.map((e) => /^virtfn(\d+)$/.exec(e)).filter((m): m is RegExpExecArray => Boolean(m));
  const vfs = (await Promise.all(links.map((m) => readVf(dir, pci, m[0], Number(m[1]))))).filter((v): v is SriovVf => Boolean(v));
  vfs.sort((a, b) => a.index - b.index);
  if (numVfs === undefined) skipped.push({ source: 'sriov', path: `${dir}/sriov_numvfs`, reason: 'unreadable sriov_numvfs; VF count taken from virtfn links' });
  return {
    pci,
    ifnames,
    driver,
    vendor,
    device,
    pciClass,
    totalVfs,
    numVfs: numVfs ?? vfs.length,
    offset,
    stride,
    vfDeviceId: vfDeviceId ? (vfDeviceId.startsWith('0x') ? vfDeviceId : `0x${vfDeviceId}`) : undefined,
    driversAutoprobe: autoprobe === undefined ? undefined : autoprobe !== 0,
    numaNode: numaNode !== undefined && numaNode >= 0 ? numaNode : undefined,
    vfs,
  };
}

/** Find SR-IOV physical functions and their VFs under `${sysRoot}/bus/pci/devices` and `${sysRoot}/class/net/*\/device`. */
export async function readSriov(sysRoot: string): Promise<SriovScan> {
  const skipped: SkipEntry[] = [];
  // PCI address -> device directory; class/net adds devices a recorded tree may hold only there.
  const candidates = new Map<string, string>();
  for (const addr of await list(`${sysRoot}/bus/pci/devices`)) if (PCI_ADDR.test(addr)) candidates.set(addr, `${sysRoot}/bus/pci/devices/${addr}`);
  // One readlink per interface, all at once: a host with many veths made this serial loop the
  // last reader of phase 1, which the network reader waits for.
  const ifnames = await list(`${sysRoot}/class/net`);
  const addrs = await Promise.all(ifnames.map((ifname) => linkBase(`${sysRoot}/class/net/${ifname}/device`)));
  ifnames.forEach((ifname, i) => {
    const addr = addrs[i];
    if (addr && PCI_ADDR.test(addr) && !candidates.has(addr)) candidates.set(addr, `${sysRoot}/class/net/${ifname}/device`);
  });
  let networkFunctions = 0;
  const pfs: SriovPf[] = [];
  await Promise.all(
    [...candidates].map(async ([addr, dir]) => {
      const cls = await text(`${dir}/class`);
      // 0x02xxxx = network controller (Ethernet, InfiniBand ...); SR-IOV on GPUs or NVMe is not a NIC.
      if (cls !== undefined && !/^0x02/.test(cls)) return;
      // A VF is itself a network function but not a PF; it is found through its PF.
      if (cls !== undefined) networkFunctions++;
      const total = await text(`${dir}/sriov_totalvfs`);
      if (total === undefined) return;
      if (!/^\d+$/.test(total)) {
        skipped.push({ source: 'sriov', path: `${dir}/sriov_totalvfs`, reason: `unparsable sriov_totalvfs: ${JSON.stringify(total.slice(0, 20))}` });
        return;
      }
      pfs.push(await readPf(dir, addr, Number(total), skipped));
    }),
  );
  pfs.sort((a, b) => (a.pci < b.pci ? -1 : 1));
  return { pfs, networkFunctions, skipped };
}
