// Reliability, idle cost: what VirtLab costs while idle in a served VS Code. Docker API calls are counted by a
// unix-socket proxy that virtlab.dockerSocket (user settings) points at, as in test/bench/views.ts;
// CPU is utime + stime of the extension host from /proc/<pid>/stat. One minute with the VirtLab
// views visible, one minute with them hidden (Explorer shown instead). Goal: 0 calls hidden.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { countingProxy } from '../bench/dockerProxy';
import { runPaletteCommand, showVirtLab } from '../e2e/workbench';
import { add } from './tally';
import { cpuSeconds, extensionHostPid, RESULTS_DIR, serveVirtLab, SLOW_MS, virtlabIcon, wait, type Served } from './workbench-rel';

const SOCK = '/tmp/vlr9b-idle-docker.sock';
const WINDOW_MS = Number(process.env.VIRTLAB_IDLE_WINDOW_MS ?? 60_000);

interface Window {
  callsPerMin: number;
  cpuSecPerMin: number;
  calls: string[];
}

describe('Idle cost in the served VS Code (reliability: idle cost)', function () {
  this.timeout(SLOW_MS * 2 + WINDOW_MS * 3);
  let served: Served | undefined;
  let proxy: ReturnType<typeof countingProxy> | undefined;

  after(async function () {
    await served?.close();
    proxy?.close();
    fs.rmSync(SOCK, { force: true });
  });

  it('makes no Docker API calls with VirtLab hidden; calls and CPU per minute, hidden and visible', async function () {
    // Made here, not at load: the socket must exist when VirtLab first reads Docker.
    const counter = (proxy = countingProxy(SOCK, '/var/run/docker.sock'));
    served = await serveVirtLab('rel-idle', { settings: { 'virtlab.dockerSocket': SOCK } });
    const page = served.page;
    const measure = async (exthost: number): Promise<Window> => {
      const c0 = counter.count();
      const seen0 = counter.seen().length;
      const cpu0 = cpuSeconds(exthost);
      const t0 = Date.now();
      await wait(WINDOW_MS);
      const minutes = (Date.now() - t0) / 60_000;
      return { callsPerMin: (counter.count() - c0) / minutes, cpuSecPerMin: (cpuSeconds(exthost) - cpu0) / minutes, calls: counter.seen().slice(seen0) };
    };

    // Visible: the VirtLab side bar, with the first scan done (the Kernel row is drawn).
    await showVirtLab(page, virtlabIcon(page));
    await page.getByRole('treeitem', { name: /^Kernel\b/ }).waitFor({ state: 'visible' });
    // Found once it runs VirtLab (the Kernel row came from it).
    const exthost = extensionHostPid(served.server.pid);
    assert.ok(exthost, 'the extension host process was found');
    // The first scan goes through the proxy; once more on a Refresh if it has not shown yet.
    if (counter.count() === 0) {
      await runPaletteCommand(page, 'VirtLab: Refresh');
      for (let i = 0; i < 60 && counter.count() === 0; i++) await wait(1000);
    }
    const callsAtStart = counter.count();
    await wait(5_000);
    const visible = await measure(exthost);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'rel-idle-visible.png') });

    // Hidden: the Explorer replaces the VirtLab side bar; no VirtLab view or panel is on screen.
    await page.keyboard.press('Control+Shift+E');
    await page.locator('.sidebar .pane-header', { hasText: /^(Host|Containers)/ }).first().waitFor({ state: 'hidden' });
    await wait(5_000);
    const hidden = await measure(exthost);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'rel-idle-hidden.png') });

    const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
    const failed = hidden.callsPerMin > 0 ? 1 : 0;
    add('idle-cost', {
      tried: 2,
      failed,
      survived: 2 - failed,
      extra: {
        'Docker calls/min hidden': round(hidden.callsPerMin),
        'Docker calls/min visible': round(visible.callsPerMin),
        'CPU s/min hidden': round(hidden.cpuSecPerMin, 2),
        'CPU s/min visible': round(visible.cpuSecPerMin, 2),
        'window s': WINDOW_MS / 1000,
      },
    });
    console.log(`      calls/min visible ${round(visible.callsPerMin)}, hidden ${round(hidden.callsPerMin)}; CPU s/min visible ${round(visible.cpuSecPerMin, 2)}, hidden ${round(hidden.cpuSecPerMin, 2)} (${callsAtStart} calls before)`);
    // The measurement itself must have seen something: the first scan went through the proxy.
    assert.ok(callsAtStart > 0, 'VirtLab used the counting proxy (virtlab.dockerSocket)');
    assert.deepEqual(hidden.calls, [], 'Docker API calls while every VirtLab view was hidden');
  });
});
