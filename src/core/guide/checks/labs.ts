import { readFileSync } from 'node:fs';
import { findLink } from '../../lab/engine';
import { listOvsBridges } from '../../lab/inventory';
import { labPing } from '../../lab/ops';
import type { LabPlan, PlanHost } from '../../lab/plan';
import { loadLab } from '../../lab/validate';
import { readFlows } from '../../ovs/read';
import { run } from '../../sys/exec';
import { icmpPackets } from '../pcap';
import { fail, icmpCounters, labLedger, linksIn, ok } from '../probe';
import { upLab } from './labUp';
import type { CheckResult } from '../types';
import type { LabChecks } from './registry';
import { noun, plural } from '../../../shared/format';

// Guided labs 6 (OVS) and 10 (Mininet-style; lab 7 is in vxlan.ts): facts from the lab ledger (which kernel
// names a lab used), then read on the machine: ovs-ofctl counters, ICMP counters per host
// namespace, link states, a capture file. Pings a check sends stay between the lab's own hosts.

const addr = (h: PlanHost) => h.ifaces[0]?.address.split('/')[0] ?? '';
const host = (p: LabPlan, name: string) => p.hosts.find((h) => h.name === name);

const isResult = (x: object): x is CheckResult => 'ok' in x;

/** Flows of an OVS switch after the revalidators pushed datapath counters into them. */
async function flowsNow(ctx: Parameters<LabChecks[string]>[0], dev: string) {
  await run('ovs-appctl', ['revalidator/wait'], { timeoutMs: 10000 });
  return readFlows(ctx.options, dev);
}

const isDrop = (actions: string) => actions === 'drop' || actions === '';

/** The running vlg-ovs lab, its OVS switch and that switch's flows with fresh counters. */
async function ovsLabFlows(ctx: Parameters<LabChecks[string]>[0]) {
  const l = await upLab('vlg-ovs');
  if (isResult(l)) return l;
  const sw = l.plan.switches.find((x) => x.kind === 'ovs-bridge');
  if (!sw) return fail('Lab vlg-ovs has no OVS switch (generate it with --switch ovs).');
  const f = await flowsNow(ctx, sw.dev);
  if ('error' in f) return fail(`ovs-ofctl dump-flows ${sw.dev} failed: ${f.error}`);
  return { l, sw, f };
}

