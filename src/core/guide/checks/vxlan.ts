import type { PlanHost } from '../../lab/plan';
import { parseIpLinks } from '../../net/links';
import { run } from '../../sys/exec';
import { fail, icmpCounters, ok, pingFrom } from '../probe';
import { upLab } from './labUp';
import type { LabChecks } from './registry';
import { noun, plural } from '../../../shared/format';

// Guided lab 7 (VXLAN tenants). Both tenants' tunnels run between the same two VTEPs (hv1, hv2),
// so the checks read the VXLAN devices the kernel has (`ip -d -j link`), not the lab file: local
// address, remote address and UDP port must be shared, and only the VNI may differ. Pings stay
// between the lab's own host namespaces.

const LAB = 'vlg-vxlan';
const addr = (h: PlanHost) => h.ifaces[0]?.address.split('/')[0] ?? '';

/** One VXLAN device as the kernel reports it. */
export interface VxlanDevice {
  dev: string;
  master?: string;
  vni: number;
  local?: string;
  remote?: string;
  port?: number;
}

/** `ip -d -j link show type vxlan` of one namespace, parsed; undefined when it cannot be read. */
export function parseVxlanDevices(json: string): VxlanDevice[] | undefined {
  const parsed = parseIpLinks(json);
  if ('error' in parsed) return undefined;
  return parsed.links.flatMap((l) =>
    l.vxlan ? [{ dev: l.name, master: l.master, vni: l.vxlan.vni, local: l.vxlan.local, remote: l.vxlan.remote, port: l.vxlan.port }] : [],
  );
}

async function vxlanDevices(netns: string): Promise<VxlanDevice[] | undefined> {
  const r = await run('ip', ['-n', netns, '-d', '-j', 'link', 'show', 'type', 'vxlan'], { timeoutMs: 10000 });
  return r.ok ? parseVxlanDevices(r.stdout) : undefined;
}

/** The MAC address of an interface in a namespace. */
async function macOf(netns: string, dev: string): Promise<string | undefined> {
  const r = await run('ip', ['-n', netns, '-j', 'link', 'show', 'dev', dev], { timeoutMs: 10000 });
  const parsed = r.ok ? parseIpLinks(r.stdout) : undefined;
  return parsed && !('error' in parsed) ? parsed.links[0]?.mac : undefined;
}

/** The MAC a namespace's neighbour table holds for an address. */
async function neighbourMac(netns: string, ip: string): Promise<string | undefined> {
  const r = await run('ip', ['-n', netns, '-j', 'neigh', 'show', 'to', ip], { timeoutMs: 10000 });
  try {
    return r.ok ? (JSON.parse(r.stdout) as { lladdr?: string }[]).find((n) => n.lladdr)?.lladdr : undefined;
  } catch {
    return undefined;
  }
}

/** The running lab, its four hosts and every VXLAN end with the device the kernel has for it. */
async function tenants() {
  const l = await upLab(LAB);
  if ('ok' in l) return l;
  const p = l.plan;
  const h = Object.fromEntries(['a1', 'a2', 'b1', 'b2'].map((n) => [n, p.hosts.find((x) => x.name === n)])) as Record<'a1' | 'a2' | 'b1' | 'b2', PlanHost | undefined>;
  if (!h.a1 || !h.a2 || !h.b1 || !h.b2) return fail(`Lab ${LAB} lacks host a1, a2, b1 or b2 (it has ${p.hosts.map((x) => x.name).join(', ')}).`);
  if (!p.swNetns) return fail(`Lab ${LAB} has no switch namespace.`);
  const devs = await vxlanDevices(p.swNetns);
  if (!devs) return fail(`ip -n ${p.swNetns} -d -j link show type vxlan failed.`);
  const ends = p.links
    .filter((k) => k.type === 'vxlan')
    .flatMap((k) => [k.a, k.b].map((e) => ({ node: e.node, tenant: e.node.startsWith('sa') ? 'A' : 'B', fileVni: k.vni!, dev: devs.find((d) => d.dev === e.dev), name: e.dev, vtep: p.vteps.find((v) => v.switches?.includes(e.node))?.name ?? '?' })));
  const missing = ends.filter((e) => !e.dev);
  if (missing.length) return fail(`${noun(missing.length, 'VXLAN device')} ${missing.map((e) => `${e.name} (${e.node})`).join(', ')} are missing from ${p.swNetns}.`);
  return { l, h: h as Record<'a1' | 'a2' | 'b1' | 'b2', PlanHost>, ends: ends as (Omit<(typeof ends)[number], 'dev'> & { dev: VxlanDevice })[] };
}

