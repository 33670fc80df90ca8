import assert from 'node:assert/strict';
import path from 'node:path';
import { scanOptions, type Roots } from '../../../src/core/context';
import { detectCgroupLayout } from '../../../src/core/cgroup/layout';
import { cgroupIdPath, parseProcCgroup, readProcCgroups } from '../../../src/core/cgroup/membership';
import { cgroupPathDir, readCgroupStats } from '../../../src/core/cgroup/stats';
import { parseFlatKeyed, parseLimit } from '../../../src/core/cgroup/files';
import { parseBlkioServiceBytes } from '../../../src/core/cgroup/v1';
import { parseCpuMax, parseIoStat } from '../../../src/core/cgroup/v2';
import type { CgroupStats } from '../../../src/core/cgroup/types';

const FIX = path.join(__dirname, '../../fixtures/cgroup');
const CID = '99b6505002a3706faef384dd615069f87ab0470b7c93780388df1a93db96330c';

function roots(name: string): Roots {
  return scanOptions({ roots: { proc: `${FIX}/${name}/proc`, cgroup: `${FIX}/${name}/cgroup` } }).roots;
}

async function statsOf(name: string, pid: number): Promise<CgroupStats> {
  const r = roots(name);
  const layout = await detectCgroupLayout(r);
  return readCgroupStats(r, layout, await readProcCgroups(r.proc, pid));
}

function values(s: CgroupStats): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(s)) if (v && typeof v === 'object') out[k] = (v as { value: number | null }).value;
  return out;
}

describe('cgroup file formats', () => {
  it('parses limits: numbers, max, -1 and the v1 page-rounded "unlimited"', () => {
    assert.equal(parseLimit('67108864\n'), 67108864);
    assert.equal(parseLimit('max\n'), null);
    assert.equal(parseLimit('-1\n'), null);
    assert.equal(parseLimit('9223372036854771712\n'), null);
    assert.equal(parseLimit(''), undefined);
    assert.equal(parseLimit('garbage'), undefined);
    assert.equal(parseLimit(undefined), undefined);
  });

  it('parses flat keyed files and ignores a cut-off last line', () => {
    const m = parseFlatKeyed('nr_periods 12\nnr_throttled 3\nthrottled_ti');
    assert.deepEqual([...m], [['nr_periods', 12], ['nr_throttled', 3]]);
  });

  it('parses cpu.max', () => {
    assert.deepEqual(parseCpuMax('max 100000\n'), { quota: null, period: 100000 });
    assert.deepEqual(parseCpuMax('50000 100000\n'), { quota: 50000, period: 100000 });
    assert.equal(parseCpuMax('50000'), undefined);
  });

  it('sums io.stat and blkio service bytes over devices', () => {
    assert.deepEqual(parseIoStat('8:16 rbytes=10 wbytes=20 rios=1 wios=2\n8:0 rbytes=1 wbytes=2 rios=1 wios=1 dbytes=0 dios=0\n'), { read: 11, write: 22 });
    assert.deepEqual(parseBlkioServiceBytes('8:0 Read 40\n8:0 Write 2\n8:0 Total 42\n8:16 Read 1\n8:16 Write 1\nTotal 44\n'), { read: 41, write: 3 });
    assert.deepEqual(parseBlkioServiceBytes('Total 0\n'), { read: 0, write: 0 });
  });

  it('parses /proc/<pid>/cgroup, keeping colons inside paths and dropping a truncated line', () => {
    const e = parseProcCgroup('4:memory:/a:b\n1:cpu,cpuacct:/x\n0::/user.slice\n3:blk');
    assert.deepEqual(e, [
      { hierarchyId: 4, controllers: ['memory'], path: '/a:b' },
      { hierarchyId: 1, controllers: ['cpu', 'cpuacct'], path: '/x' },
      { hierarchyId: 0, controllers: [], path: '/user.slice' },
    ]);
    assert.equal(cgroupIdPath(e), '/a:b');
    assert.equal(cgroupIdPath(parseProcCgroup('0::/user.slice\n')), '/user.slice');
    assert.deepEqual(parseProcCgroup(''), []);
  });

  it('maps a path inside a subtree mount (container view) to the right directory', () => {
    const r = roots('hybrid');
    const mount = { mountPoint: '/sys/fs/cgroup/memory', version: 1 as const, controllers: ['memory'], root: '/docker/abc' };
    assert.equal(cgroupPathDir(r, mount, '/docker/abc'), `${r.cgroup}/memory`);
    assert.equal(cgroupPathDir(r, mount, '/docker/abc/sub'), `${r.cgroup}/memory/sub`);
    assert.equal(cgroupPathDir(r, { ...mount, root: undefined }, '/docker/abc'), `${r.cgroup}/memory/docker/abc`);
  });
});

