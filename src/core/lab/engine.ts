import { existsSync } from 'node:fs';
import { parseIpLinks } from '../net/links';
import { run, type RunResult } from '../sys/exec';
import { impairDevice } from './impair';
import { listLinks, readInventory, type Inventory } from './inventory';
import { defaultStateDir, listLedgers, pidAlive, readLedger, removeLedger, writeLedger, type Ledger, type LedgerObject } from './ledger';
import { isLabDev, isLabNetns } from './naming';
import { hostBatch, ovsArgs, planLab, rootBatch, switchBatch, vtepBatch, vxlanAttachBatch, type LabPlan, type PlanLink } from './plan';
import { requireRoot } from './privilege';
import type { Lab, Netem } from './types';
import { mapPool } from '../sys/pool';
import { plural } from '../../shared/format';

// up / down / clean / status: few processes (ip -batch, one ovs-vsctl transaction), ledger first.

export interface EngineOptions {
  stateDir?: string;
  /** Name prefix of kernel objects (2-4 letters; default "vl"). */
  prefix?: string;
  /** Extra Docker labels for container hosts (tests add virtlab.test=1). */
  labels?: Record<string, string>;
  /** Lab file the lab came from, kept in the ledger. */
  file?: string;
  /** Progress lines for people. */
  log?: (line: string) => void;
  /** Called after each stage of `up` (what is in the ledger and on the machine is then that far). */
  onStep?: (step: UpStep) => void;
}

export class LabError extends Error {}

/** The stages of `up`, in order. */
export type UpStep = 'ledger' | 'containers' | 'root' | 'hosts' | 'switches';

const stateDirOf = (o: EngineOptions) => o.stateDir ?? defaultStateDir();

/** The result when it succeeded; otherwise a LabError with the tool's first lines of stderr. */
export function must(r: RunResult, what: string): RunResult {
  if (r.error === 'ENOENT') throw new LabError(`${what} failed: the program is not installed (ip and nsenter come with iproute2 and util-linux)`);
  if (!r.ok) throw new LabError(`${what} failed: ${(r.stderr || r.error || `exit ${r.code}`).trim().split('\n').slice(0, 6).join('\n')}`);
  return r;
}


/**
 * One `ip -batch` process, in a namespace when `ns` is given. nsenter rather than `ip -n`: `ip -n`
 * also unshares the mount namespace and remounts /sys, which costs about three times as much.
 */
export const ipBatch = (lines: string[], ns?: string, force = false) =>
  run(ns ? 'nsenter' : 'ip', [...(ns ? [`--net=${NETNS_DIR}/${ns}`, 'ip'] : []), ...(force ? ['-force'] : []), '-batch', '-'], { input: lines.join('\n') + '\n', timeoutMs: 60000 });

/** Where `ip netns` keeps its namespace files. */
export const NETNS_DIR = '/run/netns';

/** Userspace datapath unless the kernel's openvswitch module is loaded. */
export function ovsDatapathType(sysRoot = '/sys'): 'netdev' | 'system' {
  return existsSync(`${sysRoot}/module/openvswitch`) ? 'system' : 'netdev';
}

