// Types for results-reporter.cjs, so TypeScript callers (the extension-host suite) can pass it to Mocha.
import type Mocha = require('mocha');

declare class ResultsReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions);
}
export = ResultsReporter;
