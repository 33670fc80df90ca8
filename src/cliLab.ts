import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { LabError, labClean, labDown, labStatus, labUp, type EngineOptions } from './core/lab/engine';
import { generateLab, parseTopo } from './core/lab/generate';
import { defaultStateDir, readLedger } from './core/lab/ledger';
import { hostCommand, labCapture, labFlowAdd, labFlowDel, labFlows, labIperf, labLinkState, labPing, labPingAll, labSetLink, parseNetemWords, runningPlan } from './core/lab/ops';
import { isRoot, PrivilegeError, readAsCaller, sudoCaller, sudoersLine } from './core/lab/privilege';
import type { LabIssue } from './core/lab/types';
import { loadLab } from './core/lab/validate';
import { MAX_LAB_BYTES } from './core/lab/parse';
import { labSetVni, parseVniWords, vxlanEnds } from './core/lab/vni';
import { plural } from './shared/format';

export const LAB_USAGE = `usage: virtlab lab <command> ...

  generate TOPO [--switch bridge|ovs] [--name N] [-o FILE]
                                  write a lab file; TOPO = single,N | linear,N | tree,DEPTH,FANOUT
  validate FILE [--json]          check a lab file (errors name the line and the fix)
  up FILE                         create the lab
  down NAME                       remove exactly what the lab created
  status [NAME] [--json]          labs in the ledger and what of them exists
  pingall NAME [--json]           ping every ordered host pair (pairs tried, pairs answered)
  ping NAME A B                   one ping from host A to host B
  iperf NAME A B [--seconds S]    iperf3 from A to B
  exec NAME HOST -- CMD...        run a command on a lab host
  link NAME A B up|down           take the link between A and B up or down
  set-link NAME A B delay=10ms jitter=2ms loss=5% rate=10mbit | none
  vni NAME [SWITCH:IF=VNI...]     show the VXLAN ends, or give them other VNIs (several at once: a swap)
  capture NAME HOST:IF [-o FILE] [--count N] [--seconds S]   tcpdump into a pcap file
  flow add|del|dump NAME SWITCH [FLOW]    OpenFlow rules on an ovs-bridge switch
  clean [--stale] [--json]        remove every lab in the ledger (--stale: only those cut off halfway)

options: --state-dir DIR (default $VIRTLAB_STATE_DIR or /run/virtlab/labs)
         --prefix P (2-4 letters starting kernel names; default vl)   --label K=V (Docker label on container hosts)
`;

class LabUsage extends Error {}

/** Commands that change the machine: as an ordinary user they go through `sudo -n`. */
const PRIVILEGED = new Set(['up', 'down', 'pingall', 'ping', 'iperf', 'exec', 'link', 'set-link', 'vni', 'capture', 'flow', 'clean']);

interface Parsed {
  pos: string[];
  opts: Map<string, string[]>;
  rest: string[];
}

function parseArgs(args: string[]): Parsed {
  const dd = args.indexOf('--');
  const head = dd >= 0 ? args.slice(0, dd) : args;
  const rest = dd >= 0 ? args.slice(dd + 1) : [];
  const pos: string[] = [];
  const opts = new Map<string, string[]>();
  const valued = new Set(['--switch', '--name', '-o', '--seconds', '--count', '--state-dir', '--prefix', '--label']);
  for (let i = 0; i < head.length; i++) {
    const a = head[i];
    if (valued.has(a)) {
      const v = head[++i];
      if (v === undefined) throw new LabUsage(`${a} needs a value`);
      opts.set(a, [...(opts.get(a) ?? []), v]);
    } else if (a.startsWith('--')) opts.set(a, ['']);
    else pos.push(a);
  }
  return { pos, opts, rest };
}

const one = (p: Parsed, k: string) => p.opts.get(k)?.at(-1);
const out = (s: string) => process.stdout.write(s.endsWith('\n') ? s : s + '\n');
const err = (s: string) => process.stderr.write(s.endsWith('\n') ? s : s + '\n');

function formatIssues(file: string, issues: LabIssue[]): string {
  return issues.map((i) => `${file}:${i.line}:${i.col}: ${i.message}${i.fix ? `\n  fix: ${i.fix}` : ''}`).join('\n');
}

