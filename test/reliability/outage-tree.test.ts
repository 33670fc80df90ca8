// Reliability, daemon outages with the tree open: VirtLab installed in a served VS Code
// (code-server + Chromium), its `virtlab.dockerSocket` setting on a private dockerd, the
// Containers view visible (so the extension host's live updates run). The daemon is stopped and
// started N times (alternately SIGTERM and SIGKILL, a container added and one removed right
// before each); after each return the view's top-level rows, as the browser shows them
// ("name, state · image"), must equal `docker ps -a` on that daemon: no ghost, no duplicate.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { showVirtLab } from '../e2e/workbench';
import { lockPrivate, PrivateDocker } from './daemons';
import { add } from './tally';
import { percentile, REPO } from './watchView';
import { RESULTS_DIR, serveVirtLab, virtlabIcon, type Served } from './workbench-rel';

const N = Number(process.env.VIRTLAB_OUTAGES ?? 5);
const LOGS = path.join(REPO, 'test-results/reliability');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const execFileP = promisify(execFile);

/** name -> state, from `docker ps -a` on the private daemon. */
async function psNames(d: PrivateDocker): Promise<Map<string, string>> {
  const { stdout } = await execFileP('docker', ['-H', `unix://${d.socket}`, 'ps', '-a', '--format', '{{.Names}} {{.State}}'], { timeout: 30_000 });
  return new Map(stdout.split('\n').filter(Boolean).map((l) => l.split(' ') as [string, string]));
}

/** The Containers view's top-level rows as the browser shows them (aria-label "name, state · image"). */
async function treeRows(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const panes = [...document.querySelectorAll('.sidebar .pane')];
    const pane = panes.find((p) => /^Containers/.test(p.querySelector('.pane-header')?.textContent ?? ''));
    return [...(pane?.querySelectorAll('[role="treeitem"][aria-level="1"]') ?? [])].map((r) => r.getAttribute('aria-label') ?? '');
  });
}

interface TreeCheck {
  equal: boolean;
  duplicates: string[];
  ghosts: string[];
  missing: string[];
  message: boolean;
}

function compare(rows: string[], truth: Map<string, string>): TreeCheck {
  const seen = new Map<string, string>();
  const duplicates: string[] = [];
  let message = false;
  for (const r of rows) {
    const m = /^(.*?), (\w+) · /.exec(r);
    if (!m) {
      message ||= /Docker is not running/.test(r);
      continue;
    }
    if (seen.has(m[1])) duplicates.push(m[1]);
    seen.set(m[1], m[2]);
  }
  const ghosts = [...seen.keys()].filter((n) => !truth.has(n));
  const missing = [...truth.keys()].filter((n) => !seen.has(n));
  const equal = !duplicates.length && !ghosts.length && !missing.length && [...truth].every(([n, s]) => seen.get(n) === s) && !message;
  return { equal, duplicates, ghosts, missing, message };
}

describe('daemon outages: Docker stopped and restarted with the Containers tree open in VS Code', function () {
  this.timeout(600_000);
  const d = new PrivateDocker(LOGS);
  let served: Served | undefined;
  let release = () => undefined as void;

  before(async function () {
    this.timeout(900_000);
    release = await lockPrivate();
    await d.startFresh();
    // virtlab.dockerSocket is machine-scoped: code-server (a remote window) does not apply it from
    // User/settings.json, only from the profile's Machine/settings.json, written before the server starts.
    served = await serveVirtLab('reliability-outage-tree', {
      workspace: (dir) => {
        const machine = path.join(dir, '..', 'data', 'Machine');
        fs.mkdirSync(machine, { recursive: true });
        fs.writeFileSync(path.join(machine, 'settings.json'), JSON.stringify({ 'virtlab.dockerSocket': d.socket }, null, 2));
      },
    });
    await showVirtLab(served.page, virtlabIcon(served.page));
    const header = served.page.locator('.sidebar .pane-header', { hasText: /^Containers/ }).first();
    await header.waitFor({ state: 'visible' });
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  });

  after(async () => {
    await served?.close();
    await d.destroy();
    release();
  });

  /** Poll tree and daemon until they agree twice 400 ms apart; resolves with when the tree first showed that state. */
  async function converge(page: Page, ms: number): Promise<{ at?: number; last: TreeCheck; messageSeen: boolean }> {
    let since: { at: number; rows: string } | undefined;
    let last: TreeCheck = { equal: false, duplicates: [], ghosts: [], missing: [], message: false };
    let messageSeen = false;
    for (const end = performance.now() + ms; performance.now() < end; await sleep(100)) {
      const rows = await treeRows(page);
      let truth: Map<string, string>;
      try {
        truth = await psNames(d);
      } catch {
        continue;
      }
      last = compare(rows, truth);
      messageSeen ||= last.message;
      if (last.duplicates.length) return { last, messageSeen };
      const key = rows.join('\n');
      if (!last.equal) {
        since = undefined;
        continue;
      }
      if (since && since.rows === key && performance.now() - since.at >= 400) return { at: since.at, last, messageSeen };
      if (!since || since.rows !== key) since = { at: performance.now(), rows: key };
    }
    return { last, messageSeen };
  }

  it(`survives ${N} outages: the tree shows exactly docker ps -a again after each`, async () => {
    const page = served!.page;
    const first = await converge(page, 180_000);
    assert.ok(first.at, `the tree shows the private daemon's containers: ${JSON.stringify(first.last)}`);
    const latencies: number[] = [];
    const failures: string[] = [];
    let duplicates = 0;
    let ghosts = 0;
    let messages = 0;
    for (let i = 1; i <= N; i++) {
      // During the outage, look at the tree (it may say Docker is not running, if a rescan ran).
      const { signal, back } = await d.outage(i, 'vlr9c-t', async () => {
        for (const end = performance.now() + 1500; performance.now() < end; await sleep(250)) if (compare(await treeRows(page), new Map()).message) messages++;
      });
      const r = await converge(page, 90_000);
      duplicates += r.last.duplicates.length;
      if (r.at === undefined) {
        ghosts += r.last.ghosts.length;
        failures.push(`outage ${i} (${signal}): ${JSON.stringify(r.last)}`);
      } else latencies.push(Math.max(0, Math.round(r.at - back)));
    }
    await page.screenshot({ path: path.join(RESULTS_DIR, 'reliability-outage-tree.png') });
    const p50 = percentile(latencies, 50);
    const p95 = percentile(latencies, 95);
    console.log(`      tree: outages ${N}, survived ${latencies.length}; return -> correct tree ms: ${latencies.join(', ')} (p50 ${p50}, p95 ${p95}); duplicates ${duplicates}; ghosts ${ghosts}; "Docker is not running" seen during outages: ${messages > 0}`);
    add('daemon-outages', {
      tried: N,
      survived: latencies.length,
      failed: N - latencies.length,
      extra: { 'docker outages (tree in VS Code) N': N, 'tree: return->correct p50 ms': p50, 'tree: return->correct p95 ms': p95, 'tree: duplicate rows': duplicates, 'tree: ghost rows': ghosts },
    });
    assert.deepEqual(failures, []);
    assert.equal(duplicates, 0);
  });
});
