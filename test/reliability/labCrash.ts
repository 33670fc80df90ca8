// The kill -9 tests' shared parts (reliability: crashes and cleanup): the fault lab, canaries that VirtLab did
// not create (all named vlr9c-canary*), and the count of a lab's leftovers by independent tools:
// interfaces (ip -j link), namespaces (ip netns list and /run/netns), /run/netns mounts
// (/proc/self/mountinfo), OVS bridges (ovs-vsctl list-br) and containers (docker ps -a).
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { labStem } from '../../src/core/lab/naming';
import { add } from './tally';
import { CLI, REPO } from './watchView';

export const LAB = 'vlr9c-crash';
// Lab name prefixes are 2-4 letters (src/core/lab/naming.ts), so this lab's objects use "vlrc".
export const PREFIX = 'vlrc';
export const stem = labStem(LAB, PREFIX);
export const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlr9c-labs-'));
export const labFile = path.join(stateDir, 'crash.vlab.yaml');
/** What the lab engine runs with: its own ledger directory and the "vlrc" name prefix. */
export const labEnv = { VIRTLAB_STATE_DIR: stateDir, VIRTLAB_LAB_PREFIX: PREFIX };
const env = { ...process.env, ...labEnv };

/** The fault lab (every kind of object a lab makes: container host, namespaces, Linux bridge, OVS bridge, veths, VXLAN with underlay and VTEP namespaces, a host-to-host link with loss), renamed. */
export function labText(): string {
  return fs.readFileSync(path.join(REPO, 'test/fixtures/lab/faults.vlab.yaml'), 'utf8').replace(/^name: .*$/m, `name: ${LAB}`);
}

export const x = (file: string, ...args: string[]) => execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
export const quiet = (file: string, ...args: string[]) => spawnSync(file, args, { stdio: 'ignore', timeout: 60_000 });
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const CANARY = { netns: 'vlr9c-canary', vethA: 'vlr9c-canary', vethB: 'vlr9c-canaryp', bridge: 'vlr9c-canarybr', ovs: 'vlr9c-canaryovs', ctr: 'vlr9c-canary', ctrLabelled: 'vlr9c-canary-lbl' };

export function makeCanaries(): void {
  removeCanaries();
  x('ip', 'netns', 'add', CANARY.netns);
  x('ip', 'link', 'add', CANARY.vethA, 'type', 'veth', 'peer', 'name', CANARY.vethB);
  x('ip', 'link', 'add', CANARY.bridge, 'type', 'bridge');
  x('ovs-vsctl', '--timeout=10', 'add-br', CANARY.ovs, '--', 'set', 'bridge', CANARY.ovs, 'datapath_type=netdev');
  x('docker', 'run', '-d', '--network', 'none', '--name', CANARY.ctr, '--label', 'virtlab.test=1', 'virtlab/busybox:latest', 'sleep', '100000');
  // Carries this lab's labels, but VirtLab never made it (not a lab name): it must be left alone too.
  x('docker', 'run', '-d', '--network', 'none', '--name', CANARY.ctrLabelled, '--label', `virtlab.lab=${LAB}`, '--label', `virtlab.lab.stem=${stem}`, '--label', 'virtlab.test=1', 'virtlab/busybox:latest', 'sleep', '100000');
}

export function removeCanaries(): void {
  quiet('docker', 'rm', '-f', CANARY.ctr, CANARY.ctrLabelled);
  quiet('ovs-vsctl', '--timeout=10', '--if-exists', 'del-br', CANARY.ovs);
  quiet('ip', 'link', 'del', CANARY.bridge);
  quiet('ip', 'link', 'del', CANARY.vethA);
  quiet('ip', 'netns', 'del', CANARY.netns);
}

/** Which canaries are missing (independent tools). */
export function missingCanaries(): string[] {
  const links = new Set((JSON.parse(x('ip', '-j', 'link', 'show')) as { ifname: string }[]).map((l) => l.ifname));
  const out: string[] = [];
  for (const l of [CANARY.vethA, CANARY.vethB, CANARY.bridge]) if (!links.has(l)) out.push(`link ${l}`);
  if (!x('ip', 'netns', 'list').split('\n').some((l) => l.split(' ')[0] === CANARY.netns)) out.push(`netns ${CANARY.netns}`);
  if (!x('ovs-vsctl', '--timeout=10', 'list-br').split('\n').includes(CANARY.ovs)) out.push(`ovs ${CANARY.ovs}`);
  const ctrs = x('docker', 'ps', '--filter', 'status=running', '--format', '{{.Names}}').split('\n');
  for (const c of [CANARY.ctr, CANARY.ctrLabelled]) if (!ctrs.includes(c)) out.push(`container ${c}`);
  return out;
}

export interface Orphans {
  interfaces: string[];
  namespaces: string[];
  netnsMounts: string[];
  ovsBridges: string[];
  containers: string[];
}

/** Every object of this lab's stem still on the machine. */
export function orphans(): Orphans {
  const mine = (n: string) => n.startsWith(stem);
  const interfaces = (JSON.parse(x('ip', '-j', 'link', 'show')) as { ifname: string }[]).map((l) => l.ifname).filter(mine);
  const namespaces = [...new Set([...x('ip', 'netns', 'list').split('\n').map((l) => l.split(' ')[0]), ...(fs.existsSync('/run/netns') ? fs.readdirSync('/run/netns') : [])].filter((n) => n && mine(n)))];
  const netnsMounts = fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((mp) => mp?.startsWith('/run/netns/') && mine(mp.slice('/run/netns/'.length)));
  const ovsBridges = x('ovs-vsctl', '--timeout=10', 'list-br').split('\n').filter(mine);
  const containers = x('docker', 'ps', '-a', '--format', '{{.Names}}').split('\n').filter((n) => n && (mine(n) || n.startsWith(`${PREFIX}`)));
  return { interfaces, namespaces, netnsMounts, ovsBridges, containers };
}

