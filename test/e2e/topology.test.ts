// End to end: "VirtLab: Open Topology" in a served VS Code (code-server + Chromium) with two
// containers on docker0 and a lab-style namespace pair on a userspace OVS bridge, created here
// (vlt*) and removed after. The webview sits in nested iframes; the test finds the frame that
// holds the graph and reads what is drawn through its read-only `virtlabTopology` handle.
// In the same served VS Code: a container OOM-killed over and over and one held to 0.2 CPU, whose
// chart marks are checked against the kernel's counters, and a lab brought up and down with the
// CLI (vlq*), checked against `ip`.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { drawn, keyFocus, renderedPosition, startCodeServerWith, tabToGraph, topologyFrame, waitDrawn } from './topologyPage';
import { openWorkbench, prepareProfile, REPO, RESULTS_DIR, runPaletteCommand, SLOW_MS, startCodeServer, switchThemeAndShoot, VIRTLAB_VSIX, writeTheme, type Browsing, type Profile, type Server } from './workbench';

const VSIX = process.env.VIRTLAB_TOPOLOGY_VSIX ?? VIRTLAB_VSIX;
const x = (file: string, ...args: string[]) => execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
const quiet = (file: string, ...args: string[]) => {
  try {
    x(file, ...args);
  } catch {
    /* already gone */
  }
};

const CTRS = ['vlttopoweb', 'vlttopodb'];
const NS = ['vlttpa', 'vlttpb'];
const BR = 'vlttpbr';
const HOSTILE_ALIAS = '<img src=x onerror="window.__virtlabPwned=1">';
const HOSTILE_LABEL = '</script><script>window.__virtlabPwned=2</script>';
const LIMIT = 64 * 1024 * 1024;
// A container whose shell survives while each `tail /dev/zero` child is OOM-killed at 16 MiB (no
// swap beyond the limit), and one whose busy loop is held to 0.2 CPU by the CFS quota.
const OOM_CTR = 'vlqoom';
const OOM_LIMIT = 16 * 1024 * 1024;
const CPU_CTR = 'vlqcpu';
// A lab of two hosts on one Linux bridge, made by the CLI in a ledger directory of this test.
const LAB = 'vlq-topo';
const LAB_STATE = path.join(RESULTS_DIR, 'e2e-topology-labs');
const LAB_TEXT = `name: ${LAB}
topology:
  nodes:
    h1: { kind: host }
    h2: { kind: host }
    s1: { kind: bridge }
  links:
    - endpoints: ["h1:eth0", "s1:p1"]
    - endpoints: ["h2:eth0", "s1:p2"]
`;
const lab = (...args: string[]) => x(process.execPath, path.join(REPO, 'dist/cli.js'), 'lab', ...args, '--state-dir', LAB_STATE);

function cleanup(): void {
  for (const c of [...CTRS, OOM_CTR, CPU_CTR]) quiet('docker', 'rm', '-f', c);
  if (fs.existsSync(LAB_STATE)) quiet(process.execPath, path.join(REPO, 'dist/cli.js'), 'lab', 'clean', '--state-dir', LAB_STATE);
  quiet('ovs-vsctl', '--timeout=10', '--if-exists', 'del-br', BR);
  for (const ns of NS) quiet('ip', 'netns', 'del', ns);
  for (const ns of NS) quiet('ip', 'link', 'del', `${ns}h`);
}

const netnsInodeOfPid = (pid: number) => Number(/\[(\d+)\]/.exec(fs.readlinkSync(`/proc/${pid}/ns/net`))![1]);
const ifindexIn = (ns: string, dev: string) => (JSON.parse(x('ip', '-n', ns, '-j', 'link', 'show', 'dev', dev)) as { ifindex: number }[])[0]!.ifindex;
const ifindexInPid = (pid: number, dev: string) => (JSON.parse(x('nsenter', `--net=/proc/${pid}/ns/net`, '--', 'ip', '-j', 'link', 'show', 'dev', dev)) as { ifindex: number }[])[0]!.ifindex;

/**
 * A file of the cgroup a process is in, for `controller`: its v1 hierarchy when that controller
 * has one (hybrid, legacy), else the unified one; read from /proc and /sys, not through VirtLab.
 */
function cgroupFile(pid: number, controller: string, v1File: string, v2File: string): string {
  const lines = fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8').trim().split('\n').map((l) => l.split(':'));
  const v1 = lines.find((l) => l[1]!.split(',').includes(controller));
  if (v1) return `/sys/fs/cgroup/${controller}${v1.slice(2).join(':')}/${v1File}`;
  const v2 = lines.find((l) => l[0] === '0' && l[1] === '')!;
  return `/sys/fs/cgroup${v2.slice(2).join(':')}/${v2File}`;
}
const keyed = (file: string, key: string) => Number(new RegExp(`^${key} (\\d+)$`, 'm').exec(fs.readFileSync(file, 'utf8'))![1]);

