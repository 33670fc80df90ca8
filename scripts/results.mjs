#!/usr/bin/env node
// Sums the per-suite JSON files that scripts/mocha/results-reporter.cjs writes (and the checks
// that scripts/test.sh records) into one verdict. Plain Node, no dependencies: it must work even
// when `npm ci` failed.
//
//   node scripts/results.mjs check NAME EXIT_CODE LOG_FILE   record one check (typecheck, build ...)
//   node scripts/results.mjs summary NAME:EXIT_CODE ...      print the report; exit 1 on any failure
//
// The last line of `summary` is always `N passed, N failed`.
import * as fs from 'node:fs';
import * as path from 'node:path';

const RESULTS = path.resolve(process.env.VIRTLAB_RESULTS_DIR ?? 'test-results');
const fileOf = (suite) => path.join(RESULTS, `${suite}.json`);

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function tail(file, lines) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Checks are one pseudo-test each in test-results/checks.json, so they add to the totals. */
function recordCheck(name, exitCode, logFile) {
  const file = fileOf('checks');
  const prev = readJson(file) ?? { suite: 'checks', tests: [] };
  const ok = exitCode === '0';
  const tests = prev.tests.filter((t) => t.title !== name);
  tests.push({ title: name, kind: 'test', state: ok ? 'passed' : 'failed', ...(ok ? {} : { error: { message: `exit ${exitCode}; last lines of ${path.relative(process.cwd(), logFile ?? '') || 'its output'}:\n${tail(logFile, 5)}` } }) });
  const count = (s) => tests.filter((t) => t.state === s).length;
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ suite: 'checks', passed: count('passed'), failed: count('failed'), pending: count('pending'), tests }, null, 2) + '\n');
}

/** One suite's counts; a crash (no file, unreadable file, non-zero exit without failures) is a failure. */
function suiteResult(name, exitCode) {
  const r = readJson(fileOf(name));
  if (!r || typeof r.passed !== 'number' || !Array.isArray(r.tests)) {
    const file = path.relative(process.cwd(), fileOf(name));
    const why = exitCode === '-' ? `wrote no ${file} (it did not run or did not finish)` : `crashed before writing ${file} (exit ${exitCode})`;
    return { name, passed: 0, failed: 1, pending: 0, failures: [{ title: `${name} suite ${why}`, message: 'see the output above' }], pendings: [] };
  }
  const failures = r.tests.filter((t) => t.state === 'failed').map((t) => ({ title: t.title, file: t.file, message: t.error?.message ?? '', stack: t.error?.stack }));
  const pendings = r.tests.filter((t) => t.state === 'pending').map((t) => t.title);
  let failed = r.failed;
  if (exitCode !== '0' && exitCode !== '-' && failed === 0 && name !== 'checks') {
    failed = 1;
    failures.push({ title: `${name} suite exited with code ${exitCode} after reporting no failures`, message: 'a crash after the run, or a hang cut off by the time limit' });
  }
  if (r.finished === false) {
    failed += 1;
    failures.push({ title: `${name} suite did not finish (exit ${exitCode}): killed by its time limit, or crashed`, message: `the results hold the ${r.tests.length} test(s) that ended before that` });
  }
  if (r.passed + failed + r.pending === 0) {
    failed = 1;
    failures.push({ title: `${name} suite ran no tests`, message: 'no test files found, or every file failed to load' });
  }
  return { name, passed: r.passed, failed, pending: r.pending, durationMs: r.durationMs, failures, pendings };
}

function summary(args) {
  const suites = args.map((a) => {
    const [name, code = '0'] = a.split(':');
    return suiteResult(name, code);
  });
  const out = [];
  out.push('', '==================== VirtLab test results ====================');
  for (const s of suites) {
    const secs = s.durationMs !== undefined ? `  (${(s.durationMs / 1000).toFixed(1)}s)` : '';
    out.push(`  ${s.name.padEnd(12)} ${String(s.passed).padStart(4)} passed ${String(s.failed).padStart(4)} failed ${String(s.pending).padStart(4)} pending${secs}`);
  }
  const failures = suites.flatMap((s) => s.failures.map((f) => ({ suite: s.name, ...f })));
  if (failures.length) {
    out.push('', 'Failures:');
    for (const f of failures) {
      out.push(`  [${f.suite}] ${f.title}${f.file ? `  (${f.file})` : ''}`);
      if (f.message) out.push(...f.message.split('\n').slice(0, 8).map((l) => `      ${l}`));
    }
  }
  const pendings = suites.flatMap((s) => s.pendings.map((t) => `[${s.name}] ${t}`));
  if (pendings.length) out.push('', 'Pending (skipped):', ...pendings.map((t) => `  ${t}`));
  const sum = (k) => suites.reduce((n, s) => n + s[k], 0);
  out.push('', `pending: ${sum('pending')}`);
  out.push(`${sum('passed')} passed, ${sum('failed')} failed`);
  process.stdout.write(out.join('\n') + '\n');
  return sum('failed') === 0 ? 0 : 1;
}

const [cmd, ...rest] = process.argv.slice(2);
if (cmd === 'check' && rest.length >= 2) {
  recordCheck(rest[0], rest[1], rest[2]);
} else if (cmd === 'summary') {
  process.exitCode = summary(rest);
} else {
  console.error('usage: results.mjs check NAME EXIT_CODE [LOG] | summary NAME:EXIT_CODE ...');
  process.exitCode = 2;
}
