// Reliability, crashes and cleanup: kill -9 of the lab engine (`node dist/cli.js lab up
// FILE`, the same process VS Code's "Lab: Up" runs) at each stage of up, then `lab clean`, then
// count what is left with independent tools: interfaces (ip -j link), namespaces (ip netns list
// and /run/netns), /run/netns mounts (/proc/self/mountinfo), OVS bridges (ovs-vsctl list-br) and
// containers (docker ps -a). All must be 0. Canaries (vlr9c-canary*) made by this test, not by
// VirtLab, must survive every clean.
//
// Two ways to stop `up` at a stage: from inside, through the engine's onStep observer
// (test/support/labCli.ts runs the same command from source and SIGKILLs itself right after the
// named UpStep), and a kill -9 from outside as soon as the stage's first object shows up on the
// machine (no hook: the built CLI runs as it always does).
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lockPrivate } from './daemons';
import { CleanCount, finishLabCrash, upKilledAt, LAB, labEnv, labFile, ledgerPhase, orphans, prepareLabCrash, sleep, STAGE_SEEN, stateDir, total } from './labCrash';
import { CLI, REPO } from './watchView';

/** `lab up` killed -9 from outside once `seen()` is true; resolves with what was seen. */
async function upKilledWhen(seen: () => boolean): Promise<{ seen: boolean; exit: string }> {
  const c = spawn(process.execPath, [CLI, 'lab', 'up', labFile, '--label', 'virtlab.test=1'], { cwd: REPO, env: { ...process.env, ...labEnv }, stdio: 'ignore' });
  const exited = new Promise<string>((r) => c.on('exit', (code, sig) => r(sig ?? `exit ${code}`)));
  let hit = false;
  let done = false;
  void exited.then(() => (done = true));
  for (const end = Date.now() + 120_000; !done && Date.now() < end; await sleep(2)) {
    if (seen()) {
      hit = true;
      c.kill('SIGKILL');
      break;
    }
  }
  if (!hit && !done) c.kill('SIGKILL');
  return { seen: hit, exit: await exited };
}

describe('crashes: kill -9 of `virtlab lab up` at each stage, then `lab clean`', function () {
  this.timeout(600_000);
  let release = () => undefined as void;
  const count = new CleanCount();

  before(async function () {
    this.timeout(700_000);
    release = await lockPrivate();
    prepareLabCrash();
  });

  after(() => {
    finishLabCrash();
    count.tally('lab engine');
    release();
  });

  for (const step of ['ledger', 'containers', 'root', 'hosts', 'switches']) {
    it(`killed from inside right after stage ${step}`, async () => {
      const r = upKilledAt(step, [labFile, '--label', 'virtlab.test=1']);
      assert.equal(r.signal, 'SIGKILL', `up was killed (status ${r.status}: ${r.stderr})`);
      const ledger = JSON.parse(fs.readFileSync(path.join(stateDir, `${LAB}.json`), 'utf8')) as { phase: string };
      assert.equal(ledger.phase, 'creating');
      if (step !== 'ledger') assert.ok(total(orphans()) > 0, 'the stage had created something before the kill');
      await count.check(`hook after ${step}`, true);
    });
  }

  // From outside, no hook: kill as soon as the stage's first object exists, i.e. in the middle of it.
  for (const [when, seen] of STAGE_SEEN) {
    it(`kill -9 from outside when ${when}`, async () => {
      const r = await upKilledWhen(seen);
      const phase = ledgerPhase();
      console.log(`      outside kill (${when}): seen ${r.seen}, up ended by ${r.exit}, ledger phase ${phase}`);
      assert.ok(r.seen, `the stage's objects appeared before up ended (${r.exit})`);
      await count.check(`outside, ${when}`, phase === 'creating');
    });
  }
});
