import { NS_TYPES, type NsType } from '../../proc/namespaces';
import type { GraphNode, Snapshot } from '../../model/graph';
import { containerNamed, fail, hostNamespace, membersOf, nodeById, ok, processNamespaces } from '../probe';
import type { CheckResult } from '../types';
import type { LabChecks } from './registry';
import { plural } from '../../../shared/format';

// Guided labs 1 (PID namespaces) and 2 (all eight namespaces): read from the snapshot's container,
// namespace and process nodes, i.e. exactly what the Containers and Namespaces views show.

const nsOf = (c: GraphNode) => (c.props.namespaces ?? {}) as Partial<Record<NsType, number>>;

/** The running container, or a failed result saying what was found instead. */
function running(s: Snapshot, name: string): GraphNode | CheckResult {
  const c = containerNamed(s, name);
  if (!c) return fail(`No container named ${name} (the snapshot lists ${plural(s.nodes.filter((n) => n.kind === 'container').length, 'container')}, none of them ${name}).`);
  if (c.props.state !== 'running') return fail(`Container ${name} exists but is ${String(c.props.state)}, not running.`);
  return c;
}

const isResult = (x: GraphNode | CheckResult): x is CheckResult => 'ok' in x;

export const pidNamespaceChecks: LabChecks = {
  async run(ctx) {
    const s = await ctx.snapshot();
    const c = running(s, 'vlg-pid');
    if (isResult(c)) return c;
    const pidNs = nsOf(c).pid;
    const host = hostNamespace(s, 'pid');
    if (pidNs === undefined) return fail(`Container vlg-pid's PID namespace could not be read (the proc source says: ${s.report.sources.proc?.detail ?? 'nothing'}).`);
    if (host !== undefined && pidNs === host) return fail(`vlg-pid is in the host's PID namespace pid:[${host}] (was it started with --pid=host?).`);
    const init = nodeById(s, `process:${String(c.props.pid)}`);
    const nspid = (init?.props.nspid ?? []) as number[];
    if (!init || init.props.comm !== 'sleep') return fail(`vlg-pid's first process (host PID ${String(c.props.pid)}) is ${init ? `\`${String(init.props.comm)}\`` : 'not readable'}, not \`sleep\`.`);
    if (nspid.at(-1) !== 1) return fail(`vlg-pid's sleep (host PID ${String(c.props.pid)}) has PID ${nspid.at(-1) ?? '?'} inside, not 1.`);
    return ok(`vlg-pid: PID namespace pid:[${pidNs}] differs from the host's pid:[${host ?? '?'}]; its PID 1 is \`sleep\`, which the host knows as PID ${nspid[0]} (NSpid ${nspid.join(' ')}).`);
  },

  async compare(ctx) {
    const s = await ctx.snapshot();
    const c = running(s, 'vlg-pid');
    if (isResult(c)) return c;
    const pidNs = nsOf(c).pid;
    if (pidNs === undefined) return fail('vlg-pid\'s PID namespace could not be read.');
    const members = membersOf(s, 'pid', pidNs);
    const second = members.find((p) => p.comm === 'sleep' && p.nspid.length > 1 && p.nspid.at(-1) !== 1);
    if (!second) return fail(`vlg-pid's PID namespace pid:[${pidNs}] holds ${plural(members.length, 'process')}: ${members.map((p) => `${p.comm} (PID ${p.nspid.at(-1)} inside)`).join(', ') || 'none'}; no second \`sleep\`.`);
    return ok(`A second \`sleep\` in vlg-pid: PID ${second.nspid.at(-1)} inside the container, PID ${second.pid} on the host (NSpid ${second.nspid.join(' ')}); ${members.length} processes share pid:[${pidNs}].`);
  },
};

export const namespacesChecks: LabChecks = {
  async run(ctx) {
    const s = await ctx.snapshot();
    const c = running(s, 'vlg-ns');
    if (isResult(c)) return c;
    const ns = nsOf(c);
    const own: string[] = [];
    const shared: string[] = [];
    const unknown: string[] = [];
    for (const t of NS_TYPES) {
      const mine = ns[t];
      const host = hostNamespace(s, t);
      if (mine === undefined) unknown.push(t);
      else if (host !== undefined && mine === host) shared.push(`${t}:[${mine}]`);
      else own.push(`${t}:[${mine}]`);
    }
    if (!own.some((x) => x.startsWith('net:')) || !own.some((x) => x.startsWith('pid:'))) return fail(`vlg-ns does not have its own net and pid namespaces (own: ${own.join(', ') || 'none'}).`);
    if (own.length + shared.length < 7) return fail(`Only ${own.length + shared.length} of vlg-ns's 8 namespaces could be read (missing: ${unknown.join(', ')}).`);
    return ok(`vlg-ns has ${own.length + shared.length} namespaces: own ${own.join(', ')}; shared with the host ${shared.join(', ') || 'none'}${unknown.length ? `; not readable: ${unknown.join(', ')}` : ''}.`);
  },

  async 'enter-net'(ctx) {
    const s = await ctx.snapshot();
    const c = running(s, 'vlg-ns');
    if (isResult(c)) return c;
    const ns = nsOf(c);
    if (ns.net === undefined || ns.pid === undefined) return fail('vlg-ns\'s namespaces could not be read.');
    const inNet = membersOf(s, 'net', ns.net);
    const hostPid = hostNamespace(s, 'pid');
    for (const p of inNet) {
      const pns = processNamespaces(s, p.pid);
      if (pns.pid === undefined || pns.pid === ns.pid || pns.mnt === undefined || pns.mnt === ns.mnt) continue;
      return ok(`Process ${p.pid} (\`${p.comm}\`) is in vlg-ns's network namespace net:[${ns.net}] but in PID namespace pid:[${pns.pid}]${pns.pid === hostPid ? ' (the host\'s)' : ''} and mount namespace mnt:[${pns.mnt}], not the container's pid:[${ns.pid}] / mnt:[${ns.mnt}].`);
    }
    return fail(`net:[${ns.net}] of vlg-ns holds ${plural(inNet.length, 'process')} (${inNet.map((p) => `${p.pid} ${p.comm}`).join(', ')}), all also in the container's PID namespace pid:[${ns.pid}]: none entered only the network namespace.`);
  },
};
