import type { SkipEntry } from '../model/graph';
import { parseProcCgroup } from '../cgroup/membership';
import type { ProcCgroupEntry } from '../cgroup/types';
import { readNsLinks, type NsType } from './namespaces';
import { mapPool } from '../sys/pool';
import { errCode, realProcFs, sharedCmdline, yieldToLoop, type ProcFs } from './procfs';
import type { ScanMemo } from '../scanMemo';
import { parseCmdline, parseStatus } from './status';

/** One thread whose namespaces differ from its process's (e.g. a thread that called setns/unshare). */
export interface ThreadNs {
  tid: number;
  /** Only the types where this thread differs from its thread-group leader. */
  ns: Partial<Record<NsType, number>>;
}

/** What the scan knows about one process (thread-group leader). */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  comm: string;
  cmdline: string[];
  uid?: number;
  state?: string;
  nspid: number[];
  threads: number;
  /** Namespace inodes; types missing when the links were denied or the process exited midway. */
  ns: Partial<Record<NsType, number>>;
  /** Set when the ns links could not be read (EACCES for other users' processes without root). */
  nsError?: string;
  threadNs: ThreadNs[];
  cgroups: ProcCgroupEntry[];
}

export interface ProcessScan {
  processes: ProcessInfo[];
  skipped: SkipEntry[];
  /** Processes whose ns links were denied (EACCES/EPERM): they are shown without namespaces. */
  nsDenied: number;
}

export interface ProcessScanOptions {
  fs?: ProcFs;
  /** Asynchronous reads (cmdline) in flight at once. */
  concurrency?: number;
  /** Also read /proc/<pid>/task/<tid>/ns of multi-threaded processes (default true). */
  threads?: boolean;
  /** Share cmdline reads with the other readers of this snapshot (only with the real file system). */
  memo?: ScanMemo;
}

const GONE = new Set(['ENOENT', 'ESRCH']);

/**
 * The types a single thread can hold apart from its thread group: a task's own pid and time
 * namespaces never change, and setns/unshare of a user namespace is refused to multi-threaded
 * processes, so reading those for every thread would only cost time.
 */
const THREAD_NS_TYPES: readonly NsType[] = ['cgroup', 'ipc', 'mnt', 'net', 'uts'];

/** Processes read synchronously between two yields to the event loop. */
const BATCH = 64;

function isDenied(code: string): boolean {
  return code === 'EACCES' || code === 'EPERM';
}

function readSync(fs: ProcFs, path: string): { text: string } | { code: string } {
  try {
    return { text: fs.readFileSync(path) };
  } catch (e) {
    return { code: errCode(e) };
  }
}

function readThreadNs(fs: ProcFs, dir: string, pid: number, leader: Partial<Record<NsType, number>>): ThreadNs[] {
  let tids: string[];
  try {
    tids = fs.readdirSync(`${dir}/task`);
  } catch {
    return []; // the process exited; its leader was already read
  }
  const out: ThreadNs[] = [];
  for (const t of tids) {
    if (!/^\d+$/.test(t) || Number(t) === pid) continue;
    const { inodes } = readNsLinks(`${dir}/task/${t}`, fs, THREAD_NS_TYPES);
    const diff: Partial<Record<NsType, number>> = {};
    for (const [type, inode] of Object.entries(inodes) as [NsType, number][]) {
      if (leader[type] !== undefined && leader[type] !== inode) diff[type] = inode;
    }
    if (Object.keys(diff).length) out.push({ tid: Number(t), ns: diff });
  }
  return out;
}

/** Everything but cmdline, which is read asynchronously afterwards (see ProcFs). */
function readProcessSync(fs: ProcFs, procRoot: string, pid: number, withThreads: boolean, skipped: SkipEntry[]): ProcessInfo | undefined {
  const dir = `${procRoot}/${pid}`;
  const status = readSync(fs, `${dir}/status`);
  if (!('text' in status)) {
    skipped.push({ source: 'proc', path: `${dir}/status`, reason: GONE.has(status.code) ? 'process exited during the scan' : 'status unreadable', code: status.code });
    return undefined;
  }
  const st = parseStatus(status.text);
  if (st.ppid === undefined || st.name === undefined) {
    // A status without its first lines is unusable (truncated or not a process directory).
    skipped.push({ source: 'proc', path: `${dir}/status`, reason: 'status truncated or malformed', code: 'EBADMSG' });
    return undefined;
  }
  const links = readNsLinks(dir, fs);
  if (links.error) {
    const reason = isDenied(links.error)
      ? 'namespace links denied'
      : st.state === 'Z'
        ? 'zombie: the kernel released its namespaces at exit'
        : GONE.has(links.error)
          ? 'process exited during the scan'
          : 'namespace links unreadable';
    skipped.push({ source: 'proc', path: `${dir}/ns`, reason, code: links.error });
  }
  const cgroup = readSync(fs, `${dir}/cgroup`);
  if (!('text' in cgroup) && !GONE.has(cgroup.code)) {
    skipped.push({ source: 'proc', path: `${dir}/cgroup`, reason: 'cgroup membership unreadable', code: cgroup.code });
  }
  const threads = st.threads ?? 1;
  return {
    pid,
    ppid: st.ppid,
    comm: st.name,
    cmdline: [],
    uid: st.uid,
    state: st.state,
    nspid: st.nspid ?? [pid],
    threads,
    ns: links.inodes,
    nsError: links.error,
    threadNs: withThreads && threads > 1 && !links.error ? readThreadNs(fs, dir, pid, links.inodes) : [],
    cgroups: 'text' in cgroup ? parseProcCgroup(cgroup.text) : [],
  };
}

/** Read every process under procRoot; vanished or unreadable entries are skipped and recorded, never thrown. */
export async function scanProcesses(procRoot: string, opts: ProcessScanOptions = {}): Promise<ProcessScan> {
  const fs = opts.fs ?? realProcFs;
  const skipped: SkipEntry[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(procRoot);
  } catch (e) {
    skipped.push({ source: 'proc', path: procRoot, reason: 'cannot list the proc root', code: errCode(e) });
    return { processes: [], skipped, nsDenied: 0 };
  }
  const pids = names.filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
  const processes: ProcessInfo[] = [];
  for (let i = 0; i < pids.length; i += BATCH) {
    if (i > 0) await yieldToLoop();
    for (const pid of pids.slice(i, i + BATCH)) {
      const p = readProcessSync(fs, procRoot, pid, opts.threads ?? true, skipped);
      if (p) processes.push(p);
    }
  }
  await mapPool(processes, opts.concurrency ?? 32, async (p) => {
    // An exited process or a kernel thread has an empty cmdline; neither is worth a skip entry.
    const path = `${procRoot}/${p.pid}/cmdline`;
    const text = fs === realProcFs ? sharedCmdline(opts.memo, path) : fs.readFile(path);
    p.cmdline = parseCmdline(await text.catch(() => ''));
  });
  const nsDenied = processes.filter((p) => p.nsError && isDenied(p.nsError)).length;
  return { processes, skipped, nsDenied };
}
