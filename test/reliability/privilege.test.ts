// Reliability, privilege: privilege. As an ordinary user created for the test: discovery shows what it
// may and counts the denials; the lab helper, reached through `sudo -n` with the one sudoers line
// the README gives, refuses every request outside its fixed operations and every object no lab
// ledger (written by root) owns; nothing changes. While VirtLab runs (snapshot --watch and a lab up),
// no process of it carries a secret, token, password or auth header on its command line.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sh } from './corpus/hostile';
import { parentOf } from './workbench-rel';
import { CaseCounter } from './corpus/figures';

const REPO = path.resolve(__dirname, '../..');
const CLI = path.join(REPO, 'dist/cli.js');
const USER = 'vlr9auser';
const SUDOERS = '/etc/sudoers.d/vlr9a';
/** Canary objects a forged ledger names: a netns and a root-namespace veth pair (stem vlr9aca). */
const CANARY_NS = 'vlr9acanary';
const CANARY_LINK = 'vlr9acal0';

const counter = new CaseCounter();
const { notes, failures } = counter;
const count = (ok: boolean, what: string) => counter.count(ok, what);

let uid = 0;
let gid = 0;
let work = '';
let state = '';
let userDir = '';

/** Run the CLI as the test user, the way a person would (it re-runs itself through sudo -n where it must). */
const asUser = (args: string[], timeout = 120000) =>
  sh('runuser', ['-u', USER, '--', process.execPath, CLI, ...args], { cwd: userDir, timeout, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: userDir, USER } });
/** Straight through sudo, bypassing the CLI's own checks: what the sudoers line lets the user run. */
const viaSudo = (args: string[]) => sh('runuser', ['-u', USER, '--', 'sudo', '-n', process.execPath, CLI, ...args], { cwd: userDir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: userDir, USER } });

/** What a refusal could have touched: namespaces, links, OVS bridges and containers of this machine with our prefix, and the canaries. */
async function machine(): Promise<string> {
  const [ns, links, brs, ctrs] = await Promise.all([
    sh('ip', ['netns', 'list']),
    sh('ip', ['-j', 'link', 'show']),
    sh('ovs-vsctl', ['list-br']),
    sh('docker', ['ps', '-a', '--format', '{{.Names}}']),
  ]);
  const mine = (s: string) => s.includes('vlr9a') || s.startsWith('vlrp');
  return JSON.stringify({
    ns: ns.stdout.split('\n').map((l) => l.split(' ')[0]!).filter(mine).sort(),
    links: (JSON.parse(links.stdout || '[]') as { ifname: string }[]).map((l) => l.ifname).filter(mine).sort(),
    brs: brs.stdout.split('\n').filter(mine).sort(),
    ctrs: ctrs.stdout.split('\n').filter(mine).sort(),
  });
}

