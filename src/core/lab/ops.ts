import { run, start, type RunResult } from '../sys/exec';
import { LabError, NETNS_DIR, applyNetem, findLink } from './engine';
import { mapPool } from '../sys/pool';
import type { Ledger } from './ledger';
import type { LabPlan, PlanHost } from './plan';
import type { Netem } from './types';
import { sudoCaller } from './privilege';

// Operations on a running lab. Traffic only ever goes to addresses the lab gave its own hosts.

export function hostOf(plan: LabPlan, name: string): PlanHost {
  const h = plan.hosts.find((x) => x.name === name);
  if (!h) throw new LabError(`lab ${plan.name} has no host ${name} (hosts: ${plan.hosts.map((x) => x.name).join(', ')})`);
  return h;
}

/** Program and arguments that run CMD on a lab host: inside the container for kind linux, else in its netns. */
export function hostCommand(plan: LabPlan, host: string, cmd: string[], as?: { uid: number; gid: number }): [string, string[]] {
  const h = hostOf(plan, host);
  if (!cmd.length) throw new LabError('no command given');
  // `as`: the user who reached the helper through sudo; their command runs with their ids (in the
  // host's namespace), so the helper never hands out a root shell.
  if (h.container) return ['docker', ['exec', ...(as ? ['-u', `${as.uid}:${as.gid}`] : []), h.container, ...cmd]];
  return ['ip', ['netns', 'exec', h.netns, ...(as ? ['setpriv', `--reuid=${as.uid}`, `--regid=${as.gid}`, '--clear-groups', '--'] : []), ...cmd]];
}

/** Run a command on a lab host and collect its output. */
export function labExec(plan: LabPlan, host: string, cmd: string[], timeoutMs = 60000): Promise<RunResult> {
  const [f, a] = hostCommand(plan, host, cmd);
  return run(f, a, { timeoutMs });
}

const addressOf = (h: PlanHost): string | undefined => h.ifaces[0]?.address.split('/')[0];

export interface PingResult {
  from: string;
  to: string;
  address: string;
  ok: boolean;
  rttMs?: number;
}

/** One ICMP echo exchange from host a to host b's first address. */
export async function labPing(plan: LabPlan, a: string, b: string, opts: { count?: number; waitS?: number } = {}): Promise<PingResult> {
  const to = hostOf(plan, b);
  const address = addressOf(to);
  if (!address) throw new LabError(`host ${b} has no address (it is not on any link)`);
  const r = await labExec(plan, a, ['ping', '-c', String(opts.count ?? 1), '-W', String(opts.waitS ?? 1), '-q', address], ((opts.count ?? 1) + (opts.waitS ?? 1) + 5) * 1000);
  const rtt = /= [\d.]+\/([\d.]+)\//.exec(r.stdout);
  return { from: a, to: b, address, ok: r.ok, rttMs: rtt ? Number(rtt[1]) : undefined };
}

export interface PingAll {
  lab: string;
  tried: number;
  answered: number;
  /** Percent of pairs that did not answer (Mininet's "dropped"). */
  dropPercent: number;
  /** Ordered pairs not tried because the hosts are in different L2 segments (e.g. VXLAN tenants). */
  skipped: number;
  pairs: PingResult[];
}

/** Parse the summaries of `ping -q` runs (one per target, each written at exit in one piece). */
export function parsePingSummaries(text: string): Map<string, { ok: boolean; rttMs?: number }> {
  const out = new Map<string, { ok: boolean; rttMs?: number }>();
  const re = /--- (\S+) ping statistics ---\n(\d+) packets transmitted, (\d+) (?:packets )?received[^\n]*(?:\n(?:rtt|round-trip) [^=]*= [\d.]+\/([\d.]+)\/)?/g;
  for (const m of text.matchAll(re)) out.set(m[1], { ok: Number(m[3]) > 0, rttMs: m[4] ? Number(m[4]) : undefined });
  return out;
}

/**
 * Every ordered host pair within one L2 segment, like Mininet's pingall; a matrix of results.
 * One process tree per source host: nsenter into its namespace, xargs runs the pings in parallel.
 */
