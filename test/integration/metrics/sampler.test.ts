import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { scanOptions } from '../../../src/core/context';
import { metricSourceFor, startSampling } from '../../../src/core/metrics/sampler';
import type { MetricPoint, Reading } from '../../../src/core/metrics/types';
import type { Snapshot } from '../../../src/core/model/graph';
import { takeSnapshot } from '../../../src/core/scan';

// The live-metrics samplers against the real machine: a container started with --memory 64m, a
// veth pair between two test namespaces, and a userspace OVS bridge joining two more. The only
// traffic is ping between the test's own namespaces. Everything is named vlt* and removed after.
const x = (file: string, ...args: string[]) => execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
const quiet = (file: string, ...args: string[]) => {
  try {
    x(file, ...args);
  } catch {
    /* already gone */
  }
};
const CTR = `vltmetrics${process.pid}`;
const NS = ['vltma', 'vltmb', 'vltmc', 'vltmd'];
const BR = 'vltmbr';
const LIMIT = 64 * 1024 * 1024;

function cleanup(): void {
  quiet('docker', 'rm', '-f', CTR);
  quiet('ovs-vsctl', '--timeout=10', '--if-exists', 'del-br', BR);
  for (const ns of NS) quiet('ip', 'netns', 'del', ns);
  for (const l of ['vltmch', 'vltmdh']) quiet('ip', 'link', 'del', l);
}

const inodeOf = (ns: string) => statSync(`/run/netns/${ns}`).ino;
const ifindexIn = (ns: string, dev: string) => (JSON.parse(x('ip', '-n', ns, '-j', 'link', 'show', 'dev', dev)) as { ifindex: number }[])[0]!.ifindex;
const statsIn = (ns: string, dev: string) => (JSON.parse(x('ip', '-n', ns, '-s', '-j', 'link', 'show', 'dev', dev)) as { stats64: { rx: { bytes: number; packets: number }; tx: { bytes: number; packets: number } } }[])[0]!.stats64;

async function read(snap: Snapshot, nodeId: string): Promise<Reading> {
  const src = metricSourceFor(scanOptions(), snap, nodeId);
  if ('error' in src) throw new Error(src.error);
  const r = await src.read();
  if ('error' in r) throw new Error(r.error);
  return r;
}

