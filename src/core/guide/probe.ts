import type { GraphNode, Snapshot } from '../model/graph';
import type { NsType } from '../proc/namespaces';
import { parseIpLinks } from '../net/links';
import { run } from '../sys/exec';
import { NETNS_DIR } from '../lab/engine';
import { defaultStateDir, readLedger, type Ledger } from '../lab/ledger';
import type { CheckResult } from './types';

// Small readers the checks share: facts from a snapshot, and the few live reads a snapshot does not
// hold (per-namespace ICMP counters, a ping between guide-made namespaces).

export const ok = (detail: string, simulated?: boolean): CheckResult => (simulated ? { ok: true, detail, simulated } : { ok: true, detail });
export const fail = (detail: string, simulated?: boolean): CheckResult => (simulated ? { ok: false, detail, simulated } : { ok: false, detail });

/** The container node with this Docker name, if the snapshot has it. */
export function containerNamed(s: Snapshot, name: string): GraphNode | undefined {
  return s.nodes.find((n) => n.kind === 'container' && n.props.name === name);
}

/** The host's namespace of a type, as the discovery core decided it (isHostNs). */
export function hostNamespace(s: Snapshot, type: NsType): number | undefined {
  const n = s.nodes.find((x) => x.kind === 'namespace' && x.props.type === type && x.props.isHostNs === true);
  return typeof n?.props.inode === 'number' ? n.props.inode : undefined;
}

export function nodeById(s: Snapshot, id: string): GraphNode | undefined {
  return s.nodes.find((n) => n.id === id);
}

/** Namespace inodes of a process, from the member-of edges the snapshot drew for it. */
export function processNamespaces(s: Snapshot, pid: number): Partial<Record<NsType, number>> {
  const out: Partial<Record<NsType, number>> = {};
  for (const e of s.edges) {
    if (e.kind !== 'member-of' || e.from !== `process:${pid}`) continue;
    const m = /^ns:([a-z]+):(\d+)$/.exec(e.to);
    if (m) out[m[1] as NsType] = Number(m[2]);
  }
  return out;
}

/** Processes (pid, comm, nspid) that are members of one namespace. */
export function membersOf(s: Snapshot, type: NsType, inode: number): { pid: number; comm: string; nspid: number[] }[] {
  const target = `ns:${type}:${inode}`;
  const pids = new Set(s.edges.filter((e) => e.kind === 'member-of' && e.to === target && e.from.startsWith('process:')).map((e) => Number(e.from.slice(8))));
  return s.nodes
    .filter((n) => n.kind === 'process' && pids.has(n.props.pid as number))
    .map((n) => ({ pid: n.props.pid as number, comm: String(n.props.comm ?? ''), nspid: Array.isArray(n.props.nspid) ? (n.props.nspid as number[]) : [] }));
}

/** A `{ value, file }` cgroup reading from a snapshot cgroup node. */
export function cgroupValue(n: GraphNode | undefined, key: string): { value: number | null; file: string } | undefined {
  const v = n?.props[key] as { value?: unknown; file?: unknown } | undefined;
  if (!v || typeof v.file !== 'string' || !(typeof v.value === 'number' || v.value === null)) return undefined;
  return { value: v.value, file: v.file };
}

/** The cgroup node a container is in (its `in-cgroup` edge). */
export function cgroupOf(s: Snapshot, container: GraphNode): GraphNode | undefined {
  const e = s.edges.find((x) => x.kind === 'in-cgroup' && x.from === container.id);
  return e ? nodeById(s, e.to) : undefined;
}

/** The Icmp counters of one named network namespace (/proc/net/snmp is per network namespace). */
export async function icmpCounters(netns: string): Promise<Record<string, number> | undefined> {
  const r = await run('nsenter', [`--net=${NETNS_DIR}/${netns}`, 'cat', '/proc/net/snmp'], { timeoutMs: 10000 });
  if (!r.ok) return undefined;
  return parseSnmp(r.stdout).Icmp;
}

/** /proc/net/snmp: pairs of lines "Proto: names…" / "Proto: values…". */
export function parseSnmp(text: string): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  const lines = text.split('\n');
  for (let i = 0; i + 1 < lines.length; i++) {
    const [p1, ...names] = lines[i].trim().split(/\s+/);
    const [p2, ...vals] = lines[i + 1].trim().split(/\s+/);
    if (!p1?.endsWith(':') || p1 !== p2 || names.some((n) => /^-?\d+$/.test(n)) || !vals.every((v) => /^-?\d+$/.test(v))) continue;
    out[p1.slice(0, -1)] = Object.fromEntries(names.map((n, k) => [n, Number(vals[k])]));
    i++;
  }
  return out;
}

/** One ping from a named namespace the guide made to an address inside another guide namespace. */
export async function pingFrom(netns: string, address: string): Promise<boolean> {
  const r = await run('nsenter', [`--net=${NETNS_DIR}/${netns}`, 'ping', '-c', '1', '-W', '2', '-q', address], { timeoutMs: 10000 });
  return r.ok;
}

/** The ledger of a running lab, or why it cannot be used. */
export async function labLedger(name: string): Promise<Ledger | string> {
  const dir = defaultStateDir();
  const l = await readLedger(dir, name).catch(() => undefined);
  if (!l) return `no lab named ${name} in ${dir} (bring it up with \`virtlab lab up … --prefix vlg\`)`;
  if (l.phase !== 'up') return `lab ${name} is ${l.phase}, not up`;
  return l;
}

/** Interfaces (name -> flags) of a named namespace, from `ip -j link`. */
export async function linksIn(netns: string | undefined): Promise<Map<string, { up: boolean; master?: string; kind?: string }>> {
  const r = await run('ip', [...(netns ? ['-n', netns] : []), '-j', '-d', 'link', 'show'], { timeoutMs: 10000 });
  const out = new Map<string, { up: boolean; master?: string; kind?: string }>();
  const parsed = r.ok ? parseIpLinks(r.stdout) : undefined;
  if (!parsed || 'error' in parsed) return out;
  for (const l of parsed.links) out.set(l.name, { up: l.flags.includes('UP'), master: l.master, kind: l.infoKind });
  return out;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
