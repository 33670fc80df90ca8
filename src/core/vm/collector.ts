import type { Collector } from '../collector';
import type { ScanOptions } from '../context';
import type { GraphBuilder } from '../model/builder';
import { readLinkOr } from '../sys/fs';
import { parseQemuCmdline } from './cmdline';
import { collectLibvirt } from './libvirt';
import { findQemuProcesses } from './procscan';
import { addQemuGuest } from './qemu';
import { queryQmp, type QmpInfo } from './qmp';
import { pathToolRunner, type ToolRunner } from '../sys/exec';
import { collectVirtualBox } from './virtualbox';
import { plural } from '../../shared/format';

export interface VmCollectorDeps {
  /** Runs virsh / VBoxManage; defaults to the real tools on opts.path. */
  runTool?: (opts: ScanOptions) => ToolRunner;
  /** Asks a QMP socket; defaults to the real client. */
  qmp?: (path: string, timeoutMs: number) => Promise<QmpInfo>;
  /** Mark every node simulated (recorded tool output); implied when roots.proc is not /proc. */
  recorded?: boolean;
}

/** Build the VM collector; tests inject recorded tool output, the extension uses `vmCollector`. */
export function makeVmCollector(deps: VmCollectorDeps = {}): Collector {
  return {
    name: 'vm',
    phase: 1,
    async collect(opts: ScanOptions, g: GraphBuilder): Promise<void> {
      const simulated = deps.recorded === true || opts.roots.proc !== '/proc';
      const runTool = (deps.runTool ?? pathToolRunner)(opts);
      await Promise.all([
        // libvirt merges into QEMU guests by UUID, so it runs after the /proc scan has added them.
        collectQemu(opts, g, simulated, deps.qmp ?? queryQmp).then(() => collectLibvirt(runTool, g, simulated)),
        collectVirtualBox(runTool, g, simulated),
      ]);
    },
  };
}

async function collectQemu(opts: ScanOptions, g: GraphBuilder, simulated: boolean, ask: (path: string, timeoutMs: number) => Promise<QmpInfo>): Promise<void> {
  const { processes, skipped } = await findQemuProcesses(opts.roots.proc, opts.memo);
  for (const s of skipped) g.skip(s);
  let qmpFailures = 0;
  await Promise.all(
    processes.map(async (proc) => {
      const spec = parseQemuCmdline(proc.argv);
      const endpoint = spec.qmp.find((q) => q.path);
      let qmp: { info?: QmpInfo; endpoint?: string; error?: string; skippedBecause?: string } = {};
      if (!endpoint) qmp.skippedBecause = spec.qmp.length ? `QMP is configured but not on a unix socket path (${spec.qmp[0].how})` : 'no QMP socket on the command line';
      else if (simulated) qmp.skippedBecause = 'recorded process tree: its QMP socket belongs to another machine';
      else if (spec.libvirt) qmp.skippedBecause = 'libvirt holds this QMP monitor; use `virsh qemu-monitor-command` instead';
      else {
        try {
          qmp = { info: await ask(endpoint.path!, opts.timeoutMs), endpoint: endpoint.path };
        } catch (e) {
          qmpFailures++;
          const err = e as Error & { code?: string };
          qmp = { endpoint: endpoint.path, error: `QMP ${endpoint.path}: ${err.message}` };
          g.skip({ source: 'vm', path: endpoint.path, reason: `QMP query failed: ${err.message}`, code: err.code });
        }
      }
      addQemuGuest(g, spec, proc, qmp, simulated);
    }),
  );
  const n = processes.length;
  g.source('vm', {
    state: skipped.length || qmpFailures ? 'partial' : 'ok',
    detail: `${n} QEMU guest${n === 1 ? '' : 's'} found in ${opts.roots.proc}${qmpFailures ? `; QMP did not answer for ${qmpFailures}` : ''}${skipped.length ? `; ${skipped.length} entr${skipped.length === 1 ? 'y' : 'ies'} skipped` : ''}`,
  });
}

/** The VM collector: QEMU guests from /proc (+QMP), libvirt domains via virsh, VirtualBox VMs. */
export const vmCollector: Collector = makeVmCollector();

/** Inode of the host network namespace: the namespace node marked isHostNs, else what PID 1 (or we) are in. */
async function hostNetnsInode(opts: ScanOptions, g: GraphBuilder): Promise<string | undefined> {
  const ns = g.nodesOfKind('namespace').find((n) => n.props.type === 'net' && n.props.isHostNs === true);
  if (ns) return String(ns.props.inode ?? ns.id.split(':')[2]);
  // PID 1's ns links may be unreadable inside a container (EACCES); ours are always readable.
  const link = (await readLinkOr(`${opts.roots.proc}/1/ns/net`)) ?? (await readLinkOr(`${opts.roots.proc}/self/ns/net`));
  return /\[(\d+)\]/.exec(link ?? '')?.[1];
}

/**
 * Phase 3: join each guest NIC to the host tap interface the network reader found (`vm-nic`),
 * and each guest to the QEMU process node (`runs`), when those nodes exist.
 */
export const vmNetJoinCollector: Collector = {
  name: 'vm-join',
  phase: 3,
  async collect(opts: ScanOptions, g: GraphBuilder): Promise<void> {
    const devices = g.nodesOfKind('vm-device').filter((d) => typeof d.props.tapIfname === 'string');
    let joined = 0;
    if (devices.length) {
      const inode = await hostNetnsInode(opts, g);
      const prefix = `iface:${inode}:`;
      const byName = new Map(
        g
          .nodesOfKind('interface')
          .filter((n) => inode !== undefined && n.id.startsWith(prefix))
          .map((n) => [String(n.props.name ?? n.props.ifname ?? ''), n.id]),
      );
      for (const d of devices) {
        const iface = byName.get(d.props.tapIfname as string);
        if (!iface) continue;
        g.edge(d.id, iface, 'vm-nic', { tap: d.props.tapIfname });
        joined++;
      }
    }
    for (const vm of g.nodesOfKind('vm')) {
      if (typeof vm.props.pid === 'number' && g.has(`process:${vm.props.pid}`)) g.edge(`process:${vm.props.pid}`, vm.id, 'runs');
    }
    g.source('vm-join', { state: 'ok', detail: `${joined} of ${plural(devices.length, 'guest NIC')} with a tap joined to a host interface` });
  },
};