export const ovsChecks: LabChecks = {
  async up(ctx) {
    const l = await upLab('vlg-ovs');
    if (isResult(l)) return l;
    const sw = l.plan.switches.filter((x) => x.kind === 'ovs-bridge');
    if (!sw.length) return fail('Lab vlg-ovs has no ovs-bridge switch (generate it with --switch ovs).');
    const brs = await listOvsBridges();
    if (!brs) return fail('Open vSwitch does not answer (ovs-vsctl list-br failed).');
    const snap = await ctx.snapshot();
    const missing = sw.filter((x) => !brs.has(x.dev));
    if (missing.length) return fail(`${noun(missing.length, 'OVS bridge')} ${missing.map((x) => `${x.name}=${x.dev}`).join(', ')} of vlg-ovs are not in ovs-vsctl list-br.`);
    const inSnap = sw.filter((x) => snap.nodes.some((n) => n.id === `ovs-bridge:${x.dev}`)).length;
    return ok(`Lab vlg-ovs is up: ${l.plan.hosts.length} hosts (${l.plan.hosts.map((h) => `${h.name} ${addr(h)} in ${h.netns}`).join(', ')}), OVS bridge ${sw.map((x) => `${x.name} = ${x.dev}`).join(', ')} in ovs-vsctl and ${inSnap} in VirtLab's snapshot.`);
  },

  async flows(ctx) {
    const r = await ovsLabFlows(ctx);
    if (isResult(r)) return r;
    const { sw, f } = r;
    const normal = f.flows.find((x) => /NORMAL/.test(x.actions));
    if (!normal) return fail(`${sw.dev} has ${plural(f.flows.length, 'flow')}, none with actions=NORMAL: ${f.flows.map((x) => `priority=${x.priority} ${x.match} actions=${x.actions}`).join('; ')}.`);
    if (!(normal.nPackets > 0)) return fail(`The NORMAL flow of ${sw.dev} has counted ${normal.nPackets} packets: no traffic has crossed the switch yet.`);
    return ok(`ovs-ofctl dump-flows ${sw.dev}: ${plural(f.flows.length, 'flow')}; priority=${normal.priority} actions=NORMAL counted ${plural(normal.nPackets, 'packet')} (${plural(normal.nBytes, 'byte')}).`);
  },

  async drop(ctx) {
    const r = await ovsLabFlows(ctx);
    if (isResult(r)) return r;
    const { l, sw, f } = r;
    const drops = f.flows.filter((x) => isDrop(x.actions));
    const hostOfFlow = (m: string) => l.plan.hosts.find((h) => new RegExp(`(^|,)nw_(src|dst)=${addr(h).replace(/\./g, '\\.')}(,|$)`).test(m));
    const withHost = drops.map((x) => ({ flow: x, host: hostOfFlow(x.match) })).filter((x) => x.host);
    if (!withHost.length) return fail(`${sw.dev} has ${plural(drops.length, 'drop flow')}${drops.length ? ` (${drops.map((x) => x.match).join('; ')})` : ''}, none matching one host's address (${l.plan.hosts.map((h) => `${h.name} ${addr(h)}`).join(', ')}).`);
    const counted = withHost.find((x) => x.flow.nPackets > 0);
    if (!counted) return fail(`Drop flow priority=${withHost[0].flow.priority},${withHost[0].flow.match} for ${withHost[0].host!.name} has counted 0 packets: ping from ${withHost[0].host!.name}.`);
    const h = counted.host!;
    const other = l.plan.hosts.find((x) => x.name !== h.name)!;
    const p = await labPing(l.plan, h.name, other.name, { waitS: 1 });
    if (p.ok) return fail(`Drop flow priority=${counted.flow.priority},${counted.flow.match} counted ${counted.flow.nPackets} packets, but ${h.name} → ${other.name} (${p.address}) answers: the rule does not drop its traffic.`);
    return ok(`Drop flow priority=${counted.flow.priority},${counted.flow.match} on ${sw.dev} counted ${counted.flow.nPackets} packets; a ping ${h.name} → ${other.name} (${p.address}) just now got no answer.`);
  },

  async remove(ctx) {
    const r = await ovsLabFlows(ctx);
    if (isResult(r)) return r;
    const { l, sw, f } = r;
    const drops = f.flows.filter((x) => isDrop(x.actions));
    if (drops.length) return fail(`${sw.dev} still has ${plural(drops.length, 'drop flow')}: ${drops.map((x) => `priority=${x.priority},${x.match} (${x.nPackets} packets)`).join('; ')}.`);
    const [a, b] = [host(l.plan, 'h2') ?? l.plan.hosts[1], host(l.plan, 'h1') ?? l.plan.hosts[0]];
    const p = await labPing(l.plan, a.name, b.name, { waitS: 2 });
    if (!p.ok) return fail(`No drop flow is left on ${sw.dev}, but ${a.name} → ${b.name} (${p.address}) gets no answer.`);
    return ok(`${sw.dev} has ${plural(f.flows.length, 'flow')}, none dropping; ${a.name} → ${b.name} (${p.address}) answers again${p.rttMs !== undefined ? ` in ${p.rttMs} ms` : ''}.`);
  },
};

const TREE_FILE = '/tmp/vlg-tree.vlab.yaml';
const TREE_PCAP = '/tmp/vlg-tree-h1.pcap';

