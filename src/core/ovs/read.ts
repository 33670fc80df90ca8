import type { ScanOptions } from '../context';
import { failure, IFNAME_RE, runTool } from '../net/tools';
import { exists, readLinkOr, readTextOr } from '../sys/fs';
import { parseDpifShow, parseDumpFlows, parseFdbShow, type Datapath, type OvsFlow, type OvsMacEntry } from './flows';
import { buildOvsConfig, OVS_TABLE_COLUMNS, type OvsConfig } from './model';
import { decodeOvsTables } from './ovsdb';

export type OvsReadResult =
  | { state: 'ok'; config: OvsConfig }
  | { state: 'absent' | 'unavailable' | 'denied'; detail: string; fix: string };

const START_HINT = 'Start it with `/usr/share/openvswitch/scripts/ovs-ctl start --system-id=random` (or `sudo systemctl start openvswitch-switch`).';

/** Whole seconds for the OVS tools' own --timeout, leaving run()'s timeout as the backstop that kills a stuck client. */
function toolSeconds(opts: ScanOptions): number {
  return Math.max(1, Math.floor(opts.timeoutMs / 1000));
}

/** Read bridges, ports, interfaces and controllers with one `ovs-vsctl --format=json` call; never hangs. */
export async function readOvsConfig(opts: ScanOptions): Promise<OvsReadResult> {
  const secs = toolSeconds(opts);
  const args = [`--timeout=${secs}`, '--format=json'];
  for (const [table, cols] of OVS_TABLE_COLUMNS) args.push('--', `--columns=${cols}`, 'list', table);
  const r = await runTool(opts, 'ovs-vsctl', args, secs * 1000 + 1500);
  if (r.error === 'ENOENT') {
    return { state: 'absent', detail: 'Open vSwitch is not installed (no ovs-vsctl on PATH).', fix: 'Install it with `sudo apt-get install openvswitch-switch`, then start it.' };
  }
  if (!r.ok) {
    const why = failure(r);
    if (r.error === 'ETIMEDOUT' || /timeout|alarm/i.test(why) || r.code === 142) {
      return { state: 'unavailable', detail: `The Open vSwitch database did not answer within ${secs}s (ovsdb-server stopped or stuck).`, fix: `Check ovsdb-server (\`ovs-appctl -t ovsdb-server version\`); restart it if needed. ${START_HINT}` };
    }
    if (/permission denied|EACCES/i.test(why)) {
      return { state: 'denied', detail: `Not allowed to talk to the Open vSwitch database: ${why}`, fix: 'Run VirtLab as root or as a user with access to /run/openvswitch/db.sock.' };
    }
    return { state: 'unavailable', detail: `Open vSwitch is installed but its database is not running: ${why}`, fix: START_HINT };
  }
  return { state: 'ok', config: buildOvsConfig(decodeOvsTables(r.stdout)) };
}

/** `ovs-ofctl dump-flows BR`, parsed, with live packet/byte counters. */
export async function readFlows(opts: ScanOptions, bridge: string): Promise<{ flows: OvsFlow[]; unparsed: number } | { error: string }> {
  if (!IFNAME_RE.test(bridge)) return { error: `unsafe bridge name ${JSON.stringify(bridge)}` };
  const secs = toolSeconds(opts);
  const r = await runTool(opts, 'ovs-ofctl', [`--timeout=${secs}`, 'dump-flows', '--', bridge], secs * 1000 + 1500);
  return r.ok ? parseDumpFlows(r.stdout) : { error: failure(r) };
}

/** `ovs-appctl fdb/show BR`: the MAC addresses the bridge learned. */
export async function readMacTable(opts: ScanOptions, bridge: string): Promise<{ entries: OvsMacEntry[]; unparsed: number } | { error: string }> {
  if (!IFNAME_RE.test(bridge)) return { error: `unsafe bridge name ${JSON.stringify(bridge)}` };
  const secs = toolSeconds(opts);
  const r = await runTool(opts, 'ovs-appctl', [`--timeout=${secs}`, 'fdb/show', bridge], secs * 1000 + 1500);
  return r.ok ? parseFdbShow(r.stdout) : { error: failure(r) };
}

/** `ovs-appctl dpif/show`: the datapaths ovs-vswitchd really opened (netdev = userspace, system = kernel). */
export async function readDatapaths(opts: ScanOptions): Promise<Datapath[] | { error: string }> {
  const secs = toolSeconds(opts);
  const r = await runTool(opts, 'ovs-appctl', [`--timeout=${secs}`, 'dpif/show'], secs * 1000 + 1500);
  return r.ok ? parseDpifShow(r.stdout) : { error: failure(r) };
}

/** Whether the openvswitch kernel module is loaded (the `system` datapath needs it). */
export function kernelDatapathLoaded(opts: ScanOptions): Promise<boolean> {
  return exists(`${opts.roots.sys}/module/openvswitch`);
}

/** Inode of the network namespace ovs-vswitchd runs in: its ports' kernel devices live there. */
export async function vswitchdNetnsInode(opts: ScanOptions): Promise<number | undefined> {
  const pid = (await readTextOr(`${opts.roots.run}/openvswitch/ovs-vswitchd.pid`))?.trim();
  const link = /^\d+$/.test(pid ?? '') ? await readLinkOr(`${opts.roots.proc}/${pid}/ns/net`) : undefined;
  const m = /^net:\[(\d+)\]$/.exec(link ?? '');
  return m ? Number(m[1]) : undefined;
}
