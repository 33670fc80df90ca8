import { detectCgroupLayout } from '../cgroup/layout';
import { cgroupIdPath } from '../cgroup/membership';
import { sharedCgroupStats } from '../cgroup/stats';
import { shared } from '../scanMemo';
import type { CgroupLayout, CgroupStats, ProcCgroupEntry } from '../cgroup/types';
import type { Collector } from '../collector';
import type { ScanOptions } from '../context';
import type { GraphBuilder } from '../model/builder';
import { findLsns, readLsnsRelations, type LsnsRelation, type LsnsResult } from './lsns';
import { NS_TYPES, nsId, type NsType } from './namespaces';
import { readNsfsMounts, type NsfsMount } from './nsfs';
import { pidNsNesting } from './pidns';
import { mapPool } from '../sys/pool';
import { plural } from '../../shared/format';
import { realProcFs, type ProcFs } from './procfs';
import { scanProcesses, type ProcessInfo } from './processes';

interface NsEntry {
  type: NsType;
  inode: number;
  pids: number[];
  tids: number[];
  mounts: NsfsMount[];
}

export interface ProcCollectorDeps {
  fs?: ProcFs;
  /** Ask util-linux lsns for parent/owner namespaces (default true; tests on recorded trees turn it off). */
  lsns?: boolean;
  /** Read per-thread namespaces of multi-threaded processes (default true). */
  threads?: boolean;
  /** The scanning user's uid, which decides the fix text for denied entries (default: process.getuid()). */
  uid?: number;
}

/**
 * The host's namespace of each type: PID 1's, or, where PID 1 is unreadable, the lowest process
 * with PPid 0 (kthreadd when the proc root is the initial PID namespace; it never leaves the initial namespaces).
 */
function hostNamespaces(processes: readonly ProcessInfo[]): Partial<Record<NsType, number>> {
  const host: Partial<Record<NsType, number>> = {};
  const refs = [processes.find((p) => p.pid === 1), ...processes.filter((p) => p.ppid === 0 && p.pid !== 1)];
  for (const type of NS_TYPES) host[type] = refs.find((p) => p?.ns[type] !== undefined)?.ns[type];
  return host;
}

function collectNamespaces(processes: readonly ProcessInfo[]): Map<string, NsEntry> {
  const all = new Map<string, NsEntry>();
  const entry = (type: NsType, inode: number): NsEntry => {
    const id = nsId(type, inode);
    let e = all.get(id);
    if (!e) all.set(id, (e = { type, inode, pids: [], tids: [], mounts: [] }));
    return e;
  };
  for (const p of processes) {
    for (const [type, inode] of Object.entries(p.ns) as [NsType, number][]) entry(type, inode).pids.push(p.pid);
    for (const t of p.threadNs) for (const [type, inode] of Object.entries(t.ns) as [NsType, number][]) entry(type, inode).tids.push(t.tid);
  }
  return all;
}

function cgroupKey(entries: readonly ProcCgroupEntry[]): string {
  return entries.map((e) => `${e.hierarchyId}:${e.controllers.join(',')}:${e.path}`).join('\n');
}

function lsnsNote(r: LsnsResult): string {
  return r.state === 'ok' ? 'parents/owners from lsns' : `no namespace parents/owners from lsns (${r.detail}); PID namespace parents derived from NSpid`;
}

