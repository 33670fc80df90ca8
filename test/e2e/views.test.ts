// End to end: the Containers view in a served VS Code (code-server + Chromium):
// a running container with its 8 namespaces, Inspect Container Namespaces from the palette, and a
// container started from the integrated terminal appearing in the tree without a manual refresh.
// Issue 13 item 10: two named network namespaces joined by a veth pair appear in the Namespaces view
// by name, with each interface's peer, and Open Terminal on a netns row opens a shell inside it.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { openWorkbench, prepareProfile, REPO, runPaletteCommand, showVirtLab, RESULTS_DIR, SLOW_MS, startCodeServer, switchThemeAndShoot, VIRTLAB_VSIX, webviewFrame, type Browsing, type Profile, type Server } from './workbench';

const A = `vlt-e2e-a${process.pid}`;
const B = `vlt-e2e-b${process.pid}`;
const NS = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'time', 'user', 'uts'];
// A two-host lab brought up by the CLI, its hosts' terminals opened from the Labs view.
const LAB = 'vlmdown';
const LAB_FILE = `name: ${LAB}\ntopology:\n  nodes:\n    h1: { kind: host }\n    h2: { kind: host }\n  links:\n    - endpoints: ["h1:eth0", "h2:eth0"]\n`;
const labCli = (...args: string[]) => execFileSync(process.execPath, [path.join(REPO, 'dist/cli.js'), 'lab', ...args], { encoding: 'utf8', timeout: 120_000 });

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
// Object prefix vle (issue 13 trees): two named netns and a veth pair between them.
const NETNS = ['vle1', 'vle2'];
const TERM_OUT = `/tmp/vle-e2e-term-${process.pid}.txt`;
function ip(...args: string[]): void {
  execFileSync('ip', args, { encoding: 'utf8', timeout: 30_000 });
}
function dropNetns(): void {
  for (const n of NETNS) {
    try {
      execFileSync('ip', ['netns', 'del', n], { stdio: 'ignore', timeout: 30_000 });
    } catch {
      /* not there */
    }
  }
  fs.rmSync(TERM_OUT, { force: true });
}
/** The inode of a named netns: what its row's description and /proc/<pid>/ns/net show. */
const netnsInode = (n: string) => execFileSync('stat', ['-L', '-c', '%i', `/run/netns/${n}`], { encoding: 'utf8' }).trim();
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
    // As `npm start`'s profile: walkthroughs open on install (the other e2e profiles turn that off).
    // As `npm start`'s profile: walkthroughs open on install (the other e2e profiles turn that off);
    // xterm draws DOM rows (readable text) instead of a canvas.
    profile = prepareProfile('e2e-views-profile', [VIRTLAB_VSIX], { 'workbench.welcomePage.walkthroughs.openOnInstall': true, 'virtlab.openWalkthroughOnFirstRun': true, 'terminal.integrated.gpuAcceleration': 'off' });
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
    try {
      labCli('down', LAB);
    } catch {
      /* not up */
    }
    dropNetns();
  });

  it('first open: the "Get started with VirtLab" walkthrough and the VirtLab view are shown without a click', async function () {
    // Nothing clicked yet: VirtLab activates on startup and opens both once (remembered in globalState).
    const walkthrough = page.locator('.gettingStartedContainer', { hasText: 'Get started with VirtLab' }).first();
    await walkthrough.waitFor({ state: 'visible' });
    await walkthrough.getByText('Open the VirtLab side bar').first().waitFor({ state: 'visible' });
    await page.locator('.sidebar .pane-header', { hasText: /^Host/ }).first().waitFor({ state: 'visible' });
    await shot(page, 'reports-first-open.png');
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
    // Rendered in the markdown preview, titled by the container's name; no source editor.
    const tab = page.locator('.tabs-container .tab', { hasText: `${A} namespaces` }).first();
    await tab.waitFor({ state: 'visible' });
    const frame = await webviewFrame(page, 'the rendered namespaces report', (name) => [...document.querySelectorAll('h1')].some((h) => h.textContent === `Namespaces of container ${name}`), A);
    const rendered = await frame.evaluate(() => ({ cells: [...document.querySelectorAll('table td strong')].map((e) => e.textContent), headers: [...document.querySelectorAll('table th')].map((e) => e.textContent), raw: document.body.innerText.includes('**pid**') }));
    assert.deepEqual(rendered.cells, NS, 'one bold cell per namespace type, as a table');
    assert.ok(rendered.headers.includes('what it isolates'));
    assert.equal(rendered.raw, false, 'no markdown source visible');
    assert.equal(await page.locator('.editor-instance .view-lines', { hasText: 'Namespaces of container' }).count(), 0, 'not opened as a text editor');
    await shot(page, 'e2e-inspect-namespaces.png');
    const dark = await frame.evaluate(() => document.body.classList.contains('vscode-dark'));
    await shot(page, `reports-report-${dark ? 'dark' : 'light'}.png`);
    if (dark) await switchThemeAndShoot(page, frame, /^Light Modern/, 'vscode-light', 'reports-report-light.png');
    else await switchThemeAndShoot(page, frame, /^Dark Modern/, 'vscode-dark', 'reports-report-dark.png');
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

  it('names network namespaces by their holder and lists each interface with its veth peer (netns vle1 ↔ vle2)', async function () {
    dropNetns();
    for (const n of NETNS) ip('netns', 'add', n);
    ip('link', 'add', 'vle1a', 'netns', 'vle1', 'type', 'veth', 'peer', 'name', 'vle2a', 'netns', 'vle2');
    const ino1 = netnsInode('vle1');
    const header = page.locator('.sidebar .pane-header', { hasText: /^Namespaces/ }).first();
    if (!(await header.isVisible())) await showVirtLab(page, page.locator('.activitybar [role="tab"][aria-label^="VirtLab"], .activitybar a[aria-label^="VirtLab"]').first());
    await header.waitFor({ state: 'visible' });
    // Room for the Namespaces view at the default sidebar width: fold the other views.
    for (const other of [/^Host/, /^Containers/, /^Labs/]) {
      const h = page.locator('.sidebar .pane-header', { hasText: other }).first();
      if ((await h.getAttribute('aria-expanded')) === 'true') await h.click();
    }
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    await palette(page, 'VirtLab: Refresh');
    const group = page.getByRole('treeitem', { name: /^net, \d+ namespaces?$/ }).first();
    await group.waitFor({ state: 'visible' });
    if ((await group.getAttribute('aria-expanded')) === 'false') await group.click();
    const pane = page.locator('.sidebar .pane', { has: page.locator('.pane-header', { hasText: /^Namespaces/ }) }).first();
    const row = page.getByRole('treeitem', { name: new RegExp(`^netns vle1, net:\\[${ino1}\\] · 0 processes · 2 interfaces$`) }).first(); // lo and vle1a
    // Rows below the fold are not in the DOM: scroll the pane until the row is drawn.
    for (let i = 0; i < 30 && !(await row.count()); i++) {
      await pane.locator('.monaco-list').first().hover();
      await page.mouse.wheel(0, 200);
      await new Promise((r) => setTimeout(r, 300));
    }
    await row.waitFor({ state: 'visible', timeout: SLOW_MS });
    if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
    const peer = page.getByRole('treeitem', { name: /^vle1a, ↔ vle2a in netns vle2$/ }).first();
    await peer.waitFor({ state: 'visible' });
    await peer.scrollIntoViewIfNeeded();
    for (const [theme, cls, name] of [[/^Dark Modern/, 'vs-dark', 'trees-netns-dark.png'], [/^Light Modern/, 'vs', 'trees-netns-light.png']] as const) {
      await runPaletteCommand(page, 'Preferences: Color Theme', /^Preferences: Color Theme(?!s)/);
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: theme }).first().click();
      await page.locator(`.monaco-workbench.${cls}`).waitFor({ state: 'attached', timeout: 60_000 });
      await new Promise((r) => setTimeout(r, 1000));
      await shot(page, name);
    }
  });

  it('Open Terminal on a netns row opens a shell inside that network namespace', async function () {
    const ino1 = netnsInode('vle1');
    const row = page.getByRole('treeitem', { name: /^netns vle1, net:\[\d+\]/ }).first();
    await row.waitFor({ state: 'visible' });
    await row.hover();
    const action = row.locator('.action-label[aria-label="Open Terminal in Network Namespace"]');
    await action.waitFor({ state: 'visible' });
    await action.click();
    const tab = page.locator('.terminal-tabs-entry, .single-terminal-tab, .terminal-tab', { hasText: 'netns vle1 [net]' }).first();
    await tab.waitFor({ state: 'visible' });
    const term = page.locator('.terminal-wrapper.active .xterm, .terminal-wrapper .xterm').last();
    await term.click();
    await new Promise((r) => setTimeout(r, 1000));
    await page.keyboard.type(`readlink /proc/$$/ns/net > ${TERM_OUT}; ip -o link show vle1a >> ${TERM_OUT}\n`);
    const deadline = Date.now() + 60_000;
    while (!(fs.existsSync(TERM_OUT) && fs.readFileSync(TERM_OUT, 'utf8').includes('vle1a')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 300));
    const out = fs.readFileSync(TERM_OUT, 'utf8');
    assert.match(out, new RegExp(`^net:\\[${ino1}\\]`), 'the shell is in netns vle1');
    assert.match(out, /vle1a@/, 'and sees its veth end');
    await shot(page, 'trees-netns-terminal.png');
  });

  /** The text of the terminal shown now (the others are hidden tabs). */
  const shownTerminal = async () => (await page.locator('.terminal-wrapper .xterm-rows:visible').allInnerTexts()).join('\n').replace(/\u00a0/g, ' ');
  async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const v = await f().catch(() => undefined);
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  /** Shoot the workbench in the current theme, then switch theme like a person (Preferences: Color Theme) and shoot again. */
  async function shootBothThemes(name: string): Promise<void> {
    const wb = page.locator('.monaco-workbench').first();
    const isDark = async () => /\bvs-dark\b/.test((await wb.getAttribute('class')) ?? '');
    const dark = await isDark();
    await shot(page, `term-${name}-${dark ? 'dark' : 'light'}.png`);
    await runPaletteCommand(page, 'Preferences: Color Theme', /^Preferences: Color Theme(?!s)/);
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: dark ? /^Light Modern/ : /^Dark Modern/ }).first().click();
    await until('the other theme', async () => (await isDark()) !== dark || undefined, 30_000);
    await new Promise((r) => setTimeout(r, 1000));
    await shot(page, `term-${name}-${dark ? 'light' : 'dark'}.png`);
  }

  it('Open Terminal in Namespaces… with the default selection opens a working shell in the container and says which namespaces it skipped', async function () {
    await runPaletteCommand(page, 'VirtLab: Open Terminal in Namespaces…');
    const input = page.locator('.quick-input-widget input');
    await input.fill(A);
    await page.locator('.quick-input-widget [role="option"]', { hasText: 'container ·' }).filter({ hasText: A }).first().click();
    // The namespace picker: its text follows the ticks.
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'same as VS Code\'s own, will be skipped' }).first().waitFor({ state: 'visible' });
    await until('the placeholder for all eight', async () => /^All 8 are selected; 3 of them are VS Code's own and will be skipped/.test((await input.getAttribute('placeholder')) ?? '') || undefined, 15_000);
    // By keyboard: Down into the list, to user (the 7th row), Space unticks it.
    for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    await until('the placeholder after unticking user', async () => /^7 of 8 selected \(cgroup, ipc, mnt, net, pid, time, uts\)/.test((await input.getAttribute('placeholder')) ?? '') || undefined, 15_000);
    await page.keyboard.press('Space');
    await until('the placeholder back at all eight', async () => /^All 8 are selected/.test((await input.getAttribute('placeholder')) ?? '') || undefined, 15_000);
    await page.keyboard.press('Enter');
    // The terminal says what it entered and what it skipped, and its shell runs in the container.
    const text = await until('the skipped namespaces in the terminal', async () => {
      const t = await shownTerminal();
      return /user: same as VS Code's own \(\d+\), so not entered/.test(t) ? t : undefined;
    });
    assert.match(text, new RegExp(`VirtLab: Entered ipc, mnt, net, pid, uts of ${escape(A)} \\(PID ${pidA}\\)`));
    assert.match(text, /cgroup: same as VS Code's own/);
    assert.doesNotMatch(text, /reassociate|exit code/);
    await page.locator('.notifications-toasts', { hasText: /Not entered: cgroup, time and user/ }).first().waitFor({ state: 'visible' });
    await page.locator('.terminal-wrapper .xterm:visible').first().click();
    await page.keyboard.type('hostname; readlink /proc/self/ns/net\n');
    const hostname = docker('inspect', '-f', '{{.Config.Hostname}}', A);
    const net = fs.readlinkSync(`/proc/${pidA}/ns/net`);
    await until('the container hostname and net namespace from the shell', async () => {
      const t = await shownTerminal();
      return t.includes(`\n${hostname}\n`) && t.includes(net) ? t : undefined;
    });
    await shootBothThemes('ns-terminal');
    await page.keyboard.type('exit\n');
  });

  it('Lab: Down asks first, then closes the lab hosts\' terminals (whose prompt names the host) and says so', async function () {
    const file = path.join(profile.dir, `${LAB}.vlab.yaml`);
    fs.writeFileSync(file, LAB_FILE);
    labCli('up', file, '--prefix', 'vlm');
    await runPaletteCommand(page, 'VirtLab: Lab: Refresh');
    const header = page.locator('.sidebar .pane-header', { hasText: /^Labs/ }).first();
    await header.waitFor({ state: 'visible' });
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    const labRow = page.getByRole('treeitem', { name: new RegExp(`^${LAB}\\b`) }).first();
    await labRow.waitFor({ state: 'visible' });
    if ((await labRow.getAttribute('aria-expanded')) === 'false') await labRow.click();
    for (const h of ['h1', 'h2']) {
      const row = page.locator('.sidebar [role="treeitem"]').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${h}$`) }) }).first();
      await row.click();
      await row.locator('.action-label[aria-label="Lab: Open Terminal on Host"]').click();
      // The prompt names the lab host, not this machine.
      await until(`the prompt of ${h}`, async () => new RegExp(`\\[${LAB}/${h}\\] \\S+ #`).test(await shownTerminal()) || undefined);
    }
    await page.locator('.terminal-wrapper .xterm:visible').first().click();
    await page.keyboard.type('ip -br link\n');
    await until('the host\'s own interfaces', async () => /eth0@/.test(await shownTerminal()) || undefined);
    await shot(page, 'term-lab-host-prompt.png');
    // Down from the lab row: a modal asks first; dismissing it leaves the lab up.
    await labRow.click();
    await labRow.locator('.action-label[aria-label="Lab: Down"]').click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible' });
    assert.match(await dialog.innerText(), new RegExp(`Take lab ${LAB} down\\?[\\s\\S]*2 terminals open on its hosts will be closed`));
    await shot(page, 'term-lab-down-confirm.png');
    await dialog.locator('.monaco-button', { hasText: /^Down$/ }).click();
    await page.locator('.notifications-toasts', { hasText: `Lab ${LAB} is down. Closed 2 terminals of its hosts (h1, h2).` }).first().waitFor({ state: 'visible', timeout: SLOW_MS });
    await until('the lab host terminals to close', async () => !new RegExp(`\\[${LAB}/h[12]\\]`).test(await shownTerminal()) || undefined, 15_000);
    assert.ok(!(JSON.parse(labCli('status', '--json')) as { name: string }[]).some((l) => l.name === LAB), 'the lab is still in the ledger');
    await shot(page, 'term-lab-down-done.png');
  });

  it('in this repository the Labs view lists its lab but not the broken test fixtures or .tools copies, and a lab row\'s right-click menu offers Lab: Up', async function () {
    await page.goto(`${server!.url}/?folder=${encodeURIComponent(REPO)}`, { timeout: SLOW_MS });
    await page.locator('.monaco-workbench .activitybar').waitFor({ state: 'visible' });
    const icon = page.locator('.activitybar [role="tab"][aria-label^="VirtLab"], .activitybar a[aria-label^="VirtLab"]').first();
    await showVirtLab(page, icon);
    const header = page.locator('.sidebar .pane-header', { hasText: /^Labs/ }).first();
    await header.waitFor({ state: 'visible' });
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    const group = page.getByRole('treeitem', { name: /^Lab files \(\d+\)/ }).first();
    await group.waitFor({ state: 'visible' });
    const lab = page.getByRole('treeitem', { name: /^vlg-vxlan\.vlab\.yaml/ }).first();
    await lab.waitFor({ state: 'visible' });
    const files = await page.locator('.sidebar [role="treeitem"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''));
    for (const bad of ['bad-overlap', 'bad-kinds', 'bad-unknown-node', 'bad-duplicate-iface', 'bad-long-name', 'tenants.vlab', 'faults.vlab']) assert.ok(!files.some((f) => f.includes(bad)), `${bad} is not listed: ${files.join(' | ')}`);
    // Copies of the shipped lab (inside .tools/profile or test-results/*/extensions) are not listed: one row only.
    assert.equal(files.filter((f) => f.startsWith('vlg-vxlan.vlab.yaml')).length, 1, `one vlg-vxlan row: ${files.join(' | ')}`);
    await lab.click({ button: 'right' });
    const up = page.locator('.context-view .action-label', { hasText: /^Lab: Up$/ }).first();
    await up.waitFor({ state: 'visible' });
    await shot(page, 'reports-lab-context-menu.png');
    await page.keyboard.press('Escape');
  });

  it('Lab: Up on a broken lab file puts its problems in the Problems panel with their lines, and creates nothing', async function () {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('bad-overlap.vlab.yaml');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'bad-overlap.vlab.yaml' }).first().click();
    await page.locator('.tabs-container .tab', { hasText: 'bad-overlap.vlab.yaml' }).first().waitFor({ state: 'visible' });
    await runPaletteCommand(page, 'VirtLab: Lab: Up', /^VirtLab: Lab: Up$/);
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'bad-overlap.vlab.yaml has 1 problem, nothing was created' }).first();
    await toast.waitFor({ state: 'visible' });
    await toast.locator('.monaco-button', { hasText: 'Show Problems' }).first().click();
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'address 10.0.0.7 of h2:eth0 is also used by h1:eth0' }).first();
    await problem.waitFor({ state: 'visible' });
    assert.match(await problem.innerText(), /\[Ln 5, Col 1\]/);
    await shot(page, 'reports-lab-problems.png');
  });
});
