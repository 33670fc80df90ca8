import type { ScanOptions } from '../context';
import { entryPath, runIn, type NetnsTarget } from '../net/netns';
import { failure, IFNAME_RE } from '../net/tools';
import { readTextOr } from '../sys/fs';
import { rate, type MetricPoint, type Reading } from './types';

const STATS = ['rx_bytes', 'tx_bytes', 'rx_packets', 'tx_packets'] as const;

export interface IfaceTarget {
  name: string;
  ifindex: number;
  netns: NetnsTarget;
}

/** rx/tx byte and packet counters from `ip -s -j link show dev X` (stats64), validated. */
export function parseIpLinkStats(text: string, ifindex: number): { counters: Record<string, number> } | { error: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { error: 'ip -s -j link: not JSON' };
  }
  const link = Array.isArray(doc) ? (doc as { ifindex?: unknown; stats64?: unknown }[]).find((l) => l?.ifindex === ifindex) : undefined;
  const s = link?.stats64 as { rx?: Record<string, unknown>; tx?: Record<string, unknown> } | undefined;
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const out = { rx_bytes: n(s?.rx?.bytes), tx_bytes: n(s?.tx?.bytes), rx_packets: n(s?.rx?.packets), tx_packets: n(s?.tx?.packets) };
  if (Object.values(out).some((v) => v === undefined)) return { error: `ip -s -j link: no stats64 for ifindex ${ifindex}` };
  return { counters: out as Record<string, number> };
}

/**
 * Read an interface's counters inside its network namespace: from sysfs when it is ours (checked by
 * ifindex), else with `ip -s -j link` run through nsenter into the namespace.
 */
export async function readIfaceCounters(opts: ScanOptions, target: IfaceTarget, now = Date.now()): Promise<Reading | { error: string }> {
  if (!IFNAME_RE.test(target.name)) return { error: `unsafe interface name ${JSON.stringify(target.name)}` };
  const entry = await entryPath(opts, target.netns);
  if ('error' in entry) return { error: entry.error };
  if (entry.self) {
    const dir = `${opts.roots.sys}/class/net/${target.name}`;
    if (Number((await readTextOr(`${dir}/ifindex`))?.trim()) === target.ifindex) {
      const r: Reading = { t: now, counters: {}, files: {} };
      for (const k of STATS) {
        const v = (await readTextOr(`${dir}/statistics/${k}`))?.trim();
        r.counters[k] = v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
        r.files[k] = `${dir}/statistics/${k}`;
      }
      return r;
    }
  }
  const res = await runIn(opts, entry, 'ip', ['-s', '-j', 'link', 'show', 'dev', target.name]);
  if (!res.ok) return { error: `ip -s -j link show dev ${target.name}: ${failure(res)}` };
  const parsed = parseIpLinkStats(res.stdout, target.ifindex);
  if ('error' in parsed) return parsed;
  const via = entry.self ? '' : ` (nsenter --net=${entry.path})`;
  const files = Object.fromEntries(STATS.map((k) => [k, `ip -s -j link show dev ${target.name}${via}`]));
  return { t: now, counters: parsed.counters, files };
}

/** A chart point of rx/tx bytes and packets per second. */
export function ifacePoint(prev: Reading | undefined, cur: Reading): MetricPoint {
  const values: MetricPoint['values'] = {};
  const set = (k: 'rxBps' | 'txBps' | 'rxPps' | 'txPps', c: string) => {
    const v = rate(prev, cur, c);
    if (v !== undefined) values[k] = v;
  };
  set('rxBps', 'rx_bytes');
  set('txBps', 'tx_bytes');
  set('rxPps', 'rx_packets');
  set('txPps', 'tx_packets');
  return { t: cur.t, values, events: [] };
}