interface Mark {
  chart: string;
  kind: string;
  t: number;
  y: number;
  count: number;
}
interface Metrics {
  nodeId: string | null;
  last: Record<string, number | null | undefined>;
  points: number;
}
type Handle = { virtlabTopology: { marks(): Mark[]; metrics(): Metrics } };
const marks = (f: Frame) => f.evaluate(() => (window as unknown as Handle).virtlabTopology.marks());
const metrics = (f: Frame) => f.evaluate(() => (window as unknown as Handle).virtlabTopology.metrics());

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + SLOW_MS;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`never: ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Find nodes as a person would: type in the search box (the view zooms to the matches). */
async function searchFor(f: Frame, text: string): Promise<void> {
  await f.locator('vscode-textfield.search input').fill(text);
}

/** Click a node where Cytoscape drew it, like a person would. */
async function clickNode(f: Frame, id: string): Promise<void> {
  const p = (await f.evaluate((nodeId) => (window as unknown as { virtlabTopology: { renderedPosition(id: string): { x: number; y: number } } }).virtlabTopology.renderedPosition(nodeId), id)) as { x: number; y: number };
  await f.locator('#graph').click({ position: { x: p.x, y: p.y } });
}

describe('Topology webview in a served VS Code', function () {
  this.timeout(SLOW_MS * 3);
  let profile: Profile;
  let server: Server | undefined;
  let ui: Browsing | undefined;
  let page: Page;
  let frame: Frame;
  const ctrIds: string[] = [];
  const ctrPids: number[] = [];
  const consoleLines: string[] = [];
  let legendLight: string | null = null;

  before(async function () {
    cleanup();
    fs.rmSync(LAB_STATE, { recursive: true, force: true });
    for (const [i, name] of CTRS.entries()) {
      const args = ['run', '-d', '--name', name, '--label', 'virtlab.test=1', '--network', 'bridge'];
      if (i === 0) args.push('--memory', '64m', '--label', `virtlab.note=${HOSTILE_LABEL}`);
      ctrIds.push(x('docker', ...args, 'virtlab/busybox:latest', 'sleep', '900').trim());
      ctrPids.push(Number(x('docker', 'inspect', '-f', '{{.State.Pid}}', name).trim()));
    }
    x('ovs-vsctl', '--timeout=10', 'add-br', BR, '--', 'set', 'bridge', BR, 'datapath_type=netdev');
    NS.forEach((ns, i) => {
      x('ip', 'netns', 'add', ns);
      x('ip', 'link', 'add', `${ns}h`, 'type', 'veth', 'peer', 'name', `${ns}n`, 'netns', ns);
      x('ip', 'link', 'set', `${ns}h`, 'up');
      x('ip', '-n', ns, 'addr', 'add', `10.251.79.${i + 1}/24`, 'dev', `${ns}n`);
      x('ip', '-n', ns, 'link', 'set', `${ns}n`, 'up');
      x('ovs-vsctl', '--timeout=10', 'add-port', BR, `${ns}h`);
    });
    x('ip', '-n', NS[0]!, 'link', 'set', 'dev', `${NS[0]}n`, 'alias', HOSTILE_ALIAS);

    profile = prepareProfile('e2e-topology', [VSIX]);
    writeTheme(profile, 'Default Light Modern');
    fs.writeFileSync(path.join(profile.workspace, `${LAB}.vlab.yaml`), LAB_TEXT);
    // The extension host inherits the ledger directory from code-server, so it sees this test's labs.
    server = await startCodeServerWith(profile, { VIRTLAB_STATE_DIR: LAB_STATE });
    ui = await openWorkbench(server, profile.workspace);
    page = ui.page;
    // The VirtLab activity bar entry means the extension's contributions are registered.
    await page.locator('.activitybar [role="tab"][aria-label^="VirtLab"], .activitybar a[aria-label^="VirtLab"]').first().waitFor({ state: 'visible' });
    page.on('console', (m) => consoleLines.push(m.text()));
  });

  after(async function () {
    await ui?.close().catch(() => undefined);
    await server?.stop();
    cleanup();
  });

  it('opens from the command palette and draws the containers and the namespace pair', async function () {
    await runPaletteCommand(page, 'VirtLab: Open Topology');
    frame = await topologyFrame(page);
    const want = [...ctrIds.map((id) => `container:${id}`), ...NS.map((ns) => `ns:net:${fs.statSync(`/run/netns/${ns}`).ino}`)];
    await waitDrawn(frame, (d) => want.every((id) => d.nodes.some((n) => n.id === id)), want.join(', '));
  });

  it('draws each veth pair as one edge and each namespace as a box holding its interfaces', async function () {
    const d = await drawn(frame);
    const byId = new Map(d.nodes.map((n) => [n.id, n]));
    const ends: { ns: number; ifindex: number; what: string }[] = [
      ...ctrPids.map((pid, i) => ({ ns: netnsInodeOfPid(pid), ifindex: ifindexInPid(pid, 'eth0'), what: `${CTRS[i]} eth0` })),
      ...NS.map((ns) => ({ ns: fs.statSync(`/run/netns/${ns}`).ino, ifindex: ifindexIn(ns, `${ns}n`), what: `${ns} ${ns}n` })),
    ];
    for (const e of ends) {
      const id = `iface:${e.ns}:${e.ifindex}`;
      const node = byId.get(id);
      assert.ok(node, `${e.what} (${id}) is drawn`);
      assert.equal(node.parent, `ns:net:${e.ns}`, `${e.what} sits in its namespace box`);
      assert.ok(byId.get(`ns:net:${e.ns}`)?.isParent, `namespace ${e.ns} is a box`);
      const veth = d.edges.filter((x) => x.kind === 'veth-peer' && (x.source === id || x.target === id));
      assert.equal(veth.length, 1, `${e.what}: exactly one veth edge`);
    }
    for (const [i, id] of ctrIds.entries()) assert.equal(byId.get(`container:${id}`)?.parent, `ns:net:${netnsInodeOfPid(ctrPids[i]!)}`, 'container inside its netns box');
    // The lab ends on the host side are ports of the OVS bridge.
    const host = Number(/\[(\d+)\]/.exec(fs.readlinkSync('/proc/self/ns/net'))![1]);
    for (const ns of NS) {
      const hostEnd = `iface:${host}:${Number(fs.readFileSync(`/sys/class/net/${ns}h/ifindex`, 'utf8'))}`;
      assert.ok(d.edges.some((e) => e.kind === 'ovs-port' && e.source === hostEnd && e.target === `ovs-bridge:${BR}`), `${ns}h is drawn as a port of ${BR}`);
    }
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: path.join(RESULTS_DIR, 'topology-light.png') });
  });

  it('a legend says what each shape, colour and line means, and the host node says it is this machine', async function () {
    const items = await frame.locator('details.legend[open] .legend-list li').allInnerTexts();
    for (const want of [/^This machine/, /^Container \(running\)/, /^Virtual machine/, /^Network interface, down/, /^Open vSwitch bridge/, /^veth pair/, /^VXLAN tunnel/]) {
      assert.ok(items.some((t) => want.test(t)), `the legend has ${want}: ${items.join(' | ')}`);
    }
    assert.equal(await frame.locator('details.legend .legend-swatch').count(), items.length, 'one swatch per entry');
    const host = (await drawn(frame)).nodes.find((n) => n.kind === 'host');
    assert.ok(host, 'the host node is drawn');
    assert.equal(host.label, `This machine\n${os.hostname()}`);
    legendLight = await frame.locator('details.legend .legend-swatch *').first().getAttribute('stroke');
    await page.screenshot({ path: path.join(RESULTS_DIR, 'topology-legend-light.png') });
  });

  it('clicking a container shows its details, with a hostile label as literal text', async function () {
    const id = `container:${ctrIds[0]}`;
    const scriptsBefore = await frame.evaluate(() => document.scripts.length);
    await clickNode(frame, id);
    await frame.locator('.details-title', { hasText: CTRS[0]! }).waitFor({ state: 'visible' });
    const row = frame.locator('tr[data-key="labels.virtlab.note"] td');
    assert.equal(await row.evaluate((td) => td.firstChild?.textContent), HOSTILE_LABEL);
    assert.equal(await frame.evaluate(() => document.scripts.length), scriptsBefore, 'no script element was created from the label');
    assert.equal(await frame.evaluate(() => [...document.scripts].some((s) => s.textContent?.includes('__virtlabPwned'))), false);
    assert.ok(await frame.locator('vscode-button[data-command="virtlab.revealInTree"]').isVisible());
  });

  it('its memory chart shows the limit set with docker run --memory', async function () {
    await frame.waitForFunction((limit) => {
      const m = (window as unknown as { virtlabTopology: { metrics(): { last: { memoryLimitBytes?: number | null; memoryBytes?: number | null } } } }).virtlabTopology.metrics();
      return m.last.memoryLimitBytes === limit && typeof m.last.memoryBytes === 'number';
    }, LIMIT, { timeout: SLOW_MS });
    // A few points, so the screenshot shows lines rather than dots.
    await frame.waitForFunction(() => (window as unknown as { virtlabTopology: { metrics(): { points: number } } }).virtlabTopology.metrics().points >= 4, undefined, { timeout: SLOW_MS });
    const latest = await frame.locator('.chart[data-chart="memory"] .chart-latest').textContent();
    assert.match(latest ?? '', /\/ 64\.0 MiB$/);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'topology-container-light.png') });
  });

  it('an interface alias with markup is shown as text and runs nothing', async function () {
    const ns = NS[0]!;
    const id = `iface:${fs.statSync(`/run/netns/${ns}`).ino}:${ifindexIn(ns, `${ns}n`)}`;
    await clickNode(frame, id);
    await frame.locator('.details-title', { hasText: `${ns}n` }).waitFor({ state: 'visible' });
    const alias = frame.locator('tr[data-key="alias"] td');
    assert.equal(await alias.evaluate((td) => td.firstChild?.textContent), HOSTILE_ALIAS);
    assert.equal(await frame.evaluate(() => document.querySelectorAll('img').length), 0, 'no <img> element exists');
    // Give an injected onerror handler time to fire if there were one.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await frame.evaluate(() => (window as unknown as { __virtlabPwned?: number }).__virtlabPwned), undefined);
    assert.equal(await page.evaluate(() => (window as unknown as { __virtlabPwned?: number }).__virtlabPwned), undefined);
    const blockedScripts = consoleLines.filter((l) => /Content Security Policy/.test(l) && /script/i.test(l));
    assert.deepEqual(blockedScripts, [], 'no script was even attempted');
  });

  interface Watched {
    id: string;
    pid: number;
    /** The kernel counter before the click, and once the container is paused, as the chart shows it. */
    before: number;
    counted: number;
    /** The marks on the chart, and how many events they stand for together. */
    drawn: Mark[];
    marked: number;
  }

  /**
   * Run a container of ours, find it (search) and click it, as a person would; wait for `min` marks
   * of `event` on its `chart`, then pause it (frozen: the kernel counter `field` of `file` stands
   * still) and wait until the counter the chart shows (`key`) is the kernel's.
   */
  async function watchMarks(o: { name: string; args: string[]; cmd: string; chart: string; event: string; key: string; file: (pid: number) => string; field: string; min: number }): Promise<Watched> {
    const id = x('docker', 'run', '-d', '--name', o.name, '--label', 'virtlab.test=1', '--network', 'none', ...o.args, 'virtlab/busybox:latest', 'sh', '-c', o.cmd).trim();
    const pid = Number(x('docker', 'inspect', '-f', '{{.State.Pid}}', o.name).trim());
    const file = o.file(pid);
    const read = () => keyed(file, o.field);
    // Drawn inside its network namespace's box, so it will not move when the box arrives.
    await waitDrawn(frame, (d) => d.nodes.some((n) => n.id === `container:${id}` && n.parent === `ns:net:${netnsInodeOfPid(pid)}`), o.name);
    await searchFor(frame, o.name);
    // Read before the click: the chart's first sample comes after it, so marks can never claim more than counted - before.
    const before = read();
    await clickNode(frame, `container:${id}`);
    await frame.locator('.details-title', { hasText: o.name }).waitFor({ state: 'visible' });
    const onChart = async () => (await marks(frame)).filter((m) => m.chart === o.chart && m.kind === o.event);
    await until(`${o.min} ${o.event} marks on the ${o.chart} chart of ${o.name}`, async () => ((await onChart()).length >= o.min ? true : undefined));
    x('docker', 'pause', o.name);
    const text = frame.locator(`.chart[data-chart="${o.chart}"] .chart-counter[data-counter="${o.event}"]`);
    const counted = await until(`the ${o.chart} chart of ${o.name} shows ${o.key} as ${file} has it`, async () => {
      const kernel = read();
      const shown = await text.textContent();
      return shown?.endsWith(`: ${kernel}`) && (await metrics(frame)).last[o.key] === kernel ? kernel : undefined;
    });
    const drawn = await onChart();
    const marked = drawn.reduce((a, m) => a + m.count, 0);
    assert.ok(counted > before, `${o.field} rose while we watched (${before} -> ${counted})`);
    // Each mark stands for the rise of the counter since the sample before it.
    assert.ok(drawn.every((m) => m.count >= 1), JSON.stringify(drawn));
    assert.ok(marked >= o.min && marked <= counted - before, `${marked} marked, kernel ${before} -> ${counted}`);
    assert.equal((await marks(frame)).filter((m) => m.kind === o.event && m.chart !== o.chart).length, 0, `${o.event} marks only on the ${o.chart} chart`);
    assert.match((await text.getAttribute('title')) ?? '', new RegExp(file.slice(file.lastIndexOf('/') + 1).replace('.', '\\.')), 'the counter names its file');
    console.log(`      ${o.name}: kernel ${o.field} ${before} -> ${counted} while watched; ${drawn.length} marks standing for ${marked}`);
    return { id, pid, before, counted, drawn, marked };
  }

  /** Screenshot with the search cleared, then remove the container and wait until it leaves the picture. */
  async function shootAndRemove(name: string, id: string, png: string): Promise<void> {
    await searchFor(frame, '');
    await page.screenshot({ path: path.join(RESULTS_DIR, png) });
    quiet('docker', 'rm', '-f', name);
    await waitDrawn(frame, (d) => !d.nodes.some((n) => n.id === `container:${id}`), `${name} gone`);
  }

  it('OOM kills of a container are marked on its memory chart, counted as the kernel counts them', async function () {
    const w = await watchMarks({
      name: OOM_CTR, args: ['--memory', String(OOM_LIMIT), '--memory-swap', String(OOM_LIMIT)], cmd: 'while :; do tail /dev/zero; sleep 1; done',
      chart: 'memory', event: 'oom', key: 'oomKills', file: (pid) => cgroupFile(pid, 'memory', 'memory.oom_control', 'memory.events'), field: 'oom_kill', min: 2,
    });
    // The shell (the container's main process) lived through every kill.
    assert.equal(x('docker', 'inspect', '-f', '{{.State.Status}} {{.State.Pid}}', OOM_CTR).trim(), `paused ${w.pid}`);
    // A kill happens at the limit: the marks sit on the limit line drawn from memory.limit_in_bytes / memory.max.
    assert.deepEqual([...new Set(w.drawn.map((m) => m.y))], [OOM_LIMIT]);
    assert.match((await frame.locator('.chart[data-chart="memory"] .chart-latest').textContent()) ?? '', /\/ 16\.0 MiB$/);
    await shootAndRemove(OOM_CTR, w.id, 'topology-oom-marks.png');
  });

  it('CFS throttling of a container held to 0.2 CPU is marked on its CPU chart, as cpu.stat nr_throttled rises', async function () {
    const w = await watchMarks({
      name: CPU_CTR, args: ['--cpus', '0.2'], cmd: 'while :; do :; done',
      chart: 'cpu', event: 'throttled', key: 'throttledPeriods', file: (pid) => cgroupFile(pid, 'cpu', 'cpu.stat', 'cpu.stat'), field: 'nr_throttled', min: 3,
    });
    // The quota behind the marks, as Docker set it (v1 cpu.cfs_quota_us, v2 the first field of cpu.max).
    assert.equal(Number(fs.readFileSync(cgroupFile(w.pid, 'cpu', 'cpu.cfs_quota_us', 'cpu.max'), 'utf8').trim().split(' ')[0]), 20_000);
    await shootAndRemove(CPU_CTR, w.id, 'topology-throttle-marks.png');
  });

  it('a lab brought up with the CLI is drawn as a lab box of hosts and a switch, linked as `ip` shows; lab down takes it away', async function () {
    lab('up', path.join(profile.workspace, `${LAB}.vlab.yaml`), '--prefix', 'vlq');
    // What the kernel has, read with ip alone: the lab's namespaces, the bridge in the switch
    // namespace, its ports and the host end of each port's veth.
    const names = (JSON.parse(x('ip', '-j', 'netns', 'list')) as { name: string }[]).map((n) => n.name);
    const hostNs = (h: string) => {
      const found = names.filter((n) => new RegExp(`^vlq[0-9a-z]{4}-${h}$`).test(n));
      assert.equal(found.length, 1, `one netns for ${h}: ${found.join(', ')}`);
      return found[0]!;
    };
    const hosts = { h1: hostNs('h1'), h2: hostNs('h2') };
    const sw = `${hosts.h1.slice(0, -'-h1'.length)}.sw`;
    assert.ok(names.includes(sw), `switch netns ${sw}`);
    const ino = (ns: string) => fs.statSync(`/run/netns/${ns}`).ino;
    const bridges = JSON.parse(x('ip', '-n', sw, '-j', 'link', 'show', 'type', 'bridge')) as { ifname: string }[];
    assert.equal(bridges.length, 1);
    const br = bridges[0]!.ifname;
    const ports = JSON.parse(x('ip', '-n', sw, '-j', 'link', 'show', 'master', br)) as { ifindex: number; ifname: string; link_index: number; link_netnsid: number }[];
    const nsids = new Map((JSON.parse(x('ip', '-n', sw, '-j', 'netns', 'list-id')) as { nsid: number; name: string }[]).map((n) => [n.nsid, n.name]));
    assert.deepEqual(ports.map((p) => nsids.get(p.link_netnsid)).sort(), [hosts.h1, hosts.h2], 'one port of the bridge per host, as the lab file says');
    const hostEth0 = (ns: string) => (JSON.parse(x('ip', '-n', ns, '-j', 'link', 'show', 'dev', 'eth0')) as { ifindex: number }[])[0]!.ifindex;

    const labIds = [`lab:${LAB}`, `lab-host:${LAB}:h1`, `lab-host:${LAB}:h2`, `lab-switch:${LAB}:s1`];
    const nsIds = [...Object.values(hosts), sw].map((n) => `ns:net:${ino(n)}`);
    const bridgeId = `bridge:${ino(sw)}:${br}`;
    const d = await waitDrawn(frame, (d) => [...labIds, ...nsIds, bridgeId].every((id) => d.nodes.some((n) => n.id === id)) && d.edges.filter((e) => e.kind === 'veth-peer' && [e.source, e.target].some((end) => end.startsWith(`iface:${ino(sw)}:`))).length >= 2, `lab ${LAB}`);
    const byId = new Map(d.nodes.map((n) => [n.id, n]));
    const has = (kind: string, a: string, b: string) => d.edges.some((e) => e.kind === kind && ((e.source === a && e.target === b) || (kind === 'veth-peer' && e.source === b && e.target === a)));
    assert.ok(byId.get(`lab:${LAB}`)!.isParent, 'the lab is a box');
    for (const id of labIds.slice(1)) assert.equal(byId.get(id)!.parent, `lab:${LAB}`, `${id} sits in the lab box`);
    assert.deepEqual(labIds.slice(1).map((id) => byId.get(id)!.kind), ['lab-host', 'lab-host', 'lab-switch']);
    for (const [h, ns] of Object.entries(hosts)) assert.ok(has('implements', `lab-host:${LAB}:${h}`, `ns:net:${ino(ns)}`), `${h} is joined to netns ${ns}`);
    assert.ok(has('implements', `lab-switch:${LAB}:s1`, bridgeId), `s1 is joined to bridge ${br}`);
    assert.equal(byId.get(bridgeId)!.parent, `ns:net:${ino(sw)}`, 'the bridge sits in the switch namespace');
    for (const p of ports) {
      const ns = nsids.get(p.link_netnsid)!;
      assert.equal(p.link_index, hostEth0(ns), `${p.ifname}'s peer is eth0 of ${ns}`);
      const port = `iface:${ino(sw)}:${p.ifindex}`;
      const eth0 = `iface:${ino(ns)}:${p.link_index}`;
      assert.equal(byId.get(eth0)?.parent, `ns:net:${ino(ns)}`, `eth0 of ${ns} sits in its netns box`);
      assert.equal(byId.get(port)?.parent, `ns:net:${ino(sw)}`, `${p.ifname} sits in the switch netns box`);
      assert.ok(has('veth-peer', port, eth0), `${p.ifname} <-> eth0 of ${ns} is one veth edge`);
      assert.ok(has('bridge-port', port, bridgeId), `${p.ifname} is drawn as a port of ${br}`);
    }
    // Boxes that arrived together (lab up) are placed apart, not on top of each other.
    const boxes = [`lab:${LAB}`, ...nsIds];
    const rects = await frame.evaluate((ids) => ids.map((id) => (window as unknown as { virtlabTopology: { renderedBox(id: string): { x1: number; y1: number; x2: number; y2: number } } }).virtlabTopology.renderedBox(id)), boxes);
    rects.forEach((a, i) => rects.forEach((b, j) => {
      if (i < j) assert.ok(a.x2 <= b.x1 || b.x2 <= a.x1 || a.y2 <= b.y1 || b.y2 <= a.y1, `${boxes[i]} and ${boxes[j]} do not overlap: ${JSON.stringify([a, b])}`);
    }));
    await searchFor(frame, 'vlq');
    await page.screenshot({ path: path.join(RESULTS_DIR, 'topology-lab.png') });
    await searchFor(frame, '');

    lab('down', LAB);
    assert.equal(x('ip', 'netns', 'list').split('\n').filter((l) => l.startsWith(hosts.h1.slice(0, -3))).length, 0, 'ip shows none of the lab left');
    const gone = [...labIds, ...nsIds, bridgeId];
    await waitDrawn(frame, (d) => !d.nodes.some((n) => gone.includes(n.id)), `lab ${LAB} gone from the picture`);
  });

  it('keyboard only: Tab reaches the graph, arrows move a visible focus spatially, Enter shows that node in the side panel, Escape clears', async function () {
    await searchFor(frame, '');
    await frame.locator('vscode-textfield.search input').focus();
    assert.ok(await tabToGraph(page, frame), 'Tab from the search box reaches the graph');
    const graph = frame.locator('#graph');
    assert.equal(await graph.getAttribute('role'), 'application');
    assert.match((await graph.getAttribute('aria-label')) ?? '', /Arrow keys move between nodes/);
    const live = frame.locator('.sr-live[aria-live="polite"]');
    const start = await keyFocus(frame);
    assert.ok(start, 'focusing the graph puts the focus ring on a node');
    const label = (id: string) => drawn(frame).then((d) => d.nodes.find((n) => n.id === id)!.label);
    assert.match((await live.textContent()) ?? '', new RegExp(`^Focused ${(await label(start)).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    // Each arrow goes to a node that lies that way on screen (or stays, at the edge of the picture).
    const moves: [string, (a: { x: number; y: number }, b: { x: number; y: number }) => boolean][] = [
      ['ArrowRight', (a, b) => b.x > a.x], ['ArrowDown', (a, b) => b.y > a.y], ['ArrowLeft', (a, b) => b.x < a.x], ['ArrowUp', (a, b) => b.y < a.y],
    ];
    let at = start;
    let moved = 0;
    for (const [key, ok] of [...moves, ...moves]) {
      const from = await renderedPosition(frame, at);
      await page.keyboard.press(key);
      const next = (await keyFocus(frame))!;
      if (next !== at) {
        moved++;
        assert.ok(ok(from, await renderedPosition(frame, next)), `${key} went from ${at} to ${next}, which lies that way`);
      }
      at = next;
    }
    assert.ok(moved >= 2, `arrows moved the focus (${moved} moves)`);
    await page.keyboard.press('Enter');
    await frame.waitForFunction((id) => document.querySelector('.details-title')?.getAttribute('title') === id, at, { timeout: SLOW_MS });
    assert.match((await live.textContent()) ?? '', /^Selected .*side panel$/);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'topokey-keyboard-light.png') });
    await page.keyboard.press('Escape');
    await frame.locator('.details .hint').waitFor({ state: 'visible' });
    assert.equal(await keyFocus(frame), null);
    assert.equal(await live.textContent(), 'Selection cleared');
  });

  it('search + Enter selects its match: the side panel shows its facts', async function () {
    const input = frame.locator('vscode-textfield.search input');
    await input.focus();
    await page.keyboard.type(CTRS[1]!);
    await page.keyboard.press('Enter');
    await frame.locator('.details-title', { hasText: CTRS[1]! }).waitFor({ state: 'visible', timeout: SLOW_MS });
    assert.equal(await frame.locator('.details-title').getAttribute('title'), `container:${ctrIds[1]}`);
    assert.equal(await keyFocus(frame), `container:${ctrIds[1]}`);
    assert.ok(await frame.locator('vscode-button[data-command="virtlab.revealInTree"]').isVisible(), 'its actions are there too');
    await searchFor(frame, '');
  });

  it('follows the theme: a dark screenshot after switching', async function () {
    await switchThemeAndShoot(page, frame, /^Dark Modern/, 'vscode-dark', 'topology-dark.png');
    const bg = await frame.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.notEqual(bg, 'rgb(255, 255, 255)');
    // The legend is redrawn in the dark palette: the host swatch's outline is the new foreground.
    await frame.locator('details.legend').scrollIntoViewIfNeeded();
    const legendDark = await frame.locator('details.legend .legend-swatch *').first().getAttribute('stroke');
    assert.ok(legendLight && legendDark && legendDark !== legendLight, `legend outline ${legendLight} (light) -> ${legendDark} (dark)`);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'topology-legend-dark.png') });
  });

  it('keyboard focus ring in the dark theme', async function () {
    await frame.locator('#graph').focus();
    await page.keyboard.press('ArrowRight');
    assert.ok(await keyFocus(frame));
    await new Promise((r) => setTimeout(r, 500));
    await page.screenshot({ path: path.join(RESULTS_DIR, 'topokey-keyboard-dark.png') });
  });
});

/** Click an export button in the webview and answer VS Code's save dialog (code-server: the quick-input file dialog). */
async function exportTo(page: Page, frame: Frame, format: 'svg' | 'png', file: string | null): Promise<void> {
  await frame.locator(`#export-${format}`).click();
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: SLOW_MS });
  // The dialog opens on the suggested name in the workspace: proof that it is ours, not another picker.
  await page.waitForFunction((ext) => (document.querySelector('.quick-input-widget input') as HTMLInputElement | null)?.value.endsWith(`virtlab-topology.${ext}`), format, { timeout: SLOW_MS });
  if (file === null) {
    await page.keyboard.press('Escape');
  } else {
    await input.fill(file);
    await page.keyboard.press('Enter');
  }
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: SLOW_MS }).catch(async (e: unknown) => {
    await page.screenshot({ path: path.join(RESULTS_DIR, `topology-export-${format}-failure.png`) });
    throw e;
  });
}

