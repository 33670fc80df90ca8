// Desktop variant of the extension-host suite: @vscode/test-electron downloads a VS Code build
// (needs internet access to update.code.visualstudio.com, which this project's CI does not have;
// there the same suite runs inside code-server, see test/e2e/host-view.test.ts) and runs
// test/extension/suite with VirtLab loaded as the development extension.
//   npm run build && npm run test:extension
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildDesktopSuite, DEFAULT_RESULTS, REPO } from './build';

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(REPO, 'dist/extension.js'))) throw new Error('dist/extension.js is missing: run `npm run build` first');
  const extensionTestsPath = await buildDesktopSuite();
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'virtlab-ext-test-'));
  try {
    await runTests({
      version: process.env.VSCODE_TEST_VERSION ?? 'stable',
      extensionDevelopmentPath: REPO,
      extensionTestsPath,
      extensionTestsEnv: { VIRTLAB_RESULTS_FILE: DEFAULT_RESULTS },
      // Only VirtLab, no other installed extensions; no trust prompt for the temporary folder.
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
