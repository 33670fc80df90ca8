// Entry of the extension-host suite. `run()` has the shape @vscode/test-electron calls
// (extensionTestsPath); the code-server runner (test/extension/runner) calls `runSuite()` with
// the test modules bundled into it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import ResultsReporter from '../../../scripts/mocha/results-reporter.cjs';

export interface SuiteOptions {
  /** Registers the tests (require()s the test modules); called after mocha set up its globals. */
  load: () => void;
  /** Where the reporter writes the JSON results (see scripts/results.mjs). */
  output?: string;
}

/** Runs the suite in this extension host and resolves with the number of failures. */
export function runSuite(opts: SuiteOptions): Promise<number> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    // The first Host scan on a busy 2-core machine can take a while; nothing here asserts timing.
    timeout: 120_000,
    reporter: ResultsReporter,
    reporterOptions: { output: opts.output, suite: 'extension' },
  });
  // What mocha's own file loader does before each file, so describe/it exist when tests load.
  mocha.suite.emit('pre-require', globalThis, 'virtlab-extension-suite', mocha);
  opts.load();
  return new Promise((resolve) => mocha.run((failures) => resolve(failures)));
}

/** @vscode/test-electron entry: runs every `*.test.js` next to this file (see build.ts). */
export async function run(): Promise<void> {
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort()
    .map((f) => path.join(__dirname, f));
  const failures = await runSuite({
    load: () => files.forEach((f) => require(f)),
    output: process.env.VIRTLAB_RESULTS_FILE,
  });
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
}