/** Bring a checked lab up; on failure everything made so far is removed again. Returns the ledger. */
export async function labUp(lab: Lab, o: EngineOptions = {}): Promise<Ledger> {
  requireRoot('lab up');
  const log = o.log ?? (() => undefined);
  const dir = stateDirOf(o);
  const plan = planLab(lab, o.prefix);
  const { ledgers } = await listLedgers(dir);
  const same = ledgers.find((l) => l.name === lab.name);
  if (same) throw new LabError(`lab ${lab.name} is already ${same.phase === 'up' ? 'up' : `in the ledger (${same.phase})`}; run \`virtlab lab down ${lab.name}\` first${same.phase === 'up' ? '' : ' or `virtlab lab clean`'}`);
  const clash = ledgers.find((l) => l.stem === plan.stem);
  if (clash) throw new LabError(`lab ${lab.name} would share the name stem ${plan.stem} with running lab ${clash.name}; rename one of them`);
  const needOvs = plan.switches.some((s) => s.kind === 'ovs-bridge');
  const needDocker = plan.hosts.some((h) => h.container);
  await preflight(plan, needOvs, needDocker);

  const ledger: Ledger = { version: 1, name: lab.name, stem: plan.stem, file: o.file, pid: process.pid, startedAt: new Date().toISOString(), phase: 'creating', plan };
  await writeLedger(dir, ledger);
  o.onStep?.('ledger');
  try {
    const pids: Record<string, number> = {};
    const ctrs = plan.hosts.filter((h) => h.container);
    if (ctrs.length) {
      log(`starting ${plural(ctrs.length, 'container host')}`);
      await mapPool(ctrs, 4, async (h) => {
        const labels = { 'virtlab.lab': plan.name, 'virtlab.lab.stem': plan.stem, 'virtlab.lab.host': h.name, ...(o.labels ?? {}) };
        const args = ['run', '-d', '--name', h.container!, '--hostname', h.name, '--network', 'none', '--cap-add', 'NET_ADMIN', '--cap-add', 'NET_RAW'];
        for (const [k, v] of Object.entries(labels)) args.push('--label', `${k}=${v}`);
        must(await run('docker', [...args, '--', h.image!, ...h.cmd!], { timeoutMs: 60000 }), `docker run ${h.container}`);
      });
      const r = must(await run('docker', ['inspect', '-f', '{{.State.Pid}}', ...ctrs.map((h) => h.container!)], { timeoutMs: 20000 }), 'docker inspect');
      r.stdout.trim().split('\n').forEach((pid, i) => {
        if (!/^[1-9]\d*$/.test(pid)) throw new LabError(`container ${ctrs[i].container} is not running (pid ${pid})`);
        pids[ctrs[i].name] = Number(pid);
      });
    }
    o.onStep?.('containers');
    log('creating namespaces, bridges and links');
    must(await ipBatch(rootBatch(plan, pids)), 'ip -batch (namespaces, veth pairs)');
    o.onStep?.('root');
    log(`configuring ${plan.hosts.length + plan.vteps.length + (plan.swNetns ? 1 : 0)} namespaces`);
    const nsJobs: [string, string[]][] = [
      ...(plan.swNetns ? [[plan.swNetns, switchBatch(plan)] as [string, string[]]] : []),
      ...plan.hosts.map((h): [string, string[]] => [h.netns, hostBatch(h)]),
      ...plan.vteps.map((v): [string, string[]] => [v.netns, vtepBatch(plan, v, process.pid)]),
    ];
    await mapPool(nsJobs, 12, async ([ns, lines]) => must(await ipBatch(lines, ns), `ip -n ${ns} -batch`));
    o.onStep?.('hosts');
    log('switch ports, VXLAN, OpenFlow and impairments');
    const vx = vxlanAttachBatch(plan);
    if (vx.sw.length) must(await ipBatch(vx.sw, plan.swNetns), 'ip -batch (VXLAN ports)');
    if (vx.root.length) must(await ipBatch(vx.root), 'ip -batch (VXLAN ports for OVS)');
    if (needOvs) {
      must(await run('ovs-vsctl', ovsArgs(plan, ovsDatapathType()), { timeoutMs: 30000 }), 'ovs-vsctl (bridges and ports)');
      for (const s of plan.switches) {
        if (s.kind === 'ovs-bridge' && s.openflow.length) must(await run('ovs-ofctl', ['add-flows', s.dev, '-'], { input: s.openflow.join('\n') + '\n', timeoutMs: 15000 }), `ovs-ofctl add-flows ${s.name}`);
      }
    }
    o.onStep?.('switches');
    for (const l of plan.links) if (l.netem) await applyNetem(l, l.netem);
    if (!(await waitForwarding(plan))) log('some switch ports were not forwarding yet after 10 s; the first pings may fail');
    ledger.phase = 'up';
    await writeLedger(dir, ledger);
    log(`lab ${lab.name} is up: ${plural(plan.hosts.length, 'host')}, ${plural(plan.switches.length, 'switch')}, ${plural(plan.links.length, 'link')}`);
    return ledger;
  } catch (e) {
    log(`up failed, removing what was made: ${(e as Error).message}`);
    await removeLab(ledger, dir);
    throw e;
  }
}

