// Reliability, crashes and cleanup, VS Code side: "VirtLab: Lab: Up" run from the
// palette of a served VS Code (code-server + Chromium), and the extension host killed -9 while
// the lab comes up, once per stage (the stage's first objects appearing on the machine is the
// signal). The extension runs the engine as a child (`node dist/cli.js lab up FILE`), so two
// crashes are tried: the host alone (its engine child lives on and finishes), and the host
// together with its engine child (a crash that takes the whole process tree). Then `lab clean`,
// and the leftovers and canaries are counted as in crash-lab.test.ts. The page is reloaded
// after each kill, which starts a new extension host.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { alive, lockPrivate, waitGone } from './daemons';
import { CleanCount, cli, finishLabCrash, LAB, labEnv, labText, ledgerPhase, prepareLabCrash, sleep, STAGE_SEEN } from './labCrash';
import { openWorkbench, runPaletteCommand, type Browsing } from '../e2e/workbench';
import { parentOf, SLOW_MS, serveVirtLab, type Served } from './workbench-rel';

const FILE = 'vlr9c-crash.vlab.yaml';

function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** The `dist/cli.js lab up` processes started for this lab file (by any parent). */
function engines(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((p) => {
      const c = cmdline(p);
      return c.includes('dist/cli.js lab up') && c.includes(FILE);
    });
}

describe('crashes: kill -9 of the VS Code extension host during "Lab: Up"', function () {
  this.timeout(600_000);
  let served: Served | undefined;
  /** The browser window on the workbench: a new one per case (a new window starts a new extension host). */
  let ui: Browsing | undefined;
  let release = () => undefined as void;
  const count = new CleanCount();

  before(async function () {
    this.timeout(900_000);
    release = await lockPrivate();
    prepareLabCrash();
    // The extension host inherits the lab engine's environment (ledger directory, name prefix) from code-server.
    const saved = Object.fromEntries(Object.keys(labEnv).map((k) => [k, process.env[k]]));
    Object.assign(process.env, labEnv);
    try {
      served = await serveVirtLab('reliability-crash-host', { workspace: (dir) => fs.writeFileSync(path.join(dir, FILE), labText()) });
      ui = served.ui;
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  after(async () => {
    for (const p of engines()) process.kill(p, 'SIGKILL');
    await served?.close();
    finishLabCrash();
    count.tally('extension host');
    release();
  });

  // A new window, hence a new extension host, for each case (VS Code stops restarting a window's
  // extension host after three crashes).
  afterEach(async () => {
    await ui?.close().catch(() => undefined);
    ui = undefined;
  });

  /** Start "Lab: Up" on the lab file from the palette's file picker. */
  async function startLabUp(page: Page): Promise<void> {
    await runPaletteCommand(page, 'VirtLab: Lab: Up');
    const option = page.locator('.quick-input-widget .monaco-list-row', { hasText: FILE }).first();
    await option.waitFor({ state: 'visible' });
    await option.click();
  }

  const cases: [string, () => boolean, boolean][] = [...STAGE_SEEN.map(([when, seen]): [string, () => boolean, boolean] => [when, seen, true]), [STAGE_SEEN[3][0], STAGE_SEEN[3][1], false]];
  for (const [when, seen, withEngine] of cases) {
    it(`host killed ${withEngine ? 'with its engine child' : 'alone'} when ${when}`, async () => {
      if (!ui) ui = await openWorkbench(served!.server, served!.profile.workspace);
      const page = ui.page;
      await startLabUp(page);
      // The engine's parent is the extension host that runs the command.
      let engine: number | undefined;
      for (const end = Date.now() + SLOW_MS; !engine && Date.now() < end; await sleep(5)) engine = engines()[0];
      assert.ok(engine, 'Lab: Up started the engine');
      const host = parentOf(engine);
      assert.match(cmdline(host), /extensionHost/, 'the engine is a child of the extension host');
      let hit = false;
      for (const end = Date.now() + 120_000; Date.now() < end; await sleep(2)) {
        if (seen()) {
          hit = true;
          break;
        }
      }
      process.kill(host, 'SIGKILL');
      if (withEngine) process.kill(engine, 'SIGKILL');
      await waitGone(host, 30_000);
      // An engine that outlived its host finishes on its own; wait for it.
      for (const p of engines()) await waitGone(p, 120_000);
      const phase = ledgerPhase();
      const st = JSON.parse(cli(['status', '--json']).stdout || '[]') as { name: string; stale: boolean }[];
      console.log(`      host ${host} killed${withEngine ? ` with engine ${engine}` : ' alone'} (${when}, seen ${hit}); ledger ${phase}`);
      assert.ok(hit, 'the stage began before the kill');
      assert.ok(!alive(host), 'the extension host is gone');
      if (withEngine) {
        assert.equal(phase, 'creating', 'the lab was cut off');
        assert.deepEqual(st.map((l) => [l.name, l.stale]), [[LAB, true]], 'status shows it cut off');
      } else {
        // Its progress pipe is gone with the host; the engine must finish the lab, not die halfway on EPIPE.
        assert.equal(phase, 'up', 'the engine outlived its host and finished the lab');
      }
      await count.check(`host killed (${when})`, withEngine);
    });
  }
});