export const total = (o: Orphans) => Object.values(o).reduce((s, v: string[]) => s + v.length, 0);

export function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [CLI, 'lab', ...args], { cwd: REPO, env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 180_000 });
}

/** `virtlab lab up` from source (test/support/labCli.ts), SIGKILLing itself right after stage `step`. */
export function upKilledAt(step: string, args: string[]) {
  const entry = path.join(REPO, 'test/support/labCli.ts');
  return spawnSync(process.execPath, ['--import', 'tsx', entry, 'up', ...args], { cwd: REPO, env: { ...env, VIRTLAB_TEST_KILL_AT: step }, encoding: 'utf8', timeout: 180_000 });
}

/** Root-namespace device names right now (cheap: one readdir). */
export const rootDevs = () => fs.readdirSync('/sys/class/net');

export const NO_ORPHANS: Orphans = { interfaces: [], namespaces: [], netnsMounts: [], ovsBridges: [], containers: [] };

/** Probes for "this stage of up has begun": its first objects exist on the machine. */
export const STAGE_SEEN: [string, () => boolean][] = [
  ['the ledger is written (docker run in flight)', () => fs.existsSync(path.join(stateDir, `${LAB}.json`))],
  ['the first container exists (during containers)', () => spawnSync('docker', ['ps', '-aq', '--filter', `label=virtlab.lab.stem=${stem}`, '--filter', `name=^${stem}-`], { encoding: 'utf8' }).stdout.trim() !== ''],
  ['the first root device exists (during root)', () => rootDevs().some((n) => n.startsWith(stem))],
  ['the lab namespaces exist (during hosts)', () => fs.existsSync('/run/netns') && fs.readdirSync('/run/netns').filter((n) => n.startsWith(stem)).length >= 3],
  ['the OVS bridge device exists (during switches)', () => rootDevs().some((n) => n.startsWith(`${stem}o`))],
];

/** The lab's ledger phase, or undefined when it has none. */
export function ledgerPhase(): string | undefined {
  const f = path.join(stateDir, `${LAB}.json`);
  return fs.existsSync(f) ? (JSON.parse(fs.readFileSync(f, 'utf8')) as { phase: string }).phase : undefined;
}

/** Before a file's cases: the lab file, no ledger left from an interrupted run, fresh canaries, nothing of the lab on the machine. */
export function prepareLabCrash(): void {
  fs.mkdirSync(stateDir, { recursive: true });
  fs.writeFileSync(labFile, labText());
  cli(['clean']);
  makeCanaries();
  assert.deepEqual(orphans(), NO_ORPHANS, 'nothing of this lab exists before the tests');
}

/** After a file's cases: clean, canaries and the ledger directory gone. */
export function finishLabCrash(): void {
  cli(['clean']);
  removeCanaries();
  fs.rmSync(stateDir, { recursive: true, force: true });
}

/** Cut-off labs cleaned and counted: each check() is one case of the crash-cleanup figures. */
export class CleanCount {
  readonly totals: Orphans = { interfaces: [], namespaces: [], netnsMounts: [], ovsBridges: [], containers: [] };
  tried = 0;
  survived = 0;
  canaryLosses = 0;

  /** `lab status`, `lab clean`, then count leftovers and canaries; asserts all 0 and the ledger gone. */
  async check(point: string, expectCutOff: boolean): Promise<void> {
    this.tried++;
    const before = orphans();
    const st = JSON.parse(cli(['status', '--json']).stdout || '[]') as { name: string; stale: boolean }[];
    const c = cli(['clean', '--json']);
    // Children of a killed engine (docker run, ip -batch) may still be finishing: look again later.
    await sleep(3000);
    const left = orphans();
    for (const k of Object.keys(this.totals) as (keyof Orphans)[]) this.totals[k].push(...left[k]);
    const lost = missingCanaries();
    this.canaryLosses += lost.length;
    console.log(`      ${point}: ${total(before)} lab objects before clean, ${total(left)} after; canaries lost ${lost.length}`);
    assert.equal(c.status, 0, `clean failed: ${c.stderr}`);
    if (expectCutOff) assert.deepEqual(st.map((l) => [l.name, l.stale]), [[LAB, true]], 'status shows the lab as cut off');
    assert.deepEqual(left, NO_ORPHANS, `orphans after clean (killed ${point})`);
    assert.deepEqual(lost, [], 'canaries survive the clean');
    assert.ok(!fs.existsSync(path.join(stateDir, `${LAB}.json`)), 'the ledger entry is gone');
    this.survived++;
  }

  /** Add this file's cases to the table, the orphan counts under `label`. */
  tally(label: string): void {
    const t = this.totals;
    add('crash-cleanup', {
      tried: this.tried,
      survived: this.survived,
      failed: this.tried - this.survived,
      extra: { [`${label}: kills`]: this.tried, [`${label}: orphans ifaces/netns/mounts/ovs/containers`]: [t.interfaces, t.namespaces, t.netnsMounts, t.ovsBridges, t.containers].map((v) => v.length).join('/'), [`${label}: canaries lost`]: this.canaryLosses },
    });
  }
}