async function preflight(plan: LabPlan, needOvs: boolean, needDocker: boolean): Promise<void> {
  if (needOvs && !(await run('ovs-vsctl', ['--timeout=5', 'show'], { timeoutMs: 8000 })).ok)
    throw new LabError('the lab has ovs-bridge nodes but Open vSwitch does not answer: install openvswitch-switch and start it (`/usr/share/openvswitch/scripts/ovs-ctl start`), or use kind: bridge');
  if (needDocker) {
    if (!(await run('docker', ['version', '--format', '{{.Server.Version}}'], { timeoutMs: 10000 })).ok) throw new LabError('the lab has kind: linux nodes but Docker does not answer: start dockerd');
    const images = [...new Set(plan.hosts.filter((h) => h.image).map((h) => h.image!))];
    const r = await run('docker', ['image', 'inspect', '-f', '{{.Id}}', ...images], { timeoutMs: 15000 });
    if (!r.ok) throw new LabError(`image missing (no registry is contacted): ${r.stderr.trim().split('\n')[0]}`);
  }
}

/**
 * `up` returns when the lab carries traffic: every Linux bridge port in the lab's switch namespace
 * is forwarding and every lab device in the root namespace (OVS ports) has carrier. Ports turn forwarding only
 * once both ends of their veth are up, so pings right after `up` do not race link setup.
 * One process per poll; gives up (false) after `timeoutMs`.
 */
export async function waitForwarding(plan: LabPlan, timeoutMs = 10000): Promise<boolean> {
  const ready = async (): Promise<boolean> => {
    if (plan.swNetns) {
      const r = await run('bridge', ['-n', plan.swNetns, '-j', 'link', 'show'], { timeoutMs: 5000 });
      const ports = r.ok ? (JSON.parse(r.stdout || '[]') as { state?: string }[]) : [];
      if (!r.ok || ports.some((p) => p.state !== 'forwarding')) return false;
    }
    if (plan.switches.some((sw) => sw.kind === 'ovs-bridge')) {
      const r = await run('ip', ['-j', 'link', 'show'], { timeoutMs: 5000 });
      const parsed = r.ok ? parseIpLinks(r.stdout) : { error: 'ip -j link show failed' };
      if ('error' in parsed || parsed.links.some((l) => l.name.startsWith(plan.stem) && !l.flags.includes('LOWER_UP'))) return false;
    }
    return true;
  };
  for (const end = Date.now() + timeoutMs; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    if (await ready().catch(() => false)) return true;
  }
  return false;
}

/** Which objects of a lab (its plan's objects, plus orphans carrying its stem) exist now. */
export function presentObjects(l: Pick<LabPlan, 'stem' | 'objects'>, inv: Inventory): LedgerObject[] {
  const out = new Map<string, LedgerObject>();
  const add = (o: LedgerObject) => out.set(`${o.type}:${o.name}`, o);
  for (const o of l.objects) {
    const present =
      (o.type === 'link' && inv.links.has(o.name)) ||
      (o.type === 'netns' && inv.netns.has(o.name)) ||
      (o.type === 'ovs-bridge' && !!inv.ovsBridges?.has(o.name)) ||
      // A container counts only with the lab's label: a stranger that happens to hold the name is left alone.
      (o.type === 'container' && inv.containers?.get(o.name) === l.stem);
    if (present) add(o);
  }
  // An OVS bridge of the userspace datapath also shows as a root tap device of the same name.
  const ovsNames = new Set(l.objects.filter((o) => o.type === 'ovs-bridge').map((o) => o.name));
  for (const n of inv.links) if (isLabDev(l.stem, n) && !ovsNames.has(n) && !inv.ovsBridges?.has(n)) add({ type: 'link', name: n });
  for (const n of inv.netns) if (isLabNetns(l.stem, n)) add({ type: 'netns', name: n });
  for (const n of inv.ovsBridges ?? []) if (isLabDev(l.stem, n)) add({ type: 'ovs-bridge', name: n });
  for (const [n, stem] of inv.containers ?? []) if (stem === l.stem && isLabNetns(l.stem, n)) add({ type: 'container', name: n });
  return [...out.values()];
}