describe('privilege: an ordinary user, the lab helper through sudo -n, and command lines', function () {
  this.timeout(600000);

  before(async () => {
    if ((await sh('id', ['-u', USER])).code !== 0) execFileSync('useradd', ['-M', '-s', '/usr/sbin/nologin', USER]);
    uid = Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' }).trim());
    gid = Number(execFileSync('id', ['-g', USER], { encoding: 'utf8' }).trim());
    execFileSync('node', ['esbuild.mjs'], { cwd: REPO, stdio: 'ignore', timeout: 120000 });
    work = mkdtempSync('/tmp/vlr9a-priv-');
    chmodSync(work, 0o755);
    state = path.join(work, 'state'); // root's, mode 755, in a root-only parent: trusted
    mkdirSync(state, { mode: 0o755 });
    userDir = path.join(work, 'user');
    mkdirSync(userDir, { mode: 0o755 });
    chownSync(userDir, uid, gid);
    // The README's sudoers line, for this user.
    writeFileSync(SUDOERS, `${USER} ALL=(root) NOPASSWD: ${process.execPath} ${CLI} lab *\n`, { mode: 0o440 });
    await sh('ip', ['netns', 'add', CANARY_NS]);
    await sh('ip', ['link', 'add', CANARY_LINK, 'type', 'veth', 'peer', 'name', 'vlr9acal1']);
  });

  after(async () => {
    counter.flush('privilege');
    await sh(process.execPath, [CLI, 'lab', 'clean', '--state-dir', state]);
    rmSync(SUDOERS, { force: true });
    await sh('ip', ['netns', 'del', CANARY_NS]);
    await sh('ip', ['link', 'del', CANARY_LINK]);
    if (work) rmSync(work, { recursive: true, force: true });
    await sh('userdel', [USER]);
  });

  it('discovery as the user: shows what it may, counts the denials, says how to see more', async () => {
    const r = await asUser(['snapshot', '--json', '--no-cache', '--timeout', '20000'], 300000);
    assert.equal(r.code, 0, r.stderr.slice(0, 2000));
    const s = JSON.parse(r.stdout) as { nodes: { kind: string }[]; report: { skipped: { code?: string }[]; sources: Record<string, { state: string; detail?: string; fix?: string }> } };
    const denied = s.report.skipped.filter((x) => x.code === 'EACCES' || x.code === 'EPERM').length;
    const deniedSources = Object.entries(s.report.sources).filter(([, v]) => v.state === 'denied' || v.state === 'partial' || v.state === 'unavailable');
    notes['user scan: processes shown'] = s.nodes.filter((n) => n.kind === 'process').length;
    notes['user scan: denied entries'] = denied;
    notes['user scan: sources not ok'] = deniedSources.map(([k, v]) => `${k}=${v.state}`).join(' ');
    for (const [name, src] of Object.entries(s.report.sources)) count(src.state === 'ok' || src.state === 'absent' || !!src.detail, `source ${name} ${src.state} without a reason`);
    count(denied > 0 && s.nodes.some((n) => n.kind === 'process'), `denials counted (${denied}) and processes still shown`);
    const docker = s.report.sources.docker;
    count(!!docker && docker.state !== 'ok' && /docker\.sock|permission|denied/i.test(`${docker.detail} ${docker.fix}`), `docker source as the user: ${JSON.stringify(docker)}`);
    assert.ok(denied > 0);
  });

  it('the lab helper refuses requests outside its operations and objects no lab owns; nothing changes', async () => {
    // A forged ledger, written by the user, naming the canaries (the stem and names pass the ledger's shape check).
    const forged = { version: 1, name: 'evil', stem: 'vlr9aca', pid: 1, startedAt: new Date().toISOString(), phase: 'up', objects: [{ type: 'netns', name: CANARY_NS }, { type: 'link', name: CANARY_LINK }], plan: { name: 'evil', stem: 'vlr9aca', hosts: [{ name: 'h1', netns: CANARY_NS, ifaces: [] }, { name: 'h2', netns: CANARY_NS, ifaces: [] }], switches: [], links: [] } };
    await sh('runuser', ['-u', USER, '--', 'sh', '-c', `cat > ${userDir}/evil.json`], { input: JSON.stringify(forged) });
    const before = await machine();
    const tries: [string, string[], RegExp][] = [
      ['down of a netns no lab owns', ['lab', 'down', CANARY_NS, '--state-dir', state], /no lab named|not a lab name/],
      ['down of a forged ledger in a user-writable state dir', ['lab', 'down', 'evil', '--state-dir', userDir], /only trusts a state directory/],
      ['clean of a user-writable state dir', ['lab', 'clean', '--state-dir', userDir], /only trusts a state directory/],
      ['path traversal to the forged ledger', ['lab', 'down', `../user/evil`, '--state-dir', state], /not a lab name/],
      ['absolute path as a lab name', ['lab', 'down', `${userDir}/evil`, '--state-dir', state], /not a lab name/],
      ['link op on an interface no lab owns', ['lab', 'link', 'evil', 'h1', 'h2', 'down', '--state-dir', userDir], /only trusts a state directory/],
      ['link op on a lab that does not exist', ['lab', 'link', 'vlr9anolab', 'h1', 'h2', 'down', '--state-dir', state], /no lab named/],
      ['exec in a forged lab', ['lab', 'exec', 'evil', 'h1', '--state-dir', userDir, '--', 'id'], /only trusts a state directory/],
      ['unknown subcommand', ['lab', 'rm-rf', CANARY_NS], /unknown lab command/],
      ['unknown subcommand that looks like a flag', ['lab', '--exec=id'], /unknown lab command/],
      ['extra arguments to down', ['lab', 'down', 'x', CANARY_NS, '--state-dir', state], /at most 1 arguments/],
      ['unknown option', ['lab', 'down', 'x', '--force', '--state-dir', state], /unknown option --force/],
      ['a command after -- for down', ['lab', 'down', 'x', '--state-dir', state, '--', 'ip', 'link', 'del', CANARY_LINK], /only exec takes/],
      ['a command outside `lab` through sudo', ['snapshot', '--json'], /not allowed|may not run|password is required|sorry/i],
      ['up of a lab file the user may not read', ['lab', 'up', '/etc/shadow', '--state-dir', state], /cannot read \/etc\/shadow|EACCES|permission denied/i],
      ['state dir traversal through /proc/self', ['lab', 'down', 'evil', '--state-dir', `/proc/self/cwd`], /only trusts a state directory|no lab named/],
    ];
    let refused = 0;
    for (const [what, args, re] of tries) {
      // Both ways: the CLI as the user (re-running itself through sudo -n), and sudo -n straight.
      for (const [how, r] of [['cli', await asUser(args)], ['sudo', await viaSudo(args)]] as const) {
        if (how === 'cli' && args[0] !== 'lab') continue;
        const ok = r.code !== 0 && re.test(r.stderr);
        if (ok) refused++;
        count(ok, `${what} (${how}): exit ${r.code}: ${r.stderr.trim().slice(0, 300)}`);
      }
    }
    const after = await machine();
    count(after === before, `machine changed by refused requests:\n${before}\n${after}`);
    const canaries = (await sh('ip', ['netns', 'list'])).stdout.includes(CANARY_NS) && (await sh('ip', ['link', 'show', CANARY_LINK])).code === 0;
    count(canaries, 'the canaries a forged ledger named still exist');
    notes['helper refusals'] = `${refused} (${tries.length} requests, as the CLI and through sudo -n straight)`;
    assert.deepEqual(failures, []);
  });

  it('a real lab through sudo: exec runs as the user, not root; no secret on any command line while VirtLab runs', async () => {
    const labFile = path.join(userDir, 'p.vlab.yaml');
    const gen = await asUser(['lab', 'generate', 'linear,2', '--name', 'vlr9apriv', '-o', labFile]);
    assert.equal(gen.code, 0, gen.stderr);
    // Watch (as root, like the extension host's own scans) and a lab up through sudo, sampled together.
    const watch = spawn(process.execPath, [CLI, 'snapshot', '--watch', '--interval', '1'], { stdio: ['ignore', 'ignore', 'ignore'] });
    const seen = new Map<number, string>();
    let sampling = true;
    const sample = async () => {
      while (sampling) {
        for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
          try {
            const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
            if (cmd.includes(CLI) || descends(Number(pid), watch.pid!)) seen.set(Number(pid), cmd);
            else if (/vlrp[0-9a-z]{4}/.test(cmd)) seen.set(Number(pid), cmd); // children of the lab engine name the lab's objects
          } catch {
            /* gone */
          }
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const sampler = sample();
    const up = await asUser(['lab', 'up', labFile, '--state-dir', state, '--prefix', 'vlrp'], 300000);
    const id = await asUser(['lab', 'exec', 'vlr9apriv', 'h1', '--state-dir', state, '--', 'id', '-u']);
    // tcpdump writes its output as the user: into the user's folder yes, into root's no.
    const mineCap = path.join(userDir, 'ok.pcap');
    const rootCap = '/root/vlr9a-capture.pcap';
    const capOk = await asUser(['lab', 'capture', 'vlr9apriv', 'h1:eth0', '-o', mineCap, '--count', '1', '--seconds', '2', '--state-dir', state]);
    const capRoot = await asUser(['lab', 'capture', 'vlr9apriv', 'h1:eth0', '-o', rootCap, '--count', '1', '--seconds', '2', '--state-dir', state]);
    const rootCapMade = existsSync(rootCap);
    rmSync(rootCap, { force: true });
    const down = await asUser(['lab', 'down', 'vlr9apriv', '--state-dir', state], 300000);
    await new Promise((r) => setTimeout(r, 1500));
    sampling = false;
    await sampler;
    watch.kill('SIGTERM');
    count(up.code === 0, `lab up through sudo: ${up.stderr.slice(0, 500)}`);
    count(id.code === 0 && id.stdout.trim() === String(uid), `lab exec ran as uid ${id.stdout.trim()} (expected ${uid}): ${id.stderr.slice(0, 300)}`);
    count(down.code === 0, `lab down through sudo: ${down.stderr.slice(0, 300)}`);
    count(capOk.code === 0 && existsSync(mineCap) && statSync(mineCap).uid === uid, `capture into the user's folder, as the user: exit ${capOk.code} ${capOk.stderr.slice(0, 300)}`);
    count(capRoot.code !== 0 && !rootCapMade, `capture into /root through sudo was refused: exit ${capRoot.code}, file made: ${rootCapMade}`);
    const SECRET = /token|passw|secret|authorization|bearer|api[-_]?key|x-registry-auth|credential|cookie/i;
    const leaks = [...seen.values()].filter((c) => SECRET.test(c));
    notes['command lines scanned'] = seen.size;
    notes['secrets on command lines'] = leaks.length;
    count(seen.size > 0 && leaks.length === 0, `secrets in command lines: ${leaks.join(' | ')}`);
    assert.deepEqual(failures, []);
  });
});

/** Whether `pid` has `ancestor` among its parents. */
function descends(pid: number, ancestor: number): boolean {
  for (let p = pid, i = 0; p > 1 && i < 64; i++, p = parentOf(p)) if (p === ancestor) return true;
  return false;
}
