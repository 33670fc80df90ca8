/** cgroup shapes shared by the cgroup readers, the process scan and the Docker reader. */

export type CgroupLayoutKind = 'unified' | 'hybrid' | 'legacy' | 'none';

export interface CgroupMount {
  /** Absolute mount point as seen in mountinfo, e.g. /sys/fs/cgroup/memory or /sys/fs/cgroup/unified. */
  mountPoint: string;
  version: 1 | 2;
  /** v1: the controllers (memory, cpu, cpuacct, pids, blkio, name=systemd ...); v2: from cgroup.controllers. */
  controllers: string[];
  /**
   * The mountinfo root of this mount (4th field), e.g. `/docker/<id>` when a container sees only its
   * own subtree; paths from /proc/<pid>/cgroup are made relative to it. Absent = `/`.
   */
  root?: string;
}

export interface CgroupLayout {
  kind: CgroupLayoutKind;
  mounts: CgroupMount[];
  /** Which file(s) the decision was made from, for tooltips. */
  source: string;
}

/** One line of /proc/<pid>/cgroup: `hierarchy-ID:controller-list:path`. */
export interface ProcCgroupEntry {
  hierarchyId: number;
  /** Empty for the v2 line (`0::/path`). */
  controllers: string[];
  path: string;
}

/** A value read from a cgroup file, with the file it came from so the UI can teach v1 vs v2. */
export interface CgroupValue<T = number | null> {
  value: T;
  file: string;
}

/** Limits and usage of one cgroup; null value = "max"/unlimited; absent = file not there. */
export interface CgroupStats {
  version: 1 | 2;
  /** The cgroup path relative to the hierarchy root, e.g. /docker/<id> or /system.slice/docker-<id>.scope. */
  path: string;
  memoryLimitBytes?: CgroupValue;
  memoryUsageBytes?: CgroupValue;
  memoryFailcnt?: CgroupValue;
  oomEvents?: CgroupValue;
  oomKillEvents?: CgroupValue;
  cpuQuotaMicros?: CgroupValue;
  cpuPeriodMicros?: CgroupValue;
  cpuWeight?: CgroupValue;
  cpuShares?: CgroupValue;
  cpuUsageNanos?: CgroupValue;
  cpuThrottledPeriods?: CgroupValue;
  cpuThrottledNanos?: CgroupValue;
  pidsLimit?: CgroupValue;
  pidsCurrent?: CgroupValue;
  ioReadBytes?: CgroupValue;
  ioWriteBytes?: CgroupValue;
}
