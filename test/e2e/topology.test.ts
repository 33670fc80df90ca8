// End to end: "VirtLab: Open Topology" in a served VS Code (code-server + Chromium) with two
// containers on docker0 and a lab-style namespace pair on a userspace OVS bridge, created here
// (vlt*) and removed after. The webview sits in nested iframes; the test finds the frame that
// holds the graph and reads what is drawn through its read-only `virtlabTopology` handle.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { openWorkbench, prepareProfile, RESULTS_DIR, runPaletteCommand, SLOW_MS, startCodeServer, switchThemeAndShoot, VIRTLAB_VSIX, webviewFrame, writeTheme, type Browsing, type Profile, type Server } from './workbench';

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

function cleanup(): void {
  for (const c of CTRS) quiet('docker', 'rm', '-f', c);
  quiet('ovs-vsctl', '--timeout=10', '--if-exists', 'del-br', BR);
  for (const ns of NS) quiet('ip', 'netns', 'del', ns);
  for (const ns of NS) quiet('ip', 'link', 'del', `${ns}h`);
}

interface Drawn {
  nodes: { id: string; label: string; kind: string; parent: string | null; isParent: boolean; visible: boolean }[];
  edges: { id: string; kind: string; source: string; target: string }[];
}

const netnsInodeOfPid = (pid: number) => Number(/\[(\d+)\]/.exec(fs.readlinkSync(`/proc/${pid}/ns/net`))![1]);
const ifindexIn = (ns: string, dev: string) => (JSON.parse(x('ip', '-n', ns, '-j', 'link', 'show', 'dev', dev)) as { ifindex: number }[])[0]!.ifindex;
const ifindexInPid = (pid: number, dev: string) => (JSON.parse(x('nsenter', `--net=/proc/${pid}/ns/net`, '--', 'ip', '-j', 'link', 'show', 'dev', dev)) as { ifindex: number }[])[0]!.ifindex;

/** The innermost webview frame that holds the topology page. */
function topologyFrame(page: Page): Promise<Frame> {
  return webviewFrame(page, 'the topology', () => !!document.getElementById('graph') && 'virtlabTopology' in window);
}

const drawn = (f: Frame) => f.evaluate(() => (window as unknown as { virtlabTopology: { drawn(): unknown } }).virtlabTopology.drawn()) as Promise<Drawn>;

async function waitDrawn(f: Frame, ok: (d: Drawn) => boolean, what: string): Promise<Drawn> {
  const deadline = Date.now() + SLOW_MS;
  for (;;) {
    const d = await drawn(f);
    if (ok(d)) return d;
    if (Date.now() > deadline) throw new Error(`topology never showed ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
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

  before(async function () {
    cleanup();
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
    server = await startCodeServer(profile);
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

  it('follows the theme: a dark screenshot after switching', async function () {
    await switchThemeAndShoot(page, frame, /^Dark Modern/, 'vscode-dark', 'topology-dark.png');
    const bg = await frame.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.notEqual(bg, 'rgb(255, 255, 255)');
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