/** Remove exactly the lab's objects (containers, OVS bridges, root links, namespaces) and its ledger. */
export async function removeLab(l: Ledger, dir: string): Promise<{ removed: LedgerObject[]; left: LedgerObject[] }> {
  const hasOvs = l.plan.objects.some((o) => o.type === 'ovs-bridge');
  const hasCtr = l.plan.objects.some((o) => o.type === 'container');
  const inv = await readInventory({ ovs: hasOvs, docker: hasCtr });
  const todo = presentObjects(l.plan, inv);
  const of = (t: LedgerObject['type']) => todo.filter((o) => o.type === t).map((o) => o.name);
  if (of('container').length) await run('docker', ['rm', '-f', '--', ...of('container')], { timeoutMs: 60000 });
  if (of('ovs-bridge').length) await run('ovs-vsctl', ['--timeout=20', ...of('ovs-bridge').flatMap((b, i) => [...(i ? ['--'] : []), '--if-exists', 'del-br', b])], { timeoutMs: 30000 });
  // Namespaces first: the kernel tears down everything inside them, and every veth with an end
  // inside, in one batch (deleting devices one by one costs an RCU grace period each).
  // Root links that no namespace teardown takes along (both veth ends in root) go right away.
  const followsNs = new Set<string>();
  for (const k of l.plan.links) {
    const ends = [k.a, k.b];
    for (const e of ends) if (!e.netns && (k.type === 'vxlan' || ends.some((o) => o !== e && o.netns))) followsNs.add(e.dev);
  }
  const now = [...of('link').filter((n) => !followsNs.has(n)).map((n) => `link del dev ${n}`), ...of('netns').map((n) => `netns del ${n}`)];
  if (now.length) await ipBatch(now, undefined, true);
  const inv2 = await readInventory({ ovs: hasOvs, docker: hasCtr });
  let rootLinks = presentObjects(l.plan, inv2).filter((o) => o.type === 'link');
  // That teardown runs in a kernel worker: give it a moment before deleting leftovers one by one.
  for (let i = 0; i < 40 && rootLinks.length; i++) {
    await new Promise((r) => setTimeout(r, 50));
    const now = await listLinks();
    rootLinks = rootLinks.filter((o) => now.has(o.name));
  }
  if (rootLinks.length) await ipBatch(rootLinks.map((o) => `link del dev ${o.name}`), undefined, true);
  const after = presentObjects(l.plan, await readInventory({ ovs: hasOvs, docker: hasCtr }));
  if (!after.length) await removeLedger(dir, l.name);
  const leftKeys = new Set(after.map((o) => `${o.type}:${o.name}`));
  return { removed: todo.filter((o) => !leftKeys.has(`${o.type}:${o.name}`)), left: after };
}

/** Take a lab down by name. */
export async function labDown(name: string, o: EngineOptions = {}): Promise<{ removed: LedgerObject[]; left: LedgerObject[] }> {
  requireRoot('lab down');
  const dir = stateDirOf(o);
  const l = await readLedger(dir, name);
  if (!l) throw new LabError(`no lab named ${name} in ${dir} (see \`virtlab lab status\`)`);
  if (l.phase === 'creating' && l.pid !== process.pid && pidAlive(l.pid)) throw new LabError(`lab ${name} is still being brought up by process ${l.pid}`);
  l.phase = 'removing';
  await writeLedger(dir, l);
  return removeLab(l, dir);
}

