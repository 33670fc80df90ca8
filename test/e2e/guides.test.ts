// End to end: guided labs 1, 3 and 6 in a served VS Code (code-server + Chromium), done the way a
// student does them: open the lab, click each command's Run button (the command is typed into the
// "VirtLab Guide" terminal), click Check, see it turn green. The checks run in the extension host
// against the live machine. Then a window reload keeps the progress, and Reset leaves no vlg-prefixed
// container, namespace or OVS bridge behind (asked of docker, ip and ovs-vsctl directly). Paste
// (lab 5) types a command without running it. Last, a lab.md damaged inside the installed extension
// shows the panel's error state after a reload, and Try again loads the repaired file.
// Run under `flock /tmp/virtlab-guide.lock`: the guide integration tests use the same vlg objects.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { resetGuide } from '../../src/core/guide';
import { logLines } from '../reliability/workbench-rel';
import { openQuickPick, openWorkbench, prepareProfile, RESULTS_DIR, screenshotIfFailed, showVirtLab, SLOW_MS, startCodeServer, switchThemeAndShoot, VIRTLAB_VSIX, webviewFrame, writeTheme, type Browsing, type Profile, type Server } from './workbench';

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

const LABS = { 1: '1. PID namespaces', 3: '3. cgroups', 5: '5. Network namespaces', 6: '6. Virtual switches', 7: '7. Multi-tenancy with VXLAN' } as const;

const netnsList = () => x('ip', 'netns', 'list').split('\n').map((l) => l.split(' ')[0]!).filter(Boolean);

/** The lines the integrated terminal shows (this profile turns GPU rendering off, so xterm draws DOM rows, not a canvas). */
async function terminalLines(page: Page): Promise<string[]> {
  const text = await page.locator('.terminal-wrapper .xterm-rows').first().innerText();
  return text.replace(/\u00a0/g, ' ').split('\n').map((l) => l.trimEnd()).filter(Boolean);
}

