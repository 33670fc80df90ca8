import { promises as fsp } from 'node:fs';
import type { ScanOptions } from '../context';
import { readLinkOr } from '../sys/fs';
import { parseFdb, type FdbEntry } from './fdb';
import { parseIpLinks, type NetLink } from './links';
import { failure, runTool } from './tools';
import { plural } from '../../shared/format';

/** A network namespace to read: its inode plus a way in (a bind-mounted nsfs file or a process in it). */
export interface NetnsTarget {
  inode: number;
  /** e.g. /run/netns/foo or /run/docker/netns/abc. */
  nsfsPath?: string;
  pid?: number;
  /** More processes to try when the first one has exited. */
  pids?: number[];
}

export interface NetnsRead {
  inode: number;
  /** How it was entered, for tooltips: `self`, the nsfs path or /proc/<pid>/ns/net. */
  via: string;
  links: NetLink[];
  /** Linux bridge forwarding entries; only read when the namespace has a bridge. */
  fdb: FdbEntry[];
  problems: string[];
}

export interface NetnsReadError {
  inode: number;
  error: string;
  code?: string;
}

/** Inode of a `net:[N]` link such as /proc/self/ns/net. */
export async function netnsInodeOfLink(path: string): Promise<number | undefined> {
  const m = /^net:\[(\d+)\]$/.exec((await readLinkOr(path)) ?? '');
  return m ? Number(m[1]) : undefined;
}

/** The network namespace this process runs in, where tools need no nsenter. */
export function ownNetnsInode(opts: ScanOptions): Promise<number | undefined> {
  return netnsInodeOfLink(`${opts.roots.proc}/${process.pid}/ns/net`);
}

async function nsfsInode(path: string): Promise<number | undefined> {
  try {
    return (await fsp.stat(path)).ino;
  } catch {
    return undefined;
  }
}

/** Find a path that enters `target` now (checked against its inode, so a reused pid or a re-mounted file is never read as this namespace). */
export async function entryPath(opts: ScanOptions, target: NetnsTarget): Promise<{ path?: string; self?: boolean } | { error: string; code: string }> {
  if ((await ownNetnsInode(opts)) === target.inode) return { self: true };
  if (target.nsfsPath && (await nsfsInode(target.nsfsPath)) === target.inode) return { path: target.nsfsPath };
  const pids = [...(target.pid !== undefined ? [target.pid] : []), ...(target.pids ?? [])];
  for (const pid of pids) {
    const p = `${opts.roots.proc}/${pid}/ns/net`;
    if ((await netnsInodeOfLink(p)) === target.inode) return { path: p };
  }
  return { error: `no way into net namespace ${target.inode} (its bind mount and processes are gone or unreadable)`, code: 'ENOENT' };
}

/** Run a tool inside a namespace found by entryPath (nsenter execs the tool, so it is still one process). */
export function runIn(opts: ScanOptions, entry: { path?: string; self?: boolean }, file: string, args: readonly string[]) {
  return entry.self || !entry.path ? runTool(opts, file, args) : runTool(opts, 'nsenter', [`--net=${entry.path}`, '--', file, ...args]);
}

function errorCode(msg: string): string | undefined {
  if (/permission denied|operation not permitted/i.test(msg)) return 'EACCES';
  if (/no such file|cannot open/i.test(msg)) return 'ENOENT';
  if (/ETIMEDOUT/.test(msg)) return 'ETIMEDOUT';
  return undefined;
}

/** Read one network namespace: links with details and addresses (one `ip -j -d addr show`), plus the bridge fdb if it has a bridge. */
export async function readNetns(opts: ScanOptions, target: NetnsTarget): Promise<NetnsRead | NetnsReadError> {
  const entry = await entryPath(opts, target);
  if ('error' in entry) return { inode: target.inode, error: entry.error, code: entry.code };
  const r = await runIn(opts, entry, 'ip', IP_ADDR_ARGS);
  if (!r.ok) {
    const why = failure(r);
    // ENOTOOL: ip (or nsenter) itself is missing, as opposed to the namespace having gone away.
    const missing = r.error === 'ENOENT' || /failed to execute/i.test(why);
    return { inode: target.inode, error: `ip -j -d addr show: ${why}`, code: missing ? 'ENOTOOL' : errorCode(why) };
  }
  return finishNetnsRead(opts, target.inode, entry, r.stdout);
}

/** What readNetns runs in each namespace (the batch reader runs the same). */
export const IP_ADDR_ARGS: readonly string[] = ['-j', '-d', 'addr', 'show'];

/** Parse one namespace's `ip -j -d addr show` output and, if it has a bridge, read its fdb. */
export async function finishNetnsRead(opts: ScanOptions, inode: number, entry: { path?: string; self?: boolean }, stdout: string): Promise<NetnsRead | NetnsReadError> {
  const parsed = parseIpLinks(stdout);
  if ('error' in parsed) return { inode, error: parsed.error, code: 'EINVAL' };
  const problems = [...parsed.problems];
  const bridges = new Set(parsed.links.filter((l) => l.kind === 'bridge').map((l) => l.name));
  let fdb: FdbEntry[] = [];
  if (bridges.size) {
    const f = await runIn(opts, entry, 'bridge', ['-j', 'fdb', 'show']);
    const pf = f.ok ? parseFdb(f.stdout, bridges) : { error: `bridge -j fdb show: ${failure(f)}` };
    if ('error' in pf) problems.push(pf.error);
    else {
      fdb = pf.entries;
      if (pf.problems) problems.push(`bridge fdb: ${plural(pf.problems, 'entry', 'entries')} not understood`);
    }
  }
  return { inode, via: entry.self ? 'self' : entry.path!, links: parsed.links, fdb, problems };
}

/** `ip -j netns list-id` inside a namespace: which named namespace (under /run/netns) each of its nsids is. */
export async function readNsidNames(opts: ScanOptions, target: NetnsTarget): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const entry = await entryPath(opts, target);
  if ('error' in entry) return out;
  const r = await runIn(opts, entry, 'ip', ['-j', 'netns', 'list-id']);
  if (!r.ok) return out;
  return parseNsidList(r.stdout);
}

/** Parse `ip -j netns list-id` ([{nsid, name?}]); malformed entries are ignored. */
export function parseNsidList(text: string): Map<number, string> {
  const out = new Map<number, string>();
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return out;
  }
  if (!Array.isArray(doc)) return out;
  for (const e of doc) {
    const r = e as { nsid?: unknown; name?: unknown };
    if (r && typeof r.nsid === 'number' && typeof r.name === 'string') out.set(r.nsid, r.name);
  }
  return out;
}