export async function labPingAll(plan: LabPlan, opts: { waitS?: number; parallel?: number } = {}): Promise<PingAll> {
  const hosts = plan.hosts.filter((h) => addressOf(h));
  const all = hosts.flatMap((a) => hosts.filter((b) => b !== a).map((b) => [a, b] as const));
  // Older ledgers have no segment: then every pair counts.
  const same = (a: PlanHost, b: PlanHost) => a.ifaces[0].segment === undefined || a.ifaces[0].segment === b.ifaces[0].segment;
  const wait = String(opts.waitS ?? 1);
  const perSource = await mapPool(hosts, 4, async (a) => {
    const targets = hosts.filter((b) => b !== a && same(a, b));
    if (!targets.length) return [] as PingResult[];
    const input = targets.map((b) => addressOf(b)).join('\n') + '\n';
    const r = await run('nsenter', [`--net=${NETNS_DIR}/${a.netns}`, 'xargs', '-P', String(opts.parallel ?? 8), '-n', '1', 'ping', '-c', '1', '-W', wait, '-q'], { input, timeoutMs: (targets.length + 10) * 1000 * Number(wait) + 30000 });
    const got = parsePingSummaries(r.stdout);
    return targets.map((b): PingResult => {
      const address = addressOf(b)!;
      const s = got.get(address);
      return { from: a.name, to: b.name, address, ok: !!s?.ok, rttMs: s?.rttMs };
    });
  });
  const results = perSource.flat();
  const answered = results.filter((r) => r.ok).length;
  return { lab: plan.name, tried: results.length, answered, dropPercent: results.length ? Math.round((100 * (results.length - answered)) / results.length) : 0, skipped: all.length - results.length, pairs: results };
}

