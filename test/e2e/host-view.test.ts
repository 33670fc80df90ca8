// End to end: a real VS Code (code-server) with the packaged VirtLab VSIX, driven by Chromium.
// Also hosts the extension-host suite: the runner extension installed beside VirtLab runs it when
// this workbench starts its extension host, and writes test-results/extension.json.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { buildRunner } from '../extension/build';
import { installedExtensions, openWorkbench, screenshotIfFailed, showVirtLab, prepareProfile, RESULTS_DIR, SLOW_MS, startCodeServer, VIRTLAB_VSIX, waitForJson, type Browsing, type Profile, type Server } from './workbench';

const EXTENSION_RESULTS = path.join(RESULTS_DIR, 'extension.json');
const SCREENSHOT = path.join(RESULTS_DIR, 'e2e-host-view.png');
const EXTENSION_SUITE_MS = 600_000;

interface SuiteResult {
  suite: string;
  finished: boolean;
  passed: number;
  failed: number;
  pending: number;
}

async function runPaletteCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  // Click the row with exactly this title: the first match may be another command
  // ("VirtLab: Lab: Refresh" sorts before "VirtLab: Refresh").
  // (Match the label, not the accessible name: that one may end in ", Ctrl+J" or ", similar commands".)
  const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  const option = page.locator('.quick-input-widget [role="option"]').filter({ has: page.locator('.label-name', { hasText: exact }) }).first();
  await option.waitFor({ state: 'visible' });
  await option.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

/** A modal error dialog ("Command ... resulted in an error") left open by the last command. */
async function errorDialog(page: Page): Promise<string | undefined> {
  const dialog = page.locator('.monaco-dialog-box');
  return (await dialog.isVisible()) ? (await dialog.innerText()).replace(/\s+/g, ' ') : undefined;
}

describe('VirtLab in a served VS Code (code-server + Chromium)', function () {
  let profile: Profile;
  let server: Server | undefined;
  let ui: Browsing | undefined;
  let page: Page;
  const kernel = execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim();

  before(async function () {
    fs.rmSync(EXTENSION_RESULTS, { force: true });
    const runner = await buildRunner(EXTENSION_RESULTS);
    profile = prepareProfile('e2e-profile', [VIRTLAB_VSIX, runner]);
    server = await startCodeServer(profile);
    ui = await openWorkbench(server, profile.workspace);
    page = ui.page;
  });

  afterEach(async function () {
    // What the workbench showed when a test failed, for the person reading the report.
    await screenshotIfFailed(page, this.currentTest, 'e2e');
  });

  after(async function () {
    await ui?.close().catch(() => undefined);
    await server?.stop();
  });

  it('has VirtLab and the test runner installed from their VSIXes', function () {
    const ids = installedExtensions(profile);
    assert.ok(ids.includes('virtlab.virtlab'), `installed: ${ids.join(', ')}`);
    assert.ok(ids.includes('virtlab.virtlab-test-runner'), `installed: ${ids.join(', ')}`);
  });

  it('runs the extension-host suite inside the served VS Code', async function () {
    // The whole suite runs before this resolves: allow it far more than one slow test.
    this.timeout(EXTENSION_SUITE_MS + 60_000);
    // The reporter rewrites the file after every test; `finished` is set when the run ends.
    const result = await waitForJson<SuiteResult>(EXTENSION_RESULTS, EXTENSION_SUITE_MS, server!, (r) => r.finished === true);
    assert.equal(result.suite, 'extension');
    // Its own passes/failures are counted as the "extension" suite; here: it ran to the end.
    assert.ok(result.passed + result.failed > 0, 'the suite ran tests');
  });

  it('opens the Host view from the activity bar and shows the kernel from `uname -r`', async function () {
    const item = page.locator('.activitybar [role="tab"][aria-label^="VirtLab"], .activitybar a[aria-label^="VirtLab"]').first();
    await showVirtLab(page, item);
    // With several VirtLab views the Host view is a collapsible section: expand it if it is not.
    const header = page.locator('.sidebar .pane-header', { hasText: /^Host/ }).first();
    if ((await header.count()) > 0 && (await header.getAttribute('aria-expanded')) === 'false') await header.click();
    const row = page.getByRole('treeitem', { name: /^Kernel\b/ });
    await row.waitFor({ state: 'visible' });
    assert.equal(await row.getAttribute('aria-label'), `Kernel: ${kernel}`);
    assert.ok((await row.innerText()).includes(kernel), 'the row shows the kernel release');
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
  });

  it('runs "VirtLab: Refresh" from the command palette and still shows the kernel', async function () {
    await runPaletteCommand(page, 'VirtLab: Refresh');
    await page.getByRole('treeitem', { name: `Kernel: ${kernel}` }).waitFor({ state: 'visible' });
    assert.equal(await errorDialog(page), undefined);
  });

  it('runs "VirtLab: Show Log": the Output panel opens on the VirtLab log, which says it activated', async function () {
    const panel = page.locator('.part.panel');
    // The extension-host suite may have opened it already: hide it so this test sees the command work.
    if (await panel.isVisible()) {
      await runPaletteCommand(page, 'View: Toggle Panel Visibility');
      await panel.waitFor({ state: 'hidden' });
    }
    await runPaletteCommand(page, 'VirtLab: Show Log');
    await panel.waitFor({ state: 'visible' });
    const channel = panel.getByRole('combobox', { name: 'Switch Output' }).first();
    await page.waitForFunction((el) => (el as HTMLSelectElement).selectedOptions[0]?.text === 'VirtLab', await channel.elementHandle(), { timeout: SLOW_MS });
    // The log is long and the editor renders only visible lines: filter down to the line.
    await panel.getByPlaceholder(/^Filter/).fill('activated');
    // The editor renders spaces as no-break spaces, hence \s.
    await panel.locator('.view-lines', { hasText: /VirtLab\s.*activated/ }).first().waitFor({ state: 'visible' });
    await page.screenshot({ path: path.join(RESULTS_DIR, 'e2e-log.png') });
  });
});
