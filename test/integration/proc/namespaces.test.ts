import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readlinkSync, statSync } from 'node:fs';
import { scanOptions } from '../../../src/core/context';
import { GraphBuilder } from '../../../src/core/model/builder';
import type { Snapshot } from '../../../src/core/model/graph';
import { createProcCollector, procCollector } from '../../../src/core/proc/collector';

const NETNS = 'vltproc1';

function sh(file: string, args: string[]): string {
  return execFileSync(file, args, { encoding: 'utf8', timeout: 20000 });
}

function lsns(): Array<{ ns: number; type: string; nprocs: number; pid: number }> {
  return JSON.parse(sh('lsns', ['-J', '-l', '-o', 'NS,TYPE,NPROCS,PID'])).namespaces;
}

/** pid -> namespace inodes per `ps` (procps reads them itself; 7 types, no time). */
function psNamespaces(): Map<number, Record<string, number>> {
  const cols = ['netns', 'pidns', 'mntns', 'utsns', 'ipcns', 'userns', 'cgroupns'];
  const out = new Map<number, Record<string, number>>();
  for (const line of sh('ps', ['-e', '-o', ['pid', ...cols].map((c) => `${c}=`).join(',')]).split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length !== cols.length + 1 || f.slice(1).some((x) => !/^\d+$/.test(x))) continue; // '-' = unreadable
    const rec: Record<string, number> = {};
    cols.forEach((c, i) => (rec[c.replace(/ns$/, '')] = Number(f[i + 1])));
    out.set(Number(f[0]), rec);
  }
  return out;
}