/** iperf3 between two hosts: a one-shot server on b, a client on a; returns bits per second. */
export async function labIperf(plan: LabPlan, a: string, b: string, seconds = 2): Promise<{ bitsPerSecond: number; raw: unknown }> {
  const to = hostOf(plan, b);
  const address = addressOf(to);
  if (!address) throw new LabError(`host ${b} has no address`);
  const [sf, sa] = hostCommand(plan, b, ['iperf3', '-s', '-1', '-B', address]);
  const server = run(sf, sa, { timeoutMs: (seconds + 20) * 1000 });
  let client: RunResult | undefined;
  // The server needs a moment to listen; retry the client on "connection refused" only.
  for (let i = 0; i < 20; i++) {
    client = await labExec(plan, a, ['iperf3', '-c', address, '-t', String(seconds), '-J'], (seconds + 15) * 1000);
    if (client.ok || !/refused|unable to connect/i.test(client.stdout + client.stderr)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await server;
  if (!client?.ok) throw new LabError(`iperf3 failed: ${(client?.stderr || client?.stdout || '').trim().slice(0, 300)}`);
  const j = JSON.parse(client.stdout) as { end?: { sum_received?: { bits_per_second?: number } } };
  const bps = j.end?.sum_received?.bits_per_second;
  if (typeof bps !== 'number') throw new LabError('iperf3 returned no sum_received');
  return { bitsPerSecond: bps, raw: j };
}

/** Set the link between nodes a and b administratively up or down (both ends). */
export async function labLinkState(plan: LabPlan, a: string, b: string, state: 'up' | 'down'): Promise<void> {
  const l = findLink(plan, a, b);
  for (const e of [l.a, l.b]) {
    const r = await run('ip', [...(e.netns ? ['-n', e.netns] : []), 'link', 'set', 'dev', e.dev, state], { timeoutMs: 10000 });
    if (!r.ok) throw new LabError(`ip link set ${e.node}:${e.iface} ${state} failed: ${r.stderr.trim()}`);
  }
}

/** Parse `delay=10ms loss=5%` words into netem settings (`none` clears). */
export function parseNetemWords(words: string[]): Netem {
  const n: Netem = {};
  for (const w of words) {
    if (w === 'none') continue;
    const m = /^(delay|jitter|loss|rate)=(.+)$/.exec(w);
    if (!m) throw new LabError(`"${w}" is not delay=.., jitter=.., loss=.. or rate=..`);
    const v = m[2];
    const ok = { delay: /^\d+(\.\d+)?(us|ms|s)$/, jitter: /^\d+(\.\d+)?(us|ms|s)$/, loss: /^\d+(\.\d+)?%$/, rate: /^\d+(\.\d+)?(bit|kbit|mbit|gbit)$/i }[m[1] as keyof Netem];
    if (!ok.test(v)) throw new LabError(`${m[1]}=${v} is not understood (e.g. delay=10ms jitter=2ms loss=5% rate=10mbit)`);
    n[m[1] as keyof Netem] = v;
  }
  return n;
}

/** Change a running link's impairments: delay, jitter, loss, rate (all empty = remove). */
export async function labSetLink(plan: LabPlan, a: string, b: string, n: Netem): Promise<void> {
  await applyNetem(findLink(plan, a, b), n);
}

/** Capture on host:iface into a pcap file until `count` packets or `seconds` have passed. */
export async function labCapture(plan: LabPlan, host: string, iface: string, file: string, opts: { count?: number; seconds?: number } = {}): Promise<{ file: string; stderr: string }> {
  const h = hostOf(plan, host);
  if (!h.ifaces.some((i) => i.name === iface)) throw new LabError(`host ${host} has no interface ${iface} (has: ${h.ifaces.map((i) => i.name).join(', ')})`);
  // -U writes each packet at once, so a capture cut off by the timeout is still a valid pcap.
  const dump = ['tcpdump', '-n', '-U', '-i', iface, '-c', String(opts.count ?? 100)];
  const timeoutMs = (opts.seconds ?? 10) * 1000;
  const who = sudoCaller();
  if (who) return captureAs(who, h.netns, dump, file, timeoutMs);
  const r = await run('ip', ['netns', 'exec', h.netns, ...dump, '-w', file], { timeoutMs });
  if (!r.ok && r.error !== 'ETIMEDOUT') throw new LabError(`tcpdump failed: ${r.stderr.trim() || r.error}`);
  return { file, stderr: r.stderr };
}

/**
 * Through sudo the pcap is written by a child running as the caller, from tcpdump's stdout:
 * tcpdump opens its `-w` file as root before `-Z` drops privileges (and then chowns it), so
 * `sudo virtlab lab capture ... -o /etc/x` would otherwise write anywhere.
 */
function captureAs(who: { uid: number; gid: number }, netns: string, dump: string[], file: string, timeoutMs: number): Promise<{ file: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const writer = start('setpriv', [`--reuid=${who.uid}`, `--regid=${who.gid}`, '--clear-groups', '--', 'tee', '--', file], ['pipe', 'ignore', 'pipe']);
    const tcpdump = start('ip', ['netns', 'exec', netns, ...dump, '-w', '-'], ['ignore', 'pipe', 'pipe']);
    let dumpErr = '';
    let writeErr = '';
    let timedOut = false;
    tcpdump.stderr.on('data', (d: Buffer) => (dumpErr += d.toString()));
    writer.stderr.on('data', (d: Buffer) => (writeErr += d.toString()));
    tcpdump.stdout.pipe(writer.stdin);
    writer.stdin.on('error', () => tcpdump.kill('SIGTERM'));
    const timer = setTimeout(() => {
      timedOut = true;
      tcpdump.kill('SIGTERM');
    }, timeoutMs);
    // Both must have ended: the writer's verdict first (nothing written is the worse news).
    const ended = (p: typeof tcpdump | typeof writer) => new Promise<number | null>((r) => p.on('close', (code) => r(code)));
    tcpdump.on('error', (e) => reject(new LabError(`tcpdump failed: ${e.message}`)));
    writer.on('error', (e) => reject(new LabError(`cannot write ${file}: ${e.message}`)));
    void Promise.all([ended(tcpdump), ended(writer)]).then(([dumpCode, writeCode]) => {
      clearTimeout(timer);
      if (writeCode !== 0) return reject(new LabError(`cannot write ${file} as uid ${who.uid}: ${writeErr.trim() || `exit ${writeCode}`}`));
      if (!timedOut && dumpCode !== 0) return reject(new LabError(`tcpdump failed: ${dumpErr.trim() || `exit ${dumpCode}`}`));
      resolve({ file, stderr: dumpErr });
    });
  });
}

