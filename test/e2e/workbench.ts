// Serves a real VS Code (code-server from .tools/, see scripts/lib/code-server.sh) with VirtLab
// and the extension-host test runner installed in a throw-away profile, and opens its workbench
// in Debian's Chromium through playwright-core. Everything started here is stopped by pid.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser, type Frame, type Locator, type Page } from 'playwright-core';

/** The checkout: the nearest folder up from here with VirtLab's package.json (also when bundled into dist/). */
export const REPO = ((): string => {
  for (let d = __dirname; d !== path.dirname(d); d = path.dirname(d)) {
    try {
      if (JSON.parse(fs.readFileSync(path.join(d, 'package.json'), 'utf8')).name === 'virtlab') return d;
    } catch {
      /* not here */
    }
  }
  return path.resolve(__dirname, '../..');
})();
export const RESULTS_DIR = path.join(REPO, 'test-results');
export const CODE_SERVER = path.join(REPO, '.tools/bin/code-server');
export const VIRTLAB_VSIX = path.join(REPO, 'dist/virtlab.vsix');
const CHROMIUM = process.env.VIRTLAB_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Generous: a cold workbench on 2 busy cores can take minutes. Waits, never assertions on time. */
export const SLOW_MS = 180_000;

export interface Profile {
  dir: string;
  userData: string;
  extensions: string;
  workspace: string;
}

function requireFile(file: string, fix: string): void {
  if (!fs.existsSync(file)) throw new Error(`${path.relative(REPO, file)} is missing. ${fix}`);
}

/**
 * A fresh user-data + extensions dir with the project settings (plus `settings`) and the given
 * VSIXes installed. The project settings let VirtLab open its walkthrough on the first run (as
 * `npm start` does); test profiles turn that off unless `settings` turns it back on.
 */
export function prepareProfile(name: string, vsixes: string[], settings: Record<string, unknown> = {}): Profile {
  requireFile(CODE_SERVER, 'Install code-server first: bash scripts/setup.sh --code-server');
  for (const v of vsixes) requireFile(v, 'Build it first: npm run package (VirtLab) or npx tsx test/extension/build.ts runner.');
  const dir = path.join(RESULTS_DIR, name);
  fs.rmSync(dir, { recursive: true, force: true });
  const p: Profile = { dir, userData: path.join(dir, 'data'), extensions: path.join(dir, 'extensions'), workspace: path.join(dir, 'workspace') };
  for (const d of [p.userData, p.extensions, p.workspace]) fs.mkdirSync(d, { recursive: true });
  fs.mkdirSync(path.join(p.userData, 'User'), { recursive: true });
  const project = JSON.parse(fs.readFileSync(path.join(REPO, 'scripts/code-server-settings.json'), 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(path.join(p.userData, 'User/settings.json'), JSON.stringify({ ...project, 'workbench.welcomePage.walkthroughs.openOnInstall': false, 'virtlab.openWalkthroughOnFirstRun': false, ...settings }, null, 2));
  for (const v of vsixes) {
    execFileSync(CODE_SERVER, ['--user-data-dir', p.userData, '--extensions-dir', p.extensions, '--force', '--install-extension', v], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
  }
  return p;
}

/** Extension ids (publisher.name) installed in a profile, as code-server lists them. */
export function installedExtensions(p: Profile): string[] {
  return execFileSync(CODE_SERVER, ['--user-data-dir', p.userData, '--extensions-dir', p.extensions, '--list-extensions'], { encoding: 'utf8', timeout: 60_000 })
    .split('\n')
    .map((l) => l.trim().toLowerCase())
    .filter(Boolean);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, alive?: () => string | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = alive?.();
    if (dead) throw new Error(`${what}: ${dead}`);
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${Math.round(timeoutMs / 1000)}s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export interface Server {
  url: string;
  pid: number;
  log: string;
  stop(): Promise<void>;
}

export interface ServeOptions {
  /** Keep workspace trust on (Restricted Mode tests); by default code-server runs with it disabled. */
  workspaceTrust?: boolean;
}

/** Starts code-server on a free 127.0.0.1 port and resolves once /healthz answers. */
export async function startCodeServer(p: Profile, opts: ServeOptions = {}): Promise<Server> {
  const port = await freePort();
  const log = path.join(p.dir, 'code-server.log');
  const out = fs.openSync(log, 'w');
  // Own config file: code-server would otherwise create ~/.config/code-server/config.yaml.
  const config = path.join(p.dir, 'config.yaml');
  fs.writeFileSync(config, 'auth: none\n');
  const args = [
    '--config', config, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', p.userData, '--extensions-dir', p.extensions,
    '--disable-telemetry', '--disable-update-check', ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']), '--disable-getting-started-override', '--ignore-last-opened',
    p.workspace,
  ];
  // detached: its own process group, so stop() reaches the extension host and helpers it forks.
  const child: ChildProcess = spawn(CODE_SERVER, args, { detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  // For scripts/test.sh: if this suite is cut off before after() runs, it stops the group by pid.
  const pidFile = path.join(p.dir, 'code-server.pid');
  fs.writeFileSync(pidFile, String(child.pid));
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `code-server exited (${signal ?? code}); see ${log}`));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.pid === undefined || exited) return;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, 10_000);
    await gone;
    clearTimeout(timer);
    fs.rmSync(pidFile, { force: true });
  };
  try {
    await waitFor('code-server', SLOW_MS, async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined), () => exited);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, pid: child.pid!, log, stop };
}

