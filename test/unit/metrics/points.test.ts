import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cgroupPoint, entriesFromHierarchies, readCgroupCounters } from '../../../src/core/metrics/cgroup';
import { ifacePoint, parseIpLinkStats } from '../../../src/core/metrics/iface';
import { ovsPoint } from '../../../src/core/metrics/ovs';
import type { Reading } from '../../../src/core/metrics/types';
import { scanOptions } from '../../../src/core/context';
import type { CgroupLayout } from '../../../src/core/cgroup/types';

const R = (t: number, counters: Reading['counters']): Reading => ({ t, counters, files: {} });

describe('metrics points from two readings', () => {
  it('cgroup: CPU % of one core, memory and pids with limits, IO rates, throttling and OOM events', () => {
    const a = R(1000, { cpuUsageNanos: 1e9, memoryUsageBytes: 1, memoryLimitBytes: 67108864, pidsCurrent: 1, pidsLimit: null, ioReadBytes: 0, ioWriteBytes: 100, cpuThrottledPeriods: 3, oomKillEvents: 0 });
    const b = R(3000, { cpuUsageNanos: 2e9, memoryUsageBytes: 5, memoryLimitBytes: 67108864, pidsCurrent: 2, pidsLimit: null, ioReadBytes: 4096, ioWriteBytes: 100, cpuThrottledPeriods: 4, oomKillEvents: 1 });
    const p = cgroupPoint(a, b);
    assert.equal(p.t, 3000);
    assert.equal(p.values.cpuPercent, 50); // 1 s of CPU in 2 s
    assert.equal(p.values.memoryBytes, 5);
    assert.equal(p.values.memoryLimitBytes, 67108864);
    assert.equal(p.values.pidsLimit, null);
    assert.equal(p.values.ioReadBps, 2048);
    assert.equal(p.values.ioWriteBps, 0);
    assert.deepEqual(p.events, ['throttled', 'oom']);
    // The counters themselves travel too, so the chart can show the kernel's totals.
    assert.equal(p.values.oomKills, 1);
    assert.equal(p.values.throttledPeriods, 4);
  });

  it('first reading: levels but no rates and no events', () => {
    const p = cgroupPoint(undefined, R(1, { cpuUsageNanos: 5, memoryUsageBytes: 7, cpuThrottledPeriods: 9 }));
    assert.deepEqual(p.values, { memoryBytes: 7, throttledPeriods: 9 });
    assert.deepEqual(p.events, []);
  });

  it('a counter that went backwards (reset, flows replaced) gives no rate instead of a negative one', () => {
    const p = ifacePoint(R(0, { rx_bytes: 100, tx_bytes: 0 }), R(1000, { rx_bytes: 10, tx_bytes: 30 }));
    assert.equal(p.values.rxBps, undefined);
    assert.equal(p.values.txBps, 30);
    const o = ovsPoint(R(0, { packets: 10, bytes: 1000, flows: 2 }), R(500, { packets: 20, bytes: 500, flows: 3 }));
    assert.equal(o.values.flowPacketsPs, 20);
    assert.equal(o.values.flowBytesPs, undefined);
    assert.equal(o.values.flowCount, 3);
  });

  it('parses `ip -s -j link` stats64 for the asked ifindex only', () => {
    const text = JSON.stringify([
      { ifindex: 1, ifname: 'lo', stats64: { rx: { bytes: 1, packets: 1 }, tx: { bytes: 1, packets: 1 } } },
      { ifindex: 7, ifname: 'eth0', stats64: { rx: { bytes: 1500, packets: 3 }, tx: { bytes: 700, packets: 2 } } },
    ]);
    assert.deepEqual(parseIpLinkStats(text, 7), { counters: { rx_bytes: 1500, tx_bytes: 700, rx_packets: 3, tx_packets: 2 } });
    assert.ok('error' in parseIpLinkStats(text, 9));
    assert.ok('error' in parseIpLinkStats('not json', 7));
    assert.ok('error' in parseIpLinkStats(JSON.stringify([{ ifindex: 7, stats64: { rx: { bytes: '1' } } }]), 7));
  });

  it('turns a cgroup node\'s hierarchies into /proc/<pid>/cgroup entries, dropping malformed ones', () => {
    assert.deepEqual(entriesFromHierarchies([{ id: 4, controllers: ['memory'], path: '/docker/x' }, { id: 'x' }, null, { id: 0, controllers: [], path: '/' }]), [
      { hierarchyId: 4, controllers: ['memory'], path: '/docker/x' },
      { hierarchyId: 0, controllers: [], path: '/' },
    ]);
    assert.deepEqual(entriesFromHierarchies('nope'), []);
  });

  it('reads cgroup v2 counters from a recorded tree with their files', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vlt-metrics-'));
    try {
      const dir = path.join(root, 'cgroup/ctr');
      fs.mkdirSync(dir, { recursive: true });
      const w = (f: string, s: string) => fs.writeFileSync(path.join(dir, f), s);
      w('memory.max', '67108864\n');
      w('memory.current', '1234\n');
      w('memory.events', 'low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n');
      w('pids.max', 'max\n');
      w('pids.current', '2\n');
      w('cpu.stat', 'usage_usec 5000\nuser_usec 3000\nsystem_usec 2000\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\n');
      w('cpu.max', 'max 100000\n');
      w('io.stat', '8:0 rbytes=100 wbytes=200 rios=1 wios=2 dbytes=0 dios=0\n');
      const opts = scanOptions({ roots: { cgroup: path.join(root, 'cgroup') } });
      const layout: CgroupLayout = { kind: 'unified', mounts: [{ mountPoint: '/sys/fs/cgroup', version: 2, controllers: ['cpu', 'memory', 'pids', 'io'] }], source: 'test' };
      const r = await readCgroupCounters(opts.roots, layout, [{ hierarchyId: 0, controllers: [], path: '/ctr' }], 42);
      assert.equal(r.t, 42);
      assert.equal(r.counters.memoryLimitBytes, 67108864);
      assert.equal(r.files.memoryLimitBytes, path.join(dir, 'memory.max'));
      assert.equal(r.counters.memoryUsageBytes, 1234);
      assert.equal(r.counters.pidsLimit, null);
      assert.equal(r.counters.pidsCurrent, 2);
      assert.equal(r.counters.oomKillEvents, 1);
      assert.equal(r.counters.cpuUsageNanos, 5_000_000);
      assert.equal(r.counters.ioReadBytes, 100);
      assert.equal(r.counters.ioWriteBytes, 200);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
