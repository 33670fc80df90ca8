// Mocha reporter: the usual spec output for people, plus a JSON file of per-test results that
// scripts/results.mjs sums over all suites. Used by the unit, integration and e2e runs and,
// bundled, inside the VS Code extension host (test/extension/runner).
//
// Options (mocha --reporter-option k=v, or reporterOptions in the Mocha constructor):
//   output=<file>   where to write the JSON (default: $VIRTLAB_RESULTS_FILE; none = no file)
//   suite=<name>    the suite name recorded in the file
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

const { Spec } = Mocha.reporters;

function errorOf(err) {
  if (!err) return undefined;
  return {
    message: String(err.message ?? err),
    stack: typeof err.stack === 'string' ? err.stack.split('\n').slice(0, 12).join('\n') : undefined,
    ...(err.showDiff !== false && err.actual !== undefined && err.expected !== undefined
      ? { actual: safeString(err.actual), expected: safeString(err.expected) }
      : {}),
  };
}

function safeString(v) {
  try {
    return typeof v === 'string' ? v : JSON.stringify(v);
  } catch {
    return String(v);
  }
}

/** Writes via a temporary file + rename so a reader polling for the file never sees half of it. */
function writeAtomically(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

class ResultsReporter extends Spec {
  constructor(runner, options = {}) {
    super(runner, options);
    const opts = options.reporterOption || options.reporterOptions || {};
    const output = opts.output || process.env.VIRTLAB_RESULTS_FILE;
    const suite = opts.suite || 'mocha';
    const started = Date.now();
    const tests = [];
    const record = (state) => (test, err) => {
      tests.push({
        title: test.fullTitle(),
        file: test.file ? path.relative(process.cwd(), test.file) : undefined,
        // A failing before/after hook is a failure of the suite, not a test of its own.
        kind: test.type === 'hook' ? 'hook' : 'test',
        state,
        durationMs: test.duration,
        error: errorOf(err),
      });
      write(false);
    };
    const write = (finished) => {
      if (!output) return;
      const count = (s) => tests.filter((t) => t.state === s).length;
      const result = {
        suite,
        // false until the run ends: a suite killed by its time limit still leaves what it did.
        finished,
        passed: count('passed'),
        failed: count('failed'),
        pending: count('pending'),
        durationMs: Date.now() - started,
        tests,
      };
      writeAtomically(path.resolve(output), JSON.stringify(result, null, 2) + '\n');
    };
    runner.on('start', () => write(false));
    runner.on('pass', record('passed'));
    runner.on('fail', record('failed'));
    runner.on('pending', record('pending'));
    runner.once('end', () => write(true));
  }
}

module.exports = ResultsReporter;