export interface Browsing {
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** Opens the workbench of `folder` and waits until the activity bar is there. */
export async function openWorkbench(server: Server, folder: string): Promise<Browsing> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: SLOW_MS });
  try {
    // Clipboard permissions: the extension-host suite checks virtlab.copySnapshot through
    // vscode.env.clipboard, which in a web workbench is the browser's clipboard.
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    page.setDefaultTimeout(SLOW_MS);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}`, { timeout: SLOW_MS });
    await page.locator('.monaco-workbench .activitybar').waitFor({ state: 'visible', timeout: SLOW_MS });
    return { browser, page, close: () => browser.close() };
  } catch (e) {
    await browser.close();
    throw e;
  }
}

/** Waits until `file` holds JSON that satisfies `done` (writers rename into place), or the server died. */
export function waitForJson<T>(file: string, timeoutMs: number, server: Server, done: (v: T) => boolean): Promise<T> {
  return waitFor(
    path.relative(REPO, file),
    timeoutMs,
    async () => {
      const v = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as T) : undefined;
      return v !== undefined && done(v) ? v : undefined;
    },
    () => {
      try {
        process.kill(server.pid, 0);
        return undefined;
      } catch {
        return `code-server is gone; see ${server.log}`;
      }
    },
  );
}

/**
 * Click the VirtLab icon in the activity bar so its views show. Clicking the icon of the
 * container already shown hides the side bar instead (the extension-host suite may have opened
 * VirtLab before), so when no VirtLab view header is visible after a click, click once more.
 */
export async function showVirtLab(page: Page, icon: Locator): Promise<void> {
  const header = page.locator('.sidebar .pane-header', { hasText: /^(Host|Containers)/ }).first();
  for (let attempt = 0; attempt < 2; attempt++) {
    await icon.click();
    try {
      await header.waitFor({ state: 'visible', timeout: 10_000 });
      return;
    } catch {
      /* toggled closed: click again */
    }
  }
  await header.waitFor({ state: 'visible' });
}

/** Run a command from the palette by clicking its row (`rowText` picks the row when titles overlap). */
export async function runPaletteCommand(page: Page, title: string, rowText: string | RegExp = title): Promise<void> {
  // The extension's contributions can arrive a little after the workbench: ask again until listed.
  const deadline = Date.now() + SLOW_MS;
  for (;;) {
    // F1 pressed while a webview is still loading can be lost: press again until the palette opens.
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    if (!(await input.waitFor({ state: 'visible', timeout: 10_000 }).then(() => true, () => false))) {
      if (Date.now() > deadline) throw new Error('the command palette never opened');
      continue;
    }
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: rowText }).first();
    const listed = await row.waitFor({ state: 'visible', timeout: 10_000 }).then(() => true, () => false);
    if (listed) {
      // Click the matching row: Enter would run whichever row the fuzzy match put first.
      await row.click();
      return;
    }
    await page.keyboard.press('Escape');
    if (Date.now() > deadline) {
      await page.screenshot({ path: path.join(RESULTS_DIR, 'palette-failure.png') });
      throw new Error(`"${title}" never appeared in the command palette`);
    }
  }
}

/** Filter the open quick pick to the row holding `text`; the row and input, still open. */
async function filterQuickPick(page: Page, text: string, timeout?: number): Promise<{ input: Locator; row: Locator }> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(text, { timeout });
  const row = page.locator('.quick-input-widget .monaco-list-row:visible', { hasText: text }).first();
  await row.waitFor({ state: 'visible', timeout });
  return { input, row };
}

/**
 * Run the palette command `title`, which opens a quick pick, and filter that to the row holding
 * `item`; resolves with the row and the input, the pick still open. A quick pick closes when focus
 * moves, as it does while a reloaded window restores its webviews and terminals: then the command
 * is run again.
 */
export async function openQuickPick(page: Page, title: string, rowText: string | RegExp, item: string): Promise<{ input: Locator; row: Locator }> {
  const deadline = Date.now() + SLOW_MS;
  for (;;) {
    await runPaletteCommand(page, title, rowText);
    const got = await filterQuickPick(page, item, 15_000).catch((e: Error) => e);
    if (!(got instanceof Error)) return got;
    if (Date.now() > deadline) throw got;
    console.log(`      (the quick pick of "${title}" closed before it showed "${item}"; running the command again: ${got.message.split('\n')[0]})`);
    await page.keyboard.press('Escape');
  }
}

/** Set the colour theme in a profile's settings (before start, or live: the workbench follows the file). */
export function writeTheme(profile: Profile, theme: string): void {
  const file = path.join(profile.userData, 'User/settings.json');
  const s = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  s['workbench.colorTheme'] = theme;
  fs.writeFileSync(file, JSON.stringify(s, null, 2));
}

/** The innermost webview frame whose page satisfies `holds(arg)` (evaluated in the frame). */
export async function webviewFrame(page: Page, what: string, holds: (arg: string) => boolean, arg = ''): Promise<Frame> {
  const deadline = Date.now() + SLOW_MS;
  for (;;) {
    for (const f of page.frames()) {
      if (!/webview|vscode-cdn|vscode-resource/.test(f.url())) continue;
      const ok = await f.evaluate(holds, arg).catch(() => false);
      if (ok) return f;
    }
    if (Date.now() > deadline) throw new Error(`no webview frame shows ${what}; frames: ${page.frames().map((f) => f.url()).join(', ')}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** After a failed test: a screenshot of the workbench, then Escape closes what it left open (dialog, quick pick). */
