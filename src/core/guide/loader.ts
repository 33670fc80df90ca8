import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { CHECKS, hasCheck } from './checks/registry';
import { LABS_PLACEHOLDER } from './commands';
import type { GuideCommand, GuideLab, GuideStep } from './types';

// Reads the guided labs shipped in <extension>/media/labs (format: media/labs/README.md).
// Everything is validated here, once; a broken file becomes an issue naming the file and line.

export interface GuideIssue {
  file: string;
  line?: number;
  message: string;
}

export class GuideLoadError extends Error {
  constructor(readonly issues: GuideIssue[]) {
    super(`The guided labs could not be read:\n${issues.map(formatIssue).join('\n')}`);
  }
}

export const formatIssue = (i: GuideIssue) => `${i.file}${i.line ? `:${i.line}` : ''}: ${i.message}`;

/**
 * A lab folder whose lab.md could not be used. The folder is named `NN-<lab id>`, so the lab is
 * still known by number and id (its panel and list entry can say which lab is broken and why).
 */
export interface BrokenGuide {
  id: string;
  number: number;
  /** The folder, e.g. `<extension>/media/labs/06-ovs`. */
  dir: string;
  /** From the front matter, when that much of the file could be read. */
  title?: string;
  issues: GuideIssue[];
}

/** What loadGuidesWithIssues found: the sound labs, the broken ones, and every issue (also those of no one lab). */
export interface GuideCatalog {
  labs: GuideLab[];
  broken: BrokenGuide[];
  issues: GuideIssue[];
}

const DIR_RE = /^(\d{2})-([a-z][a-z0-9-]*)$/;
const ID_RE = /^[a-z][a-z0-9-]*$/;
const STEP_RE = /^##\s+([^:\s]+)\s*:\s*(.+?)\s*$/;

/** Where the guides live inside the installed extension. */
export const labsDir = (extensionRoot: string) => path.join(extensionRoot, 'media', 'labs');

