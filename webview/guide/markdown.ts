// The small markdown subset the guides are written in, parsed to plain data: headings, paragraphs,
// lists, pipe tables, fenced code blocks, inline code, bold and emphasis. The page builds DOM nodes from this with
// textContent only, so no text is ever parsed as HTML. Anything outside the subset stays text.

export type Inline = { t: 'text' | 'code' | 'bold' | 'em'; s: string };

export type Block =
  | { t: 'heading'; level: number; inline: Inline[] }
  | { t: 'para'; inline: Inline[] }
  /** `start`: the number of an ordered list's first item, when it is not 1 (CommonMark keeps it: `<ol start="4789">`). */
  | { t: 'list'; ordered: boolean; start?: number; items: Inline[][] }
  /** A pipe table; the first row is the header. */
  | { t: 'table'; rows: Inline[][][] }
  | { t: 'code'; lang: string; text: string };

/** Shell fences: their commands get Run buttons. */
export const SHELL_LANGS = ['sh', 'bash', 'shell', 'console'];

/** `a **b** *c* \`d\``: code spans first (their content is literal), then bold and emphasis in the rest. */
export function parseInline(src: string): Inline[] {
  const out: Inline[] = [];
  const push = (t: Inline['t'], s: string) => {
    if (!s) return;
    const last = out[out.length - 1];
    if (last && last.t === t && t === 'text') last.s += s;
    else out.push({ t, s });
  };
  const plain = (s: string) => {
    let rest = s;
    for (;;) {
      const m = /\*\*([^*]+?)\*\*|\*([^*\s](?:[^*]*[^*\s])?)\*/.exec(rest);
      if (!m) break;
      push('text', rest.slice(0, m.index));
      if (m[1] !== undefined) push('bold', m[1]);
      else push('em', m[2]!);
      rest = rest.slice(m.index + m[0].length);
    }
    push('text', rest);
  };
  let rest = src;
  for (;;) {
    const m = /(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/.exec(rest);
    if (!m) break;
    plain(rest.slice(0, m.index));
    push('code', m[2]!.trim() || m[2]!);
    rest = rest.slice(m.index + m[0].length);
  }
  plain(rest);
  return out;
}

const FENCE = /^\s{0,3}(`{3,}|~{3,})\s*([A-Za-z0-9_+-]*)/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const BULLET = /^\s{0,3}[-*+]\s+(.*)$/;
const NUMBERED = /^\s{0,3}(\d{1,9})[.)]\s+(.*)$/;
const TABLE_ROW = /^\s*\|.*\|\s*$/;
const TABLE_RULE = /^\s*\|(\s*:?-+:?\s*\|)+\s*$/;

const cells = (row: string): Inline[][] => row.trim().slice(1, -1).split('|').map((c) => parseInline(c.trim()));

/** Block structure of a guide step's markdown. */
export function parseMarkdown(src: string): Block[] {
  const lines = src.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let para: string[] = [];
  let list: { ordered: boolean; start: number; items: string[] } | undefined;
  const flush = () => {
    if (para.length) blocks.push({ t: 'para', inline: parseInline(para.join(' ')) });
    para = [];
    if (list) blocks.push({ t: 'list', ordered: list.ordered, ...(list.ordered && list.start !== 1 ? { start: list.start } : {}), items: list.items.map(parseInline) });
    list = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const body: string[] = [];
      const close = new RegExp(`^\\s{0,3}${fence[1]![0] === '`' ? '`' : '~'}{${fence[1]!.length},}\\s*$`);
      for (i++; i < lines.length && !close.test(lines[i]!); i++) body.push(lines[i]!);
      blocks.push({ t: 'code', lang: fence[2]!.toLowerCase(), text: body.join('\n') });
      continue;
    }
    if (!line.trim()) {
      flush();
      continue;
    }
    if (TABLE_ROW.test(line)) {
      flush();
      const rows: Inline[][][] = [];
      for (; i < lines.length && TABLE_ROW.test(lines[i]!); i++) if (!TABLE_RULE.test(lines[i]!)) rows.push(cells(lines[i]!));
      i--;
      blocks.push({ t: 'table', rows });
      continue;
    }
    const h = HEADING.exec(line);
    if (h) {
      flush();
      blocks.push({ t: 'heading', level: h[1]!.length, inline: parseInline(h[2]!) });
      continue;
    }
    // CommonMark's rules for a line that looks like a list item: an ordered list keeps its first
    // number (`4789.` starts at 4789), and inside a paragraph only `1.` (or a bullet) starts a
    // list; any other number there is the paragraph's own text, such as a wrapped "port 4789."
    const bullet = BULLET.exec(line);
    const numbered = bullet ? undefined : NUMBERED.exec(line);
    const startsList = bullet || (numbered && (!para.length || Number(numbered[1]) === 1));
    if (startsList) {
      const ordered = !bullet;
      if (para.length || (list && list.ordered !== ordered)) flush();
      list ??= { ordered, start: numbered ? Number(numbered[1]) : 1, items: [] };
      list.items.push(bullet ? bullet[1]! : numbered![2]!);
      continue;
    }
    // An indented line under a list item continues that item; otherwise it is paragraph text.
    if (list && /^\s+\S/.test(line)) {
      list.items[list.items.length - 1] += ` ${line.trim()}`;
      continue;
    }
    if (list) flush();
    para.push(line.trim());
  }
  flush();
  return blocks;
}

/**
 * Which of a step's commands each shell block holds: the step's commands are the shell blocks'
 * commands in order, so each block takes the next commands that its text contains. Commands no
 * block claimed are returned in `rest` (the page lists them after the text).
 */
export function assignCommands(blocks: Block[], commands: string[]): { perBlock: Map<number, number[]>; rest: number[] } {
  const perBlock = new Map<number, number[]>();
  let next = 0;
  blocks.forEach((b, bi) => {
    if (b.t !== 'code' || !SHELL_LANGS.includes(b.lang)) return;
    const mine: number[] = [];
    let from = 0;
    while (next < commands.length) {
      const at = b.text.indexOf(commands[next]!.trim(), from);
      if (at < 0) break;
      mine.push(next);
      from = at + commands[next]!.trim().length;
      next++;
    }
    perBlock.set(bi, mine);
  });
  const rest: number[] = [];
  for (; next < commands.length; next++) rest.push(next);
  return { perBlock, rest };
}