const endWords = (e: { node: string; vtep: string; dev: VxlanDevice }) => `${e.node} VNI ${e.dev.vni} (${e.vtep} ${e.dev.local} → ${e.dev.remote}:${e.dev.port})`;

/**
 * a1 pings 10.0.0.2 with a fresh ARP entry (an old one would send the frame straight to the MAC it
 * remembers), and both 10.0.0.2s' echo counters are read around it: who answered?
 */
async function whoAnswersA1(h: Record<'a1' | 'a2' | 'b1' | 'b2', PlanHost>) {
  const target = addr(h.a2);
  await run('ip', ['-n', h.a1.netns, 'neigh', 'flush', 'to', target], { timeoutMs: 10000 });
  const [a0, b0] = await Promise.all([icmpCounters(h.a2.netns), icmpCounters(h.b2.netns)]);
  const answered = await pingFrom(h.a1.netns, target);
  const [a1c, b1c] = await Promise.all([icmpCounters(h.a2.netns), icmpCounters(h.b2.netns)]);
  const [mac, macA2, macB2] = await Promise.all([neighbourMac(h.a1.netns, target), macOf(h.a2.netns, 'eth0'), macOf(h.b2.netns, 'eth0')]);
  if (!a0 || !b0 || !a1c || !b1c) return undefined;
  return { target, answered, a2: [a0.InEchos, a1c.InEchos] as const, b2: [b0.InEchos, b1c.InEchos] as const, mac, macA2, macB2 };
}

const moved = (x: readonly [number, number]) => x[1] > x[0];

