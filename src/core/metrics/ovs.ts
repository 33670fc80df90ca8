import type { ScanOptions } from '../context';
import { readFlows } from '../ovs/read';
import { rate, type MetricPoint, type Reading } from './types';

/** Sum of the packet and byte counters of all OpenFlow flows of a bridge (`ovs-ofctl dump-flows`). */
export async function readOvsFlowCounters(opts: ScanOptions, bridge: string, now = Date.now()): Promise<Reading | { error: string }> {
  const r = await readFlows(opts, bridge);
  if ('error' in r) return r;
  let packets = 0;
  let bytes = 0;
  for (const f of r.flows) {
    packets += f.nPackets ?? 0;
    bytes += f.nBytes ?? 0;
  }
  const src = `ovs-ofctl dump-flows ${bridge}`;
  return { t: now, counters: { packets, bytes, flows: r.flows.length }, files: { packets: src, bytes: src, flows: src } };
}

/** A chart point of flow packets/s and bytes/s and the number of flows. */
export function ovsPoint(prev: Reading | undefined, cur: Reading): MetricPoint {
  const values: MetricPoint['values'] = { flowCount: cur.counters.flows ?? undefined };
  // Flows replaced between readings can make the sum go down: rate() drops that point instead of going negative.
  const p = rate(prev, cur, 'packets');
  const b = rate(prev, cur, 'bytes');
  if (p !== undefined) values.flowPacketsPs = p;
  if (b !== undefined) values.flowBytesPs = b;
  return { t: cur.t, values, events: [] };
}
