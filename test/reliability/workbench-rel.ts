// What the browser-side reliability tests (reliability: webview messages, injection, workspace trust,
// idle cost) share on top of test/e2e/workbench.ts: a served VS Code with VirtLab and extra
// settings, the VirtLab log file, the extension host's pid.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { openWorkbench, prepareProfile, RESULTS_DIR, SLOW_MS, startCodeServer, VIRTLAB_VSIX, type Browsing, type Profile, type Server } from '../e2e/workbench';

export { RESULTS_DIR, SLOW_MS };

export interface Served {
  profile: Profile;
  server: Server;
  ui: Browsing;
  page: Page;
  close(): Promise<void>;
}

export interface ServedOptions {
  /** Merged into the profile's User/settings.json (machine-level: the user's own settings). */
  settings?: Record<string, unknown>;
  /** Keep workspace trust on (the workspace is then untrusted: Restricted Mode). */
  workspaceTrust?: boolean;
  /** Fills the workspace folder before the server starts. */
  workspace?: (dir: string) => void;
  /** Runs on the page before the workbench loads anything (e.g. addInitScript for webview frames). */
  beforeOpen?: (page: Page) => Promise<void>;
}

/** A fresh profile with VirtLab installed, code-server on it, and Chromium on its workbench. */
export async function serveVirtLab(name: string, opts: ServedOptions = {}): Promise<Served> {
  const profile = prepareProfile(name, [VIRTLAB_VSIX]);
  const settingsFile = path.join(profile.userData, 'User/settings.json');
  const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(settingsFile, JSON.stringify({ ...settings, ...opts.settings }, null, 2));
  // code-server is a remote window: its extension host takes machine-scoped settings (VirtLab's
  // paths) from the server's Machine settings; the User file alone was honoured only sometimes.
  if (opts.settings) {
    fs.mkdirSync(path.join(profile.userData, 'Machine'), { recursive: true });
    fs.writeFileSync(path.join(profile.userData, 'Machine/settings.json'), JSON.stringify(opts.settings, null, 2));
  }
  opts.workspace?.(profile.workspace);
  const server = await startCodeServer(profile, { workspaceTrust: opts.workspaceTrust });
  let ui: Browsing;
  try {
    ui = await openWorkbench(server, profile.workspace);
  } catch (e) {
    await server.stop();
    throw e;
  }
  const close = async () => {
    await ui.close().catch(() => undefined);
    await server.stop();
  };
  return { profile, server, ui, page: ui.page, close };
}

export const virtlabIcon = (page: Page) => page.locator('.activitybar [role="tab"][aria-label^="VirtLab"], .activitybar a[aria-label^="VirtLab"]').first();

/** The file VS Code writes VirtLab's LogOutputChannel to (one per extension-host session). */
export function virtlabLogFile(p: Profile): string | undefined {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f);
      else if (/VirtLab\.log$/.test(e.name)) found.push(f);
    }
  };
  try {
    walk(path.join(p.userData, 'logs'));
  } catch {
    return undefined;
  }
  return found.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
}

export function logLines(p: Profile): string[] {
  const f = virtlabLogFile(p);
  return f ? fs.readFileSync(f, 'utf8').split('\n').filter(Boolean) : [];
}

/** Waits until the VirtLab log has a line matching `re` after the first `from` lines. */
export async function waitLogLine(p: Profile, re: RegExp, from = 0, timeoutMs = SLOW_MS): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = logLines(p).slice(from).find((l) => re.test(l));
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`VirtLab log never said ${re}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The parent pid of `pid` (0 when it is gone). */
export function parentOf(pid: number): number {
  try {
    // Field 4 of stat, after the parenthesised command name (which may hold spaces).
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

/** The pid of the extension host that code-server (`serverPid`) forked. */
export function extensionHostPid(serverPid: number): number | undefined {
  for (const d of fs.readdirSync('/proc')) {
    const pid = Number(d);
    if (!pid) continue;
    let cmd = '';
    try {
      cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!/extensionHost/.test(cmd)) continue;
    for (let p = parentOf(pid), hops = 0; p > 1 && hops < 8; p = parentOf(p), hops++) if (p === serverPid) return pid;
  }
  return undefined;
}

/** utime + stime of a process, in seconds. */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After ")": state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
  return (Number(f[11]) + Number(f[12])) / CLOCK_TICKS;
}
// sysconf(_SC_CLK_TCK): 100 on every Linux this runs on (x86_64 kernels use USER_HZ 100).
const CLOCK_TICKS = 100;


export const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