/** Add cgroup nodes and in-cgroup edges; stats are read once per distinct membership, however many processes share it. */
async function addCgroups(opts: ScanOptions, g: GraphBuilder, processes: readonly ProcessInfo[], layout: CgroupLayout): Promise<number> {
  const groups = new Map<string, { entries: ProcCgroupEntry[]; pids: number[] }>();
  for (const p of processes) {
    if (!p.cgroups.length) continue;
    const key = cgroupKey(p.cgroups);
    const gr = groups.get(key);
    if (gr) gr.pids.push(p.pid);
    else groups.set(key, { entries: p.cgroups, pids: [p.pid] });
  }
  const stats = await mapPool([...groups.values()], 16, async (gr) => ({ gr, stats: await sharedCgroupStats(opts, layout, gr.entries) }));
  // Memberships that differ only outside the id path (e.g. another cpu cgroup) share one node; the first one's stats stand.
  const pidsOf = new Map<string, number[]>();
  for (const { gr, stats: s } of stats) {
    const path = cgroupIdPath(gr.entries) ?? '/';
    const id = `cgroup:${path}`;
    const { version, path: _path, ...values }: CgroupStats = s;
    const known = pidsOf.get(id);
    const pids = [...(known ?? []), ...gr.pids].sort((a, b) => a - b);
    pidsOf.set(id, pids);
    const counts = { pids, processCount: pids.length };
    if (known) g.node(id, 'cgroup', path, counts);
    else {
      const hierarchies = gr.entries.map((e) => ({ id: e.hierarchyId, controllers: e.controllers, path: e.path }));
      g.node(id, 'cgroup', path, { ...values, path, version, layout: layout.kind, hierarchies, ...counts });
    }
    for (const pid of gr.pids) g.edge(`process:${pid}`, id, 'in-cgroup');
  }
  return groups.size;
}

