// End to end: guided labs 1, 3 and 6 in a served VS Code (code-server + Chromium), done the way a
// student does them: open the lab, click each command's Run button (the command is typed into the
// "VirtLab Guide" terminal), click Check, see it turn green. The checks run in the extension host
// against the live machine. Then a window reload keeps the progress, and Reset leaves no vlg-prefixed
// container, namespace or OVS bridge behind (asked of docker, ip and ovs-vsctl directly).
// Run under `flock /tmp/virtlab-guide.lock`: the guide integration tests use the same vlg objects.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { resetGuide } from '../../src/core/guide';
import { openWorkbench, pickQuickItem, prepareProfile, RESULTS_DIR, runPaletteCommand, screenshotIfFailed, showVirtLab, SLOW_MS, startCodeServer, switchThemeAndShoot, VIRTLAB_VSIX, webviewFrame, writeTheme, type Browsing, type Profile, type Server } from './workbench';

const VSIX = process.env.VIRTLAB_GUIDES_VSIX ?? VIRTLAB_VSIX;
/** A check may run before the terminal finished the step's commands: ask again, as a student would. */
const CHECK_PATIENCE_MS = 240_000;

const x = (file: string, ...args: string[]) => execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });

/** Every vlg-prefixed object the guides make, as the tools themselves list them. */
function vlgObjects(): string[] {
  const containers = x('docker', 'ps', '-a', '--format', '{{.Names}}').split('\n').filter((n) => n.startsWith('vlg'));
  const netns = x('ip', 'netns', 'list').split('\n').map((l) => l.split(' ')[0]!).filter((n) => n.startsWith('vlg'));
  const bridges = x('ovs-vsctl', '--timeout=10', 'list-br').split('\n').filter((n) => n.startsWith('vlg'));
  const links = (JSON.parse(x('ip', '-j', 'link', 'show')) as { ifname: string }[]).map((l) => l.ifname).filter((n) => n.startsWith('vlg'));
  return [...containers.map((c) => `container ${c}`), ...netns.map((n) => `netns ${n}`), ...bridges.map((b) => `ovs-bridge ${b}`), ...links.map((l) => `link ${l}`)];
}

const LABS = { 1: '1. PID namespaces', 3: '3. cgroups', 6: '6. Virtual switches' } as const;

/** The webview frame that shows guided lab `n` (its heading says so). */
function guideFrame(page: Page, n: number): Promise<Frame> {
  return webviewFrame(page, `guided lab ${n}`, (want) => (document.querySelector('h1.title')?.textContent ?? '').startsWith(want) && document.querySelectorAll('li.step').length > 0, `Guided lab ${n}:`);
}

async function openGuide(page: Page, n: keyof typeof LABS): Promise<Frame> {
  await runPaletteCommand(page, 'VirtLab: Open Guided Lab…', /Open Guided Lab/);
  await page.locator('.quick-input-widget input[placeholder="Which guided lab?"]').waitFor({ state: 'visible' });
  await pickQuickItem(page, LABS[n]);
  return guideFrame(page, n);
}

const stepIds = (f: Frame) => f.evaluate(() => [...document.querySelectorAll('li.step')].map((li) => (li as HTMLElement).dataset.step!));

/** Click Check (or press Enter on it) and wait for the verdict it brings; true when green. */
async function checkOnce(f: Frame, stepId: string, how: 'click' | 'keyboard' = 'click'): Promise<boolean> {
  const step = f.locator(`li.step[data-step="${stepId}"]`);
  const before = Number((await step.getAttribute('data-verdicts')) ?? 0);
  const button = step.locator('vscode-button.check');
  if (how === 'keyboard') {
    await button.focus();
    await button.press('Enter');
  } else {
    await button.click();
  }
  await f.waitForFunction(
    ([id, n]) => Number(document.querySelector(`li.step[data-step="${id}"]`)?.getAttribute('data-verdicts') ?? 0) > (n as number),
    [stepId, before] as const,
    { timeout: SLOW_MS },
  );
  const cls = (await step.locator('.verdict').getAttribute('class')) ?? '';
  assert.ok(/\b(ok|failed)\b/.test(cls), `step ${stepId} shows a verdict (${cls})`);
  return /\bok\b/.test(cls);
}

