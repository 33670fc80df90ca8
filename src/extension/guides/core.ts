import * as path from 'node:path';
import { loadGuidesWithIssues, resetGuide, resolveCommand, runCheck, type GuideCatalog } from '../../core/guide';
import type { CheckContext, CheckResult, ResetReport } from '../../core/guide/types';

/** What the guide panel needs from the core's guide module (src/core/guide), as one object. */
export interface GuideCore {
  /** The shipped guided labs, read from `<extensionRoot>/media/labs` (never the workspace): the sound ones, the broken ones and every problem. */
  loadGuides(extensionRoot: string): GuideCatalog | Promise<GuideCatalog>;
  runCheck(labId: string, stepId: string, ctx: CheckContext): Promise<CheckResult>;
  resetGuide(labId: string, ctx: CheckContext): Promise<ResetReport>;
  /** The text typed into the terminal: a leading `virtlab` becomes the bundled CLI. */
  terminalText(command: string, extensionRoot: string): string;
}

/** The real core. */
export const guideCore: GuideCore = {
  loadGuides: loadGuidesWithIssues,
  runCheck,
  resetGuide,
  terminalText: (command, extensionRoot) => resolveCommand(command, path.join(extensionRoot, 'dist', 'cli.js')),
};