export const mininetChecks: LabChecks = {
  async generate() {
    let text: string;
    try {
      text = readFileSync(TREE_FILE, 'utf8');
    } catch {
      return fail(`${TREE_FILE} does not exist.`);
    }
    const r = loadLab(text);
    if (!r.lab) return fail(`${TREE_FILE} is not a valid lab: ${r.issues.map((i) => `${i.line}:${i.col} ${i.message}`).slice(0, 3).join('; ')}.`);
    const { name, hosts, switches, links } = r.lab;
    if (name !== 'vlg-tree' || hosts.length !== 4 || switches.length !== 3) return fail(`${TREE_FILE} holds lab ${name} with ${hosts.length} hosts and ${switches.length} switches; tree,2,2 named vlg-tree has 4 and 3.`);
    return ok(`${TREE_FILE}: lab vlg-tree, ${plural(hosts.length, 'host')} (${hosts.map((h) => h.name).join(', ')}), ${plural(switches.length, 'switch')}, ${plural(links.length, 'link')}; valid.`);
  },

  async up() {
    const l = await upLab('vlg-tree');
    if (isResult(l)) return l;
    const bridges = await linksIn(l.plan.swNetns);
    const sws = l.plan.switches.map((s) => ({ s, present: s.kind === 'bridge' ? bridges.get(s.dev)?.kind === 'bridge' : undefined }));
    const missing = sws.filter((x) => x.present === false);
    if (missing.length) return fail(`${noun(missing.length, 'Switch bridge')} ${missing.map((x) => `${x.s.name}=${x.s.dev}`).join(', ')} are missing from ${l.plan.swNetns}.`);
    return ok(`Lab vlg-tree is up: ${l.plan.hosts.length} host namespaces (${l.plan.hosts.map((h) => `${h.name}=${h.netns}`).join(', ')}) and ${sws.length} bridges in ${l.plan.swNetns} (${sws.map((x) => x.s.dev).join(', ')}).`);
  },

  async pingall() {
    const l = await upLab('vlg-tree');
    if (isResult(l)) return l;
    const counters = await Promise.all(l.plan.hosts.map(async (h) => ({ h, c: await icmpCounters(h.netns) })));
    const need = l.plan.hosts.length - 1;
    const short = counters.filter((x) => !x.c || !(x.c.InEchos >= need) || !(x.c.OutEchoReps >= need));
    const words = counters.map((x) => `${x.h.name} ${x.c?.InEchos ?? '?'} in / ${x.c?.OutEchoReps ?? '?'} replied`).join(', ');
    if (short.length) return fail(`Echo requests received/answered per host: ${words}; each needs at least ${need} (one from every other host).`);
    return ok(`Every host answered pings from the ${need} others (echo requests received / replies sent: ${words}).`);
  },

  async break() {
    const l = await upLab('vlg-tree');
    if (isResult(l)) return l;
    let link;
    try {
      link = findLink(l.plan, 's1', 's2');
    } catch (e) {
      return fail((e as Error).message);
    }
    const [la, lb] = await Promise.all([linksIn(link.a.netns), linksIn(link.b.netns)]);
    const ea = la.get(link.a.dev);
    const eb = lb.get(link.b.dev);
    const state = `${link.a.dev} ${ea ? (ea.up ? 'up' : 'down') : 'missing'}, ${link.b.dev} ${eb ? (eb.up ? 'up' : 'down') : 'missing'}`;
    if (ea?.up || eb?.up) return fail(`The s1–s2 link is not down: ${state}.`);
    const [far, near] = await Promise.all([labPing(l.plan, 'h1', 'h3'), labPing(l.plan, 'h1', 'h2', { waitS: 2 })]);
    if (far.ok) return fail(`s1–s2 ends: ${state}, yet h1 → h3 (${far.address}) answers.`);
    if (!near.ok) return fail(`s1–s2 ends: ${state}; h1 → h3 fails as it should, but h1 → h2 (${near.address}, same switch) fails too.`);
    return ok(`s1–s2 link ends: ${state}. Just now h1 → h3 (${far.address}) got no answer, h1 → h2 (${near.address}, same switch s2) answered.`);
  },

  async capture() {
    const l = await labLedger('vlg-tree');
    const plan = typeof l === 'string' ? undefined : l.plan;
    const h1 = plan ? host(plan, 'h1') : undefined;
    const h4 = plan ? host(plan, 'h4') : undefined;
    const [a, b] = [h1 ? addr(h1) : '10.0.0.1', h4 ? addr(h4) : '10.0.0.4'];
    let buf: Buffer;
    try {
      buf = readFileSync(TREE_PCAP);
    } catch {
      return fail(`${TREE_PCAP} does not exist: no capture was written.`);
    }
    let pk;
    try {
      pk = icmpPackets(buf);
    } catch (e) {
      return fail(`${TREE_PCAP}: ${(e as Error).message}.`);
    }
    const req = pk.filter((p) => p.type === 8 && p.src === a && p.dst === b).length;
    const rep = pk.filter((p) => p.type === 0 && p.src === b && p.dst === a).length;
    if (!req || !rep) return fail(`${TREE_PCAP} holds ${plural(pk.length, 'ICMP packet')}: ${plural(req, 'echo request')} ${a} → ${b} and ${plural(rep, 'reply', 'replies')} back; both must be there.`);
    return ok(`${TREE_PCAP} (${buf.length} bytes): ${plural(req, 'ICMP echo request')} h1 ${a} → h4 ${b} and ${plural(rep, 'echo reply', 'echo replies')} back.`);
  },
};
