import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GuideLoadError, loadGuides, loadGuidesWithIssues, parseGuide, resolveCommand } from '../../../src/core/guide';
import { CHECKS } from '../../../src/core/guide/checks/registry';

const ROOT = path.join(__dirname, '../../..');

const good = `---
id: pid-namespaces
title: T
summary: S
---

Intro text.

## run: Run it

Prose.

\`\`\`sh
docker run -d --name vlg-pid virtlab/busybox:latest sleep 1
# a comment, not a command
virtlab lab status
\`\`\`

\`\`\`
not a command (no sh)
\`\`\`

### Hint

Try again.

## compare: Compare

\`\`\`sh
echo "## not a heading"
\`\`\`

### Hint

H.

## tree: Read only

Nothing to run.
`;

describe('guide loader: the shipped labs', () => {
  it('loads all 10 guided labs in order, each check with its step and hint', () => {
    const labs = loadGuides(ROOT);
    assert.deepEqual(labs.map((l) => l.number), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(labs.map((l) => l.id).sort(), Object.keys(CHECKS).sort());
    for (const l of labs) {
      assert.ok(l.title && l.summary && l.steps.length >= 2, l.id);
      for (const s of l.steps) {
        if (s.hasCheck) assert.ok(s.hint.length > 20, `${l.id}/${s.id} has a hint`);
        for (const c of s.commands) assert.ok(!c.text.includes('\n'));
      }
      assert.ok(l.steps.some((s) => s.hasCheck), `${l.id} has at least one check`);
    }
  });

  it('every object a command names starts with vlg (so reset can find it)', () => {
    for (const l of loadGuides(ROOT)) {
      for (const s of l.steps) {
        for (const c of s.commands) {
          for (const m of c.text.matchAll(/--name (\S+)|ip netns add (\S+)|ip link add (\S+)|peer name (\S+)|-name (\S+)|docker commit \S+ (\S+)/g)) {
            const name = m.slice(1).find(Boolean)!;
            assert.match(name, /^vlg/, `${l.id}/${s.id}: ${c.text}`);
          }
        }
      }
    }
  });
});

describe('guide loader: parsing and broken files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'vlg-unit-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const lab = (name: string, text?: string) => {
    mkdirSync(path.join(dir, 'media/labs', name), { recursive: true });
    if (text !== undefined) writeFileSync(path.join(dir, 'media/labs', name, 'lab.md'), text);
  };

  it('splits intro, steps, commands (sh blocks only, no comments) and hints', () => {
    const r = parseGuide(good, 'x.md', 1);
    assert.deepEqual(r.issues, []);
    const l = r.lab!;
    assert.equal(l.intro, 'Intro text.');
    assert.deepEqual(l.steps.map((s) => [s.id, s.hasCheck]), [['run', true], ['compare', true], ['tree', false]]);
    assert.deepEqual(l.steps[0].commands.map((c) => c.text), ['docker run -d --name vlg-pid virtlab/busybox:latest sleep 1', 'virtlab lab status']);
    assert.equal(l.steps[0].hint, 'Try again.');
    assert.ok(!l.steps[0].markdown.includes('Try again'));
    assert.deepEqual(l.steps[1].commands.map((c) => c.text), ['echo "## not a heading"']);
  });

  it('missing folder: an issue, not a crash; loadGuides throws GuideLoadError naming it', () => {
    const r = loadGuidesWithIssues(dir);
    assert.equal(r.labs.length, 0);
    assert.match(r.issues[0].message, /cannot read the guided labs folder \(ENOENT\)/);
    assert.throws(() => loadGuides(dir), (e: unknown) => e instanceof GuideLoadError && /media\/labs/.test(e.message));
  });

  it('a folder without lab.md is reported, the other labs still load', () => {
    lab('01-pid-namespaces', good);
    lab('02-empty');
    const r = loadGuidesWithIssues(dir);
    assert.equal(r.labs.length, 1);
    assert.equal(r.issues.length, 1);
    assert.match(r.issues[0].file, /02-empty\/lab\.md$/);
    assert.match(r.issues[0].message, /missing or unreadable/);
  });

  const broken: [string, string, RegExp][] = [
    ['no front matter', '# Title\n\n## run: x\n', /must start with a front matter block/],
    ['unclosed front matter', '---\nid: a\n', /not closed/],
    ['missing summary', '---\nid: zz\ntitle: T\n---\n## a: b\n', /needs `summary:`/],
    ['bad step heading', '---\nid: zz\ntitle: T\nsummary: S\n---\n## Just a title\n', /step heading is `## <step id>: <title>`/],
    ['duplicate step', '---\nid: zz\ntitle: T\nsummary: S\n---\n## a: x\n## a: y\n', /used twice/],
    ['unclosed fence', '---\nid: zz\ntitle: T\nsummary: S\n---\n## a: x\n```sh\nls\n', /not closed/],
    ['check without hint', good.replace('### Hint\n\nTry again.\n', ''), /has a check but no `### Hint`/],
    ['continuation line', '---\nid: zz\ntitle: T\nsummary: S\n---\n## a: x\n```sh\nls \\\n```\n', /one line/],
    ['check without step', good.replace('## compare: Compare', '## other: Other'), /check pid-namespaces\/compare has no step/],
  ];
  for (const [what, text, re] of broken) {
    it(`broken file (${what}) gives a clear issue with file name`, () => {
      lab('01-x', text);
      const r = loadGuidesWithIssues(dir);
      assert.equal(r.labs.length, 0);
      assert.ok(r.issues.some((i) => re.test(i.message) && i.file.endsWith('01-x/lab.md')), JSON.stringify(r.issues));
    });
  }

  it('a {labs} file a command needs must exist', () => {
    lab('01-x', good.replace('virtlab lab status', 'virtlab lab up {labs}/01-x/missing.yaml'));
    const r = loadGuidesWithIssues(dir);
    assert.ok(r.issues.some((i) => /\{labs\}\/01-x\/missing\.yaml, which does not exist/.test(i.message)), JSON.stringify(r.issues));
  });

  it('duplicate lab ids are refused', () => {
    lab('01-pid-namespaces', good);
    lab('02-pid-namespaces', good);
    const r = loadGuidesWithIssues(dir);
    assert.equal(r.labs.length, 1);
    assert.equal(r.issues.length, 1);
    assert.match(r.issues[0].message, /lab id "pid-namespaces" is already used by .*01-pid-namespaces$/);
    assert.deepEqual(r.broken.map((b) => [b.id, b.number]), [['pid-namespaces', 2]]);
  });

  // A broken lab is still known by its folder, with its own issues.
  const labDir = (name: string) => path.join(dir, 'media/labs', name);

  it('one damaged file: the other labs load, the broken one is listed by number, id and title with only its issues', () => {
    lab('01-pid-namespaces', good);
    lab('06-ovs', good.replace('id: pid-namespaces', 'id: ovs').replace('## run: Run it', 'Run it, without a heading'));
    const r = loadGuidesWithIssues(dir);
    assert.deepEqual(r.labs.map((l) => l.id), ['pid-namespaces']);
    assert.equal(r.broken.length, 1);
    const b = r.broken[0];
    assert.deepEqual([b.id, b.number, b.dir, b.title], ['ovs', 6, labDir('06-ovs'), 'T']);
    assert.ok(b.issues.length > 0);
    assert.ok(b.issues.every((i) => i.file === path.join(labDir('06-ovs'), 'lab.md')), JSON.stringify(b.issues));
    assert.deepEqual(r.issues, b.issues, 'every issue belongs to the broken lab');
  });

  it('a garbage file: no title, an issue at line 1 that says what a lab.md starts with', () => {
    lab('03-cgroups', '\u0000\u0001 PNG garbage \n## x');
    const b = loadGuidesWithIssues(dir).broken[0];
    assert.deepEqual([b.id, b.number, b.title], ['cgroups', 3, undefined]);
    assert.deepEqual(b.issues, [{ file: path.join(labDir('03-cgroups'), 'lab.md'), line: 1, message: 'must start with a front matter block (`---`, then id/title/summary lines, then `---`)' }]);
  });

  it('an empty file and a missing file are broken labs too', () => {
    lab('01-empty', '');
    lab('02-gone');
    const r = loadGuidesWithIssues(dir);
    assert.deepEqual(r.broken.map((b) => [b.id, b.issues.map((i) => i.message)]), [
      ['empty', ['must start with a front matter block (`---`, then id/title/summary lines, then `---`)']],
      ['gone', ['missing or unreadable (ENOENT)']],
    ]);
  });

  it('the lab id must match its folder name; a misnamed lab folder is reported, not skipped', () => {
    lab('01-pid', good);
    lab('2-forgotten', good);
    const r = loadGuidesWithIssues(dir);
    assert.deepEqual(r.labs, []);
    assert.deepEqual(r.broken.map((b) => b.id), ['pid']);
    assert.ok(r.issues.some((i) => i.message === 'lab id "pid-namespaces" differs from its folder\'s name 01-pid (the folder is named NN-<lab id>)'), JSON.stringify(r.issues));
    assert.ok(r.issues.some((i) => i.file === labDir('2-forgotten') && /named `NN-<lab id>`/.test(i.message)), JSON.stringify(r.issues));
  });

  it('GuideLoadError lists every issue as file:line: message', () => {
    lab('01-pid-namespaces', good);
    lab('02-gone');
    lab('03-x', '# no front matter\n');
    const e = (() => {
      try {
        loadGuides(dir);
      } catch (x) {
        return x;
      }
      return undefined;
    })();
    assert.ok(e instanceof GuideLoadError);
    assert.equal(
      e.message,
      [
        'The guided labs could not be read:',
        `${path.join(labDir('02-gone'), 'lab.md')}: missing or unreadable (ENOENT)`,
        `${path.join(labDir('03-x'), 'lab.md')}:1: must start with a front matter block (\`---\`, then id/title/summary lines, then \`---\`)`,
      ].join('\n'),
    );
    assert.equal(e.issues.length, 2);
  });
});

describe('resolveCommand', () => {
  it('maps virtlab in command position and {labs}; leaves other words alone', () => {
    const cli = '/opt/ext/dist/cli.js';
    assert.equal(resolveCommand('virtlab lab status', cli), 'node /opt/ext/dist/cli.js lab status');
    assert.equal(resolveCommand('virtlab lab ping x h1 h2 || echo virtlab', cli), 'node /opt/ext/dist/cli.js lab ping x h1 h2 || echo virtlab');
    assert.equal(resolveCommand('echo hi && virtlab lab up {labs}/07-vxlan/a.yaml', cli, '/usr/bin/node'), 'echo hi && /usr/bin/node /opt/ext/dist/cli.js lab up /opt/ext/media/labs/07-vxlan/a.yaml');
    assert.equal(resolveCommand('cat virtlab.txt', cli), 'cat virtlab.txt');
    assert.equal(resolveCommand('virtlab snapshot', "/my ext/it's/dist/cli.js"), `node '/my ext/it'\\''s/dist/cli.js' snapshot`);
  });
});