async function checkUntilGreen(f: Frame, stepId: string): Promise<string> {
  const deadline = Date.now() + CHECK_PATIENCE_MS;
  for (;;) {
    if (await checkOnce(f, stepId)) return (await f.locator(`li.step[data-step="${stepId}"] .verdict`).textContent()) ?? '';
    if (Date.now() > deadline) {
      const detail = await f.locator(`li.step[data-step="${stepId}"] .verdict`).textContent();
      throw new Error(`step ${stepId} never passed: ${detail}`);
    }
    await new Promise((r) => setTimeout(r, 3000));
  }
}

/** Do the whole lab: every command's Run button in order, then Check (or Mark as done). */
async function completeLab(page: Page, f: Frame, n: number): Promise<Record<string, string>> {
  const verdicts: Record<string, string> = {};
  const ids = await stepIds(f);
  assert.ok(ids.length > 0, `lab ${n} has steps`);
  for (const id of ids) {
    const step: Locator = f.locator(`li.step[data-step="${id}"]`);
    const runs = step.locator('.command vscode-button.run');
    const count = await runs.count();
    for (let i = 0; i < count; i++) await runs.nth(i).click();
    if ((await step.locator('vscode-button.check').count()) > 0) {
      verdicts[id] = await checkUntilGreen(f, id);
    } else {
      await step.locator('vscode-button.mark-done').click();
      verdicts[id] = 'marked done';
    }
    await f.locator(`li.step.done[data-step="${id}"]`).waitFor({ state: 'attached' });
  }
  await f.locator('#progress-text', { hasText: `${ids.length} of ${ids.length} steps done` }).waitFor();
  // The top of the lab: the progress and the first steps' green verdicts.
  await f.evaluate(() => window.scrollTo(0, 0));
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(RESULTS_DIR, `guide-lab${n}.png`) });
  return verdicts;
}

async function resetLab(page: Page, n: keyof typeof LABS): Promise<string> {
  // Its panel is still open from doing the lab: go to its editor tab.
  await page.locator('.tabs-container .tab', { hasText: `Guided Lab ${n}:` }).click();
  const f = await guideFrame(page, n);
  await f.locator('vscode-button#reset').click();
  // The confirmation is the workbench's own modal dialog.
  const confirm = page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Reset$/ });
  await confirm.waitFor({ state: 'visible' });
  await confirm.click();
  const report = f.locator('#notice.reset-report');
  await report.waitFor({ state: 'visible', timeout: SLOW_MS });
  await f.locator('#progress-text', { hasText: /^0 of \d+ steps done$/ }).waitFor();
  return (await report.textContent()) ?? '';
}

