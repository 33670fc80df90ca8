// Reliability, daemon outages, Open vSwitch: a private ovsdb-server + ovs-vswitchd (own
// database file, run dir and sockets; the switch in its own network namespace) that VirtLab's OVS
// reader is pointed at through OVS_RUNDIR, the variable OVS's own tools (ovs-vsctl, ovs-ofctl,
// ovs-appctl) use to find their daemons. The database and then ovs-vswitchd are stopped, and
// each is also frozen (SIGSTOP: the socket accepts, nothing answers). Every case must end in the
// snapshot's sources (unavailable or partial, with the reason), never in a hang.
import { strict as assert } from 'node:assert';
import { lockPrivate, PrivateOvs } from './daemons';
import { add } from './tally';
import { runCli } from './watchView';

const TIMEOUT_MS = 2000;
const HANG_MS = 30_000;
const BRIDGE = 'vlr9cbr0';

interface Source {
  state: string;
  detail?: string;
  durationMs?: number;
}
interface Snap {
  nodes: { id: string; kind: string; label: string }[];
  report: { sources: Record<string, Source>; skipped: { source: string; path?: string; reason: string }[] };
}

async function scan(ovs: PrivateOvs): Promise<{ snap?: Snap; ms: number; hung: boolean; stderr: string }> {
  const r = await runCli(['snapshot', '--only', 'ovs', '--timeout', String(TIMEOUT_MS), '--compact', '--no-cache'], HANG_MS, ovs.env());
  let snap: Snap | undefined;
  try {
    snap = r.code === 0 ? (JSON.parse(r.stdout) as Snap) : undefined;
  } catch {
    /* reported by the caller */
  }
  return { snap, ms: r.ms, hung: r.hung, stderr: r.stderr };
}

describe('daemon outages: Open vSwitch database and ovs-vswitchd stopped or frozen', function () {
  this.timeout(300_000);
  const ovs = new PrivateOvs();
  const results: { name: string; ok: boolean; ms: number }[] = [];

  let release = () => undefined as void;

  before(async function () {
    this.timeout(700_000);
    release = await lockPrivate();
    await ovs.destroy();
    await ovs.startDb();
    await ovs.startSwitch();
    ovs.vsctl('add-br', BRIDGE, '--', 'set', 'bridge', BRIDGE, 'datapath_type=netdev');
  });

  after(async () => {
    await ovs.destroy();
    const failed = results.filter((r) => !r.ok).length;
    add('daemon-outages', { tried: results.length, failed, survived: results.length - failed, extra: { 'OVS cases': results.map((r) => `${r.name} ${r.ok ? 'ok' : 'FAILED'} ${r.ms} ms`).join('; ') } });
    release();
  });

  /** One case: scan, check the OVS source with `expect`, record it. */
  async function check(name: string, expect: (ovsSource: Source, snap: Snap) => void): Promise<void> {
    const r = await scan(ovs);
    const src = r.snap?.report.sources.ovs;
    let ok = false;
    try {
      assert.ok(!r.hung, `the scan hung (killed after ${HANG_MS} ms)`);
      assert.ok(r.snap && src, `the scan printed a snapshot with an ovs source: ${r.stderr}`);
      // The OVS reader makes at most two rounds of calls one after the other (config, then per-bridge reads), each with a deadline.
      assert.ok((src.durationMs ?? Infinity) <= 2 * (TIMEOUT_MS + 1500) + 1000, `the OVS reader gave up near its deadlines (took ${src.durationMs} ms)`);
      expect(src, r.snap);
      ok = true;
    } finally {
      console.log(`      ${name}: ${src?.state} in ${src?.durationMs} ms (scan ${r.ms} ms): ${src?.detail}${r.snap ? ` | skipped: ${r.snap.report.skipped.map((s) => `${s.path ?? ''} ${s.reason}`).join(' / ')}` : ''}`);
      results.push({ name, ok, ms: src?.durationMs ?? r.ms });
    }
  }

  const bridges = (s: Snap) => s.nodes.filter((n) => n.kind === 'ovs-bridge').map((n) => n.label);

  it('both running: the private instance is read (its one bridge, and only it)', async () => {
    await check('running', (src, snap) => {
      assert.equal(src.state, 'ok', src.detail);
      assert.deepEqual(bridges(snap), [BRIDGE]);
    });
  });

  it('ovsdb-server frozen (SIGSTOP): reported as not answering, not hung', async () => {
    process.kill(ovs.dbPid!, 'SIGSTOP');
    try {
      await check('ovsdb-server frozen', (src) => {
        assert.equal(src.state, 'unavailable');
        assert.match(src.detail ?? '', /did not answer within 2s/);
      });
    } finally {
      process.kill(ovs.dbPid!, 'SIGCONT');
    }
  });

  it('ovsdb-server stopped: reported as not running', async () => {
    await ovs.stopDb();
    await check('ovsdb-server stopped', (src) => {
      assert.equal(src.state, 'unavailable');
      assert.match(src.detail ?? '', /database is not running/);
    });
  });

  it('ovs-vswitchd frozen (SIGSTOP), database back: bridge listed, datapath and flows reported as skipped', async () => {
    await ovs.startDb();
    process.kill(ovs.swPid!, 'SIGSTOP');
    try {
      await check('ovs-vswitchd frozen', (src, snap) => {
        assert.equal(src.state, 'partial');
        assert.match(src.detail ?? '', /ovs-vswitchd did not answer/);
        assert.deepEqual(bridges(snap), [BRIDGE]);
        assert.ok(snap.report.skipped.some((s) => s.source === 'ovs' && s.path === 'ovs-appctl dpif/show'), 'dpif/show skipped with a reason');
      });
    } finally {
      process.kill(ovs.swPid!, 'SIGCONT');
    }
  });

  it('ovs-vswitchd stopped: bridge listed from the database, the switch reported missing', async () => {
    await ovs.stopSwitch();
    await check('ovs-vswitchd stopped', (src, snap) => {
      assert.equal(src.state, 'partial');
      assert.match(src.detail ?? '', /ovs-vswitchd did not answer/);
      assert.deepEqual(bridges(snap), [BRIDGE]);
      assert.ok(snap.report.skipped.some((s) => s.source === 'ovs' && s.path === `ovs-ofctl dump-flows ${BRIDGE}`), 'dump-flows skipped with a reason');
    });
  });

  it('ovs-vswitchd back: ok again', async () => {
    await ovs.startSwitch();
    await check('ovs-vswitchd back', (src, snap) => {
      assert.equal(src.state, 'ok', src.detail);
      assert.deepEqual(bridges(snap), [BRIDGE]);
    });
  });
});