async function until<T>(what: string, f: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + SLOW_MS;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** The webview frame that shows guided lab `n` (its heading says so). */
function guideFrame(page: Page, n: number): Promise<Frame> {
  return webviewFrame(page, `guided lab ${n}`, (want) => (document.querySelector('h1.title')?.textContent ?? '').startsWith(want) && document.querySelectorAll('li.step').length > 0, `Guided lab ${n}:`);
}

async function openGuide(page: Page, n: keyof typeof LABS): Promise<Frame> {
  const { input } = await openQuickPick(page, 'VirtLab: Open Guided Lab…', /Open Guided Lab/, LABS[n]);
  await input.press('Enter');
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
    const settings = path.join(profile.userData, 'User/settings.json');
    fs.writeFileSync(settings, JSON.stringify({ ...JSON.parse(fs.readFileSync(settings, 'utf8')), 'terminal.integrated.gpuAcceleration': 'off' }, null, 2));
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
    if (vlgObjects().length) for (const id of ['pid-namespaces', 'cgroups', 'netns', 'ovs']) await resetGuide(id).catch(() => undefined);
  });

  it('Paste types a step\'s command into the guide terminal without running it; Enter in the terminal runs it', async function () {
    const NS = 'vlg-a';
    const COMMAND = `ip netns add ${NS}`;
    // A namespace left by a run that was cut off would make the "not created" half meaningless.
    if (netnsList().includes(NS)) x('ip', 'netns', 'del', NS);
    try {
      const f = await openGuide(page, 5);
      const row = f.locator('li.step[data-step="two-ns"] .command', { has: f.locator('code', { hasText: new RegExp(`^${COMMAND}$`) }) });
      assert.equal(await row.count(), 1, 'lab 5 offers the command once');
      await row.locator('vscode-button.paste').click();
      // The text arrives at the prompt of the VirtLab Guide terminal...
      const last = await until('the pasted command at the terminal prompt', async () => {
        const lines = await terminalLines(page).catch(() => []);
        const l = lines[lines.length - 1];
        return l?.endsWith(`# ${COMMAND}`) ? l : undefined;
      });
      // (Typed before the shell's first prompt, the text is echoed once by the tty, then again after the prompt.)
      assert.match(last, /\S+@\S+:.*# ip netns add vlg-a$/, 'the command waits after the shell prompt');
      // ...and nothing ran: no namespace, even after a moment in which a run would have finished.
      await new Promise((r) => setTimeout(r, 2000));
      assert.ok(!netnsList().includes(NS), `${NS} was not created by Paste`);
      assert.equal((await terminalLines(page)).at(-1), last, 'no new prompt: the line was not submitted');
      fs.mkdirSync(RESULTS_DIR, { recursive: true });
      await page.screenshot({ path: path.join(RESULTS_DIR, 'guide-paste.png') });
      // Enter, typed into the terminal by the user, runs it.
      await page.locator('.terminal-wrapper .xterm').first().click();
      await page.keyboard.press('Enter');
      await until(`${NS} in ip netns list`, () => netnsList().includes(NS));
      await until('a fresh prompt after the command', async () => /# $|#$/.test((await terminalLines(page)).at(-1) ?? ''));
    } finally {
      if (netnsList().includes(NS)) x('ip', 'netns', 'del', NS);
    }
    assert.ok(!netnsList().includes(NS), 'cleaned up');
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

  it('every guide button is announced with what it acts on (accessible names); lab 7 keeps "4789." as text, in light and dark', async function () {
    const f = await openGuide(page, 7);
    // Found by role and accessible name, as a screen reader announces them.
    const named = (name: string) => f.getByRole('button', { name, exact: true });
    for (const name of [
      'Run: virtlab lab up {labs}/07-vxlan/vlg-vxlan.vlab.yaml --prefix vlg',
      'Paste into terminal: virtlab lab up {labs}/07-vxlan/vlg-vxlan.vlab.yaml --prefix vlg',
      'Run: virtlab lab vni vlg-vxlan sa2:vx=200 sb2:vx=100',
      'Check step 1: Two tenants, two shared VTEPs',
      "Check step 4: Give tenant B tenant A's VNI",
      'Reset guided lab 7: remove what it created…',
    ]) assert.equal(await named(name).count(), 1, `one button named "${name}"`);
    // No bare "Run" / "Paste" / "Check" is left: each of the lab's commands has its own pair of names.
    for (const bare of ['Run', 'Paste', 'Check']) assert.equal(await named(bare).count(), 0, `no button announced only as "${bare}"`);
    const commands = await f.locator('.command').count();
    assert.equal(await f.getByRole('button', { name: /^Run: / }).count(), commands);
    assert.equal(await f.getByRole('button', { name: /^Paste into terminal: / }).count(), commands);
    // The name says what the button does: Paste, found by its name, types that very command.
    await named('Paste into terminal: virtlab lab vni vlg-vxlan').click();
    await until('the pasted lab vni command at the terminal prompt', async () => ((await terminalLines(page).catch(() => [])).at(-1) ?? '').endsWith('dist/cli.js lab vni vlg-vxlan') || undefined);
    // {labs} is explained with the real folder.
    assert.match((await f.locator('.cli-note').textContent()) ?? '', /\{labs\} is the folder of the guided labs in this installation: \/.*\/media\/labs\./);

    // "... the same port" / "4789. (The lab keeps ...": one paragraph, the number kept, no list.
    const step = f.locator('li.step[data-step="vteps"]');
    assert.equal(await step.locator('ol, ul').count(), 0, 'the vteps step has no list');
    const para = step.locator('p', { hasText: '4789. (The lab keeps' });
    assert.equal(await para.count(), 1);
    assert.match((await para.textContent()) ?? '', /the same port 4789\. \(The lab keeps its bridges/);
    await para.evaluate((p) => p.scrollIntoView({ block: 'center' }));
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    await switchThemeAndShoot(page, f, /^Dark Modern/, 'vscode-dark', 'guide-lab7-dark.png');
    await switchThemeAndShoot(page, f, /^Light Modern/, 'vscode-light', 'guide-lab7-light.png');

    // A reading step's button: lab 1's last step.
    const lab1 = await openGuide(page, 1);
    assert.equal(await lab1.getByRole('button', { name: /^(Mark step 3 as done|Step 3 is done): See both in the tree$/ }).count(), 1);
  });

  it('a lab.md damaged in the installed extension: its panel says what failed, which file and what to do; keyboard works; Try again loads the repaired file', async function () {
    const installed = fs.readdirSync(profile.extensions).filter((d) => d.startsWith('virtlab.virtlab-'));
    assert.equal(installed.length, 1, `one installed VirtLab in ${profile.extensions}`);
    const extensionDir = path.join(profile.extensions, installed[0]!);
    // Lab 4, never opened in this session: no restored tab of it can be mistaken for the new panel.
    const file = path.join(extensionDir, 'media/labs/04-union-fs/lab.md');
    const original = fs.readFileSync(file, 'utf8');
    const tab = (title: string) => page.locator('.tabs-container .tab', { hasText: title });
    const errorState = () => webviewFrame(page, 'the error state of lab 4', () => !!document.querySelector('#load-error:not([hidden]) li.problem'));
    try {
      // The front matter's opening line is lost, as in a truncated or corrupted install.
      fs.writeFileSync(file, original.replace(/^---\n/, 'front matter lost\n'));
      // A reload starts a new extension host, which reads the installed guides again.
      await page.reload();
      await page.locator('.monaco-workbench .activitybar').waitFor({ state: 'visible' });
      // The list still offers lab 4, marked, and opening it shows the error state.
      const { input, row } = await openQuickPick(page, 'VirtLab: Open Guided Lab…', /Open Guided Lab/, '4. union-fs');
      assert.equal(await input.getAttribute('placeholder'), 'Which guided lab?');
      assert.match((await row.textContent()) ?? '', /cannot be read/);
      await input.press('Enter');
      const f = await errorState();
      await tab('Guided Lab 4: cannot be read').waitFor({ state: 'visible' });
      assert.equal(await f.locator('h1.title').textContent(), 'Guided lab 4 could not be loaded');
      assert.deepEqual(await f.locator('#load-error li.problem').allTextContents(), [`${file}:1: must start with a front matter block (\`---\`, then id/title/summary lines, then \`---\`)`]);
      const todo = (await f.locator('#load-error .error-steps').textContent()) ?? '';
      assert.match(todo, /Reinstall VirtLab\./);
      assert.match(todo, /Report it\./);
      assert.equal(await f.locator('#load-error .extension-dir code').textContent(), extensionDir);
      assert.equal(await f.locator('#load-error').getAttribute('role'), 'alert');
      assert.equal(await f.locator('li.step').count(), 0, 'no step of the lab is shown');
      assert.ok(await f.locator('.progress-row').isHidden(), 'no progress bar');
      assert.ok(await f.locator('vscode-button#reset').isHidden(), 'no Reset button');
      // Themed: the heading takes the theme's error colour, not the text colour.
      const [heading, text] = await f.evaluate(() => [getComputedStyle(document.querySelector('h1.title')!).color, getComputedStyle(document.body).color]);
      assert.notEqual(heading, text);
      fs.mkdirSync(RESULTS_DIR, { recursive: true });
      await page.screenshot({ path: path.join(RESULTS_DIR, 'guide-load-error.png') });

      // Keyboard only: from Try again, Tab reaches Reinstall and then Copy details; Enter copies the report.
      await f.locator('#load-error vscode-button.retry').focus();
      const focused = () => f.evaluate(() => (document.activeElement as HTMLElement | null)?.className ?? '');
      await page.keyboard.press('Tab');
      assert.match(await focused(), /\breinstall\b/);
      await page.keyboard.press('Tab');
      assert.match(await focused(), /\bcopy-details\b/);
      await page.keyboard.press('Enter');
      await f.locator('#notice', { hasText: 'Copied the details' }).waitFor();
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      assert.match(copied, /^VirtLab \d+\.\d+\.\d+: guided lab 4 \(union-fs\) could not be loaded\./);
      assert.ok(copied.includes(`${file}:1: must start with a front matter block`), copied);
      // The log says it once, with the same line.
      const log = logLines(profile);
      assert.equal(log.filter((l) => /guided labs: 1 problem in the installed extension/.test(l)).length, 1, log.slice(-20).join('\n'));
      assert.ok(log.includes(`${file}:1: must start with a front matter block (\`---\`, then id/title/summary lines, then \`---\`)`));
      // Reinstall VirtLab… shows VirtLab in the Extensions view, where Uninstall and Install are.
      await f.locator('#load-error vscode-button.reinstall').click();
      await page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'VirtLab' }).first().waitFor({ state: 'visible' });

      // The other labs still open.
      await openGuide(page, 1);

      // Repaired (here: the file put back; for a user: a reinstall), Try again shows the lab.
      fs.writeFileSync(file, original);
      await tab('Guided Lab 4: cannot be read').click();
      await (await errorState()).locator('#load-error vscode-button.retry').click();
      const lab4 = await guideFrame(page, 4);
      assert.ok(await lab4.locator('#load-error').isHidden());
      assert.ok((await lab4.locator('li.step').count()) > 0);
      await tab('Guided Lab 4: Union file system').waitFor({ state: 'visible' });
    } finally {
      fs.writeFileSync(file, original);
    }
  });
});
