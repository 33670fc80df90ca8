import { readFileSync } from 'node:fs';
import { readSriov } from '../../sriov/sysfs';
import { fail, ok } from '../probe';
import type { LabChecks } from './registry';
import { plural } from '../../../shared/format';

// Guided lab 9: without SR-IOV hardware the guide unpacks a recorded sysfs tree (shipped in
// media/labs/09-sriov/sysfs.tar.gz) and VirtLab's own SR-IOV reader reads it. Every result says
// "simulated" and carries simulated: true.

export const SRIOV_SIM_ROOT = '/tmp/vlg-sriov';
const SYS = `${SRIOV_SIM_ROOT}/sys`;

/** Real SR-IOV hardware on this machine, in words, or '' when there is none. */
async function realHardware(sysRoot: string): Promise<string> {
  const real = await readSriov(sysRoot).catch(() => undefined);
  if (!real?.pfs.length) return ` This machine itself has no SR-IOV capable NIC (${sysRoot}).`;
  return ` This machine also has real SR-IOV hardware: ${real.pfs.map((p) => `${p.ifnames[0] ?? p.pci} ${p.numVfs}/${p.totalVfs} VFs`).join(', ')}; the Network view shows it.`;
}

export const sriovChecks: LabChecks = {
  async simulated(ctx) {
    const scan = await readSriov(SYS);
    const withVfs = scan.pfs.filter((p) => p.vfs.length > 0);
    if (!withVfs.length) return fail(`Simulated: no SR-IOV PF with VFs under ${SYS} (${plural(scan.pfs.length, 'PF')} found). Unpack the recorded tree there.`, true);
    const vfs = scan.pfs.reduce((n, p) => n + p.vfs.length, 0);
    return ok(`Simulated sysfs tree at ${SYS} (recorded, not this machine): ${plural(scan.pfs.length, 'SR-IOV capable PF')}, ${withVfs.length} with VFs enabled, ${plural(vfs, 'VF')} in all.${await realHardware(ctx.options.roots.sys)}`, true);
  },

  async vfs() {
    const scan = await readSriov(SYS);
    if (!scan.pfs.length) return fail(`Simulated: no SR-IOV PF under ${SYS}.`, true);
    const mismatch = scan.pfs.filter((p) => p.numVfs !== p.vfs.length);
    if (mismatch.length) return fail(`Simulated: ${mismatch.map((p) => `${p.pci} says sriov_numvfs=${p.numVfs} but has ${plural(p.vfs.length, 'virtfn link')}`).join('; ')}.`, true);
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(`${SRIOV_SIM_ROOT}/snapshot.json`, 'utf8'));
    } catch {
      return fail(`Simulated tree read (${scan.pfs.length} PFs), but ${SRIOV_SIM_ROOT}/snapshot.json is missing or not JSON: run the \`virtlab snapshot … --sys ${SYS}\` line.`, true);
    }
    const nodes = Array.isArray((doc as { nodes?: unknown })?.nodes) ? ((doc as { nodes: { id?: unknown; kind?: unknown; props?: { simulated?: unknown } }[] }).nodes) : [];
    const vfNodes = nodes.filter((n) => n?.kind === 'sriov-vf');
    const want = scan.pfs.reduce((n, p) => n + p.vfs.length, 0);
    if (vfNodes.length !== want || vfNodes.some((n) => n.props?.simulated !== true)) return fail(`Simulated: the sysfs tree has ${want} VFs, but ${SRIOV_SIM_ROOT}/snapshot.json lists ${plural(vfNodes.length, 'sriov-vf node')}${vfNodes.some((n) => n.props?.simulated !== true) ? ', not all marked simulated' : ''}.`, true);
    const pf = scan.pfs.find((p) => p.vfs.length) ?? scan.pfs[0];
    const passthrough = scan.pfs.flatMap((p) => p.vfs).filter((v) => v.driver === 'vfio-pci').map((v) => v.pci);
    return ok(`Simulated: ${scan.pfs.map((p) => `${p.ifnames[0] ?? p.pci} ${p.numVfs}/${p.totalVfs} VFs`).join(', ')}; every sriov_numvfs matches its virtfn links, and VirtLab's scan lists the same ${want} VFs, each marked simulated. ${pf.ifnames[0] ?? pf.pci}'s VFs: ${pf.vfs.map((v) => `${v.pci} (${v.driver ?? 'no driver'})`).join(', ')}${passthrough.length ? `; ${passthrough.join(', ')} on vfio-pci is reserved for a VM` : ''}.`, true);
  },
};