function ovsSwitch(plan: LabPlan, sw: string) {
  const s = plan.switches.find((x) => x.name === sw);
  if (!s) throw new LabError(`lab ${plan.name} has no switch ${sw}`);
  if (s.kind !== 'ovs-bridge') throw new LabError(`switch ${sw} is a Linux bridge; OpenFlow rules need kind: ovs-bridge`);
  return s;
}

/** Add an OpenFlow rule (ovs-ofctl add-flow syntax) to an OVS switch of the lab. */
export async function labFlowAdd(plan: LabPlan, sw: string, flow: string): Promise<void> {
  const s = ovsSwitch(plan, sw);
  const r = await run('ovs-ofctl', ['add-flow', s.dev, flow], { timeoutMs: 10000 });
  if (!r.ok) throw new LabError(`ovs-ofctl add-flow failed: ${r.stderr.trim()}`);
  await purgeCache();
}

/**
 * Datapath flow caches are revalidated in the background (up to ~0.5 s later); purge them so the
 * new table holds for the very next packet: a learner who adds a drop rule and pings sees it at once.
 */
async function purgeCache(): Promise<void> {
  await run('ovs-appctl', ['revalidator/purge'], { timeoutMs: 10000 });
}

/** Remove OpenFlow rules matching `match` (strictly, with its priority, when `strict`). */
export async function labFlowDel(plan: LabPlan, sw: string, match: string, strict = false): Promise<void> {
  const s = ovsSwitch(plan, sw);
  const r = await run('ovs-ofctl', [...(strict ? ['--strict'] : []), 'del-flows', s.dev, match], { timeoutMs: 10000 });
  if (!r.ok) throw new LabError(`ovs-ofctl del-flows failed: ${r.stderr.trim()}`);
  await purgeCache();
}

export interface FlowStat {
  priority: number;
  match: string;
  actions: string;
  nPackets: number;
}

/** Parse `ovs-ofctl dump-flows` lines into counters (validated per line; unknown lines dropped). */
export function parseDumpFlows(text: string): FlowStat[] {
  const out: FlowStat[] = [];
  for (const line of text.split('\n')) {
    const np = /n_packets=(\d+)/.exec(line);
    const act = /actions=(.*)$/.exec(line);
    if (!np || !act) continue;
    const pr = /priority=(\d+)/.exec(line);
    // The match is what follows the stats fields and precedes " actions=".
    const before = line.slice(0, act.index).trim();
    const fields = before.split(/,\s*|\s+/).filter((f) => f && !/^(cookie|duration|table|n_packets|n_bytes|idle_age|hard_age|idle_timeout|hard_timeout)=/.test(f));
    out.push({ priority: pr ? Number(pr[1]) : 32768, match: fields.filter((f) => !f.startsWith('priority=')).join(','), actions: act[1].trim(), nPackets: Number(np[1]) });
  }
  return out;
}

/** Current flows of an OVS switch with their packet counters. */
export async function labFlows(plan: LabPlan, sw: string): Promise<FlowStat[]> {
  const s = ovsSwitch(plan, sw);
  const r = await run('ovs-ofctl', ['dump-flows', s.dev], { timeoutMs: 10000 });
  if (!r.ok) throw new LabError(`ovs-ofctl dump-flows failed: ${r.stderr.trim()}`);
  return parseDumpFlows(r.stdout);
}

/** The plan of a ledger, refusing labs that are not (fully) up. */
export function runningPlan(l: Ledger): LabPlan {
  if (l.phase !== 'up') throw new LabError(`lab ${l.name} is not up (it is ${l.phase}); run \`virtlab lab clean\` and bring it up again`);
  return l.plan;
}
