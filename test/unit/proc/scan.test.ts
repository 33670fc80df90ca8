import assert from 'node:assert/strict';
import { NS_TYPES, parseNsLink, readNamespacesOfPid } from '../../../src/core/proc/namespaces';
import { scanProcesses, type ProcessInfo } from '../../../src/core/proc/processes';
import { mapPool } from '../../../src/core/sys/pool';
import { failing, PROC } from './helpers';
import { parseCmdline, parseStatus } from '../../../src/core/proc/status';
import { nsfsMountsOf } from '../../../src/core/proc/nsfs';
import { parseLsnsJson } from '../../../src/core/proc/lsns';
import { pidNsNesting } from '../../../src/core/proc/pidns';

describe('proc parsers', () => {
  it('parses ns link targets and rejects others', () => {
    assert.deepEqual(parseNsLink('net:[4026531992]'), { type: 'net', inode: 4026531992 });
    assert.deepEqual(parseNsLink('pid_for_children:[1]'), undefined);
    assert.equal(parseNsLink('net:[12'), undefined);
    assert.equal(parseNsLink('/run/netns/x'), undefined);
  });

  it('parses status, including escaped names and a truncated file', () => {
    const st = parseStatus('Name:\ta\\nb\nState:\tZ (zombie)\nPPid:\t7\nUid:\t1000\t1000\t1000\t1000\nNSpid:\t10\t3\t1\nThreads:\t4\n');
    assert.deepEqual(st, { name: 'a\nb', state: 'Z', ppid: 7, uid: 1000, nspid: [10, 3, 1], threads: 4 });
    assert.deepEqual(parseStatus('Name:\tcut\nUmask:\t00'), { name: 'cut' });
    assert.deepEqual(parseStatus(''), {});
  });

  it('splits cmdline on NULs', () => {
    assert.deepEqual(parseCmdline('sleep\x00100\x00'), ['sleep', '100']);
    assert.deepEqual(parseCmdline('a b'), ['a b']);
    assert.deepEqual(parseCmdline(''), []);
  });

  it('finds nsfs mounts in mountinfo, decoding escaped paths', () => {
    const m = nsfsMountsOf('52 51 0:4 net:[4026532500] /run/netns/vltns1 rw shared:7 - nsfs nsfs rw\n54 50 0:4 uts:[9] /run/a\\040b rw - nsfs nsfs rw\n60 1 0:5 / /proc rw - proc proc rw\n', 42);
    assert.deepEqual(m, [
      { type: 'net', inode: 4026532500, path: '/run/netns/vltns1', mntNs: 42 },
      { type: 'uts', inode: 9, path: '/run/a b', mntNs: 42 },
    ]);
  });

  it('validates lsns JSON and normalises numbers given as strings', () => {
    const rel = parseLsnsJson('{"namespaces":[{"ns":5,"type":"pid","pns":4,"ons":"3"},{"ns":"x","type":"net"},{"ns":6,"type":"bogus"},{"ns":7,"type":"net","pns":0,"ons":null}]}');
    assert.ok(rel);
    assert.deepEqual([...rel.values()], [
      { type: 'pid', inode: 5, parent: 4, owner: 3 },
      { type: 'net', inode: 7, parent: undefined, owner: undefined },
    ]);
    assert.equal(parseLsnsJson('{"namespaces": 3}'), undefined);
    assert.equal(parseLsnsJson('{"namespaces":[{"ns":1'), undefined);
  });

  it('mapPool keeps order and never exceeds its limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapPool([5, 4, 3, 2, 1, 0], 2, async (x) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
      return x * 2;
    });
    assert.deepEqual(out, [10, 8, 6, 4, 2, 0]);
    assert.equal(peak, 2);
  });
});

describe('PID namespace nesting from NSpid', () => {
  const proc = (pid: number, ppid: number, pidNs: number, nspid: number[]): ProcessInfo => ({
    pid, ppid, comm: 'x', cmdline: [], nspid, threads: 1, ns: { pid: pidNs }, threadNs: [], cgroups: [],
  });

  it('never takes a grandparent namespace for the parent (setns into a nested namespace)', () => {
    // A (level 1) is a child of the root namespace R; B (level 2) is a child of A. Process 30 in R
    // entered B with setns and forked 31, so 31's parent process sits two levels up, not in A.
    const n = pidNsNesting([proc(1, 0, 100, [1]), proc(30, 1, 100, [30]), proc(20, 1, 200, [20, 1]), proc(31, 30, 300, [31, 5, 1])]);
    assert.deepEqual(n.get(200), { level: 1, parent: 100 });
    assert.deepEqual(n.get(300), { level: 2 }, 'unknown rather than wrong');
  });

  it('walks through members of the same namespace to reach the parent one', () => {
    const n = pidNsNesting([proc(1, 0, 100, [1]), proc(20, 1, 200, [20, 1]), proc(21, 20, 200, [21, 2]), proc(22, 21, 300, [22, 3, 1])]);
    assert.deepEqual(n.get(300), { level: 2, parent: 200 });
  });
});

