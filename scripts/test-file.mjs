#!/usr/bin/env node
// Runs some test files of one suite, not the whole suite:
//   node scripts/test-file.mjs SUITE FILE... [-- MOCHA-ARGS...]
// e.g. node scripts/test-file.mjs e2e test/e2e/guides.test.ts -- --grep 'lab 7'
// (`mocha --config test/.mocharc.SUITE.json FILE` would run FILE *and* the config's whole spec,
// since mocha appends the two.) Results go to test-results/SUITE-files.json, so a full run's
// test-results/SUITE.json is left alone.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [suite, ...rest] = process.argv.slice(2);
const dash = rest.indexOf('--');
const files = dash < 0 ? rest : rest.slice(0, dash);
const extra = dash < 0 ? [] : rest.slice(dash + 1);
const configFile = path.join(root, 'test', `.mocharc.${suite ?? ''}.json`);
if (!suite || files.length === 0 || !fs.existsSync(configFile)) {
  console.error('usage: node scripts/test-file.mjs unit|integration|e2e|reliability FILE... [-- MOCHA-ARGS...]');
  process.exit(2);
}
const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
delete config.spec;
config['reporter-option'] = (config['reporter-option'] ?? []).map((o) =>
  o.startsWith('output=') ? `output=test-results/${suite}-files.json` : o);
const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'virtlab-mocha-')), `.mocharc.json`);
fs.writeFileSync(tmp, JSON.stringify(config));
const r = spawnSync(path.join(root, 'node_modules/.bin/mocha'), ['--config', tmp, ...files, ...extra],
  { cwd: root, stdio: 'inherit' });
fs.rmSync(path.dirname(tmp), { recursive: true, force: true });
process.exit(r.status ?? 1);