function statSafe(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function nsInode(pid: number, type: string): number {
  return Number(/\[(\d+)\]/.exec(readlinkSync(`/proc/${pid}/ns/${type}`))![1]);
}

/** The child's children (unshare --fork runs the command as its child). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

async function waitFor<T>(what: string, f: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function collect(lsnsOn = true): Promise<Snapshot> {
  const g = new GraphBuilder();
  await (lsnsOn ? procCollector : createProcCollector({ lsns: false })).collect(scanOptions(), g);
  return g.build(0);
}

function props(s: Snapshot, id: string): Record<string, unknown> {
  const n = s.nodes.find((x) => x.id === id);
  assert.ok(n, `${id} in the snapshot`);
  return n.props;
}

describe('namespaces on this machine, against lsns, ps and stat', function () {
  this.timeout(60000);
  const started: ChildProcess[] = [];
  let isolated: ChildProcess; // sleep in fresh net, uts and ipc namespaces
  let nestedSleep: number; // sleep as PID 1 of a fresh PID namespace

  before(async () => {
    if (statSafe(`/run/netns/${NETNS}`)) sh('ip', ['netns', 'delete', NETNS]); // left over from a killed run
    sh('ip', ['netns', 'add', NETNS]);
    isolated = spawn('unshare', ['--net', '--uts', '--ipc', 'sleep', '300'], { stdio: 'ignore' });
    started.push(isolated);
    const nested = spawn('unshare', ['--pid', '--fork', '--mount-proc', '--kill-child', 'sleep', '300'], { stdio: 'ignore' });
    started.push(nested);
    nestedSleep = await waitFor('the nested sleep', () => {
      const c = childrenOf(nested.pid!);
      return c.length && /sleep/.test(readFileSync(`/proc/${c[0]}/comm`, 'utf8')) ? c[0] : undefined;
    });
    // unshare execs sleep in place; wait until it has, so its namespaces are the new ones.
    await waitFor('unshare to exec sleep', () => (/sleep/.test(readFileSync(`/proc/${isolated.pid}/comm`, 'utf8')) ? true : undefined));
  });

  after(() => {
    for (const c of started) if (c.exitCode === null) c.kill('SIGKILL');
    if (nestedSleep) {
      try {
        process.kill(nestedSleep, 'SIGKILL');
      } catch {
        /* gone with its parent */
      }
    }
    if (statSafe(`/run/netns/${NETNS}`)) sh('ip', ['netns', 'delete', NETNS]);
  });

  it('every namespace lsns lists before and after the scan is in the snapshot with the same type', async () => {
    const before = lsns();
    const s = await collect();
    const after = new Set(lsns().map((n) => `${n.type}:${n.ns}`));
    const stable = before.filter((n) => after.has(`${n.type}:${n.ns}`));
    assert.ok(stable.length >= 8, 'lsns lists at least the host namespaces');
    const missing = stable.filter((n) => !s.nodes.some((x) => x.id === `ns:${n.type}:${n.ns}` && x.props.type === n.type));
    assert.deepEqual(missing, []);
  });

  it('namespaces with a quiescent process set have the same process count, lowest PID and inode as lsns', async () => {
    const s = await collect();
    const ls = lsns();
    const mine = [
      ['net', isolated.pid!], ['uts', isolated.pid!], ['ipc', isolated.pid!], ['pid', nestedSleep],
    ] as const;
    for (const [type, pid] of mine) {
      const inode = nsInode(pid, type);
      const l = ls.find((n) => n.ns === inode && n.type === type);
      assert.ok(l, `lsns lists ${type}:[${inode}]`);
      const p = props(s, `ns:${type}:${inode}`);
      assert.equal(p.processCount, l.nprocs, `${type} count`);
      assert.equal(p.processCount, 1);
      assert.equal(p.lowestPid, l.pid);
      assert.deepEqual(p.pids, [pid]);
      assert.equal(p.command, 'sleep');
      assert.equal(p.isHostNs, false);
    }
  });

  it("every process's namespaces agree with ps, except processes ps saw changing", async () => {
    const ps1 = psNamespaces();
    const s = await collect();
    const ps2 = psNamespaces();
    const edges = new Map<number, Record<string, number>>();
    for (const e of s.edges) {
      if (e.kind !== 'member-of' || e.props?.thread !== undefined) continue;
      const [, type, inode] = e.to.split(':');
      const pid = Number(e.from.slice('process:'.length));
      (edges.get(pid) ?? edges.set(pid, {}).get(pid)!)[type] = Number(inode);
    }
    let compared = 0;
    const wrong: string[] = [];
    for (const [pid, a] of ps1) {
      const b = ps2.get(pid);
      const mine = edges.get(pid);
      if (!b || !mine || JSON.stringify(a) !== JSON.stringify(b)) continue; // gone or in flux
      compared++;
      for (const [type, inode] of Object.entries(a)) if (mine[type] !== inode) wrong.push(`${pid} ${type}: ps ${inode}, snapshot ${mine[type]}`);
    }
    assert.ok(compared >= 20, `compared ${compared} processes`);
    assert.deepEqual(wrong, []);
  });

  it('a named netns with no process is present, held by /run/netns/<name>', async () => {
    const s = await collect();
    const inode = statSync(`/run/netns/${NETNS}`).ino; // stat of an nsfs bind mount gives the namespace inode
    const p = props(s, `ns:net:${inode}`);
    assert.deepEqual(p.nsfs, [`/run/netns/${NETNS}`]);
    assert.equal(p.processCount, 0);
    assert.equal(p.isHostNs, false);
    assert.equal(lsns().some((n) => n.ns === inode && n.nprocs > 0), false, 'no process is in it');
  });

  it('a PID namespace from unshare --pid --fork is nested below the host PID namespace, with and without lsns', async () => {
    const child = nsInode(nestedSleep, 'pid');
    const host = nsInode(process.pid, 'pid');
    assert.notEqual(child, host);
    for (const withLsns of [true, false]) {
      const s = await collect(withLsns);
      const p = props(s, `ns:pid:${child}`);
      assert.equal(p.parent, `ns:pid:${host}`, withLsns ? 'from lsns' : 'from NSpid');
      assert.equal(p.level, 1);
      assert.ok(s.edges.some((e) => e.kind === 'parent-of' && e.from === `ns:pid:${child}` && e.to === `ns:pid:${host}`));
      assert.deepEqual(props(s, `process:${nestedSleep}`).nspid, [nestedSleep, 1]);
      assert.equal(props(s, `ns:pid:${host}`).isHostNs, true);
    }
  });

  it('owners come from lsns ONS', async () => {
    const s = await collect();
    const ons = JSON.parse(sh('lsns', ['-J', '-l', '-o', 'NS,TYPE,ONS'])).namespaces as Array<{ ns: number; type: string; ons: number }>;
    const net = nsInode(isolated.pid!, 'net');
    const l = ons.find((n) => n.ns === net);
    assert.ok(l && l.ons > 0);
    assert.equal(props(s, `ns:net:${net}`).owner, `ns:user:${l.ons}`);
    assert.ok(s.edges.some((e) => e.kind === 'owned-by' && e.from === `ns:net:${net}` && e.to === `ns:user:${l.ons}`));
  });
});