async function waitForFile(file: string): Promise<Buffer> {
  const deadline = Date.now() + SLOW_MS;
  for (;;) {
    // Complete once its size stops changing between two looks.
    const a = fs.existsSync(file) ? fs.statSync(file).size : -1;
    await new Promise((r) => setTimeout(r, 500));
    const b = fs.existsSync(file) ? fs.statSync(file).size : -1;
    if (a > 0 && a === b) return fs.readFileSync(file);
    if (Date.now() > deadline) throw new Error(`${file} was never written`);
  }
}

describe('Topology export in a served VS Code', function () {
  this.timeout(SLOW_MS * 3);
  const CTR = 'vlt6export';
  // One served VS Code with the topology open on a container of ours (no network needed).
  const at = {} as { profile: Profile; server?: Server; ui?: Browsing; page: Page; frame: Frame };

  before(async function () {
    quiet('docker', 'rm', '-f', CTR);
    x('docker', 'run', '-d', '--name', CTR, '--label', 'virtlab.test=1', '--network', 'none', 'virtlab/busybox:latest', 'sleep', '900');
    at.profile = prepareProfile('e2e-topology-export', [VSIX]);
    at.server = await startCodeServer(at.profile);
    at.ui = await openWorkbench(at.server, at.profile.workspace);
    const page = (at.page = at.ui.page);
    await page.locator('.activitybar [role="tab"][aria-label^="VirtLab"], .activitybar a[aria-label^="VirtLab"]').first().waitFor({ state: 'visible' });
    await runPaletteCommand(page, 'VirtLab: Open Topology');
    at.frame = await topologyFrame(page);
    await waitDrawn(at.frame, (d) => d.nodes.some((n) => n.kind === 'container' && n.label === CTR), CTR);
  });

  after(async function () {
    await at.ui?.close().catch(() => undefined);
    await at.server?.stop();
    quiet('docker', 'rm', '-f', CTR);
  });

  it('Export SVG writes an SVG document holding the labels on screen', async function () {
    const file = path.join(at.profile.workspace, 'exported-view.svg');
    await exportTo(at.page, at.frame, 'svg', file);
    const text = (await waitForFile(file)).toString('utf8');
    // Parsed by the browser's own XML parser, as an image viewer would.
    const parsed = await at.page.evaluate((src) => {
      const doc = new DOMParser().parseFromString(src, 'image/svg+xml');
      return {
        root: doc.documentElement.localName,
        ns: doc.documentElement.namespaceURI,
        error: doc.getElementsByTagName('parsererror').length,
        texts: [...doc.getElementsByTagName('text')].map((t) => t.textContent ?? ''),
      };
    }, text);
    assert.equal(parsed.error, 0, 'the SVG parses without errors');
    assert.equal(parsed.root, 'svg');
    assert.equal(parsed.ns, 'http://www.w3.org/2000/svg');
    const labels = (await drawn(at.frame)).nodes.filter((n) => n.visible && !n.isParent).map((n) => n.label);
    assert.ok(parsed.texts.includes(CTR), `the container's name is a text element of the SVG (texts: ${parsed.texts.slice(0, 20).join(', ')}…)`);
    assert.ok(labels.includes(CTR));
    await at.page.locator('.notification-toast', { hasText: `Topology saved to ${file}` }).first().waitFor({ state: 'visible', timeout: SLOW_MS });
  });

  it('Export PNG writes a PNG image of sane size', async function () {
    const file = path.join(at.profile.workspace, 'exported-view.png');
    await exportTo(at.page, at.frame, 'png', file);
    const png = await waitForFile(file);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
    assert.equal(png.subarray(12, 16).toString('latin1'), 'IHDR');
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    // The whole graph at scale 2: more than a thumbnail, less than a canvas limit.
    assert.ok(width >= 100 && width <= 16_384 && height >= 50 && height <= 16_384, `${width}×${height}`);
    // The browser decodes it to the same size.
    const decoded = await at.page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      return [img.naturalWidth, img.naturalHeight];
    }, png.toString('base64'));
    assert.deepEqual(decoded, [width, height]);
  });

  it('cancelling the save dialog writes nothing and shows no error', async function () {
    const before = fs.readdirSync(at.profile.workspace).sort();
    await exportTo(at.page, at.frame, 'svg', null);
    await exportTo(at.page, at.frame, 'png', null);
    // Long enough for a write or an error to have shown up.
    await new Promise((r) => setTimeout(r, 3000));
    assert.deepEqual(fs.readdirSync(at.profile.workspace).sort(), before, 'no file was written');
    assert.equal(await at.page.locator('.notification-toast', { hasText: /failed|error/i }).count(), 0, 'no error notification');
    assert.equal(await at.frame.locator('.side', { hasText: /failed/i }).count(), 0, 'no failure note in the side panel');
    await at.page.screenshot({ path: path.join(RESULTS_DIR, 'topology-export-cancelled.png') });
  });
});