export async function screenshotIfFailed(page: Page | undefined, test: Mocha.Test | undefined, prefix: string): Promise<void> {
  if (test?.state !== 'failed' || !page) return;
  const name = (test.title.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 60) || 'test').toLowerCase();
  await page.screenshot({ path: path.join(RESULTS_DIR, `${prefix}-failed-${name}.png`) }).catch(() => undefined);
  for (let i = 0; i < 2; i++) await page.keyboard.press('Escape').catch(() => undefined);
}

/**
 * Switch the colour theme through "Preferences: Color Theme" like a person, then wait until the
 * webview in `frame` has the matching body class; `shot` is saved to test-results/.
 */
export async function switchThemeAndShoot(page: Page, frame: Frame, theme: RegExp, bodyClass: string, shot: string): Promise<void> {
  await runPaletteCommand(page, 'Preferences: Color Theme', /^Preferences: Color Theme(?!s)/);
  // The theme picker replaces the command list in the same quick input.
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: theme }).first();
  await row.waitFor({ state: 'visible', timeout: 60_000 }).catch(async (e: unknown) => {
    await page.screenshot({ path: path.join(RESULTS_DIR, `${shot.replace(/\.png$/, '')}-theme-failure.png`) });
    throw e;
  });
  await row.click();
  await frame.waitForFunction((cls) => document.body.classList.contains(cls), bodyClass, { timeout: SLOW_MS });
  await new Promise((r) => setTimeout(r, 1500));
  await page.screenshot({ path: path.join(RESULTS_DIR, shot) });
}
