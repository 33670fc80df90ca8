// Prints the reliability figures (the reliability suite) that test/reliability/tally.ts collected in
// test-results/reliability/<category>.json, one row per category. `npm run test:reliability` runs
// `mocha ...; node scripts/reliability-table.mjs`, so this script's exit code is the command's:
// it fails when mocha's results file (test-results/reliability.json) shows a failed or unfinished
// run, or when a category counted a failure; a printed table never hides a failed test.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const CATEGORIES = [
  ['malformed-input', '1 malformed input'],
  ['injection', '2 injection'],
  ['webview-messages', '3 webview messages'],
  ['workspace-trust', '4 workspace trust'],
  ['daemon-outages', '5 daemon outages'],
  ['crash-cleanup', '6 crashes and cleanup'],
  ['privilege', '7 privilege'],
  ['idle-cost', '8 idle cost'],
];

const base = path.resolve(process.env.VIRTLAB_RESULTS_DIR ?? 'test-results');
const dir = path.join(base, 'reliability');

// tally.ts adds to the figures on disk, so a full run starts from none: `--reset` (before mocha).
if (process.argv.includes('--reset')) {
  rmSync(dir, { recursive: true, force: true });
  rmSync(path.join(base, 'reliability.json'), { force: true });
  process.exit(0);
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

const rows = [['category', 'tried', 'failed', 'survived', 'notes']];
for (const [key, title] of CATEGORIES) {
  const f = readJson(path.join(dir, `${key}.json`));
  if (!f) {
    rows.push([title, 'not run', '', '', '']);
    continue;
  }
  const notes = Object.entries(f.extra ?? {})
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ');
  rows.push([title, String(f.tried ?? 0), String(f.failed ?? 0), String(f.survived ?? 0), notes]);
}

// Markdown table, so the README can quote it as printed.
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
const line = (r) => `| ${r.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
const out = [line(rows[0]), `| ${widths.map((w, i) => (i === 0 || i === 4 ? '-'.repeat(w) : '-'.repeat(w - 1) + ':')).join(' | ')} |`, ...rows.slice(1).map(line)];
process.stdout.write(out.join('\n') + '\n');

// Exit code: mocha's failures (from its results file), and any category that counted a failure.
const summary = readJson(path.join(base, 'reliability.json'));
const problems = [];
if (!summary) problems.push(`no mocha results in ${path.join(base, 'reliability.json')} (did the suite run?)`);
else {
  if (summary.finished !== true) problems.push('the mocha run did not finish');
  if (summary.failed !== 0) problems.push(`${summary.failed} failed test(s) in the mocha run`);
  if (!(summary.passed > 0)) problems.push('no test passed');
}
const failedCats = CATEGORIES.filter(([key]) => (readJson(path.join(dir, `${key}.json`))?.failed ?? 0) > 0).map(([, t]) => t);
if (failedCats.length) problems.push(`failures counted in: ${failedCats.join(', ')}`);
for (const p of problems) process.stderr.write(`reliability: ${p}\n`);
process.exit(problems.length ? 1 : 0);
