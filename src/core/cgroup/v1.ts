import { pick, readCgroupFile, readKeyed, readValue } from './files';
import type { CgroupStats, CgroupValue } from './types';

/** Directories of one cgroup in each v1 hierarchy that VirtLab reads; undefined = hierarchy not mounted. */
export interface V1Dirs {
  memory?: string;
  cpu?: string;
  cpuacct?: string;
  pids?: string;
  blkio?: string;
}

type Stats = Omit<CgroupStats, 'version' | 'path'>;

/** Memory limit, usage, failcnt and OOM kills of a v1 memory cgroup. */
export function readV1Memory(dir: string): Stats {
  return {
    memoryLimitBytes: readValue(dir, 'memory.limit_in_bytes'),
    memoryUsageBytes: readValue(dir, 'memory.usage_in_bytes'),
    memoryFailcnt: readValue(dir, 'memory.failcnt'),
    oomKillEvents: pick(readKeyed(dir, 'memory.oom_control'), 'oom_kill'),
  };
}

/** CFS quota/period, shares and throttling of a v1 cpu cgroup (quota -1 = null = unlimited). */
export function readV1Cpu(dir: string): Stats {
  const stat = readKeyed(dir, 'cpu.stat');
  return {
    cpuQuotaMicros: readValue(dir, 'cpu.cfs_quota_us'),
    cpuPeriodMicros: readValue(dir, 'cpu.cfs_period_us'),
    cpuShares: readValue(dir, 'cpu.shares'),
    cpuThrottledPeriods: pick(stat, 'nr_throttled'),
    // v1 cpu.stat throttled_time is already in nanoseconds.
    cpuThrottledNanos: pick(stat, 'throttled_time'),
  };
}

/** Total CPU time (ns) from a v1 cpuacct cgroup. */
export function readV1Cpuacct(dir: string): Stats {
  return { cpuUsageNanos: readValue(dir, 'cpuacct.usage') };
}

/** pids.max (null = "max") and pids.current; the root cgroup has neither. */
export function readV1Pids(dir: string): Stats {
  return { pidsLimit: readValue(dir, 'pids.max'), pidsCurrent: readValue(dir, 'pids.current') };
}

/** Sum the Read and Write lines of blkio.throttle.io_service_bytes over all devices. */
export function parseBlkioServiceBytes(text: string): { read: number; write: number } {
  let read = 0;
  let write = 0;
  for (const line of text.split('\n')) {
    // `MAJ:MIN Op Bytes`; the final `Total N` line has no device and is ignored.
    const m = /^\d+:\d+ (Read|Write) (\d+)$/.exec(line.trim());
    if (!m) continue;
    if (m[1] === 'Read') read += Number(m[2]);
    else write += Number(m[2]);
  }
  return { read, write };
}

/** Bytes read and written by a v1 blkio cgroup (the throttle layer counts all IO, whatever the IO scheduler). */
export function readV1Blkio(dir: string): Stats {
  const file = `${dir}/blkio.throttle.io_service_bytes`;
  const text = readCgroupFile(file);
  if (text === undefined) return {};
  const { read, write } = parseBlkioServiceBytes(text);
  const v = (value: number): CgroupValue => ({ value, file });
  return { ioReadBytes: v(read), ioWriteBytes: v(write) };
}

/** Everything VirtLab shows about one cgroup in the v1 hierarchies, each value with its file. */
export function readV1Stats(dirs: V1Dirs): Stats {
  return {
    ...(dirs.memory ? readV1Memory(dirs.memory) : {}),
    ...(dirs.cpu ? readV1Cpu(dirs.cpu) : {}),
    ...(dirs.cpuacct ? readV1Cpuacct(dirs.cpuacct) : {}),
    ...(dirs.pids ? readV1Pids(dirs.pids) : {}),
    ...(dirs.blkio ? readV1Blkio(dirs.blkio) : {}),
  };
}
