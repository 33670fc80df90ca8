// Runs the extension-host suite (test/extension/suite) once the workbench has started, inside
// the same extension host as VirtLab, and writes the results where the e2e driver waits for them.
// code-server cannot run a development extension's tests (extensionTestsPath), so this runner is
// installed as an ordinary extension beside VirtLab in a throw-away test profile.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadTests } from 'virtlab:extension-tests';
import { runSuite } from '../../suite/index';

export function activate(): void {
  // Not awaited: activation returns at once and the workbench keeps starting while tests run.
  void runOnce(VIRTLAB_RESULTS_FILE);
}

async function runOnce(output: string): Promise<void> {
  try {
    await runSuite({ load: loadTests, output });
  } catch (e) {
    // The suite itself crashed (a test module threw on load...): still leave a verdict.
    const err = e as Error;
    const result = {
      suite: 'extension',
      finished: true,
      passed: 0,
      failed: 1,
      pending: 0,
      tests: [{ title: 'extension-host suite (crashed)', kind: 'hook', state: 'failed', error: { message: err.message, stack: err.stack } }],
    };
    fs.mkdirSync(path.dirname(output), { recursive: true });
    fs.writeFileSync(`${output}.tmp`, JSON.stringify(result, null, 2));
    fs.renameSync(`${output}.tmp`, output);
  }
}

export function deactivate(): void {
  /* nothing to release */
}