/** Parse one lab.md; issues are pushed, a lab is returned only when the file is sound. */
export function parseGuide(text: string, file: string, number: number, labsRoot?: string): { lab?: GuideLab; issues: GuideIssue[] } {
  const issues: GuideIssue[] = [];
  const err = (message: string, line?: number) => issues.push({ file, line, message });
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines[0]?.trim() !== '---') {
    err('must start with a front matter block (`---`, then id/title/summary lines, then `---`)', 1);
    return { issues };
  }
  const end = lines.indexOf('---', 1);
  if (end < 0) {
    err('front matter is not closed with `---`', 1);
    return { issues };
  }
  const meta: Record<string, string> = {};
  for (let i = 1; i < end; i++) {
    const m = /^([a-z]+)\s*:\s*(.*)$/.exec(lines[i]);
    if (m) meta[m[1]] = m[2].trim();
    else if (lines[i].trim()) err(`front matter line is not \`key: value\`: ${lines[i].trim()}`, i + 1);
  }
  for (const k of ['id', 'title', 'summary']) if (!meta[k]) err(`front matter needs \`${k}:\``, 1);
  if (meta.id && !ID_RE.test(meta.id)) err(`lab id "${meta.id}" must be lower-case letters, digits and dashes`, 2);

  // Split the body into the introduction and the steps; `##` inside a code fence is not a heading.
  const steps: { id: string; title: string; line: number; body: string[]; bodyLine: number[] }[] = [];
  const intro: string[] = [];
  let fence = false;
  for (let i = end + 1; i < lines.length; i++) {
    const l = lines[i];
    if (/^\s*```/.test(l)) fence = !fence;
    const m = !fence && /^##\s/.test(l) ? STEP_RE.exec(l) : null;
    if (!fence && /^##\s/.test(l) && !m) err('a step heading is `## <step id>: <title>`', i + 1);
    if (m) steps.push({ id: m[1], title: m[2], line: i + 1, body: [], bodyLine: [] });
    else if (steps.length) {
      steps[steps.length - 1].body.push(l);
      steps[steps.length - 1].bodyLine.push(i + 1);
    } else intro.push(l);
  }
  if (fence) err('a code block is not closed (```)', lines.length);
  if (!steps.length) err('has no steps (`## <step id>: <title>`)');

  const out: GuideStep[] = [];
  const seen = new Set<string>();
  for (const s of steps) {
    if (!ID_RE.test(s.id)) err(`step id "${s.id}" must be lower-case letters, digits and dashes`, s.line);
    if (seen.has(s.id)) err(`step id "${s.id}" is used twice`, s.line);
    seen.add(s.id);
    let hintAt = -1;
    let inFence = false;
    for (let k = 0; k < s.body.length; k++) {
      if (/^\s*```/.test(s.body[k])) inFence = !inFence;
      if (!inFence && /^###\s+Hint\s*$/i.test(s.body[k])) {
        hintAt = k;
        break;
      }
    }
    const prose = hintAt < 0 ? s.body : s.body.slice(0, hintAt);
    const hint = hintAt < 0 ? '' : s.body.slice(hintAt + 1).join('\n').trim();
    const commands: GuideCommand[] = [];
    let lang: string | undefined;
    for (let k = 0; k < prose.length; k++) {
      const f = /^\s*```\s*([A-Za-z]*)\s*$/.exec(prose[k]);
      if (f) {
        lang = lang === undefined ? f[1] : undefined;
        continue;
      }
      if (lang !== 'sh') continue;
      const t = prose[k].trim();
      if (!t || t.startsWith('#')) continue;
      if (t.endsWith('\\')) err('a command must fit on one line (no `\\` continuation)', s.bodyLine[k]);
      for (const ref of t.matchAll(new RegExp(`${LABS_PLACEHOLDER.replace(/[{}]/g, '\\$&')}/([^\\s'"]+)`, 'g'))) {
        if (labsRoot && !existsSync(path.join(labsRoot, ref[1]))) err(`command refers to ${LABS_PLACEHOLDER}/${ref[1]}, which does not exist`, s.bodyLine[k]);
      }
      commands.push({ text: t });
    }
    const checked = meta.id ? hasCheck(meta.id, s.id) : false;
    if (checked && !hint) err(`step "${s.id}" has a check but no \`### Hint\``, s.line);
    out.push({ id: s.id, title: s.title, markdown: prose.join('\n').trim(), commands, hint, hasCheck: checked });
  }
  // A check whose step was renamed or removed would never run: catch it here.
  if (meta.id && CHECKS[meta.id]) {
    for (const stepId of Object.keys(CHECKS[meta.id])) if (!seen.has(stepId)) err(`the check ${meta.id}/${stepId} has no step "${stepId}" in this file`);
  }
  if (issues.length) return { issues };
  return { lab: { id: meta.id, number, title: meta.title, summary: meta.summary, intro: intro.join('\n').trim(), steps: out }, issues };
}

/** The title line of a front matter block, read leniently: a broken file may still say which lab it is. */
function peekTitle(text: string): string | undefined {
  const lines = text.replace(/\r\n?/g, '\n').split('\n', 40);
  if (lines[0]?.trim() !== '---') return undefined;
  for (const l of lines.slice(1)) {
    if (l.trim() === '---') return undefined;
    const m = /^title\s*:\s*(.+?)\s*$/.exec(l);
    if (m) return m[1].slice(0, 200);
  }
  return undefined;
}

/** Every guided lab, in order, the broken ones with their issues, and every problem found; never throws for file content. */
export function loadGuidesWithIssues(extensionRoot: string): GuideCatalog {
  const root = labsDir(extensionRoot);
  const issues: GuideIssue[] = [];
  let entries: string[];
  try {
    entries = readdirSync(root).sort();
  } catch (e) {
    return { labs: [], broken: [], issues: [{ file: root, message: `cannot read the guided labs folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` }] };
  }
  const labs: GuideLab[] = [];
  const broken: BrokenGuide[] = [];
  const numbers = new Map<number, string>();
  const ids = new Map<string, string>();
  for (const name of entries) {
    const dir = path.join(root, name);
    if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) continue;
    const m = DIR_RE.exec(name);
    if (!m) {
      // A folder that looks meant as a lab but is misnamed would silently vanish from the list.
      if (/^\d/.test(name)) issues.push({ file: dir, message: 'a lab folder is named `NN-<lab id>` (two digits, a dash, the id from its lab.md)' });
      continue;
    }
    const [number, id] = [Number(m[1]), m[2]];
    const file = path.join(dir, 'lab.md');
    const mine: GuideIssue[] = [];
    let text: string | undefined;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      mine.push({ file, message: `missing or unreadable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });
    }
    const r = text === undefined ? undefined : parseGuide(text, file, number, root);
    if (r) mine.push(...r.issues);
    if (r?.lab && r.lab.id !== id) mine.push({ file, line: 2, message: `lab id "${r.lab.id}" differs from its folder's name ${name} (the folder is named NN-<lab id>)` });
    if (numbers.has(number)) mine.push({ file: dir, message: `lab number ${m[1]} is already used by ${numbers.get(number)}` });
    else numbers.set(number, dir);
    if (ids.has(id)) mine.push({ file: dir, message: `lab id "${id}" is already used by ${ids.get(id)}` });
    else ids.set(id, dir);
    issues.push(...mine);
    if (r?.lab && !mine.length) labs.push(r.lab);
    else broken.push({ id, number, dir, ...(text !== undefined && peekTitle(text) ? { title: peekTitle(text) } : {}), issues: mine });
  }
  if (!labs.length && !issues.length) issues.push({ file: root, message: 'holds no guided lab (folders NN-name with a lab.md)' });
  return { labs, broken, issues };
}

/** The guided labs shipped with the extension; throws GuideLoadError (listing every problem) if any file is broken. */
export function loadGuides(extensionRoot: string): GuideLab[] {
  const r = loadGuidesWithIssues(extensionRoot);
  if (r.issues.length) throw new GuideLoadError(r.issues);
  return r.labs;
}
