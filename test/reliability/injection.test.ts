// Reliability, injection (the core part; the webview part is counted by the webview suite).
// Hostile strings are put for real into Docker labels and a container's command line, netns names,
// interface names and aliases, OVS port names and external_ids, and lab files. Then VirtLab's
// discovery runs (in-process takeSnapshot, and `dist/cli.js snapshot --json` under strace) and the
// lab engine is asked to bring the hostile lab files up. Proved: no marker file (no shell ran a
// string), every program execve'd is in an allow-list, every string shows verbatim in the
// snapshot, every hostile lab file is refused with a clear error and nothing is created.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scanOptions } from '../../src/core/context';
import type { Snapshot } from '../../src/core/model/graph';
import { takeSnapshot } from '../../src/core/scan';
import { execvedPrograms, HOSTILE, HOSTILE_IFNAMES, HOSTILE_NETNS, MARK, markersFound, sh, TOO_LONG_IFNAMES } from './corpus/hostile';
import { CaseCounter } from './corpus/figures';

const REPO = path.resolve(__dirname, '../..');
const CLI = path.join(REPO, 'dist/cli.js');
const CTR = 'vlr9a-inj';
const BR = 'vlr9abr-inj';
const NS = 'vlr9a-inj';
/** Programs discovery may start (basename). Everything else counts as "outside the allow-list". */
const ALLOWED = new Set(['node', 'ip', 'nsenter', 'find', 'ovs-vsctl', 'ovs-ofctl', 'ovs-appctl', 'ovs-dpctl', 'lsns', 'systemd-detect-virt', 'virsh', 'VBoxManage', 'qemu-system-x86_64', 'bridge', 'tc', 'mn', 'docker', 'uname', 'ethtool']);
const SHELLS = new Set(['sh', 'bash', 'dash', 'busybox', 'zsh', 'ash']);

/** The docker CLI refuses '=' and whitespace in label keys; the rest of a hostile string stays. */
const keyOf = (h: string) => h.replace(/[=\s]/g, '');

const counter = new CaseCounter();
const { notes, failures } = counter;
const count = (ok: boolean, what: string) => counter.count(ok, what);

let work = '';
const netnsMade: string[] = [];

async function cleanup(): Promise<void> {
  await sh('docker', ['rm', '-f', CTR]);
  await sh('ovs-vsctl', ['--if-exists', 'del-br', BR]);
  for (const n of [NS, ...HOSTILE_NETNS]) await sh('ip', ['netns', 'del', n]);
  for (let i = 1; i <= 6; i++) rmSync(`${MARK}-${i}`, { force: true });
}

