// End to end: the topology while Docker does not answer. A private dockerd (test/reliability/
// daemons.ts: its own socket, data and exec roots; the machine's dockerd is never touched) holds
// two containers of ours (vlk-*); code-server is pointed at it with VIRTLAB_DOCKER_SOCKET. Docker
// is stopped (SIGTERM, as `systemctl restart docker` does): the topology must say so in a banner
// and keep the containers drawn, greyed as unknown; started again: they are back where they were.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { lockPrivate, PrivateDocker } from '../reliability/daemons';
import { drawn, renderedPosition, startCodeServerWith, topologyFrame, waitDrawn, type Drawn } from './topologyPage';
import { openWorkbench, prepareProfile, RESULTS_DIR, runPaletteCommand, screenshotIfFailed, SLOW_MS, switchThemeAndShoot, VIRTLAB_VSIX, writeTheme, type Browsing, type Profile, type Server } from './workbench';

const VSIX = process.env.VIRTLAB_TOPOLOGY_VSIX ?? VIRTLAB_VSIX;
const IMAGE = 'virtlab/busybox:latest';
const LOGS = path.join(RESULTS_DIR, 'e2e-topology-docker');

describe('Topology while Docker does not answer (a private dockerd)', function () {
  this.timeout(SLOW_MS * 3);
  const d = new PrivateDocker(LOGS);
  let release = () => undefined as void;
  let profile: Profile;
  let server: Server | undefined;
  let ui: Browsing | undefined;
  let page: Page;
  let frame: Frame;
  const ids: string[] = [];
  const placed = new Map<string, { x: number; y: number }>();
  const ctr = (id: string, dr: Drawn) => dr.nodes.find((n) => n.id === `container:${id}`);
  // Builds before the banner had no classes in their drawn(): read as "not unknown".
  const unknown = (id: string, dr: Drawn) => (ctr(id, dr)?.classes ?? []).includes('unknown');

  before(async function () {
    this.timeout(SLOW_MS * 4);
    release = await lockPrivate();
    fs.mkdirSync(LOGS, { recursive: true });
    await d.destroy();
    await d.start();
    d.importBusybox();
    ids.push(d.docker('run', '-d', '--network', 'none', '--restart', 'always', '--name', 'vlk-web', IMAGE, 'sleep', '100000'));
    ids.push(d.docker('run', '-d', '--network', 'none', '--name', 'vlk-db', IMAGE, 'sleep', '100000'));
    profile = prepareProfile('e2e-topology-docker', [VSIX]);
    writeTheme(profile, 'Default Light Modern');
    // The extension host inherits the socket from code-server, so it reads only the private daemon.
    server = await startCodeServerWith(profile, { VIRTLAB_DOCKER_SOCKET: d.socket });
    ui = await openWorkbench(server, profile.workspace);
    page = ui.page;
    await page.locator('.activitybar [role="tab"][aria-label^="VirtLab"], .activitybar a[aria-label^="VirtLab"]').first().waitFor({ state: 'visible' });
    await runPaletteCommand(page, 'VirtLab: Open Topology');
    frame = await topologyFrame(page);
    await waitDrawn(frame, (dr) => ids.every((id) => ctr(id, dr)), 'both containers of the private dockerd');
  });

  afterEach(async function () {
    await screenshotIfFailed(page, this.currentTest, 'topokey-docker');
  });

  after(async function () {
    this.timeout(SLOW_MS);
    await ui?.close().catch(() => undefined);
    await server?.stop();
    await d.destroy();
    release();
  });

  it('Docker stopped: a banner says so and the last-known containers stay drawn, greyed as unknown (light and dark)', async function () {
    for (const id of ids) placed.set(id, await renderedPosition(frame, `container:${id}`));
    await d.stop('SIGTERM');
    const banner = frame.locator('.banner', { hasText: `Docker is not answering at ${d.socket}` });
    await banner.waitFor({ state: 'visible', timeout: SLOW_MS });
    assert.match((await banner.textContent()) ?? '', /showing the last-known 2 containers, greyed, in state unknown/);
    const dr = await drawn(frame);
    for (const id of ids) assert.ok(unknown(id, dr), `${id} is still drawn, marked unknown: ${JSON.stringify(ctr(id, dr))}`);
    // The side panel says what is known of it, reached by keyboard (search + Enter).
    await frame.locator('vscode-textfield.search input').focus();
    await page.keyboard.type('vlk-web');
    await page.keyboard.press('Enter');
    await frame.locator('.details-title', { hasText: 'vlk-web' }).waitFor({ state: 'visible', timeout: SLOW_MS });
    assert.equal(await frame.locator('tr[data-key="state"] td').first().evaluate((td) => td.firstChild?.textContent), 'unknown');
    // What Docker last said (a graceful stop may have stopped it first: then "exited").
    assert.match((await frame.locator('tr[data-key="lastKnownState"] td').first().evaluate((td) => td.firstChild?.textContent)) ?? '', /^(running|exited)$/);
    // Search zoomed and Enter centred on the match: where they are drawn now is where they must come back.
    for (const id of ids) placed.set(id, await renderedPosition(frame, `container:${id}`));
    await page.screenshot({ path: path.join(RESULTS_DIR, 'topokey-docker-down-light.png') });
    await switchThemeAndShoot(page, frame, /^Dark Modern/, 'vscode-dark', 'topokey-docker-down-dark.png');
  });

  it('Docker back: the containers return where they were, on screen, no longer unknown', async function () {
    await d.start();
    const dr = await waitDrawn(frame, (x) => ids.every((id) => ctr(id, x) && !unknown(id, x)), 'both containers known again');
    await frame.locator('.banner').waitFor({ state: 'hidden', timeout: SLOW_MS });
    const size = await frame.evaluate(() => ({ w: document.getElementById('graph')!.clientWidth, h: document.getElementById('graph')!.clientHeight }));
    for (const id of ids) {
      const p = await renderedPosition(frame, `container:${id}`);
      const was = placed.get(id)!;
      assert.ok(p.x >= 0 && p.y >= 0 && p.x <= size.w && p.y <= size.h, `${id} is on screen: ${JSON.stringify(p)} in ${size.w}×${size.h}`);
      assert.ok(Math.hypot(p.x - was.x, p.y - was.y) < 60, `${id} is back where it was: ${JSON.stringify(was)} -> ${JSON.stringify(p)}`);
    }
    assert.ok(!unknown(ids[1]!, dr));
    await page.screenshot({ path: path.join(RESULTS_DIR, 'topokey-docker-back-dark.png') });
  });
});
