import { parseLimit, pick, readCgroupFile, readKeyed, readValue } from './files';
import type { CgroupStats, CgroupValue } from './types';

type Stats = Omit<CgroupStats, 'version' | 'path'>;

/** Parse cpu.max (`$MAX $PERIOD`, MAX may be "max"); undefined when malformed. */
export function parseCpuMax(text: string): { quota: number | null; period: number } | undefined {
  const [q, p, extra] = text.trim().split(/\s+/);
  const quota = parseLimit(q);
  const period = parseLimit(p);
  if (quota === undefined || period === undefined || period === null || extra !== undefined) return undefined;
  return { quota, period };
}

/** Sum rbytes and wbytes of io.stat over all devices. */
export function parseIoStat(text: string): { read: number; write: number } {
  let read = 0;
  let write = 0;
  for (const line of text.split('\n')) {
    for (const field of line.trim().split(/\s+/).slice(1)) {
      const m = /^(rbytes|wbytes)=(\d+)$/.exec(field);
      if (!m) continue;
      if (m[1] === 'rbytes') read += Number(m[2]);
      else write += Number(m[2]);
    }
  }
  return { read, write };
}

/** Everything VirtLab shows about one v2 cgroup; files of controllers not enabled there are simply absent. */
export function readV2Stats(dir: string, want: { memory: boolean; cpu: boolean; pids: boolean; io: boolean }): Stats {
  const out: Stats = {};
  if (want.memory) {
    const events = readKeyed(dir, 'memory.events');
    out.memoryLimitBytes = readValue(dir, 'memory.max');
    out.memoryUsageBytes = readValue(dir, 'memory.current');
    out.oomEvents = pick(events, 'oom');
    out.oomKillEvents = pick(events, 'oom_kill');
  }
  if (want.cpu) {
    const file = `${dir}/cpu.max`;
    const text = readCgroupFile(file);
    const cm = text !== undefined ? parseCpuMax(text) : undefined;
    if (cm) {
      out.cpuQuotaMicros = { value: cm.quota, file };
      out.cpuPeriodMicros = { value: cm.period, file };
    }
    out.cpuWeight = readValue(dir, 'cpu.weight');
    // cpu.stat exists in every v2 cgroup (usage_usec) even without the cpu controller.
    const stat = readKeyed(dir, 'cpu.stat');
    out.cpuUsageNanos = pick(stat, 'usage_usec', 1000);
    out.cpuThrottledPeriods = pick(stat, 'nr_throttled');
    out.cpuThrottledNanos = pick(stat, 'throttled_usec', 1000);
  }
  if (want.pids) {
    out.pidsLimit = readValue(dir, 'pids.max');
    out.pidsCurrent = readValue(dir, 'pids.current');
  }
  if (want.io) {
    const file = `${dir}/io.stat`;
    const text = readCgroupFile(file);
    if (text !== undefined) {
      const { read, write } = parseIoStat(text);
      const v = (value: number): CgroupValue => ({ value, file });
      out.ioReadBytes = v(read);
      out.ioWriteBytes = v(write);
    }
  }
  return out;
}
