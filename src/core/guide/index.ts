/**
 * Guided labs, the core: content, live checks, reset. Never imports `vscode`.
 *
 * For the VS Code adapter (guide panel, terminal, progress):
 *
 * - `loadGuides(extensionRoot): GuideLab[]` reads `<extensionRoot>/media/labs/NN-name/lab.md`
 *   (format in media/labs/README.md), in order. Throws `GuideLoadError` whose `issues` name each
 *   broken file and line; `loadGuidesWithIssues` returns the sound labs, the broken ones (known by
 *   their `NN-<id>` folder, with their own issues) and every issue instead.
 * - `resolveCommand(text, cliPath, nodePath = 'node')`: the text to send to the terminal. Maps a
 *   leading `virtlab` to `<node> <cliPath>` and `{labs}` to `<extension>/media/labs` (derived from
 *   cliPath = `<extension>/dist/cli.js`). Show the user the resolved text: it is what runs.
 * - `runCheck(labId, stepId, ctx): Promise<CheckResult>` evaluates one step's check against the
 *   live machine (`ctx.snapshot()` for the discovery graph plus direct reads). Never throws: an
 *   internal error becomes `{ ok: false, detail }`. Only steps with `hasCheck` have one. `detail`
 *   names what was compared, with numbers and ids; `simulated` is set for lab 9 (SR-IOV tree).
 *   Checks take from about one second (a snapshot) to a few (ping timeouts, 1.5 s throttle sample).
 * - `resetGuide(labId, ctx?): Promise<ResetReport>` removes only the vlg-named objects that lab's
 *   commands create (containers, images, network namespaces, links, labs via the lab engine's
 *   labDown, QEMU guests by pidfile, /tmp/vlg-* files). Idempotent. Needs root for namespaces,
 *   links and labs, as the commands themselves do. `guideObjects(labId)` lists what it covers.
 * - `baseline(ctx?)` / `diffBaseline(a, b, isGuideObject)`: the containers, images, network
 *   namespaces, root links, OVS bridges, QEMU processes and labs present, and their difference
 *   (for tests and for "after reset the machine equals its baseline").
 */
import { CHECKS, hasCheck } from './checks/registry';
import { GUIDE_OBJECTS, type GuideObjects } from './reset';
import type { CheckContext, CheckResult } from './types';

export type { CheckContext, CheckResult, GuideCommand, GuideLab, GuideStep, ResetReport } from './types';
export { GuideLoadError, formatIssue, labsDir, loadGuides, loadGuidesWithIssues, parseGuide, type BrokenGuide, type GuideCatalog, type GuideIssue } from './loader';
export { LABS_PLACEHOLDER, resolveCommand, shellWord } from './commands';
export { resetGuide, type GuideObjects } from './reset';
export { baseline, diffBaseline, isGuideObject, type Baseline, type BaselineDiff, type BaselineKind } from './baseline';
export { hasCheck };

/** Run the check of one step. Never throws. */
export async function runCheck(labId: string, stepId: string, ctx: CheckContext): Promise<CheckResult> {
  if (!hasCheck(labId, stepId)) return { ok: false, detail: `The step ${labId}/${stepId} has no check; mark it done when you have read it.` };
  try {
    return await CHECKS[labId][stepId](ctx);
  } catch (e) {
    return { ok: false, detail: `The check could not run: ${(e as Error).message}` };
  }
}

/** What reset removes for a lab (for a confirmation message). */
export function guideObjects(labId: string): GuideObjects | undefined {
  return GUIDE_OBJECTS[labId];
}