describe('injection: hostile names on the real machine, through discovery and the lab engine', function () {
  this.timeout(600000);
  let snap: Snapshot;
  let json = '';

  before(async () => {
    await cleanup();
    work = mkdtempSync(path.join(tmpdir(), 'vlr9a-inj-'));
    chmodSync(work, 0o755);
    execFileSync('node', ['esbuild.mjs'], { cwd: REPO, stdio: 'ignore', timeout: 120000 });

    // Docker: hostile label keys and values, and a command line made of hostile arguments.
    // (Container names are limited by dockerd to [a-zA-Z0-9][a-zA-Z0-9_.-]; it refuses the rest.)
    const labels = HOSTILE.flatMap((h, i) => ['--label', `vlr9a.k${i}=${h}`, '--label', `${keyOf(h)}=v${i}`]);
    const r = await sh('docker', ['run', '-d', '--network', 'none', '--name', CTR, ...labels, 'virtlab/busybox:latest', 'sh', '-c', 'sleep 600; exit 0', ...HOSTILE]);
    assert.equal(r.code, 0, r.stderr);
    let refusedNames = 0;
    for (const h of HOSTILE.slice(0, 4)) if ((await sh('docker', ['create', '--name', h, 'virtlab/busybox:latest'])).code !== 0) refusedNames++;
    notes['container names refused by dockerd'] = `${refusedNames}/4`;

    // netns names (iproute2 takes `--` as a name, so names are passed as they are).
    for (const n of HOSTILE_NETNS) {
      const x = await sh('ip', ['netns', 'add', n]);
      if (x.code === 0) netnsMade.push(n);
    }
    // Interfaces with hostile names and aliases, in our own namespace (veth pairs: no dummy module here).
    assert.equal((await sh('ip', ['netns', 'add', NS])).code, 0);
    for (let i = 0; i < HOSTILE_IFNAMES.length; i += 2) {
      const x = await sh('ip', ['-n', NS, 'link', 'add', HOSTILE_IFNAMES[i]!, 'type', 'veth', 'peer', 'name', HOSTILE_IFNAMES[i + 1]!]);
      assert.equal(x.code, 0, `${HOSTILE_IFNAMES[i]}: ${x.stderr}`);
    }
    for (const [i, n] of HOSTILE_IFNAMES.entries()) {
      const x = await sh('ip', ['-n', NS, 'link', 'set', 'dev', n, 'alias', HOSTILE[i % HOSTILE.length]!]);
      assert.equal(x.code, 0, `alias on ${n}: ${x.stderr}`);
    }
    let refusedLong = 0;
    for (const n of TOO_LONG_IFNAMES) if ((await sh('ip', ['-n', NS, 'link', 'add', n, 'type', 'veth', 'peer', 'name', 'vl9peer'])).code !== 0) refusedLong++;
    notes['16+ byte ifnames refused by the kernel'] = `${refusedLong}/${TOO_LONG_IFNAMES.length}`;

    // OVS: external_ids with hostile values, and ports named with hostile strings (no such device:
    // OVS keeps the rows and says so in `error`).
    const ovs = ['--', 'add-br', BR, '--', 'set', 'bridge', BR, 'datapath_type=netdev'];
    HOSTILE.forEach((h, i) => ovs.push('--', 'set', 'bridge', BR, `external_ids:vlr9a-k${i}=${JSON.stringify(h)}`));
    HOSTILE_IFNAMES.slice(0, 4).forEach((n) => ovs.push('--', 'add-port', BR, n));
    const o = await sh('ovs-vsctl', ['--timeout=30', ...ovs]);
    assert.equal(o.code, 0, o.stderr);

    snap = await takeSnapshot(scanOptions({ timeoutMs: 20000 }));
    json = JSON.stringify(snap);
  });

  after(async () => {
    counter.flush('injection');
    // A lab file that was wrongly accepted came up: remove exactly what its ledger names.
    if (work) await sh(process.execPath, [CLI, 'lab', 'clean', '--state-dir', path.join(work, 'state')]);
    await cleanup();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('shows every hostile label, argument, alias, netns name, OVS port name and external_id verbatim in the snapshot', () => {
    const ctr = snap.nodes.find((n) => n.kind === 'container' && n.label.includes(CTR));
    assert.ok(ctr, 'the container is in the snapshot');
    const labels = ctr.props.labels as Record<string, string>;
    for (const [i, h] of HOSTILE.entries()) {
      count(labels[`vlr9a.k${i}`] === h, `label value ${JSON.stringify(h)}`);
      count(labels[keyOf(h)] === `v${i}`, `label key ${JSON.stringify(h)}`);
    }
    // The container runs `sh -c 'sleep 600; exit 0' <hostile...>`: its process node carries them as argv.
    const proc = snap.nodes.find((n) => n.kind === 'process' && Array.isArray(n.props.cmdline) && (n.props.cmdline as string[]).includes('sleep 600; exit 0'));
    for (const h of HOSTILE) count(!!proc && (proc.props.cmdline as string[]).includes(h), `argv ${JSON.stringify(h)}`);
    const ifaces = snap.nodes.filter((n) => n.kind === 'interface');
    for (const [i, n] of HOSTILE_IFNAMES.entries()) {
      const node = ifaces.find((x) => x.props.name === n);
      count(!!node, `interface name ${JSON.stringify(n)}`);
      count(node?.props.alias === HOSTILE[i % HOSTILE.length], `alias on ${JSON.stringify(n)}`);
    }
    const nsfs = new Set(snap.nodes.filter((n) => n.kind === 'namespace').flatMap((n) => (n.props.nsfs as string[] | undefined) ?? []));
    for (const n of netnsMade) count(nsfs.has(`/run/netns/${n}`), `netns ${JSON.stringify(n)}`);
    const ports = new Set(snap.nodes.filter((n) => n.kind === 'ovs-port').map((n) => String(n.props.name ?? n.label)));
    for (const n of HOSTILE_IFNAMES.slice(0, 4)) count(ports.has(n), `ovs port ${JSON.stringify(n)}`);
    // external_ids as `ovs-vsctl get bridge` would print them, read back from the bridge node.
    const ids = snap.nodes.find((n) => n.id === `ovs-bridge:${BR}`)?.props.externalIds as Record<string, string> | undefined;
    for (const [i, h] of HOSTILE.entries()) count(ids?.[`vlr9a-k${i}`] === h, `ovs external_ids:vlr9a-k${i} ${JSON.stringify(h)}`);
    notes['netns names accepted by ip'] = `${netnsMade.length}/${HOSTILE_NETNS.length}`;
    assert.deepEqual(failures, []);
    assert.ok(json.length > 0);
  });

  it('runs discovery (dist/cli.js snapshot --json) under strace: no shell, nothing outside the allow-list, no marker file', async () => {
    const trace = path.join(work, 'trace');
    const r = await sh('strace', ['-f', '-qq', '-e', 'trace=execve', '-e', 'signal=none', '-o', trace, process.execPath, CLI, 'snapshot', '--json', '--no-cache', '--timeout', '20000'], { cwd: work, timeout: 300000 });
    assert.equal(r.code, 0, r.stderr.slice(0, 2000));
    const progs = execvedPrograms(trace);
    const names = progs.map((p) => path.basename(p));
    const outside = [...new Set(names.filter((n) => !ALLOWED.has(n)))];
    const shells = names.filter((n) => SHELLS.has(n));
    notes['programs execve-d by discovery'] = progs.length;
    notes['distinct programs'] = [...new Set(names)].sort().join(' ');
    notes['outside allow-list'] = outside.length;
    notes['shell executions'] = shells.length;
    count(outside.length === 0, `programs outside the allow-list: ${outside.join(', ')}`);
    count(shells.length === 0, `shells started: ${shells.length}`);
    const cliSnap = JSON.parse(r.stdout) as Snapshot;
    const labels = cliSnap.nodes.find((n) => n.kind === 'container' && n.label.includes(CTR))?.props.labels as Record<string, string> | undefined;
    count(!!labels && HOSTILE.every((h, i) => labels[`vlr9a.k${i}`] === h), 'the CLI snapshot carries the labels verbatim');
    const ids = cliSnap.nodes.find((n) => n.id === `ovs-bridge:${BR}`)?.props.externalIds as Record<string, string> | undefined;
    count(!!ids && HOSTILE.every((h, i) => ids[`vlr9a-k${i}`] === h), 'the CLI snapshot carries the OVS external_ids verbatim');
    const marks = markersFound(work);
    notes['marker files'] = marks.length;
    count(marks.length === 0, `marker files: ${marks.join(', ')}`);
    assert.deepEqual(outside, []);
    assert.equal(shells.length, 0);
    assert.deepEqual(marks, []);
  });

  it('refuses lab files with hostile node, switch, link and lab names, with a clear error, creating nothing', async () => {
    const state = path.join(work, 'state');
    const prefix = 'vlrn';
    const objects = async () => {
      const [ns, links, brs, ctrs] = await Promise.all([sh('ip', ['netns', 'list']), sh('ip', ['-o', 'link', 'show']), sh('ovs-vsctl', ['list-br']), sh('docker', ['ps', '-a', '--format', '{{.Names}}'])]);
      return [ns.stdout, links.stdout, brs.stdout, ctrs.stdout].join('\n').split('\n').filter((l) => l.includes(prefix)).length;
    };
    const lab = (labName: string, h: string, s: string, e: string) =>
      `name: ${JSON.stringify(labName)}\ntopology:\n  nodes:\n    ${JSON.stringify(h)}: { kind: host }\n    ${JSON.stringify(s)}: { kind: bridge }\n    h2: { kind: host }\n  links:\n    - endpoints: [${JSON.stringify(e)}, ${JSON.stringify(`${s}:eth1`)}]\n    - endpoints: ["h2:eth0", ${JSON.stringify(`${s}:eth2`)}]\n`;
    const strings = [...HOSTILE, ...HOSTILE_NETNS, '../../etc/passwd', 'h'.repeat(70)];
    const files: { file: string; what: string }[] = [];
    strings.forEach((h, i) => {
      for (const [what, text] of [
        ['lab name', lab(h, 'h1', 's1', 'h1:eth0')],
        ['host name', lab('vlr9alab', h, 's1', `${h}:eth0`)],
        ['switch name', lab('vlr9alab', 'h1', h, 'h1:eth0')],
        ['link endpoint', lab('vlr9alab', 'h1', 's1', `h1:${h}`)],
      ] as const) {
        const file = path.join(work, `hostile-${i}-${what.replace(' ', '-')}.vlab.yaml`);
        writeFileSync(file, text);
        files.push({ file, what: `${what} ${JSON.stringify(h)}` });
      }
    });
    const before = await objects();
    let refused = 0;
    let shells = 0;
    let outside = 0;
    for (const [i, f] of files.entries()) {
      const trace = path.join(work, `lab-trace-${i}`);
      const r = await sh('strace', ['-f', '-qq', '-e', 'trace=execve', '-e', 'signal=none', '-o', trace, process.execPath, CLI, 'lab', 'up', f.file, '--state-dir', state, '--prefix', prefix], { cwd: work });
      const names = execvedPrograms(trace).map((p) => path.basename(p));
      shells += names.filter((n) => SHELLS.has(n)).length;
      outside += names.filter((n) => !ALLOWED.has(n)).length;
      const clear = r.code === 1 && /not allowed|do not accept|is \d+ bytes|at most/.test(r.stderr) && /nothing was created/.test(r.stderr);
      if (clear) refused++;
      count(clear, `lab up with ${f.what}: exit ${r.code}, ${r.stderr.slice(0, 300)}`);
    }
    const after = await objects();
    const ledgers = (() => {
      try {
        return readdirSync(state).length;
      } catch {
        return 0;
      }
    })();
    notes['hostile lab files refused'] = `${refused}/${files.length}`;
    count(after === before && ledgers === 0, `objects with prefix ${prefix}: ${before} before, ${after} after; ${ledgers} ledgers`);
    count(shells === 0 && outside === 0, `lab up started ${shells} shells, ${outside} programs outside the allow-list`);
    const marks = markersFound(work);
    count(marks.length === 0, `marker files after lab up: ${marks.join(', ')}`);
    assert.equal(refused, files.length, failures.join('\n'));
    assert.equal(after, before);
    assert.equal(ledgers, 0);
  });
});
