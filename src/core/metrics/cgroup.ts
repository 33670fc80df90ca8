import type { Roots } from '../context';
import { readProcCgroups } from '../cgroup/membership';
import { readCgroupStats } from '../cgroup/stats';
import type { CgroupLayout, CgroupStats, CgroupValue, ProcCgroupEntry } from '../cgroup/types';
import { grew, rate, type MetricEvent, type MetricPoint, type Reading } from './types';

const FIELDS: (keyof CgroupStats)[] = [
  'cpuUsageNanos', 'cpuThrottledPeriods', 'memoryUsageBytes', 'memoryLimitBytes', 'oomKillEvents', 'pidsCurrent', 'pidsLimit', 'ioReadBytes', 'ioWriteBytes',
];

/** The hierarchies of a cgroup graph node (`props.hierarchies`, `{id, controllers, path}`) as /proc/<pid>/cgroup entries. */
export function entriesFromHierarchies(h: unknown): ProcCgroupEntry[] {
  if (!Array.isArray(h)) return [];
  const out: ProcCgroupEntry[] = [];
  for (const x of h) {
    const r = x as { id?: unknown; controllers?: unknown; path?: unknown };
    if (typeof r?.id === 'number' && Array.isArray(r.controllers) && r.controllers.every((c) => typeof c === 'string') && typeof r.path === 'string') {
      out.push({ hierarchyId: r.id, controllers: r.controllers as string[], path: r.path });
    }
  }
  return out;
}

/** The cgroup membership of a running container, from its main process. */
export function containerEntries(roots: Roots, pid: number): Promise<ProcCgroupEntry[]> {
  return readProcCgroups(roots.proc, pid);
}

/** Read a cgroup's counters now (CPU time, memory and its limit, pids, IO bytes, throttling, OOM kills), each with its file. */
export async function readCgroupCounters(roots: Roots, layout: CgroupLayout, entries: ProcCgroupEntry[], now = Date.now()): Promise<Reading> {
  const stats = await readCgroupStats(roots, layout, entries);
  const r: Reading = { t: now, counters: {}, files: {} };
  for (const f of FIELDS) {
    const v = stats[f] as CgroupValue | undefined;
    if (v && typeof v === 'object') {
      r.counters[f] = v.value;
      r.files[f] = v.file;
    }
  }
  // v2 reports OOM kills in memory.events; v1 in memory.oom_control. Either way one counter.
  if (r.counters.oomKillEvents === undefined && stats.oomEvents) {
    r.counters.oomKillEvents = stats.oomEvents.value;
    r.files.oomKillEvents = stats.oomEvents.file;
  }
  return r;
}

/** A chart point from two cgroup readings: CPU % of one core, memory and pids with their limits, IO bytes/s, the OOM-kill and throttling counters, events. */
export function cgroupPoint(prev: Reading | undefined, cur: Reading): MetricPoint {
  const c = cur.counters;
  const events: MetricEvent[] = [];
  if (grew(prev, cur, 'cpuThrottledPeriods')) events.push('throttled');
  if (grew(prev, cur, 'oomKillEvents')) events.push('oom');
  const values: MetricPoint['values'] = {};
  const cpu = rate(prev, cur, 'cpuUsageNanos', 100 / 1e9);
  if (cpu !== undefined) values.cpuPercent = cpu;
  if (c.memoryUsageBytes !== undefined) values.memoryBytes = c.memoryUsageBytes;
  if (c.memoryLimitBytes !== undefined) values.memoryLimitBytes = c.memoryLimitBytes;
  if (c.pidsCurrent !== undefined) values.pids = c.pidsCurrent;
  if (c.pidsLimit !== undefined) values.pidsLimit = c.pidsLimit;
  // The counters themselves, so a chart can say how many kills a mark stands for and show the
  // kernel's total rather than the number of samples that saw it move.
  if (typeof c.oomKillEvents === 'number') values.oomKills = c.oomKillEvents;
  if (typeof c.cpuThrottledPeriods === 'number') values.throttledPeriods = c.cpuThrottledPeriods;
  const rd = rate(prev, cur, 'ioReadBytes');
  const wr = rate(prev, cur, 'ioWriteBytes');
  if (rd !== undefined) values.ioReadBps = rd;
  if (wr !== undefined) values.ioWriteBps = wr;
  return { t: cur.t, values, events };
}
