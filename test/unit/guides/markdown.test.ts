import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { assignCommands, parseInline, parseMarkdown } from '../../../webview/guide/markdown';

describe('guide markdown subset', () => {
  it('parses headings, paragraphs, lists and fenced code', () => {
    const md = ['# Title', '', 'First line', 'continues **here**.', '', '- one', '- `two`', '', '1. a', '2. b', '', '```sh', 'docker ps', '```', 'after'].join('\n');
    assert.deepEqual(parseMarkdown(md), [
      { t: 'heading', level: 1, inline: [{ t: 'text', s: 'Title' }] },
      { t: 'para', inline: [{ t: 'text', s: 'First line continues ' }, { t: 'bold', s: 'here' }, { t: 'text', s: '.' }] },
      { t: 'list', ordered: false, items: [[{ t: 'text', s: 'one' }], [{ t: 'code', s: 'two' }]] },
      { t: 'list', ordered: true, items: [[{ t: 'text', s: 'a' }], [{ t: 'text', s: 'b' }]] },
      { t: 'code', lang: 'sh', text: 'docker ps' },
      { t: 'para', inline: [{ t: 'text', s: 'after' }] },
    ]);
  });

  it('keeps markup as literal text (the page only ever sets textContent)', () => {
    const md = '<img src=x onerror=alert(1)> and `<script>` **<b>**';
    assert.deepEqual(parseInline(md), [
      { t: 'text', s: '<img src=x onerror=alert(1)> and ' },
      { t: 'code', s: '<script>' },
      { t: 'text', s: ' ' },
      { t: 'bold', s: '<b>' },
    ]);
  });

  it('reads *emphasis* but not a lone star', () => {
    assert.deepEqual(parseInline('*own* or 2 * 3'), [{ t: 'em', s: 'own' }, { t: 'text', s: ' or 2 * 3' }]);
  });

  it('does not treat ** inside code spans as bold', () => {
    assert.deepEqual(parseInline('`a **b** c`'), [{ t: 'code', s: 'a **b** c' }]);
  });

  it('an unclosed fence runs to the end', () => {
    assert.deepEqual(parseMarkdown('```\nx\ny'), [{ t: 'code', lang: '', text: 'x\ny' }]);
  });

  it('gives each shell block the commands it holds, in order, and lists the rest', () => {
    const blocks = parseMarkdown(['```sh', 'docker run -d --name vlg1 busybox sleep 600', 'docker top vlg1', '```', 'text', '```', 'not a shell block: docker ps', '```', '```bash', '# a comment', 'docker ps', '```'].join('\n'));
    const { perBlock, rest } = assignCommands(blocks, ['docker run -d --name vlg1 busybox sleep 600', 'docker top vlg1', 'docker ps', 'virtlab snapshot --json']);
    assert.deepEqual([...perBlock.entries()], [
      [0, [0, 1]],
      [3, [2]],
    ]);
    assert.deepEqual(rest, [3]);
  });
});

describe('guide markdown tables', () => {
  it('parses a pipe table, skipping the rule row', () => {
    assert.deepEqual(parseMarkdown('| a | b |\n|---|:-:|\n| `x` | y |\nafter'), [
      { t: 'table', rows: [[[{ t: 'text', s: 'a' }], [{ t: 'text', s: 'b' }]], [[{ t: 'code', s: 'x' }], [{ t: 'text', s: 'y' }]]] },
      { t: 'para', inline: [{ t: 'text', s: 'after' }] },
    ]);
  });
});

describe('guide markdown: a number and a dot (CommonMark list rules)', () => {
  const text = (b: ReturnType<typeof parseMarkdown>[number]) => (b.t === 'para' ? b.inline.map((i) => i.s).join('') : undefined);

  it('a wrapped line that begins "4789." stays part of its paragraph, number and all', () => {
    // Guided lab 7 wraps "... and the same port" / "4789. (The lab keeps ...": this rendered as a list item "1.".
    const md = ['The two devices have the same local address and the same port', '4789. (The lab keeps its bridges in one namespace.) A frame from `a1` enters.'].join('\n');
    const blocks = parseMarkdown(md);
    assert.equal(blocks.length, 1, JSON.stringify(blocks));
    assert.equal(text(blocks[0]!), 'The two devices have the same local address and the same port 4789. (The lab keeps its bridges in one namespace.) A frame from a1 enters.');
  });

  it('the lab 7 guide that ships keeps "4789. (The lab keeps" inside a paragraph', () => {
    const md = readFileSync(path.join(__dirname, '../../../media/labs/07-vxlan/lab.md'), 'utf8');
    const paras = parseMarkdown(md).map(text).filter((t): t is string => !!t);
    assert.ok(paras.some((p) => /same port 4789\. \(The lab keeps/.test(p)), 'the port number is text of its paragraph');
  });

  it('an ordered list keeps its first number; later numbers only continue it', () => {
    assert.deepEqual(parseMarkdown('4789. first\n4790. second'), [{ t: 'list', ordered: true, start: 4789, items: [[{ t: 'text', s: 'first' }], [{ t: 'text', s: 'second' }]] }]);
    assert.deepEqual(parseMarkdown('1. a\n7. b'), [{ t: 'list', ordered: true, items: [[{ t: 'text', s: 'a' }], [{ t: 'text', s: 'b' }]] }]);
  });

  it('inside a paragraph only "1." starts a list; a bullet does too', () => {
    assert.deepEqual(parseMarkdown('Steps:\n1. one\n2. two'), [
      { t: 'para', inline: [{ t: 'text', s: 'Steps:' }] },
      { t: 'list', ordered: true, items: [[{ t: 'text', s: 'one' }], [{ t: 'text', s: 'two' }]] },
    ]);
    assert.deepEqual(parseMarkdown('Version\n2. is out'), [{ t: 'para', inline: [{ t: 'text', s: 'Version 2. is out' }] }]);
    assert.equal(parseMarkdown('Text\n- item')[1]?.t, 'list');
  });

  it('more than 9 digits is never a list marker', () => {
    assert.deepEqual(parseMarkdown('1234567890. text'), [{ t: 'para', inline: [{ t: 'text', s: '1234567890. text' }] }]);
  });
});
