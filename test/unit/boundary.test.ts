import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(f) ? [p] : [];
  });
}

const SRC = path.join(__dirname, '../../src');
const IMPORTS_VSCODE = /(?:from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\))/;

describe('architecture boundary', () => {
  it('src/core never imports vscode', () => {
    const core = files(path.join(SRC, 'core'));
    assert.ok(core.length > 5, 'core has modules');
    const offenders = core.filter((f) => IMPORTS_VSCODE.test(readFileSync(f, 'utf8')));
    assert.deepEqual(offenders, []);
  });
  it('the CLI never imports the extension adapter', () => {
    const offenders = [path.join(SRC, 'cli.ts'), ...files(path.join(SRC, 'core'))].filter((f) => /from\s+['"][./]*extension\//.test(readFileSync(f, 'utf8')));
    assert.deepEqual(offenders, []);
  });
  it('the detector itself catches an import of vscode', () => {
    assert.ok(IMPORTS_VSCODE.test("import * as vscode from 'vscode';"));
    assert.ok(IMPORTS_VSCODE.test("const v = require('vscode')"));
    assert.ok(!IMPORTS_VSCODE.test("import x from './vscode-like'"));
  });
  it('child processes are never spawned through a shell', () => {
    const all = files(SRC);
    // exec/execSync take a shell string; spawn/execFile with `shell: true` do too.
    const SHELL = /import\s*\{[^}]*\b(exec|execSync)\b[^}]*\}\s*from\s*['"](node:)?child_process['"]|child_process['"]\)\.(exec|execSync)\b|shell:\s*true/;
    const offenders = all.filter((f) => SHELL.test(readFileSync(f, 'utf8')));
    assert.deepEqual(offenders, []);
  });
});
