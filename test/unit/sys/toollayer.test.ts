import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToolRunner, run, start } from '../../../src/core/sys/exec';

const CORE = join(__dirname, '../../../src/core');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('one tool layer for src/core', () => {
  it('only src/core/sys/exec.ts imports node:child_process', () => {
    const others = sources(CORE)
      .filter((f) => /from 'node:child_process'|require\('(node:)?child_process'\)|from 'child_process'/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(CORE, f));
    assert.deepEqual(others, ['sys/exec.ts']);
  });

  it('run gives every tool LC_ALL=C, keeps stderr and never throws', async () => {
    const r = await run('sh', ['-c', 'echo "$LC_ALL"; echo oops >&2; exit 3'], { env: { ...process.env, LC_ALL: 'de_DE.UTF-8' } });
    assert.equal(r.stdout.trim(), 'C');
    assert.equal(r.stderr.trim(), 'oops');
    assert.equal(r.ok, false);
    assert.equal(r.code, 3);
    const missing = await run('vlo-no-such-tool', []);
    assert.equal(missing.ok, false);
    assert.equal(missing.error, 'ENOENT');
  });

  it('run resolves a bare tool name on the PATH it is given, and a timeout is ETIMEDOUT', async () => {
    const none = await run('sh', ['-c', 'true'], { path: '/vlo-nowhere' });
    assert.equal(none.error, 'ENOENT');
    const slow = await run('sleep', ['5'], { timeoutMs: 100 });
    assert.equal(slow.error, 'ETIMEDOUT');
    const r = await pathToolRunner({ path: '/vlo-nowhere', timeoutMs: 1000 })('sh', ['-c', 'true']);
    assert.deepEqual([r.ok, r.error, r.stderr], [false, 'ENOENT', 'sh not found on PATH']);
  });

  it('start gives a streaming tool the same environment', async () => {
    const c = start('sh', ['-c', 'echo "$LC_ALL"'], ['ignore', 'pipe', 'ignore'], { env: { ...process.env, LC_ALL: 'fr_FR.UTF-8' } });
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise((r) => c.on('close', r));
    assert.equal(out.trim(), 'C');
  });
});