describe('Guided labs in a served VS Code', function () {
  this.timeout(SLOW_MS * 4);
  let profile: Profile;
  let server: Server | undefined;
  let ui: Browsing | undefined;
  let page: Page;
  const stepCount: Record<number, number> = {};

  before(async function () {
    profile = prepareProfile('e2e-guides', [VSIX]);
    writeTheme(profile, 'Default Light Modern');
    server = await startCodeServer(profile);
    ui = await openWorkbench(server, profile.workspace);
    page = ui.page;
    await page.locator('.activitybar [role="tab"][aria-label^="VirtLab"], .activitybar a[aria-label^="VirtLab"]').first().waitFor({ state: 'visible' });
  });

  /** Do lab `n` and require every step green (or, for reading steps, marked done). */
  async function completeAllGreen(f: Frame, n: number): Promise<void> {
    const verdicts = await completeLab(page, f, n);
    stepCount[n] = Object.keys(verdicts).length;
    for (const [id, v] of Object.entries(verdicts)) assert.ok(v === 'marked done' || v.startsWith('✓ Passed: '), `${id}: ${v}`);
  }

  afterEach(async function () {
    await screenshotIfFailed(page, this.currentTest, 'guide');
  });

  after(async function () {
    await ui?.close().catch(() => undefined);
    await server?.stop();
    // A test cut off halfway leaves the labs' objects: the core's own reset removes them.
    if (vlgObjects().length) for (const id of ['pid-namespaces', 'cgroups', 'ovs']) await resetGuide(id).catch(() => undefined);
  });

  it('a check made to fail (Check before running the step) stays red and shows its hint', async function () {
    const f = await openGuide(page, 1);
    const first = (await stepIds(f))[0]!;
    // Keyboard: focus the Check button and press Enter, as a keyboard user would.
    assert.equal(await checkOnce(f, first, 'keyboard'), false, 'the first step cannot pass before its command ran');
    const step = f.locator(`li.step[data-step="${first}"]`);
    assert.match((await step.locator('.verdict').textContent()) ?? '', /^✗ Not yet: /);
    const hint = step.locator('.hint');
    assert.ok(await hint.isVisible(), 'the hint appears after the failed check');
    assert.match((await hint.textContent()) ?? '', /^Hint/);
    assert.ok(((await hint.textContent()) ?? '').length > 20, 'the hint says something');
    // The verdict stays red: nothing turns it green until the step is done.
    await new Promise((r) => setTimeout(r, 2000));
    assert.match((await step.getAttribute('class')) ?? '', /^step(?!.*\bdone\b)/);
    assert.match((await step.locator('.verdict').getAttribute('class')) ?? '', /\bfailed\b/);
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: path.join(RESULTS_DIR, 'guide-failed-check.png') });
  });

  it('completes guided lab 1 (PID namespaces): every check turns green', async function () {
    await completeAllGreen(await guideFrame(page, 1), 1);
  });

  it('keeps lab 1 progress across a window reload (the panel comes back by its serializer)', async function () {
    await page.reload();
    await page.locator('.monaco-workbench .activitybar').waitFor({ state: 'visible' });
    const f = await guideFrame(page, 1);
    const n = stepCount[1]!;
    await f.locator('#progress-text', { hasText: `${n} of ${n} steps done` }).waitFor();
    assert.equal(await f.locator('li.step.done').count(), n);
    // The green verdicts come back too.
    assert.ok((await f.locator('li.step .verdict.ok').count()) > 0);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'guide-lab1-after-reload.png') });
  });

  it('completes guided lab 3 (cgroups): every check turns green', async function () {
    await completeAllGreen(await openGuide(page, 3), 3);
  });

  it('lists the guided labs in the Labs view and opens lab 6 from there', async function () {
    await showVirtLab(page, page.locator('.activitybar [role="tab"][aria-label^="VirtLab"], .activitybar a[aria-label^="VirtLab"]').first());
    // Make room: the other VirtLab views collapse, the Labs view opens.
    for (const name of ['Host', 'Virtual Machines', 'Containers', 'Namespaces', 'Network']) {
      const other = page.locator('.sidebar .pane-header', { hasText: new RegExp(`^${name}`) }).first();
      if ((await other.count()) && (await other.getAttribute('aria-expanded')) === 'true') await other.click();
    }
    const header = page.locator('.sidebar .pane-header', { hasText: /^Labs/ }).first();
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    const labs = page.locator('.sidebar .pane', { has: page.locator('.pane-header', { hasText: /^Labs/ }) });
    await labs.locator('.monaco-list-row', { hasText: /^Guided labs \(10\)/ }).waitFor({ state: 'visible' });
    // Lab 1 shows as done (its progress is read from globalState).
    const lab1 = labs.locator('.monaco-list-row', { hasText: '1. PID namespaces' });
    await lab1.waitFor({ state: 'visible' });
    assert.match((await lab1.textContent()) ?? '', /done/);
    const row = labs.locator('.monaco-list-row', { hasText: /^6\. Virtual switches/ });
    await row.click();
    await guideFrame(page, 6);
  });

  it('completes guided lab 6 (Open vSwitch): every check turns green', async function () {
    await completeAllGreen(await guideFrame(page, 6), 6);
  });

  it('follows the theme: lab 6 in the dark theme', async function () {
    const f = await guideFrame(page, 6);
    await f.evaluate(() => window.scrollTo(0, 0));
    await switchThemeAndShoot(page, f, /^Dark Modern/, 'vscode-dark', 'guide-dark.png');
    const bg = await f.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.notEqual(bg, 'rgb(255, 255, 255)');
    // The verdicts keep their meaning in dark: the green of a pass is not the foreground colour.
    const colours = await f.evaluate(() => {
      const ok = document.querySelector('.verdict.ok .verdict-mark');
      return ok ? [getComputedStyle(ok).color, getComputedStyle(document.body).color] : [];
    });
    assert.equal(colours.length, 2);
    assert.notEqual(colours[0], colours[1]);
  });

  it('Reset in each lab clears its progress and leaves no vlg container, netns or OVS bridge', async function () {
    assert.ok(vlgObjects().length > 0, 'the labs left objects to reset');
    const reports: string[] = [];
    for (const n of [6, 3, 1] as const) reports.push(await resetLab(page, n));
    assert.ok(reports.some((r) => /Reset removed \d+ object/.test(r)), reports.join(' | '));
    assert.deepEqual(vlgObjects(), [], 'the machine has no vlg-prefixed object left');
    await page.screenshot({ path: path.join(RESULTS_DIR, 'guide-reset.png') });
  });
});
