import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_LAB_EXCLUDE, excludeGlobs, findFilesExclude, labExcluder } from '../../../src/core/lab/exclude';

const REPO = path.resolve(__dirname, '../../..');

/** Every *.vlab.yaml under `dir` (following the .tools and node_modules links as a workspace search would). */
function labFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory() || (e.isSymbolicLink() && ['.tools', 'node_modules'].includes(e.name))) {
      if (r.split('/').length < 9 && !(r.startsWith('node_modules/') && r.split('/').length > 3)) out.push(...labFiles(dir, r));
    } else if (/\.vlab\.ya?ml$/.test(e.name)) out.push(r);
  }
  return out;
}

describe('lab discovery exclusion (virtlab.labs.exclude)', () => {
  it('the defaults are the ones package.json declares', () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    assert.deepEqual(pkg.contributes.configuration.properties['virtlab.labs.exclude'].default, [...DEFAULT_LAB_EXCLUDE]);
  });

  it('in this repository keeps the shipped lab and drops the broken test fixtures and the copies in .tools', () => {
    const all = labFiles(REPO);
    assert.ok(all.some((f) => f.startsWith('test/fixtures/lab/bad-')), `the fixtures are there to be excluded: ${all.join(', ')}`);
    const ex = labExcluder(DEFAULT_LAB_EXCLUDE);
    const kept = all.filter((f) => !ex.excluded(f));
    assert.ok(kept.includes('media/labs/07-vxlan/vlg-vxlan.vlab.yaml'), `kept: ${kept.join(', ')}`);
    for (const f of kept) assert.doesNotMatch(f, /(^|\/)(test\/fixtures|\.tools|node_modules|\.git|test-results)\//, f);
  });

  it('matches like files.exclude: ** spans folders (also none), * and ? stay within one, {a,b} alternates', () => {
    const ex = labExcluder(['**/node_modules/**', 'labs/*.old.vlab.yaml', 'tmp?/**', '{a,b}/**']);
    assert.equal(ex.excluded('node_modules/x/a.vlab.yaml'), true, 'at the workspace root');
    assert.equal(ex.excluded('pkg/node_modules/x/a.vlab.yaml'), true, 'nested');
    assert.equal(ex.excluded('labs/x.old.vlab.yaml'), true);
    assert.equal(ex.excluded('labs/sub/x.old.vlab.yaml'), false, '* does not cross a folder');
    assert.equal(ex.excluded('tmp1/x.vlab.yaml'), true);
    assert.equal(ex.excluded('tmp12/x.vlab.yaml'), false);
    assert.equal(ex.excluded('b/x.vlab.yaml'), true);
    assert.equal(ex.excluded('c/x.vlab.yaml'), false);
    assert.equal(ex.excluded('my.node_modules.vlab.yaml'), false, 'dots are literal');
  });

  it('bad setting values: an unbalanced brace is reported and skipped, non-strings dropped, a map like files.exclude accepted', () => {
    const ex = labExcluder(['{a,b/**', '**/.git/**']);
    assert.deepEqual(ex.invalid, ['{a,b/**']);
    assert.equal(ex.excluded('.git/x.vlab.yaml'), true);
    assert.deepEqual(excludeGlobs(['x/**', 3, '', null]), ['x/**']);
    assert.deepEqual(excludeGlobs({ 'x/**': true, 'y/**': false }), ['x/**']);
    assert.deepEqual(excludeGlobs(undefined), [...DEFAULT_LAB_EXCLUDE]);
    assert.equal(findFilesExclude(['a/**', '{b,c}/**']), '{a/**}', 'brace groups cannot nest in one findFiles glob');
    assert.equal(findFilesExclude([]), undefined);
  });
});
