import assert from 'node:assert/strict';
import path from 'node:path';
import { scanOptions } from '../../../src/core/context';
import { GraphBuilder } from '../../../src/core/model/builder';
import type { Snapshot } from '../../../src/core/model/graph';
import { createProcCollector, type ProcCollectorDeps } from '../../../src/core/proc/collector';
import { failing, PROC } from './helpers';

const FIX = path.join(__dirname, '../../fixtures');
const CID = '99b6505002a3706faef384dd615069f87ab0470b7c93780388df1a93db96330c';

async function snapshot(deps: ProcCollectorDeps & { withLsns?: boolean } = {}): Promise<Snapshot> {
  const opts = scanOptions({
    roots: { proc: PROC, cgroup: `${FIX}/cgroup/hybrid/cgroup` },
    // The stand-in lsns prints recorded output for this tree; an empty dir means "lsns not installed".
    path: deps.withLsns ? `${FIX}/proc/bin` : `${FIX}/proc/no-bin`,
    timeoutMs: 5000,
  });
  const g = new GraphBuilder();
  await createProcCollector(deps).collect(opts, g);
  return g.build(0);
}

function node(s: Snapshot, id: string): Record<string, unknown> {
  const n = s.nodes.find((x) => x.id === id);
  assert.ok(n, `node ${id}`);
  return n.props;
}

function hasEdge(s: Snapshot, from: string, to: string, kind: string): boolean {
  return s.edges.some((e) => e.from === from && e.to === to && e.kind === kind);
}

