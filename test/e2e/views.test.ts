// End to end, issue 5: the Containers view in a served VS Code (code-server + Chromium):
// a running container with its 8 namespaces, Inspect Container Namespaces from the palette, and a
// container started from the integrated terminal appearing in the tree without a manual refresh.
// Issue 13 item 10: two named network namespaces joined by a veth pair appear in the Namespaces view
// by name, with each interface's peer, and Open Terminal on a netns row opens a shell inside it.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { openWorkbench, prepareProfile, showVirtLab, RESULTS_DIR, SLOW_MS, startCodeServer, VIRTLAB_VSIX, runPaletteCommand, type Browsing, type Profile, type Server } from './workbench';

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
    dropNetns();
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
});
