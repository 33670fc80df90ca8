import type { Collector } from '../collector';
import type { ScanOptions } from '../context';
import type { GraphBuilder } from '../model/builder';
import type { Datapath } from './flows';
import type { OvsBridge, OvsPort } from './model';
import { kernelDatapathLoaded, readDatapaths, readFlows, readMacTable, readOvsConfig, vswitchdNetnsInode } from './read';
import { plural } from '../../shared/format';

/** Flows kept per bridge on the node; the full count is kept next to them. */
const MAX_FLOWS = 256;

/** VNI of an OVS tunnel interface (options:key), when it is a fixed number rather than `flow`. */
export function ovsVni(options: Record<string, string>): number | undefined {
  const key = options.key ?? options.in_key ?? options.out_key;
  return key !== undefined && /^\d+$/.test(key) ? Number(key) : undefined;
}

function datapathOf(br: OvsBridge, dps: Datapath[] | undefined): Datapath | undefined {
  return dps?.find((d) => d.bridges.some((b) => b.name === br.name));
}

function addPort(g: GraphBuilder, br: OvsBridge, p: OvsPort, netnsInode: number | undefined): void {
  const id = `ovs-port:${p.uuid}`;
  const first = p.interfaces[0];
  g.node(id, 'ovs-port', p.name, {
    name: p.name,
    uuid: p.uuid,
    bridge: br.name,
    ofport: first?.ofport,
    type: first?.type ?? 'system',
    options: first?.options ?? {},
    tag: p.tag,
    trunks: p.trunks,
    vlanMode: p.vlanMode,
    interfaces: p.interfaces,
    externalIds: p.externalIds,
    externalIdsProblem: p.externalIdsProblem,
    netnsInode,
  });
  g.edge(id, `ovs-bridge:${br.name}`, 'ovs-port');
  for (const i of p.interfaces) {
    if (i.type !== 'vxlan') continue;
    const vni = ovsVni(i.options);
    if (vni === undefined) continue;
    g.node(`vxlan:${vni}`, 'vxlan', `VNI ${vni}`, { vni });
    g.edge(id, `vxlan:${vni}`, 'vxlan-tunnel', {
      via: 'ovs',
      remote: i.options.remote_ip,
      local: i.options.local_ip,
      port: i.options.dst_port ? Number(i.options.dst_port) : 4789,
    });
  }
}