describe('process scan on a recorded proc tree', () => {
  it('reads every process it can and records the rest', async () => {
    const scan = await scanProcesses(PROC);
    assert.deepEqual(scan.processes.map((p) => p.pid), [1, 2, 100, 199, 200, 201, 250, 500, 700]);
    const byPath = new Map(scan.skipped.map((s) => [s.path, s]));
    assert.equal(byPath.get(`${PROC}/300/status`)?.code, 'ENOENT', 'listed but exited');
    assert.equal(byPath.get(`${PROC}/400/status`)?.code, 'EBADMSG', 'truncated status');
    assert.match(byPath.get(`${PROC}/700/ns`)?.reason ?? '', /zombie/);
    assert.equal(scan.nsDenied, 0);
  });

  it('reads status, cmdline, namespaces and cgroups of one process', async () => {
    const p = (await scanProcesses(PROC)).processes.find((x) => x.pid === 201);
    assert.ok(p);
    assert.equal(p.comm, 'sh');
    assert.equal(p.ppid, 200);
    assert.equal(p.uid, 1000);
    assert.equal(p.state, 'S');
    assert.deepEqual(p.nspid, [201, 7]);
    assert.deepEqual(p.cmdline, ['sh']);
    assert.equal(p.ns.net, 4026532401);
    assert.equal(p.ns.pid, 4026532403);
    assert.equal(p.cgroups.length, 10);
  });

  it('finds a thread whose namespace differs from its process', async () => {
    const p = (await scanProcesses(PROC)).processes.find((x) => x.pid === 100);
    assert.deepEqual(p?.threadNs, [{ tid: 101, ns: { net: 4026532401 } }]);
    const off = (await scanProcesses(PROC, { threads: false })).processes.find((x) => x.pid === 100);
    assert.deepEqual(off?.threadNs, []);
  });

  it('keeps a process with an empty cgroup file and a cut NSpid line', async () => {
    const p = (await scanProcesses(PROC)).processes.find((x) => x.pid === 500);
    assert.deepEqual(p?.cgroups, []);
    assert.deepEqual(p?.nspid, [500]);
    assert.deepEqual(p?.cmdline, []);
  });

  it('counts EACCES on ns links as denied and keeps the process', async () => {
    const scan = await scanProcesses(PROC, { fs: failing(/\/(200|201)\/ns\//, 'EACCES') });
    assert.equal(scan.nsDenied, 2);
    const p = scan.processes.find((x) => x.pid === 201);
    assert.deepEqual(p?.ns, {});
    assert.equal(p?.nsError, 'EACCES');
    assert.equal(scan.skipped.filter((s) => s.code === 'EACCES').length, 2);
  });

  it('drops a process that exits between listing and reading (ESRCH), without aborting', async () => {
    const scan = await scanProcesses(PROC, { fs: failing(/\/199\//, 'ESRCH', ['readFileSync', 'readlinkSync', 'readFile']) });
    assert.equal(scan.processes.some((p) => p.pid === 199), false);
    assert.ok(scan.skipped.some((s) => s.code === 'ESRCH' && /exited/.test(s.reason)));
    assert.equal(scan.processes.length, 8);
  });

  it('reports an unlistable proc root without throwing', async () => {
    const scan = await scanProcesses(`${PROC}/does-not-exist`);
    assert.deepEqual(scan.processes, []);
    assert.equal(scan.skipped[0].code, 'ENOENT');
  });

  it('readNamespacesOfPid returns all 8 inodes, or undefined for a vanished or zombie process', async () => {
    const ns = await readNamespacesOfPid(PROC, 200);
    assert.deepEqual(Object.keys(ns ?? {}).sort(), [...NS_TYPES]);
    assert.equal(ns?.mnt, 4026532400);
    assert.equal(await readNamespacesOfPid(PROC, 300), undefined);
    assert.equal(await readNamespacesOfPid(PROC, 700), undefined);
  });

  it('derives PID namespace nesting from NSpid and the parent chain', async () => {
    const n = pidNsNesting((await scanProcesses(PROC)).processes);
    assert.deepEqual(n.get(4026531836), { level: 0 });
    assert.deepEqual(n.get(4026532403), { level: 1, parent: 4026531836 });
    assert.deepEqual(n.get(4026532410), { level: 2, parent: 4026532403 });
  });
});