export const vxlanChecks: LabChecks = {
  async up(ctx) {
    const t = await tenants();
    if ('ok' in t) return t;
    const { h, ends } = t;
    const vnis = [...new Set(ends.map((e) => e.dev.vni))].sort((x, y) => x - y);
    if (vnis.length < 2) return fail(`The VXLAN devices carry ${vnis.length} VNI (${vnis.join(', ')}); this lab needs two tenants.`);
    const s = await ctx.snapshot();
    const seen = vnis.map((v) => ({ vni: v, ends: s.edges.filter((e) => e.kind === 'vxlan-tunnel' && e.to === `vxlan:${v}`).length }));
    const short = seen.filter((x) => x.ends < 2);
    if (short.length) return fail(`VirtLab sees ${short.map((x) => `${plural(x.ends, 'tunnel end')} for VNI ${x.vni}`).join(', ')}; each VNI needs its two VXLAN devices.`);
    if (addr(h.a1) !== addr(h.b1)) return fail(`a1 (${addr(h.a1)}) and b1 (${addr(h.b1)}) should hold the same address.`);
    return ok(`Lab ${LAB} is up; VirtLab sees ${seen.map((x) => `VNI ${x.vni} with ${x.ends} tunnel ends`).join(' and ')}; a1 and b1 both hold ${addr(h.a1)}, a2 and b2 both ${addr(h.a2)}.`);
  },

  async ping() {
    const l = await upLab(LAB);
    if ('ok' in l) return l;
    const [a1, a2, b2] = ['a1', 'a2', 'b2'].map((n) => l.plan.hosts.find((x) => x.name === n));
    if (!a1 || !a2 || !b2) return fail(`Lab ${LAB} lacks host a1, a2 or b2.`);
    const [ca, cb] = await Promise.all([icmpCounters(a2.netns), icmpCounters(b2.netns)]);
    if (!ca || !cb) return fail('The ICMP counters of a2 or b2 could not be read.');
    if (!(ca.InEchos > 0) || !(cb.InEchos > 0)) return fail(`Echo requests received so far: a2 ${ca.InEchos}, b2 ${cb.InEchos}; each tenant's second host must have been pinged.`);
    // Isolation, tested now: a1's ping to 10.0.0.2 must move a2's counter and leave b2's alone.
    const answered = await pingFrom(a1.netns, addr(a2));
    const [ca2, cb2] = await Promise.all([icmpCounters(a2.netns), icmpCounters(b2.netns)]);
    if (!answered || !ca2 || !cb2) return fail(`a1 → ${addr(a2)} got no answer just now.`);
    if (cb2.InEchos !== cb.InEchos) return fail(`a1's ping to ${addr(a2)} reached b2 (tenant B): b2's echo requests went ${cb.InEchos} → ${cb2.InEchos}. The tenants are not isolated.`);
    return ok(`a2 received ${ca.InEchos} and b2 ${cb.InEchos} echo requests, each from its own tenant. One more ping a1 → ${addr(a2)} just now: a2's counter ${ca.InEchos} → ${ca2.InEchos}, b2's (same address, tenant B) stayed ${cb2.InEchos}.`);
  },

  async vteps() {
    const t = await tenants();
    if ('ok' in t) return t;
    const byVtep = new Map<string, typeof t.ends>();
    for (const e of t.ends) byVtep.set(e.vtep, [...(byVtep.get(e.vtep) ?? []), e]);
    if (byVtep.size !== 2) return fail(`The lab's VXLAN ends sit on ${plural(byVtep.size, 'VTEP')} (${[...byVtep.keys()].join(', ')}); this lab has two, hv1 and hv2, each shared by both tenants.`);
    for (const [v, es] of byVtep) {
      const tenantsHere = new Set(es.map((e) => e.tenant));
      if (tenantsHere.size !== 2) return fail(`VTEP ${v} carries only tenant ${[...tenantsHere].join('')}'s tunnel: ${es.map(endWords).join('; ')}.`);
      const underlay = new Set(es.map((e) => `${e.dev.local} → ${e.dev.remote}:${e.dev.port}`));
      if (underlay.size !== 1) return fail(`On VTEP ${v} the tenants' devices do not share their underlay: ${es.map(endWords).join('; ')}.`);
      if (new Set(es.map((e) => e.dev.vni)).size !== es.length) return fail(`On VTEP ${v} two devices have the same VNI: ${es.map(endWords).join('; ')}.`);
    }
    return ok(`On each VTEP both tenants' devices share local address, remote address and UDP port, and differ only in VNI: ${[...byVtep].map(([v, es]) => `${v}: ${es.map((e) => `${e.node} VNI ${e.dev.vni}`).join(', ')}, both ${es[0].dev.local} → ${es[0].dev.remote}:${es[0].dev.port}`).join('; ')}.`);
  },

  async swap() {
    const t = await tenants();
    if ('ok' in t) return t;
    const aVni = t.ends.find((e) => e.tenant === 'A')?.fileVni;
    const bOnA = t.ends.filter((e) => e.tenant === 'B' && e.dev.vni === aVni);
    if (!bOnA.length) return fail(`No tunnel end of tenant B has tenant A's VNI ${aVni} yet: ${t.ends.map(endWords).join('; ')}.`);
    const w = await whoAnswersA1(t.h);
    if (!w) return fail('The ICMP counters of a2 or b2 could not be read.');
    const facts = `a2's echo requests ${w.a2[0]} → ${w.a2[1]}, b2's ${w.b2[0]} → ${w.b2[1]}`;
    if (!moved(w.b2)) return fail(`${bOnA.map(endWords).join('; ')} now, but a1's ping to ${w.target} did not reach b2 (${facts}).`);
    if (moved(w.a2)) return fail(`a1's ping to ${w.target} reached both a2 and b2 (${facts}).`);
    return ok(`${bOnA.map(endWords).join('; ')}: a1 pinged ${w.target} just now and tenant B's b2 got it (${facts}); a1 ${w.answered ? 'got its answer from' : 'had no answer yet from'} ${w.mac === w.macB2 ? `b2 (a1 now maps ${w.target} to b2's MAC ${w.macB2})` : `MAC ${w.mac ?? 'none'}`}. Same VTEPs, same addresses and port: only the VNI kept the tenants apart.`);
  },

  async restore() {
    const t = await tenants();
    if ('ok' in t) return t;
    const off = t.ends.filter((e) => e.dev.vni !== e.fileVni);
    if (off.length) return fail(`These ends still differ from the lab file: ${off.map((e) => `${endWords(e)}, the file says ${e.fileVni}`).join('; ')}.`);
    const w = await whoAnswersA1(t.h);
    if (!w) return fail('The ICMP counters of a2 or b2 could not be read.');
    const facts = `a2's echo requests ${w.a2[0]} → ${w.a2[1]}, b2's ${w.b2[0]} → ${w.b2[1]}`;
    if (moved(w.b2)) return fail(`Every end has its lab-file VNI again, but a1's ping to ${w.target} still reached b2 (${facts}).`);
    if (!w.answered || !moved(w.a2)) return fail(`Every end has its lab-file VNI again, but a1's ping to ${w.target} did not reach a2 (${facts}${w.answered ? '' : ', no answer'}).`);
    return ok(`Every end has its lab-file VNI again (${t.ends.map((e) => `${e.node} ${e.dev.vni}`).join(', ')}); a1's ping to ${w.target} just now reached a2 and not b2 (${facts}).`);
  },
};