/** Read Open vSwitch (config, datapaths, flows, MAC tables) into the graph; absent or stuck OVS is a state, never a hang. */
export async function collectOvs(opts: ScanOptions, g: GraphBuilder): Promise<void> {
  const cfg = await readOvsConfig(opts);
  if (cfg.state !== 'ok') {
    g.source('ovs', { state: cfg.state, detail: cfg.detail, fix: cfg.fix });
    return;
  }
  const { config } = cfg;
  const [dpsOrErr, kmod, netnsInode] = await Promise.all([readDatapaths(opts), kernelDatapathLoaded(opts), vswitchdNetnsInode(opts)]);
  const dps = Array.isArray(dpsOrErr) ? dpsOrErr : undefined;
  let partial = config.problems.length > 0;
  for (const p of config.problems) g.skip({ source: 'ovs', reason: p });
  for (const t of config.trimmed) g.skip({ source: 'ovs', path: 'ovs-vsctl list Bridge,Port,Interface', reason: t });
  if (!dps) {
    partial = true;
    g.skip({ source: 'ovs', path: 'ovs-appctl dpif/show', reason: (dpsOrErr as { error: string }).error });
  }
  await Promise.all(
    config.bridges.map(async (br) => {
      const [flows, macs] = await Promise.all([readFlows(opts, br.name), readMacTable(opts, br.name)]);
      const dp = datapathOf(br, dps);
      let datapathProblem: string | undefined;
      if (dps && !dp) {
        datapathProblem =
          br.datapathType === 'system' && !kmod
            ? 'configured for the kernel datapath but the openvswitch kernel module is not loaded; set datapath_type=netdev for the userspace datapath'
            : `not instantiated in any datapath (ovs-appctl dpif/show does not list it)`;
      }
      const props: Record<string, unknown> = {
        name: br.name,
        uuid: br.uuid,
        datapathType: br.datapathType,
        datapath: dp ? `${dp.type}@${dp.name}` : undefined,
        datapathActive: dps ? !!dp : undefined,
        datapathProblem,
        datapathId: br.datapathId,
        failMode: br.failMode ?? 'standalone',
        stpEnable: br.stpEnable,
        protocols: br.protocols,
        controllers: br.controllers.map((c) => ({ target: c.target, isConnected: c.isConnected, role: c.role })),
        ports: br.ports.length,
        externalIds: br.externalIds,
        externalIdsProblem: br.externalIdsProblem,
        netnsInode,
      };
      if ('flows' in flows) {
        props.flows = flows.flows.slice(0, MAX_FLOWS);
        props.flowCount = flows.flows.length;
        if (flows.unparsed) g.skip({ source: 'ovs', path: `ovs-ofctl dump-flows ${br.name}`, reason: `${plural(flows.unparsed, 'line')} not understood` });
      } else {
        partial = true;
        g.skip({ source: 'ovs', path: `ovs-ofctl dump-flows ${br.name}`, reason: flows.error });
      }
      if ('entries' in macs) {
        // fdb/show prints OpenFlow port numbers; name them for the reader.
        const byOfport = new Map(br.ports.flatMap((p) => p.interfaces.map((i) => [String(i.ofport), p.name] as const)));
        props.macTable = macs.entries.map((e) => ({ ...e, portName: e.port === 'LOCAL' ? br.name : byOfport.get(e.port) }));
      } else {
        partial = true;
        g.skip({ source: 'ovs', path: `ovs-appctl fdb/show ${br.name}`, reason: macs.error });
      }
      g.node(`ovs-bridge:${br.name}`, 'ovs-bridge', br.name, props);
      for (const p of br.ports) addPort(g, br, p, netnsInode);
    }),
  );
  const used = [...new Set((dps ?? []).filter((d) => d.bridges.length).map((d) => (d.type === 'netdev' ? 'netdev (userspace)' : d.type === 'system' ? 'system (kernel)' : d.type)))];
  const detail = [
    `Open vSwitch ${config.ovsVersion ?? '?'}: ${plural(config.bridges.length, 'bridge')}`,
    dps ? `datapaths in use: ${used.join(', ') || 'none'}` : 'datapaths unknown (ovs-vswitchd did not answer)',
    `kernel module openvswitch ${kmod ? 'loaded' : 'not loaded'}`,
  ].join('; ');
  g.source('ovs', partial ? { state: 'partial', detail, fix: 'See the skipped entries; check that ovs-vswitchd is running (`ovs-appctl version`).' } : { state: 'ok', detail });
}

/**
 * Join each OVS port to the kernel/netdev interface of the same name in ovs-vswitchd's network
 * namespace. Run after the network reader has added interface nodes (it calls this itself).
 */
export function linkOvsPortsToInterfaces(g: GraphBuilder): number {
  const byNsName = new Map<string, string>();
  for (const n of g.nodesOfKind('interface')) byNsName.set(`${String(n.props.netnsInode)}/${String(n.props.name)}`, n.id);
  let linked = 0;
  for (const p of g.nodesOfKind('ovs-port')) {
    const ifaces = Array.isArray(p.props.interfaces) ? (p.props.interfaces as { name: string }[]) : [];
    for (const i of ifaces) {
      const target = byNsName.get(`${String(p.props.netnsInode)}/${i.name}`);
      if (!target) continue;
      g.edge(p.id, target, 'ovs-interface');
      linked++;
    }
  }
  return linked;
}

/** Open vSwitch reader. Phase 1: it needs nothing from other readers; the network reader joins ports to interfaces in phase 2. */
export const ovsCollector: Collector = { name: 'ovs', phase: 1, collect: collectOvs };
