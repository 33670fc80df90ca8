import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scanOptions } from '../../../src/core/context';
import { baseline, diffBaseline, isGuideObject, loadGuides, resetGuide, resolveCommand, runCheck, type Baseline, type CheckContext, type CheckResult, type GuideLab } from '../../../src/core/guide';
import { takeSnapshot } from '../../../src/core/scan';

// The guided labs' commands are fixed texts shipped with the extension: the tests run them with
// bash, standing in for the user's terminal (`virtlab` = this checkout's dist/cli.js), then ask
// the checks. Run these suites under `flock /tmp/virtlab-guide.lock`: the e2e tests of the guide
// panel create the same vlg objects.

export const ROOT = path.join(__dirname, '../../..');
export const CLI = path.join(ROOT, 'dist/cli.js');
export const x = (file: string, ...args: string[]) => execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60000 });

/** dist/cli.js must exist for `virtlab` commands; build it when it does not. */
export function ensureCli(): void {
  if (existsSync(CLI)) return;
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8', timeout: 300000 });
  assert.equal(r.status, 0, `node esbuild.mjs failed: ${r.stderr}`);
}

export const ctx: CheckContext = {
  options: scanOptions(),
  snapshot: () => takeSnapshot(scanOptions()),
  extensionRoot: ROOT,
};

let guides: GuideLab[] | undefined;
export function guide(labId: string): GuideLab {
  guides ??= loadGuides(ROOT);
  const g = guides.find((l) => l.id === labId);
  assert.ok(g, `no guided lab ${labId}`);
  return g;
}

/** Run a step's commands as one bash script (set -e), as a person would type them, one by one. */
export async function runStep(labId: string, stepId: string): Promise<string> {
  const step = guide(labId).steps.find((s) => s.id === stepId);
  assert.ok(step, `no step ${labId}/${stepId}`);
  const script = ['set -e', ...step.commands.map((c) => resolveCommand(c.text, CLI, process.execPath))].join('\n');
  // Output to a file, not a pipe: a command left running in the background (`… &`) keeps a pipe
  // open, and the step is over when bash exits.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vlg-test-'));
  const out = path.join(dir, 'out');
  const fd = openSync(out, 'w');
  try {
    const code = await new Promise<number | null>((resolve) => {
      const c = spawn('bash', ['-c', script], { stdio: ['ignore', fd, fd], cwd: os.tmpdir() });
      const t = setTimeout(() => c.kill('SIGKILL'), 180000);
      c.on('exit', (code) => {
        clearTimeout(t);
        resolve(code);
      });
    });
    const text = readFileSync(out, 'utf8');
    assert.equal(code, 0, `step ${labId}/${stepId} failed (exit ${code}):\n${text}`);
    return text;
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The check must turn ok; polled (up to `ms`) because some facts settle a moment later. */
export async function expectOk(labId: string, stepId: string, ms = 30000): Promise<CheckResult> {
  const until = Date.now() + ms;
  let r = await runCheck(labId, stepId, ctx);
  while (!r.ok && Date.now() < until) {
    await new Promise((res) => setTimeout(res, 1000));
    r = await runCheck(labId, stepId, ctx);
  }
  assert.ok(r.ok, `check ${labId}/${stepId} stayed red: ${r.detail}`);
  assert.ok(r.detail.length > 20, 'a check says what it saw');
  if (process.env.VIRTLAB_GUIDE_SHOW) console.log(`      ${labId}/${stepId} ok: ${r.detail}`);
  return r;
}

/** The check must be red now (a step skipped), with a reason. */
export async function expectRed(labId: string, stepId: string): Promise<CheckResult> {
  const r = await runCheck(labId, stepId, ctx);
  assert.equal(r.ok, false, `check ${labId}/${stepId} is green before its step ran: ${r.detail}`);
  assert.ok(r.detail.length > 10);
  if (process.env.VIRTLAB_GUIDE_SHOW) console.log(`      ${labId}/${stepId} red: ${r.detail}`);
  return r;
}

/** Reset twice (the second must find nothing) and compare the guide's objects with the baseline. */
export async function resetAndCompare(labId: string, before: Baseline): Promise<void> {
  const r1 = await resetGuide(labId, ctx);
  assert.deepEqual(r1.left, [], `reset left: ${JSON.stringify(r1.left)}`);
  const r2 = await resetGuide(labId, ctx);
  assert.deepEqual(r2, { removed: [], left: [] }, 'a second reset finds nothing to remove');
  const after = await baseline(ctx);
  assert.deepEqual(diffBaseline(before, after, isGuideObject), [], 'after reset the machine equals its baseline (vlg objects)');
}

/** A clean start: remove leftovers of an earlier, interrupted run, then take the baseline. */
export async function cleanStart(labId: string): Promise<Baseline> {
  await resetGuide(labId, ctx);
  const b = await baseline(ctx);
  return b;
}

/**
 * A describe block for one guided lab: a clean start and baseline before, and after the tests a
 * reset that must leave the machine's vlg objects as the baseline had them. `skip` says why the
 * lab cannot run here (the suite is then skipped, not passed).
 */
export function guideSuite(labId: string, title: string, body: () => void, skip?: () => string | undefined): void {
  describe(title, function () {
    this.timeout(300000);
    let base: Baseline | undefined;
    before(async function () {
      if (skip?.()) this.skip();
      ensureCli();
      base = await cleanStart(labId);
    });
    after(async () => {
      if (base) await resetAndCompare(labId, base);
    });
    body();
  });
}
