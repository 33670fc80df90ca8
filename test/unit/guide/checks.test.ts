import assert from 'node:assert/strict';
import { scanOptions } from '../../../src/core/context';
import { runCheck, type CheckContext } from '../../../src/core/guide';
import type { GraphEdge, GraphNode, Snapshot } from '../../../src/core/model/graph';

// Checks against recorded snapshots: the verdict and its words follow what the graph shows.

function snap(nodes: GraphNode[], edges: GraphEdge[] = []): Snapshot {
  return { version: 1, takenAt: '2026-11-22T00:00:00Z', nodes, edges, report: { durationMs: 1, skipped: [], sources: {} } };
}
const ctxOf = (s: Snapshot | (() => never)): CheckContext => ({
  options: scanOptions(),
  snapshot: async () => (typeof s === 'function' ? s() : s),
  extensionRoot: '/nonexistent',
});

const hostPid: GraphNode = { id: 'ns:pid:4026531836', kind: 'namespace', label: 'pid', props: { type: 'pid', inode: 4026531836, isHostNs: true } };
const ctr = (pidNs: number, state = 'running'): GraphNode => ({
  id: 'container:abc',
  kind: 'container',
  label: 'vlg-pid',
  props: { name: 'vlg-pid', state, pid: 4242, namespaces: { pid: pidNs } },
});
const proc = (pid: number, comm: string, nspid: number[]): GraphNode => ({ id: `process:${pid}`, kind: 'process', label: comm, props: { pid, comm, nspid } });
const member = (pid: number, inode: number): GraphEdge => ({ from: `process:${pid}`, to: `ns:pid:${inode}`, kind: 'member-of' });

describe('guide checks on recorded snapshots', () => {
  it('lab 1 run: red without the container, red when stopped, red in the host PID namespace', async () => {
    assert.match((await runCheck('pid-namespaces', 'run', ctxOf(snap([hostPid])))).detail, /No container named vlg-pid/);
    assert.match((await runCheck('pid-namespaces', 'run', ctxOf(snap([hostPid, ctr(4026532180, 'exited')])))).detail, /is exited, not running/);
    const r = await runCheck('pid-namespaces', 'run', ctxOf(snap([hostPid, ctr(4026531836), proc(4242, 'sleep', [4242])])));
    assert.equal(r.ok, false);
    assert.match(r.detail, /in the host's PID namespace pid:\[4026531836\]/);
  });

  it('lab 1 run: red when PID 1 is not sleep; green with both numbers otherwise', async () => {
    const notSleep = await runCheck('pid-namespaces', 'run', ctxOf(snap([hostPid, ctr(4026532180), proc(4242, 'sh', [4242, 1])])));
    assert.equal(notSleep.ok, false);
    assert.match(notSleep.detail, /is `sh`, not `sleep`/);
    const good = await runCheck('pid-namespaces', 'run', ctxOf(snap([hostPid, ctr(4026532180), proc(4242, 'sleep', [4242, 1])])));
    assert.equal(good.ok, true, good.detail);
    assert.match(good.detail, /pid:\[4026532180\] differs from the host's pid:\[4026531836\].*PID 4242 \(NSpid 4242 1\)/);
  });

  it('lab 1 compare: needs a second sleep in the container PID namespace', async () => {
    const base = [hostPid, ctr(4026532180), proc(4242, 'sleep', [4242, 1])];
    const red = await runCheck('pid-namespaces', 'compare', ctxOf(snap(base, [member(4242, 4026532180)])));
    assert.equal(red.ok, false);
    assert.match(red.detail, /holds 1 process: sleep \(PID 1 inside\); no second `sleep`/);
    const green = await runCheck('pid-namespaces', 'compare', ctxOf(snap([...base, proc(5000, 'sleep', [5000, 7])], [member(4242, 4026532180), member(5000, 4026532180)])));
    assert.equal(green.ok, true, green.detail);
    assert.match(green.detail, /PID 7 inside the container, PID 5000 on the host/);
  });

  it('runCheck: a step without a check, an unknown lab, and a check that throws never throw', async () => {
    assert.match((await runCheck('pid-namespaces', 'tree', ctxOf(snap([])))).detail, /has no check; mark it done/);
    assert.equal((await runCheck('nope', 'x', ctxOf(snap([])))).ok, false);
    const r = await runCheck('pid-namespaces', 'run', ctxOf(() => {
      throw new Error('scan exploded');
    }));
    assert.deepEqual(r, { ok: false, detail: 'The check could not run: scan exploded' });
  });
});
