// End to end, issue 5: the Containers view in a served VS Code (code-server + Chromium):
// a running container with its 8 namespaces, Inspect Container Namespaces from the palette, and a
// container started from the integrated terminal appearing in the tree without a manual refresh.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { openWorkbench, prepareProfile, showVirtLab, RESULTS_DIR, SLOW_MS, startCodeServer, VIRTLAB_VSIX, type Browsing, type Profile, type Server } from './workbench';

const A = `vlt-e2e-a${process.pid}`;
const B = `vlt-e2e-b${process.pid}`;
const NS = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'time', 'user', 'uts'];

function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8', timeout: 60_000 }).trim();
}
function rm(name: string): void {
  try {
    docker('rm', '-f', name);
  } catch {
    /* not there */
  }
}
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(RESULTS_DIR, name) });
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function palette(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  const option = page.locator('.quick-input-widget [role="option"]').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escape(title)}$`) }) }).first();
  await option.click();
}

describe('VirtLab views in a served VS Code (containers, namespaces, live updates)', function () {
  let profile: Profile;
  let server: Server | undefined;
  let ui: Browsing | undefined;
  let page: Page;
  let pidA: number;

  before(async function () {
    rm(A);
    rm(B);
    docker('run', '-d', '--name', A, '--label', 'virtlab.test=1', 'virtlab/busybox:latest', 'sleep', '600');
    pidA = Number(docker('inspect', '-f', '{{.State.Pid}}', A));
    profile = prepareProfile('e2e-views-profile', [VIRTLAB_VSIX]);
    server = await startCodeServer(profile);
    ui = await openWorkbench(server, profile.workspace);
    page = ui.page;
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      await shot(page, `e2e-views-failed-${this.currentTest.title.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 50).toLowerCase()}.png`).catch(() => undefined);
      for (let i = 0; i < 2; i++) await page.keyboard.press('Escape').catch(() => undefined);
    }
  });

  after(async function () {
    await ui?.close().catch(() => undefined);
    await server?.stop();
    rm(A);
    rm(B);
  });

  it('shows a running container in Containers, and its 8 namespaces with the inodes of /proc/<pid>/ns', async function () {
    const icon = page.locator('.activitybar [role="tab"][aria-label^="VirtLab"], .activitybar a[aria-label^="VirtLab"]').first();
    await showVirtLab(page, icon);
    const header = page.locator('.sidebar .pane-header', { hasText: /^Containers/ }).first();
    await header.waitFor({ state: 'visible' });
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    const row = page.getByRole('treeitem', { name: new RegExp(`^${escape(A)}, running`) });
    await row.waitFor({ state: 'visible' });
    if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
    const nsRow = page.getByRole('treeitem', { name: /^Namespaces, \d own, \d shared/ }).first();
    await nsRow.waitFor({ state: 'visible' });
    if ((await nsRow.getAttribute('aria-expanded')) === 'false') await nsRow.click();
    for (const t of NS) {
      const inode = /\[(\d+)\]/.exec(fs.readlinkSync(`/proc/${pidA}/ns/${t}`))![1];
      await page.getByRole('treeitem', { name: new RegExp(`^${t}, ${inode} · `) }).first().waitFor({ state: 'visible' });
    }
    await shot(page, 'e2e-containers-namespaces.png');
  });

  it('runs "Inspect Container Namespaces…" from the palette and shows the details', async function () {
    await palette(page, 'VirtLab: Inspect Container Namespaces…');
    const input = page.locator('.quick-input-widget input');
    await input.fill(A);
    await page.locator('.quick-input-widget [role="option"]', { hasText: A }).first().click();
    const tab = page.locator('.tabs-container .tab', { hasText: `namespaces-${A}` }).first();
    await tab.waitFor({ state: 'visible' });
    const editor = page.locator('.editor-instance .view-lines').first();
    await editor.getByText(`Namespaces of container ${A}`).first().waitFor({ state: 'visible' });
    // Monaco renders spaces as no-break spaces.
    const text = (await editor.innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, /\*\*pid\*\*/);
    assert.match(text, /what it isolates/);
    await shot(page, 'e2e-inspect-namespaces.png');
  });

  it('a container started from the integrated terminal appears in the tree without a manual refresh', async function () {
    await palette(page, 'Terminal: Create New Terminal');
    const term = page.locator('.terminal-wrapper .xterm').first();
    await term.waitFor({ state: 'visible' });
    await term.click();
    await page.keyboard.type(`docker run -d --name ${B} --label virtlab.test=1 virtlab/busybox:latest sleep 600\n`);
    const row = page.getByRole('treeitem', { name: new RegExp(`^${escape(B)}, running`) });
    await row.waitFor({ state: 'visible', timeout: SLOW_MS });
    assert.equal(docker('inspect', '-f', '{{.State.Running}}', B), 'true');
    await shot(page, 'e2e-container-appears.png');
  });
});
