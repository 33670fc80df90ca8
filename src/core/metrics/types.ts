/** One point of a live chart: rates per second computed from two readings, plus what happened in between. */

export const METRIC_KEYS = [
  'cpuPercent', 'memoryBytes', 'memoryLimitBytes', 'pids', 'pidsLimit', 'ioReadBps', 'ioWriteBps',
  // The kernel's own cumulative counters behind the events (OOM kills; CFS periods throttled).
  'oomKills', 'throttledPeriods',
  'rxBps', 'txBps', 'rxPps', 'txPps',
  'flowPacketsPs', 'flowBytesPs', 'flowCount',
] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];
/** CPU throttled by its quota, or the kernel OOM-killed a process of the cgroup. */
export type MetricEvent = 'throttled' | 'oom';
export type MetricsKind = 'cgroup' | 'interface' | 'ovs-bridge';

export interface MetricPoint {
  /** Milliseconds since the epoch. */
  t: number;
  /** null = no limit ("max"); absent = not readable on this machine. */
  values: Partial<Record<MetricKey, number | null>>;
  events: MetricEvent[];
}

/** Counters read at one moment; `files` says which file or tool each came from. */
export interface Reading {
  t: number;
  counters: Record<string, number | null | undefined>;
  files: Record<string, string>;
}

/** Per-second rate of a counter between two readings; undefined when either side is missing or it went backwards (reset). */
export function rate(prev: Reading | undefined, cur: Reading, key: string, scale = 1): number | undefined {
  const a = prev?.counters[key];
  const b = cur.counters[key];
  const dt = prev ? (cur.t - prev.t) / 1000 : 0;
  if (typeof a !== 'number' || typeof b !== 'number' || dt <= 0 || b < a) return undefined;
  return ((b - a) / dt) * scale;
}

/** Whether a counter grew between two readings. */
export function grew(prev: Reading | undefined, cur: Reading, key: string): boolean {
  const a = prev?.counters[key];
  const b = cur.counters[key];
  return typeof a === 'number' && typeof b === 'number' && b > a;
}
