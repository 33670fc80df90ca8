import { LabError, ipBatch, must } from './engine';
import { writeLedger, type Ledger } from './ledger';
import { VXLAN_PORT, vtepOf, vxlanAddLine, vxlanAttachLine, type LabPlan, type PlanEnd, type PlanLink } from './plan';
import { plural } from '../../shared/format';

// `virtlab lab vni`: give VXLAN ends of a running lab other VNIs, to show what the VNI alone does.
// The kernel cannot change a device's VNI ("Cannot change VNI"), so each end is deleted and made
// again in its VTEP with the same local and remote addresses and UDP port, only the VNI new.

export interface VniChange {
  node: string;
  iface: string;
  vni: number;
}

/** `sb2:vx=100` words; a bad word is a LabError naming it. */
export function parseVniWords(words: string[]): VniChange[] {
  if (!words.length) throw new LabError('name at least one VXLAN end and its new VNI, e.g. sb2:vx=100');
  return words.map((w) => {
    const m = /^([A-Za-z][A-Za-z0-9_-]{0,31}):([A-Za-z0-9_][A-Za-z0-9_.-]{0,14})=(\d{1,8})$/.exec(w);
    const vni = m ? Number(m[3]) : NaN;
    if (!m || vni < 1 || vni > 16777215) throw new LabError(`"${w}" is not SWITCH:IF=VNI (a VNI is a whole number from 1 to 16777215), e.g. sb2:vx=100`);
    return { node: m[1]!, iface: m[2]!, vni };
  });
}

export interface VniEnd {
  node: string;
  iface: string;
  dev: string;
  vtep: string;
  local: string;
  remote: string;
  /** UDP port of the VTEP's socket (the same for every end). */
  port: number;
  vni: number;
  /** The VNI the lab file gave its link. */
  fileVni: number;
}

/** Every VXLAN end of a plan with the VNI its device has (after any `lab vni`). */
export function vxlanEnds(p: LabPlan): VniEnd[] {
  return p.links.filter((l) => l.type === 'vxlan').flatMap((l) =>
    [l.a, l.b].map((e) => {
      const peer = e === l.a ? l.b : l.a;
      const [v, r] = [vtepOf(p, e.node), vtepOf(p, peer.node)];
      return { node: e.node, iface: e.iface, dev: e.dev, vtep: v?.name ?? '?', local: v?.ip ?? '?', remote: r?.ip ?? '?', port: VXLAN_PORT, vni: e.vni ?? l.vni!, fileVni: l.vni! };
    }),
  );
}

export interface VniPlan {
  plan: LabPlan;
  ends: { link: PlanLink; end: PlanEnd; vni: number }[];
}

/**
 * Check a set of changes against the plan (pure): every end must be a VXLAN end of this lab, and
 * afterwards no VTEP may hold one VNI twice, since the kernel hands each VNI on a VTEP's socket to
 * one device. Returns the plan as it will be (the ends' `vni` set where it differs from the link's).
 */
export function planVniChange(p: LabPlan, changes: VniChange[]): VniPlan {
  if (p.vteps.some((v) => !Array.isArray(v.switches))) throw new LabError(`lab ${p.name} was brought up by an older VirtLab; take it down and up again to change VNIs`);
  const plan: LabPlan = JSON.parse(JSON.stringify(p));
  const ends: VniPlan['ends'] = [];
  for (const c of changes) {
    const link = plan.links.find((l) => l.type === 'vxlan' && [l.a, l.b].some((e) => e.node === c.node && e.iface === c.iface));
    if (!link) {
      const known = vxlanEnds(p).map((e) => `${e.node}:${e.iface}`);
      throw new LabError(`${c.node}:${c.iface} is not a VXLAN end of lab ${p.name} (its VXLAN ends: ${known.join(', ') || 'none'})`);
    }
    const end = link.a.node === c.node && link.a.iface === c.iface ? link.a : link.b;
    // Tried: ovs-vswitchd (userspace datapath) keeps the port, and even re-added it passes no traffic.
    if (!end.netns) throw new LabError(`${c.node}:${c.iface} is a port of an ovs-bridge switch; lab vni changes VXLAN ends on Linux bridges only`);
    if (ends.some((x) => x.end === end)) throw new LabError(`${c.node}:${c.iface} is named twice`);
    if (c.vni === link.vni) delete end.vni;
    else end.vni = c.vni;
    ends.push({ link, end, vni: c.vni });
  }
  const seen = new Map<string, string>();
  for (const e of vxlanEnds(plan)) {
    const k = `${e.vtep}/${e.vni}`;
    const other = seen.get(k);
    if (other)
      throw new LabError(
        `VTEP ${e.vtep} would hold VNI ${e.vni} twice (${other} and ${e.node}:${e.iface}): a VTEP hands each VNI to exactly one VXLAN device ` +
          `(the kernel says "A VXLAN device with the specified VNI already exists"); give ${other} another VNI in the same command, e.g. ${other}=${e.fileVni === e.vni ? e.vni + 1 : e.fileVni}`,
      );
    seen.set(k, `${e.node}:${e.iface}`);
  }
  return { plan, ends };
}

type End = { link: PlanLink; end: PlanEnd };

/** Lines grouped by the namespace they run in (undefined: root). */
function byNs(ends: End[], ns: (x: End) => string | undefined, line: (x: End) => string): Map<string | undefined, string[]> {
  const m = new Map<string | undefined, string[]>();
  for (const x of ends) m.set(ns(x), [...(m.get(ns(x)) ?? []), line(x)]);
  return m;
}

/** Make VXLAN ends in their VTEPs with the plan's VNIs, then join them to their switches. */
async function makeEnds(plan: LabPlan, ends: End[]): Promise<void> {
  for (const [ns, lines] of byNs(ends, (x) => vtepOf(plan, x.end.node)!.netns, (x) => vxlanAddLine(plan, x.link, x.end, process.pid))) must(await ipBatch(lines, ns), `ip -n ${ns} -batch (VXLAN devices)`);
  for (const [ns, lines] of byNs(ends, (x) => x.end.netns, (x) => vxlanAttachLine(plan, x.end))) must(await ipBatch(lines, ns), 'ip -batch (VXLAN ports)');
}

/** Re-create the named VXLAN ends with their new VNIs and record them in the ledger; returns every VXLAN end as it is now. */
export async function labSetVni(l: Ledger, changes: VniChange[], stateDir: string): Promise<VniEnd[]> {
  const { plan, ends } = planVniChange(l.plan, changes);
  for (const [ns, lines] of byNs(ends, (x) => x.end.netns, (x) => `link del dev ${x.end.dev}`)) must(await ipBatch(lines, ns), `ip -batch (delete ${plural(lines.length, 'VXLAN device')})`);
  try {
    await makeEnds(plan, ends);
  } catch (e) {
    // Put the ends back as they were, so the lab stays what its ledger says.
    const old = ends.map((x): End => {
      const link = l.plan.links.find((k) => k.index === x.link.index)!;
      return { link, end: link.a.dev === x.end.dev ? link.a : link.b };
    });
    for (const [ns, lines] of byNs(old, (x) => x.end.netns, (x) => `link del dev ${x.end.dev}`)) await ipBatch(lines, ns, true);
    await makeEnds(l.plan, old).catch(() => undefined);
    throw e;
  }
  await writeLedger(stateDir, { ...l, plan });
  return vxlanEnds(plan);
}
