import * as assert from 'node:assert/strict';
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