export interface CleanReport {
  lab: string;
  phase: Ledger['phase'];
  removed: LedgerObject[];
  left: LedgerObject[];
}

/** Remove labs from the ledger: all of them, or only those whose `up` was cut off (`staleOnly`). */
export async function labClean(o: EngineOptions & { staleOnly?: boolean } = {}): Promise<CleanReport[]> {
  requireRoot('lab clean');
  const dir = stateDirOf(o);
  const { ledgers } = await listLedgers(dir);
  const out: CleanReport[] = [];
  for (const l of ledgers) {
    if (l.pid !== process.pid && pidAlive(l.pid) && l.phase !== 'up') continue; // an `up` still running
    if (o.staleOnly && !isStale(l)) continue;
    const r = await removeLab(l, dir);
    out.push({ lab: l.name, phase: l.phase, ...r });
  }
  return out;
}

/** A ledger whose writer died before the lab was up (or while it was being removed). */
export function isStale(l: Ledger): boolean {
  return l.phase !== 'up' && !pidAlive(l.pid);
}

export interface LabStatus {
  name: string;
  phase: Ledger['phase'];
  stale: boolean;
  file?: string;
  startedAt: string;
  objects: number;
  present: number;
  hosts: { name: string; kind: string; netns: string; addresses: string[]; present: boolean }[];
  /** Linux bridges live in the lab's switch namespace (`netns`); OVS bridges in root. */
  switches: { name: string; kind: string; dev: string; netns?: string; present: boolean }[];
}

/** Labs in the ledger, with how many of their objects exist right now. Reading needs no root. */
export async function labStatus(o: EngineOptions & { name?: string } = {}): Promise<LabStatus[]> {
  const { ledgers } = await listLedgers(stateDirOf(o));
  const chosen = ledgers.filter((l) => !o.name || l.name === o.name);
  if (!chosen.length) return [];
  const inv = await readInventory({ ovs: chosen.some((l) => l.plan.objects.some((x) => x.type === 'ovs-bridge')), docker: chosen.some((l) => l.plan.objects.some((x) => x.type === 'container')) });
  return chosen.map((l) => {
    const present = presentObjects(l.plan, inv);
    const has = new Set(present.map((x) => `${x.type}:${x.name}`));
    return {
      name: l.name,
      phase: l.phase,
      stale: isStale(l),
      file: l.file,
      startedAt: l.startedAt,
      objects: l.plan.objects.length,
      present: present.length,
      hosts: l.plan.hosts.map((h) => ({ name: h.name, kind: h.kind, netns: h.netns, addresses: h.ifaces.map((i) => `${i.name} ${i.address}`), present: has.has(`netns:${h.netns}`) })),
      switches: l.plan.switches.map((s) => ({ name: s.name, kind: s.kind, dev: s.dev, netns: s.kind === 'bridge' ? l.plan.swNetns : undefined, present: s.kind === 'bridge' ? has.has(`netns:${l.plan.swNetns}`) : has.has(`ovs-bridge:${s.dev}`) })),
    };
  });
}

/** Apply (or with all values empty, remove) impairments on both ends of a link, i.e. both directions. */
export async function applyNetem(link: PlanLink, n: Netem): Promise<void> {
  for (const e of [link.a, link.b]) {
    try {
      await impairDevice(e.dev, e.netns, n);
    } catch (err) {
      throw new LabError(`${e.node}:${e.iface}: ${(err as Error).message}`);
    }
  }
}

/** The link between two nodes (first one when there are several). */
export function findLink(plan: LabPlan, a: string, b: string): PlanLink {
  const l = plan.links.find((x) => (x.a.node === a && x.b.node === b) || (x.a.node === b && x.b.node === a));
  if (!l) throw new LabError(`lab ${plan.name} has no link between ${a} and ${b}`);
  return l;
}