/** Re-run this very command as root through `sudo -n` (no password prompt, ever). */
function viaSudo(args: string[]): number {
  const cli = process.argv[1];
  const extra = process.env.VIRTLAB_STATE_DIR && !args.includes('--state-dir') ? ['--state-dir', process.env.VIRTLAB_STATE_DIR] : [];
  const r = spawnSync('sudo', ['-n', process.execPath, cli, 'lab', ...args, ...extra], { stdio: ['inherit', 'inherit', 'pipe'], encoding: 'utf8' });
  if (r.error || (r.status !== 0 && /password is required|not allowed|may not run|not in the sudoers/i.test(r.stderr ?? ''))) {
    err(`virtlab lab ${args[0]} needs root, and \`sudo -n\` did not allow it${r.error ? ` (${r.error.message})` : `: ${(r.stderr ?? '').trim()}`}.`);
    err('Run as root, or add this one line with `sudo visudo -f /etc/sudoers.d/virtlab`:');
    err(`  ${sudoersLine(process.env.USER ?? 'YOUR_USER', process.execPath, cli)}`);
    return 4;
  }
  if (r.stderr) process.stderr.write(r.stderr);
  return r.status ?? 1;
}

/** `virtlab lab ...`: the lab engine, headless. Returns the process exit code. */
/** `virtlab lab ...`; `hooks.onStep` observes the stages of `up` (the fault tests stop it there). */
export async function runLab(args: string[], hooks: Pick<EngineOptions, 'onStep'> = {}): Promise<number> {
  const [cmd, ...restArgs] = args;
  if (!cmd || cmd === 'help' || cmd === '--help') {
    out(LAB_USAGE);
    return cmd ? 0 : 2;
  }
  try {
    if (PRIVILEGED.has(cmd) && !isRoot()) return viaSudo(args);
    return await dispatch(cmd, parseArgs(restArgs), hooks);
  } catch (e) {
    if (e instanceof LabUsage) {
      err(`virtlab lab: ${e.message}\n\n${LAB_USAGE}`);
      return 2;
    }
    if (e instanceof LabError || e instanceof PrivilegeError) {
      err(`virtlab lab ${cmd}: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

/** Most positional arguments each command takes: the helper refuses anything it would silently ignore. */
const MAX_POS: Record<string, number> = { generate: 1, validate: 1, up: 1, down: 1, clean: 0, status: 1, pingall: 1, ping: 3, iperf: 3, exec: 2, link: 4, 'set-link': 16, vni: 17, capture: 2, flow: 4 };
const FLAGS = new Set(['--json', '--stale', '--strict', '--switch', '--name', '-o', '--seconds', '--count', '--state-dir', '--prefix', '--label']);

async function dispatch(cmd: string, p: Parsed, hooks: Pick<EngineOptions, 'onStep'>): Promise<number> {
  const unknown = [...p.opts.keys()].filter((k) => !FLAGS.has(k));
  if (unknown.length) throw new LabUsage(`unknown option ${unknown.join(', ')}`);
  if (cmd in MAX_POS && p.pos.length > MAX_POS[cmd]!) throw new LabUsage(`${cmd} takes at most ${MAX_POS[cmd]} arguments, got: ${p.pos.join(' ')}`);
  if (p.rest.length && cmd !== 'exec') throw new LabUsage(`only exec takes \`-- CMD...\``);
  const json = p.opts.has('--json');
  const stateDir = one(p, '--state-dir') ?? defaultStateDir();
  const prefix = one(p, '--prefix') ?? process.env.VIRTLAB_LAB_PREFIX;
  const labels = Object.fromEntries((p.opts.get('--label') ?? []).map((kv) => kv.split(/=(.*)/s).slice(0, 2) as [string, string]));
  const need = (n: number, what: string) => {
    if (p.pos.length < n) throw new LabUsage(`${cmd} needs ${what}`);
  };
  const plan = async (name: string) => {
    const l = await readLedger(stateDir, name);
    if (!l) throw new LabError(`no lab named ${name} in ${stateDir} (see \`virtlab lab status\`)`);
    return runningPlan(l);
  };
  switch (cmd) {
    case 'generate': {
      need(1, 'a topology such as linear,4');
      const sw = one(p, '--switch') ?? 'bridge';
      if (sw !== 'bridge' && sw !== 'ovs') throw new LabUsage('--switch is bridge or ovs');
      let topo;
      try {
        topo = parseTopo(p.pos[0]);
      } catch (e) {
        throw new LabUsage((e as Error).message);
      }
      const text = generateLab(topo, { switch: sw, name: one(p, '--name') });
      const file = one(p, '-o');
      if (file) writeFileSync(file, text);
      else out(text);
      return 0;
    }
    case 'validate':
    case 'up': {
      need(1, 'a lab file');
      const file = p.pos[0];
      const r = loadLab(await readAsCaller(file, MAX_LAB_BYTES));
      if (cmd === 'validate') {
        if (json) out(JSON.stringify({ file, ok: !!r.lab, issues: r.issues }, null, 2));
        else out(r.lab ? `${file}: ok (${plural(r.lab.hosts.length, 'host')}, ${plural(r.lab.switches.length, 'switch')}, ${plural(r.lab.links.length, 'link')})` : formatIssues(file, r.issues));
        return r.lab ? 0 : 1;
      }
      if (!r.lab) {
        err(`${formatIssues(file, r.issues)}\nnothing was created.`);
        return 1;
      }
      const t0 = performance.now();
      const l = await labUp(r.lab, { stateDir, prefix, labels, file: path.resolve(file), log: (s) => err(s), onStep: hooks.onStep });
      if (json) out(JSON.stringify({ lab: l.name, stem: l.stem, objects: l.plan.objects.length, ms: Math.round(performance.now() - t0) }));
      return 0;
    }
    case 'down': {
      need(1, 'a lab name');
      const r = await labDown(p.pos[0], { stateDir });
      if (json) out(JSON.stringify(r));
      else err(`removed ${plural(r.removed.length, 'object')}${r.left.length ? `; could not remove: ${r.left.map((o) => o.name).join(', ')}` : ''}`);
      return r.left.length ? 1 : 0;
    }
    case 'clean': {
      const r = await labClean({ stateDir, staleOnly: p.opts.has('--stale') });
      if (json) out(JSON.stringify(r, null, 2));
      else if (!r.length) err('nothing to clean');
      else for (const x of r) err(`${x.lab} (${x.phase}): removed ${x.removed.length}${x.left.length ? `, left ${x.left.map((o) => o.name).join(', ')}` : ''}`);
      return r.some((x) => x.left.length) ? 1 : 0;
    }
    case 'status': {
      const st = await labStatus({ stateDir, name: p.pos[0] });
      if (p.pos[0] && !st.length) throw new LabError(`no lab named ${p.pos[0]} in ${stateDir}`);
      if (json) out(JSON.stringify(st, null, 2));
      else if (!st.length) out('no labs');
      else for (const s of st) out(`${s.name}  ${s.stale ? 'CUT OFF (run virtlab lab clean)' : s.phase}  ${s.present}/${s.objects} objects  hosts: ${s.hosts.map((h) => `${h.name}(${h.addresses.join(',')})`).join(' ')}`);
      return 0;
    }
    case 'pingall': {
      need(1, 'a lab name');
      const r = await labPingAll(await plan(p.pos[0]));
      if (json) out(JSON.stringify(r, null, 2));
      else {
        const names = [...new Set(r.pairs.map((x) => x.from))];
        for (const a of names) out(`${a} -> ${r.pairs.filter((x) => x.from === a).map((x) => (x.ok ? x.to : 'X')).join(' ')}`);
        out(`*** Results: ${r.dropPercent}% dropped (${r.answered}/${r.tried} received)${r.skipped ? `; ${r.skipped} pairs in different segments not tried` : ''}`);
      }
      return r.answered === r.tried ? 0 : 1;
    }
    case 'ping': {
      need(3, 'a lab name and two hosts');
      const r = await labPing(await plan(p.pos[0]), p.pos[1], p.pos[2], { count: Number(one(p, '--count') ?? 1) });
      out(json ? JSON.stringify(r) : `${r.from} -> ${r.to} (${r.address}): ${r.ok ? `ok${r.rttMs !== undefined ? ` ${r.rttMs} ms` : ''}` : 'no answer'}`);
      return r.ok ? 0 : 1;
    }
    case 'iperf': {
      need(3, 'a lab name and two hosts');
      const r = await labIperf(await plan(p.pos[0]), p.pos[1], p.pos[2], Number(one(p, '--seconds') ?? 2));
      out(json ? JSON.stringify({ bitsPerSecond: r.bitsPerSecond }) : `${p.pos[1]} -> ${p.pos[2]}: ${(r.bitsPerSecond / 1e6).toFixed(1)} Mbit/s`);
      return 0;
    }
    case 'exec': {
      need(2, 'a lab name and a host');
      if (!p.rest.length) throw new LabUsage('exec needs `-- CMD...`');
      const [f, a] = hostCommand(await plan(p.pos[0]), p.pos[1], p.rest, sudoCaller());
      return await new Promise<number>((resolve) => {
        const c = spawn(f, a, { stdio: 'inherit' });
        c.on('error', (e) => {
          err(e.message);
          resolve(127);
        });
        c.on('exit', (code, sig) => resolve(code ?? (sig ? 128 : 1)));
      });
    }
    case 'link': {
      need(4, 'a lab name, two nodes and up|down');
      const st = p.pos[3];
      if (st !== 'up' && st !== 'down') throw new LabUsage('link state is up or down');
      await labLinkState(await plan(p.pos[0]), p.pos[1], p.pos[2], st);
      return 0;
    }
    case 'set-link': {
      need(4, 'a lab name, two nodes and settings such as delay=10ms');
      await labSetLink(await plan(p.pos[0]), p.pos[1], p.pos[2], parseNetemWords(p.pos.slice(3)));
      return 0;
    }
    case 'vni': {
      need(1, 'a lab name');
      const l = await readLedger(stateDir, p.pos[0]);
      if (!l) throw new LabError(`no lab named ${p.pos[0]} in ${stateDir} (see \`virtlab lab status\`)`);
      runningPlan(l);
      const ends = p.pos.length > 1 ? await labSetVni(l, parseVniWords(p.pos.slice(1)), stateDir) : vxlanEnds(l.plan);
      if (json) out(JSON.stringify(ends, null, 2));
      else if (!ends.length) out(`lab ${l.name} has no VXLAN link`);
      else for (const e of ends) out(`${`${e.node}:${e.iface}`.padEnd(12)} VNI ${String(e.vni).padEnd(6)} VTEP ${e.vtep} ${e.local} -> ${e.remote} UDP ${e.port}  (${e.dev}${e.vni !== e.fileVni ? `; the lab file says VNI ${e.fileVni}` : ''})`);
      return 0;
    }
    case 'capture': {
      need(2, 'a lab name and HOST:IF');
      const [host, iface] = p.pos[1].split(':');
      if (!iface) throw new LabUsage('capture needs HOST:IF, e.g. h1:eth0');
      const file = path.resolve(one(p, '-o') ?? `${p.pos[0]}-${host}-${iface}.pcap`);
      await labCapture(await plan(p.pos[0]), host, iface, file, { count: Number(one(p, '--count') ?? 100), seconds: Number(one(p, '--seconds') ?? 10) });
      out(file);
      return 0;
    }
    case 'flow': {
      need(3, 'add|del|dump, a lab name and a switch');
      const [sub, name, sw, flow] = p.pos;
      const pl = await plan(name);
      if (sub === 'dump') {
        const f = await labFlows(pl, sw);
        out(json ? JSON.stringify(f, null, 2) : f.map((x) => `priority=${x.priority} ${x.match} actions=${x.actions} n_packets=${x.nPackets}`).join('\n'));
        return 0;
      }
      if (!flow) throw new LabUsage(`flow ${sub} needs a flow (match,actions=... or a match)`);
      if (sub === 'add') await labFlowAdd(pl, sw, flow);
      else if (sub === 'del') await labFlowDel(pl, sw, flow, p.opts.has('--strict'));
      else throw new LabUsage('flow add|del|dump');
      return 0;
    }
    default:
      throw new LabUsage(`unknown lab command: ${cmd}`);
  }
}