describe('live metrics samplers on the real machine', function () {
  this.timeout(180_000);
  let snap: Snapshot;
  let ctrId = '';

  before(async function () {
    cleanup();
    ctrId = x('docker', 'run', '-d', '--name', CTR, '--label', 'virtlab.test=1', '--memory', '64m', '--pids-limit', '50', 'virtlab/busybox:latest', 'sleep', '600').trim();
    // A veth pair between two test namespaces.
    x('ip', 'netns', 'add', 'vltma');
    x('ip', 'netns', 'add', 'vltmb');
    x('ip', 'link', 'add', 'vltma0', 'netns', 'vltma', 'type', 'veth', 'peer', 'name', 'vltmb0', 'netns', 'vltmb');
    x('ip', '-n', 'vltma', 'addr', 'add', '10.251.77.1/30', 'dev', 'vltma0');
    x('ip', '-n', 'vltmb', 'addr', 'add', '10.251.77.2/30', 'dev', 'vltmb0');
    x('ip', '-n', 'vltma', 'link', 'set', 'vltma0', 'up');
    x('ip', '-n', 'vltmb', 'link', 'set', 'vltmb0', 'up');
    // Two more namespaces on a userspace-datapath OVS bridge.
    x('ovs-vsctl', '--timeout=10', 'add-br', BR, '--', 'set', 'bridge', BR, 'datapath_type=netdev');
    ['vltmc', 'vltmd'].forEach((ns, i) => {
      x('ip', 'netns', 'add', ns);
      x('ip', 'link', 'add', `${ns}h`, 'type', 'veth', 'peer', 'name', `${ns}n`, 'netns', ns);
      x('ip', 'link', 'set', `${ns}h`, 'up');
      x('ip', '-n', ns, 'addr', 'add', `10.251.78.${i + 1}/24`, 'dev', `${ns}n`);
      x('ip', '-n', ns, 'link', 'set', `${ns}n`, 'up');
      x('ovs-vsctl', '--timeout=10', 'add-port', BR, `${ns}h`);
    });
    snap = await takeSnapshot(scanOptions({ timeoutMs: 15_000 }));
  });
  after(cleanup);

  it('a container started with --memory 64m: the sampled limit equals docker inspect and the cgroup file', async () => {
    const r = await read(snap, `container:${ctrId}`);
    const inspected = (JSON.parse(x('docker', 'inspect', ctrId)) as { HostConfig: { Memory: number; PidsLimit: number } }[])[0]!.HostConfig;
    assert.equal(inspected.Memory, LIMIT);
    assert.equal(r.counters.memoryLimitBytes, LIMIT);
    assert.equal(Number(readFileSync(r.files.memoryLimitBytes!, 'utf8').trim().split(/\s+/)[0]), LIMIT, `file ${r.files.memoryLimitBytes}`);
    assert.match(r.files.memoryLimitBytes!, new RegExp(ctrId), 'read from the container\'s own cgroup');
    assert.equal(r.counters.pidsLimit, inspected.PidsLimit);
    // An idle `sleep`: one process, and usage below the limit.
    assert.equal(r.counters.pidsCurrent, Number(readFileSync(r.files.pidsCurrent!, 'utf8').trim()));
    assert.equal(r.counters.pidsCurrent, 1);
    assert.ok((r.counters.memoryUsageBytes ?? 0) > 0 && (r.counters.memoryUsageBytes ?? 0) < LIMIT);
  });

  it('the cgroup node of the container samples the same limit', async () => {
    const edge = snap.edges.find((e) => e.from === `container:${ctrId}` && e.kind === 'in-cgroup');
    assert.ok(edge, 'container has an in-cgroup edge');
    const r = await read(snap, edge.to);
    assert.equal(r.counters.memoryLimitBytes, LIMIT);
  });

  it('sampling each interval gives points with CPU %, memory and its limit; CPU time matches the cgroup file', async () => {
    const src = metricSourceFor(scanOptions(), snap, `container:${ctrId}`);
    assert.ok(!('error' in src));
    const points: { p: MetricPoint; r: Reading; fileAfter: number }[] = [];
    const errors: string[] = [];
    const cpuFile = (file: string) => Number(readFileSync(file, 'utf8').trim().split(/\s+/)[0]) * (file.endsWith('cpu.stat') ? 1000 : 1);
    await new Promise<void>((resolve) => {
      const s = startSampling(src, 200, (p, r) => {
        // The file read right after each sample: the sample lies between the one before it and this.
        points.push({ p, r, fileAfter: r.files.cpuUsageNanos ? cpuFile(r.files.cpuUsageNanos) : NaN });
        if (points.length >= 3) {
          s.stop();
          resolve();
        }
      }, (e) => errors.push(e));
    });
    assert.deepEqual(errors, []);
    assert.equal(points[0]!.p.values.cpuPercent, undefined, 'no rate from a single reading');
    const last = points[2]!;
    assert.ok(typeof last.p.values.cpuPercent === 'number' && last.p.values.cpuPercent >= 0);
    assert.equal(last.p.values.memoryLimitBytes, LIMIT);
    // The CPU counter can move even for an idle container: the sample must lie between the file
    // read after the sample before it and the file read right after it (never a second read compared as equal).
    const lo = points[1]!.fileAfter;
    const hi = last.fileAfter;
    const v = last.r.counters.cpuUsageNanos;
    assert.ok(typeof v === 'number' && v >= lo && v <= hi, `cpuUsageNanos ${lo} <= ${v} <= ${hi} (${last.r.files.cpuUsageNanos})`);
  });

  it('interface rx/tx inside a test namespace equal `ip -s -j link` there, after a ping', async () => {
    x('ip', 'netns', 'exec', 'vltma', 'ping', '-c', '3', '-i', '0.2', '-W', '2', '10.251.77.2');
    const id = `iface:${inodeOf('vltma')}:${ifindexIn('vltma', 'vltma0')}`;
    assert.ok(snap.nodes.some((n) => n.id === id), `${id} is in the snapshot`);
    // IPv6 neighbour and router traffic keeps the counters moving (a run saw rx 516 vs 602): the
    // sample must lie between an `ip -s -j link` read just before and one just after it.
    const before = statsIn('vltma', 'vltma0');
    const r = await read(snap, id);
    const after = statsIn('vltma', 'vltma0');
    const within = (name: string, v: number | null | undefined, lo: number, hi: number) =>
      assert.ok(typeof v === 'number' && v >= lo && v <= hi, `${name}: ${lo} <= ${v} <= ${hi}`);
    within('tx_bytes', r.counters.tx_bytes, before.tx.bytes, after.tx.bytes);
    within('rx_bytes', r.counters.rx_bytes, before.rx.bytes, after.rx.bytes);
    within('tx_packets', r.counters.tx_packets, before.tx.packets, after.tx.packets);
    assert.ok(before.tx.packets >= 3, 'the pings went out');
    assert.match(r.files.tx_bytes!, /nsenter --net=\/run\/netns\/vltma|ip -s -j link/);
  });

  it('OVS flow counters equal the sum in `ovs-ofctl dump-flows`, after a ping across the bridge', async () => {
    x('ip', 'netns', 'exec', 'vltmc', 'ping', '-c', '3', '-i', '0.2', '-W', '2', '10.251.78.2');
    // Neighbour discovery and ARP keep the counters moving: the sample must lie between a
    // dump-flows read just before and one just after it.
    const sums = () => {
      const text = x('ovs-ofctl', '--timeout=10', 'dump-flows', BR);
      const sum = (re: RegExp) => [...text.matchAll(re)].reduce((s, m) => s + Number(m[1]), 0);
      return { packets: sum(/n_packets=(\d+)/g), bytes: sum(/n_bytes=(\d+)/g) };
    };
    const before = sums();
    const r = await read(snap, `ovs-bridge:${BR}`);
    const after = sums();
    for (const k of ['packets', 'bytes'] as const) {
      const v = r.counters[k] ?? -1;
      assert.ok(v >= before[k] && v <= after[k], `${k}: ${before[k]} <= ${v} <= ${after[k]}`);
    }
    assert.ok((r.counters.packets ?? 0) >= 6, 'pings and replies went through the bridge');
  });

  it('nodes without metrics say why', () => {
    const src = metricSourceFor(scanOptions(), snap, 'host:local');
    assert.ok('error' in src && /no live metrics/.test(src.error));
    const gone = metricSourceFor(scanOptions(), snap, 'container:doesnotexist');
    assert.ok('error' in gone && /not in the latest snapshot/.test(gone.error));
  });
});