describe('cgroup stats on recorded trees', () => {
  it('hybrid (recorded on this project machine): a docker --memory 64m --cpus 0.5 --pids-limit 50 container', async () => {
    const r = roots('hybrid');
    assert.equal((await detectCgroupLayout(r)).kind, 'hybrid');
    const s = await statsOf('hybrid', 4242);
    assert.equal(s.version, 1);
    assert.equal(s.path, `/docker/${CID}`);
    assert.deepEqual(values(s), {
      memoryLimitBytes: 67108864,
      memoryUsageBytes: 323584,
      memoryFailcnt: 0,
      oomKillEvents: 0,
      cpuQuotaMicros: 50000,
      cpuPeriodMicros: 100000,
      cpuShares: 1024,
      cpuThrottledPeriods: 0,
      cpuThrottledNanos: 0,
      cpuUsageNanos: 20470847,
      pidsLimit: 50,
      pidsCurrent: 1,
      ioReadBytes: 0,
      ioWriteBytes: 0,
    });
    // Each value names the v1 file it came from; the unified hierarchy (no controllers) is not used.
    assert.equal(s.memoryLimitBytes?.file, `${r.cgroup}/memory/docker/${CID}/memory.limit_in_bytes`);
    assert.equal(s.cpuUsageNanos?.file, `${r.cgroup}/cpuacct/docker/${CID}/cpuacct.usage`);
    assert.equal(s.cpuQuotaMicros?.file, `${r.cgroup}/cpu/docker/${CID}/cpu.cfs_quota_us`);
    assert.equal(s.oomEvents, undefined);
  });

  it('hybrid: a busy cgroup with throttling, OOM kills and IO on two devices', async () => {
    const s = values(await statsOf('hybrid', 4343));
    assert.equal(s.memoryLimitBytes, 268435456);
    assert.equal(s.memoryFailcnt, 17);
    assert.equal(s.oomKillEvents, 2);
    assert.equal(s.cpuQuotaMicros, 150000);
    assert.equal(s.cpuShares, 512);
    assert.equal(s.cpuThrottledPeriods, 34);
    assert.equal(s.cpuThrottledNanos, 5123456789);
    assert.equal(s.cpuUsageNanos, 98765432100);
    assert.equal(s.pidsLimit, null);
    assert.equal(s.pidsCurrent, 12);
    assert.equal(s.ioReadBytes, 4097000);
    assert.equal(s.ioWriteBytes, 1228824);
  });

  it('hybrid: empty, truncated and garbage files leave fields out or partial, never throw', async () => {
    const s = await statsOf('hybrid', 4444);
    const v = values(s);
    assert.equal('memoryLimitBytes' in v, false, 'empty memory.limit_in_bytes');
    assert.equal(v.memoryUsageBytes, 20132, 'a cut number is still a number; nothing marks it cut');
    assert.equal('oomKillEvents' in v, false, 'oom_control cut before oom_kill');
    assert.equal(v.cpuThrottledPeriods, undefined);
    assert.equal('cpuShares' in v, false);
    assert.equal('cpuQuotaMicros' in v, false, 'file missing');
    assert.equal(v.ioReadBytes, 40);
    assert.equal(v.ioWriteBytes, 0);
  });

  it('hybrid: the root cgroup reads "unlimited" as null and has no pids files', async () => {
    const r = roots('hybrid');
    const layout = await detectCgroupLayout(r);
    const s = values(await readCgroupStats(r, layout, parseProcCgroup('8:pids:/\n4:memory:/\n1:cpu:/\n0::/\n')));
    assert.equal(s.memoryLimitBytes, null);
    assert.equal(s.cpuQuotaMicros, null);
    assert.equal('pidsLimit' in s, false);
  });

  it('unified v2 (kernel documentation formats)', async () => {
    const r = roots('v2');
    assert.equal((await detectCgroupLayout(r)).kind, 'unified');
    const s = await statsOf('v2', 5000);
    assert.equal(s.version, 2);
    assert.equal(s.path, '/system.slice/docker-0123abcd.scope');
    assert.deepEqual(values(s), {
      memoryLimitBytes: 268435456,
      memoryUsageBytes: 1048576,
      oomEvents: 3,
      oomKillEvents: 1,
      cpuQuotaMicros: 50000,
      cpuPeriodMicros: 100000,
      cpuWeight: 100,
      cpuUsageNanos: 123456000,
      cpuThrottledPeriods: 20,
      cpuThrottledNanos: 700000000,
      pidsLimit: 64,
      pidsCurrent: 3,
      ioReadBytes: 91889664,
      ioWriteBytes: 613781504,
    });
    assert.equal(s.cpuQuotaMicros?.file, `${r.cgroup}/system.slice/docker-0123abcd.scope/cpu.max`);
  });

  it('unified v2: no limits ("max") and no cpu controller', async () => {
    const s = values(await statsOf('v2', 5001));
    assert.equal(s.memoryLimitBytes, null);
    assert.equal(s.pidsLimit, null);
    assert.equal(s.cpuUsageNanos, 42000);
    assert.equal('cpuQuotaMicros' in s, false);
    assert.equal('cpuThrottledPeriods' in s, false);
    assert.equal('ioReadBytes' in s, false);
  });

  it('legacy v1 with cpu,cpuacct co-mounted and an old kernel without oom_kill', async () => {
    const r = roots('v1');
    assert.equal((await detectCgroupLayout(r)).kind, 'legacy');
    const s = await statsOf('v1', 6000);
    assert.equal(s.version, 1);
    assert.deepEqual(values(s), {
      memoryLimitBytes: 536870912,
      memoryUsageBytes: 3145728,
      memoryFailcnt: 0,
      cpuQuotaMicros: null,
      cpuPeriodMicros: 100000,
      cpuShares: 1024,
      cpuThrottledPeriods: 0,
      cpuThrottledNanos: 0,
      cpuUsageNanos: 555000,
      pidsLimit: 100,
      pidsCurrent: 2,
      ioReadBytes: 0,
      ioWriteBytes: 0,
    });
    assert.equal(s.cpuUsageNanos?.file, `${r.cgroup}/cpu,cpuacct/docker/feed/cpuacct.usage`);
  });

  it('a vanished process has no membership and empty stats', async () => {
    const r = roots('v2');
    assert.deepEqual(await readProcCgroups(r.proc, 99999), []);
    const s = await readCgroupStats(r, await detectCgroupLayout(r), []);
    assert.deepEqual(s, { version: 2, path: '/' });
  });
});