describe('proc collector on a recorded proc tree', () => {
  it('adds processes with their status fields', async () => {
    const s = await snapshot();
    assert.deepEqual(s.nodes.filter((n) => n.kind === 'process').map((n) => n.props.pid), [1, 2, 100, 199, 200, 201, 250, 500, 700]);
    assert.deepEqual(node(s, 'process:200'), { pid: 200, ppid: 199, comm: 'sleep', cmdline: ['sleep', '100000'], uid: 0, state: 'S', nspid: [200, 1], threads: 1 });
  });

  it('adds each namespace with members, lowest PID, command and host flag', async () => {
    const s = await snapshot();
    const net = node(s, 'ns:net:4026531992');
    assert.deepEqual(net.pids, [1, 2, 100, 199, 500]);
    assert.equal(net.processCount, 5);
    assert.equal(net.lowestPid, 1);
    assert.equal(net.command, 'systemd');
    assert.equal(net.isHostNs, true);
    const ctr = node(s, 'ns:net:4026532401');
    assert.deepEqual(ctr.pids, [200, 201, 250]);
    assert.deepEqual(ctr.threadIds, [101], 'dockerd thread 101 is in the container netns');
    assert.equal(ctr.command, 'sleep');
    assert.equal(ctr.isHostNs, false);
    assert.equal(s.nodes.find((n) => n.id === 'ns:net:4026532401')?.label, 'net:[4026532401]');
    assert.ok(hasEdge(s, 'process:100', 'ns:net:4026532401', 'member-of'), 'thread membership edge');
    assert.equal(s.nodes.filter((n) => n.kind === 'namespace').length, 17);
    const hostNs = s.nodes.filter((n) => n.kind === 'namespace' && n.props.isHostNs);
    assert.deepEqual(hostNs.map((n) => n.props.type).sort(), ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'time', 'user', 'uts']);
    for (const n of hostNs) assert.ok(hasEdge(s, 'process:1', n.id, 'member-of'), n.id);
  });

  it('finds namespaces held only by nsfs bind mounts, in every mount namespace', async () => {
    const s = await snapshot();
    const named = node(s, 'ns:net:4026532500');
    assert.deepEqual(named.nsfs, ['/run/netns/vltns1']);
    assert.equal(named.processCount, 0);
    assert.deepEqual(named.pids, []);
    assert.equal(named.lowestPid, undefined);
    assert.deepEqual(node(s, 'ns:uts:4026532501').nsfs, ['/run/vlt held/uts']);
    const ctr = node(s, 'ns:net:4026532401');
    assert.deepEqual(ctr.nsfs, ['/run/docker/netns/5bd400f46204', '/run/held-net']);
    assert.deepEqual(ctr.nsfsMounts, [
      { path: '/run/docker/netns/5bd400f46204', mntNs: 'ns:mnt:4026531840' },
      { path: '/run/held-net', mntNs: 'ns:mnt:4026532400' },
    ]);
  });

  it('without lsns: PID namespace parents come from NSpid, no owners', async () => {
    const s = await snapshot();
    assert.equal(node(s, 'ns:pid:4026532403').parent, 'ns:pid:4026531836');
    assert.equal(node(s, 'ns:pid:4026532410').parent, 'ns:pid:4026532403');
    assert.equal(node(s, 'ns:pid:4026532410').level, 2);
    assert.ok(hasEdge(s, 'ns:pid:4026532403', 'ns:pid:4026531836', 'parent-of'));
    assert.ok(hasEdge(s, 'ns:pid:4026532410', 'ns:pid:4026532403', 'parent-of'));
    assert.equal(s.edges.filter((e) => e.kind === 'owned-by').length, 0);
    assert.match(s.report.sources.proc.detail ?? '', /no namespace parents\/owners from lsns/);
  });

  it('with lsns: owners and parents from its JSON', async () => {
    const s = await snapshot({ withLsns: true });
    assert.equal(node(s, 'ns:net:4026532401').owner, 'ns:user:4026531837');
    assert.ok(hasEdge(s, 'ns:net:4026532401', 'ns:user:4026531837', 'owned-by'));
    assert.ok(!hasEdge(s, 'ns:user:4026531837', 'ns:user:4026531837', 'owned-by'));
    assert.ok(hasEdge(s, 'ns:pid:4026532410', 'ns:pid:4026532403', 'parent-of'));
    assert.equal(node(s, 'ns:mnt:4026532400').parent, undefined, 'only pid and user namespaces have parents');
    assert.match(s.report.sources.proc.detail ?? '', /parents\/owners from lsns/);
    // lsns never saw the bind-mount-only namespace, so it has no owner
    assert.equal(node(s, 'ns:net:4026532500').owner, undefined);
  });

  it('adds cgroup nodes with stats read once per membership and in-cgroup edges', async () => {
    const s = await snapshot();
    const c = node(s, `cgroup:/docker/${CID}`);
    assert.deepEqual(c.pids, [200, 201, 250]);
    assert.equal(c.version, 1);
    assert.equal(c.layout, 'hybrid');
    assert.deepEqual(c.memoryLimitBytes, { value: 67108864, file: `${FIX}/cgroup/hybrid/cgroup/memory/docker/${CID}/memory.limit_in_bytes` });
    assert.deepEqual(c.pidsLimit, { value: 50, file: `${FIX}/cgroup/hybrid/cgroup/pids/docker/${CID}/pids.max` });
    assert.ok(hasEdge(s, 'process:250', `cgroup:/docker/${CID}`, 'in-cgroup'));
    assert.deepEqual(node(s, 'cgroup:/').pids, [1, 2, 100, 199, 700]);
    assert.ok(!s.nodes.some((n) => n.kind === 'cgroup' && (n.props.pids as number[]).includes(500)), 'empty cgroup file: no membership');
  });

  it('records skipped entries and an ok source when nothing was denied', async () => {
    const s = await snapshot();
    assert.equal(s.report.sources.proc.state, 'ok');
    assert.ok(s.report.skipped.some((x) => x.path?.endsWith('/300/status')));
    assert.ok(s.report.skipped.some((x) => x.path?.endsWith('/400/status')));
    assert.equal(s.report.skipped.filter((x) => x.source === 'graph').length, 0, 'no dangling edges');
  });

  it('as an ordinary user: denied processes stay, are counted, and the fix says how to see all', async () => {
    const s = await snapshot({ fs: failing(/\/(1|200)\/ns\//, 'EACCES'), uid: 1000 });
    const src = s.report.sources.proc;
    assert.equal(src.state, 'partial');
    assert.match(src.detail ?? '', /2 processes were denied/);
    assert.match(src.fix ?? '', /sudo virtlab snapshot --json/);
    assert.ok(s.nodes.some((n) => n.id === 'process:200'));
    assert.ok(!s.edges.some((e) => e.from === 'process:200' && e.kind === 'member-of'));
    // PID 1 unreadable: the host reference falls back to kthreadd (PPid 0).
    assert.equal(node(s, 'ns:net:4026531992').isHostNs, true);
    assert.equal(node(s, 'ns:net:4026531992').lowestPid, 2);
  });

  it('as root, denied entries get no sudo advice', async () => {
    const s = await snapshot({ fs: failing(/\/1\/ns\//, 'EACCES'), uid: 0 });
    assert.equal(s.report.sources.proc.state, 'partial');
    assert.equal(s.report.sources.proc.fix, undefined);
  });

  it('an unreadable proc root makes the source unavailable, not an exception', async () => {
    const g = new GraphBuilder();
    await createProcCollector({ lsns: false }).collect(scanOptions({ roots: { proc: `${FIX}/proc/nothing-here` } }), g);
    assert.equal(g.sources.proc.state, 'unavailable');
    assert.match(g.sources.proc.fix ?? '', /mount -t proc/);
  });
});
