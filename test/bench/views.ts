/**
 * The sidebar trees' benchmark, in the served VS Code (code-server + Chromium):
 * - median time from `docker run -d` returning to the container's row being visible in the tree;
 * - Docker API calls per minute with every VirtLab view hidden vs visible, counted by a proxy
 *   socket placed between VirtLab (virtlab.dockerSocket) and dockerd.
 * Measured, never asserted. Run: node esbuild.mjs && node dist/bench-views.js
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { countingProxy } from './dockerProxy';
import { median } from './measure';
import { openWorkbench, prepareProfile, showVirtLab, startCodeServer, VIRTLAB_VSIX } from '../e2e/workbench';

const SAMPLES = Number(process.env.BENCH_VIEW_SAMPLES ?? 8);
const WINDOW_MS = Number(process.env.BENCH_IDLE_WINDOW_MS ?? 30_000);

async function main(): Promise<void> {
  const sock = '/tmp/vlb-docker-proxy.sock';
  const proxy = countingProxy(sock, '/var/run/docker.sock');
  const profile = prepareProfile('bench-views-profile', [VIRTLAB_VSIX]);
  const settingsFile = path.join(profile.userData, 'User/settings.json');
  const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
  fs.writeFileSync(settingsFile, JSON.stringify({ ...settings, 'virtlab.dockerSocket': sock }, null, 2));
  const server = await startCodeServer(profile);
  const ui = await openWorkbench(server, profile.workspace);
  const page = ui.page;
  const names: string[] = [];
  try {
    const icon = page.locator('.activitybar [role="tab"][aria-label^="VirtLab"], .activitybar a[aria-label^="VirtLab"]').first();
    await showVirtLab(page, icon);
    await page.getByRole('treeitem', { name: /^Kernel\b/ }).waitFor({ state: 'visible' });
    const latencies: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const name = `vlb-view${i}`;
      names.push(name);
      execFileSync('docker', ['run', '-d', '--name', name, '--label', 'virtlab.bench=1', 'virtlab/busybox:latest', 'sleep', '600']);
      const t0 = performance.now();
      await page.getByRole('treeitem', { name: new RegExp(`^${name}, `) }).first().waitFor({ state: 'visible', timeout: 60_000 });
      latencies.push(performance.now() - t0);
    }
    // Visible: a VirtLab view is on screen.
    let c0 = proxy.count();
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const visible = ((proxy.count() - c0) * 60_000) / WINDOW_MS;
    // Hidden: switch the side bar to the Explorer; no VirtLab view or panel is visible.
    await page.keyboard.press('Control+Shift+E');
    await page.waitForTimeout(3000);
    c0 = proxy.count();
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const hidden = ((proxy.count() - c0) * 60_000) / WINDOW_MS;
    const result = {
      at: new Date().toISOString(),
      loadAverage: fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
      dockerRunToTreeRowMs: { median: median(latencies), max: Math.max(...latencies), samples: latencies.map((x) => Math.round(x)) },
      dockerCallsPerMinute: { visible, hidden, windowMs: WINDOW_MS },
    };
    fs.mkdirSync('bench-results', { recursive: true });
    fs.writeFileSync('bench-results/views.json', JSON.stringify(result, null, 2));
    console.log(`| docker run -> tree row visible (served VS Code) | median ${result.dockerRunToTreeRowMs.median.toFixed(0)} ms, max ${result.dockerRunToTreeRowMs.max.toFixed(0)} ms over ${SAMPLES} | goal < 500 ms |`);
    console.log(`| Docker API calls per minute, views visible / hidden | ${visible.toFixed(1)} / ${hidden.toFixed(1)} | goal hidden = 0 |`);
  } finally {
    await ui.close().catch(() => undefined);
    await server.stop();
    proxy.close();
    fs.rmSync(sock, { force: true });
    for (const n of names) execFileSync('docker', ['rm', '-f', n], { stdio: 'ignore' });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
