/** Parsers for the text that ovs-ofctl and ovs-appctl print (they have no JSON mode for these). */

export interface OvsFlow {
  cookie: string;
  table: number;
  /** OpenFlow's default priority is 32768 when the flow line does not print one. */
  priority: number;
  nPackets: number;
  nBytes: number;
  durationSec?: number;
  idleTimeout?: number;
  hardTimeout?: number;
  idleAge?: number;
  /** The match as printed (without priority), e.g. `ip,nw_dst=10.99.0.9`; empty = match all. */
  match: string;
  matchFields: string[];
  actions: string;
}

const STAT_KEYS = new Set(['cookie', 'duration', 'table', 'n_packets', 'n_bytes', 'idle_timeout', 'hard_timeout', 'idle_age', 'hard_age', 'importance']);

function num(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s.replace(/s$/, ''));
  return Number.isFinite(n) ? n : undefined;
}

/** Parse one flow line of `ovs-ofctl dump-flows`; undefined for headers and lines that are not flows. */
export function parseFlowLine(line: string): OvsFlow | undefined {
  const t = line.trim();
  const at = t.indexOf('actions=');
  if (!t.startsWith('cookie=') || at < 0) return undefined;
  const actions = t.slice(at + 'actions='.length).trim();
  const head = t.slice(0, at).trim().replace(/,$/, '');
  const stats: Record<string, string> = {};
  let match = '';
  const tokens = head.split(', ');
  tokens.forEach((tok, i) => {
    const eq = tok.indexOf('=');
    const key = eq > 0 ? tok.slice(0, eq) : tok;
    if (i === tokens.length - 1 && (tok.includes(',') || !STAT_KEYS.has(key))) match = tok.trim();
    else if (eq > 0) stats[key] = tok.slice(eq + 1);
  });
  const fields = match === '' ? [] : match.split(',').filter((f) => f !== '');
  let priority = 32768;
  const matchFields = fields.filter((f) => {
    if (!f.startsWith('priority=')) return true;
    priority = num(f.slice('priority='.length)) ?? priority;
    return false;
  });
  const table = num(stats.table);
  const nPackets = num(stats.n_packets);
  const nBytes = num(stats.n_bytes);
  if (stats.cookie === undefined || nPackets === undefined || nBytes === undefined) return undefined;
  return {
    cookie: stats.cookie,
    table: table ?? 0,
    priority,
    nPackets,
    nBytes,
    durationSec: num(stats.duration),
    idleTimeout: num(stats.idle_timeout),
    hardTimeout: num(stats.hard_timeout),
    idleAge: num(stats.idle_age),
    match: matchFields.join(','),
    matchFields,
    actions,
  };
}

/** Parse the whole `ovs-ofctl dump-flows BR` output; lines that are not flows are counted, not fatal. */
export function parseDumpFlows(text: string): { flows: OvsFlow[]; unparsed: number } {
  const flows: OvsFlow[] = [];
  let unparsed = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '' || /^\S*ST_FLOW reply/.test(line.trim())) continue;
    const f = parseFlowLine(line);
    if (f) flows.push(f);
    else unparsed++;
  }
  return { flows, unparsed };
}

export interface OvsMacEntry {
  /** OpenFlow port number as printed, or LOCAL. */
  port: string;
  vlan: number;
  mac: string;
  /** Seconds since last seen; undefined when OVS prints `?` (static entries). */
  ageSec?: number;
}

/** Parse `ovs-appctl fdb/show BR` (the bridge's learned MAC table). */
export function parseFdbShow(text: string): { entries: OvsMacEntry[]; unparsed: number } {
  const entries: OvsMacEntry[] = [];
  let unparsed = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '' || /^\s*port\s+VLAN\s+MAC/i.test(line)) continue;
    const m = /^\s*(\S+)\s+(\d+)\s+([0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5})\s+(\S+)\s*$/.exec(line);
    if (!m) {
      unparsed++;
      continue;
    }
    entries.push({ port: m[1]!, vlan: Number(m[2]), mac: m[3]!.toLowerCase(), ageSec: num(m[4]) });
  }
  return { entries, unparsed };
}

export interface DpifPort {
  name: string;
  ofport: string;
  dpPort: string;
  /** As printed in parentheses, e.g. `tap`, `system`, `vxlan: key=42, remote_ip=10.99.0.2`. */
  type: string;
}

export interface Datapath {
  /** `netdev` (userspace) or `system` (kernel module). */
  type: string;
  name: string;
  hit?: number;
  missed?: number;
  bridges: { name: string; ports: DpifPort[] }[];
}

/** Parse `ovs-appctl dpif/show`: which datapaths exist and which bridges live in each. */
export function parseDpifShow(text: string): Datapath[] {
  const out: Datapath[] = [];
  let dp: Datapath | undefined;
  let br: Datapath['bridges'][number] | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const d = /^(\S+)@(\S+):(?:\s+hit:(\d+))?(?:\s+missed:(\d+))?/.exec(line);
    if (d) {
      dp = { type: d[1]!, name: d[2]!, hit: num(d[3]), missed: num(d[4]), bridges: [] };
      out.push(dp);
      br = undefined;
      continue;
    }
    const b = /^ {2}(\S+):\s*$/.exec(line);
    if (b && dp) {
      br = { name: b[1]!, ports: [] };
      dp.bridges.push(br);
      continue;
    }
    const p = /^ {4}(\S+) (\S+)\/(\S+):\s*\((.*)\)\s*$/.exec(line);
    if (p && br) br.ports.push({ name: p[1]!, ofport: p[2]!, dpPort: p[3]!, type: p[4]! });
  }
  return out;
}