async function collect(opts: ScanOptions, g: GraphBuilder, deps: ProcCollectorDeps): Promise<void> {
  const procRoot = opts.roots.proc;
  const fs = deps.fs ?? realProcFs;
  // lsns is spawned first so it runs while this process reads /proc.
  const lsnsP: Promise<LsnsResult> =
    deps.lsns === false ? Promise.resolve({ state: 'absent', detail: 'disabled' }) : readLsnsRelations(await findLsns(opts.path), opts.timeoutMs);
  const layoutP = shared(opts.memo, 'cgroup-layout', () => detectCgroupLayout(opts.roots));
  const scan = await scanProcesses(procRoot, { fs, threads: deps.threads, memo: opts.memo });
  for (const s of scan.skipped) g.skip(s);
  if (scan.processes.length === 0) {
    await lsnsP;
    g.source('proc', { state: 'unavailable', detail: `no process could be read under ${procRoot}`, fix: `Check that ${procRoot} is a mounted proc file system (mount -t proc proc ${procRoot}).` });
    return;
  }

  const namespaces = collectNamespaces(scan.processes);
  const host = hostNamespaces(scan.processes);

  // One mountinfo per mount namespace is enough to see every nsfs bind mount.
  const readers = new Map<number, number>();
  for (const p of scan.processes) if (p.ns.mnt !== undefined && !readers.has(p.ns.mnt)) readers.set(p.ns.mnt, p.pid);
  const nsfs = await readNsfsMounts(procRoot, readers, fs);
  for (const s of nsfs.skipped) g.skip(s);
  for (const m of nsfs.mounts) {
    const id = nsId(m.type, m.inode);
    let e = namespaces.get(id);
    if (!e) namespaces.set(id, (e = { type: m.type, inode: m.inode, pids: [], tids: [], mounts: [] }));
    if (!e.mounts.some((x) => x.path === m.path && x.mntNs === m.mntNs)) e.mounts.push(m);
  }

  const lsns = await lsnsP;
  const relations = lsns.state === 'ok' ? lsns.relations : new Map<number, LsnsRelation>();
  const nesting = pidNsNesting(scan.processes);
  const byPid = new Map(scan.processes.map((p) => [p.pid, p]));

  for (const p of scan.processes) {
    g.node(`process:${p.pid}`, 'process', `${p.comm} (${p.pid})`, {
      pid: p.pid, ppid: p.ppid, comm: p.comm, cmdline: p.cmdline, uid: p.uid, state: p.state, nspid: p.nspid, threads: p.threads,
    });
  }
  for (const [id, e] of namespaces) {
    const pids = [...e.pids].sort((a, b) => a - b);
    const lowest = pids[0];
    const rel = relations.get(e.inode);
    const nest = e.type === 'pid' ? nesting.get(e.inode) : undefined;
    const parentInode = rel?.parent ?? nest?.parent;
    const parentType: NsType | undefined = e.type === 'pid' || e.type === 'user' ? e.type : undefined;
    const parent = parentInode !== undefined && parentType ? nsId(parentType, parentInode) : undefined;
    const owner = rel?.owner !== undefined ? nsId('user', rel.owner) : undefined;
    g.node(id, 'namespace', `${e.type}:[${e.inode}]`, {
      type: e.type,
      inode: e.inode,
      pids,
      processCount: pids.length,
      lowestPid: lowest,
      command: lowest !== undefined ? byPid.get(lowest)?.comm : undefined,
      threadIds: e.tids.length ? [...e.tids].sort((a, b) => a - b) : undefined,
      nsfs: [...new Set(e.mounts.map((m) => m.path))],
      nsfsMounts: e.mounts.map((m) => ({ path: m.path, mntNs: m.mntNs !== undefined ? nsId('mnt', m.mntNs) : undefined })),
      parent,
      owner,
      level: nest?.level,
      isHostNs: host[e.type] === e.inode,
    });
  }
  for (const id of namespaces.keys()) {
    const n = g.get(id);
    const parent = n?.props.parent as string | undefined;
    const owner = n?.props.owner as string | undefined;
    // parent-of points from the child namespace to its parent (see procCollector).
    if (parent && namespaces.has(parent)) g.edge(id, parent, 'parent-of');
    if (owner && owner !== id && namespaces.has(owner)) g.edge(id, owner, 'owned-by');
  }
  for (const p of scan.processes) {
    for (const [type, inode] of Object.entries(p.ns) as [NsType, number][]) g.edge(`process:${p.pid}`, nsId(type, inode), 'member-of');
    for (const t of p.threadNs) {
      for (const [type, inode] of Object.entries(t.ns) as [NsType, number][]) g.edge(`process:${p.pid}`, nsId(type, inode), 'member-of', { thread: t.tid });
    }
  }

  const layout = await layoutP;
  const memberships = await addCgroups(opts, g, scan.processes, layout);

  const failed = scan.processes.filter((p) => p.nsError).length;
  const detail = `${processCountText(scan.processes.length, scan.processes.length - failed, scan.nsDenied)}; ${plural(namespaces.size, 'namespace')}, ${plural(memberships, 'cgroup membership')} (layout ${layout.kind}); ${lsnsNote(lsns)}`;
  if (scan.nsDenied > 0) {
    const asRoot = (deps.uid ?? process.getuid?.()) === 0;
    g.source('proc', {
      state: 'partial',
      detail: `${detail}. The namespace links of ${plural(scan.nsDenied, 'process')} ${scan.nsDenied === 1 ? 'was' : 'were'} denied (EACCES)${asRoot ? ' even to root (protected processes, e.g. a sandbox init)' : ''}; they are shown without namespaces.`,
      fix: asRoot ? undefined : 'To see every process, run the read-only scan as root: `sudo virtlab snapshot --json` (it only reads /proc and prints JSON), or in VS Code run "VirtLab: Scan as Root (read-only)".',
    });
  } else {
    g.source('proc', { state: 'ok', detail });
  }
}

/**
 * "104 processes: 102 with namespaces read, 1 denied, 1 gone": the parts add up to the total.
 * A process whose namespace links failed other than by EACCES/EPERM exited during the scan.
 */
export function processCountText(total: number, withNs: number, denied: number): string {
  const gone = total - withNs - denied;
  if (withNs === total) return `${plural(total, 'process')}, namespaces read for all`;
  return `${plural(total, 'process')}: ${withNs} with namespaces read${denied ? `, ${denied} denied` : ''}${gone > 0 ? `, ${gone} gone` : ''}`;
}

/** A proc collector with injected file access (tests) — the scan itself is the same. */
export function createProcCollector(deps: ProcCollectorDeps = {}): Collector {
  return { name: 'proc', phase: 1, collect: (opts, g) => collect(opts, g, deps) };
}

/**
 * Processes, their 8 namespaces (incl. ones held only by nsfs bind mounts), and their cgroups with
 * limits and usage. Edges: process -member-of-> namespace (props.thread when only a thread is in it),
 * process -in-cgroup-> cgroup, child namespace -parent-of-> parent namespace (pid and user; the edge
 * points from the child to its parent), namespace -owned-by-> owning user namespace.
 */
export const procCollector: Collector = createProcCollector();
