// Deterministic (seeded) mutations of recorded inputs, for the malformed-input category of the
// reliability suite. Same seed, same corpus: a failure found once can be replayed.

/** mulberry32: small, fast, good enough to pick mutations reproducibly. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rand, n: number): number => Math.floor(r() * n);

export function garbage(r: Rand, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(int(r, 256));
  return s;
}

/** Kinds of mutation the issue names; each mutator below says which one it is. */
export type MutationKind = 'truncated' | 'empty' | 'wrong-types' | 'huge' | 'unexpected-fields' | 'binary-garbage' | 'deep-nesting';

export interface Mutant {
  kind: MutationKind;
  /** Short description, printed when a case fails. */
  what: string;
  text: string;
}

/** 50 MB on one line: the "huge" case for line-oriented readers. */
export const HUGE_LINE = 50 * 1024 * 1024;

/** Text mutations that apply to any recorded file (proc, cgroup, sysfs, tool text output). */
export function textMutants(r: Rand, text: string, opts: { huge?: boolean } = {}): Mutant[] {
  const out: Mutant[] = [];
  const cut = text.length ? int(r, text.length) : 0;
  out.push({ kind: 'truncated', what: `cut at ${cut}/${text.length}`, text: text.slice(0, cut) });
  out.push({ kind: 'truncated', what: 'last byte only dropped', text: text.slice(0, Math.max(0, text.length - 1)) });
  out.push({ kind: 'empty', what: 'empty', text: '' });
  out.push({ kind: 'binary-garbage', what: '512 random bytes', text: garbage(r, 512) });
  const at = text.length ? int(r, text.length) : 0;
  out.push({ kind: 'binary-garbage', what: `64 random bytes at ${at}`, text: text.slice(0, at) + garbage(r, 64) + text.slice(at) });
  out.push({ kind: 'binary-garbage', what: 'NUL bytes instead of newlines', text: text.replace(/\n/g, '\0') });
  // Numbers swapped for words and words for numbers: the text form of a wrong type.
  out.push({ kind: 'wrong-types', what: 'numbers replaced by words', text: text.replace(/\d+/g, () => pick(r, ['max', 'NaN', '-', 'x1', '9'.repeat(40), '-1', '1e309'])) });
  out.push({ kind: 'wrong-types', what: 'words replaced by numbers', text: text.replace(/[A-Za-z_]+/g, () => String(int(r, 1e6))) });
  out.push({ kind: 'unexpected-fields', what: 'extra unknown lines', text: `${text}\nvlr9a_unknown:\t1 2 3\n\tweird indented line\n=\n:\n` });
  const lines = text.split('\n');
  out.push({ kind: 'unexpected-fields', what: 'lines shuffled', text: lines.map((l) => [r(), l] as const).sort((a, b) => a[0] - b[0]).map((x) => x[1]).join('\n') });
  out.push({ kind: 'unexpected-fields', what: 'CRLF line ends', text: text.replace(/\n/g, '\r\n') });
  if (opts.huge) out.push({ kind: 'huge', what: '50 MB line', text: text + 'A'.repeat(HUGE_LINE) + '\n' });
  return out;
}

/** Every path in a JSON value, as key arrays, to pick a place to mutate. */
function paths(v: unknown, p: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(p);
  if (out.length > 5000) return out;
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...p, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...p, k], out);
  return out;
}

function setAt(root: unknown, p: (string | number)[], value: unknown): unknown {
  if (!p.length) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let o = copy;
  for (const k of p.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  o[p[p.length - 1]!] = value;
  return copy;
}

const WRONG: unknown[] = [null, 0, -1, 1e308, 'str', '', true, [], {}, [[]], { a: 1 }, false, '\u0000', 2 ** 53 + 1];

/**
 * JSON mutations: wrong types at random places, unknown fields, the array blown up to 100k entries,
 * deep nesting, plus every text mutation of the serialised form.
 */
export function jsonMutants(r: Rand, value: unknown, opts: { huge?: boolean; perKind?: number } = {}): Mutant[] {
  const n = opts.perKind ?? 12;
  const text = JSON.stringify(value);
  const out = textMutants(r, text, {});
  const all = paths(value);
  for (let i = 0; i < n; i++) {
    const p = pick(r, all);
    const w = pick(r, WRONG);
    out.push({ kind: 'wrong-types', what: `${JSON.stringify(p)} = ${JSON.stringify(w)}`, text: JSON.stringify(setAt(value, p, w)) });
  }
  const objs = all.filter((p) => {
    let o: unknown = value;
    for (const k of p) o = (o as Record<string | number, unknown>)[k];
    return !!o && typeof o === 'object' && !Array.isArray(o);
  });
  for (let i = 0; i < Math.min(n, objs.length); i++) {
    const p = pick(r, objs);
    let o: unknown = value;
    for (const k of p) o = (o as Record<string | number, unknown>)[k];
    const extra = { ...(o as object), vlr9a_unknown: { nested: [1, 'two', null] }, __proto__x: 'x', constructor: 'vlr9a' };
    out.push({ kind: 'unexpected-fields', what: `extra keys at ${JSON.stringify(p)}`, text: JSON.stringify(setAt(value, p, extra)) });
  }
  out.push({ kind: 'wrong-types', what: 'top level is a string', text: '"vlr9a"' });
  out.push({ kind: 'wrong-types', what: 'top level is null', text: 'null' });
  out.push({ kind: 'wrong-types', what: 'top level is a number', text: '42' });
  out.push({ kind: 'wrong-types', what: 'top level wrapped in an array', text: JSON.stringify([value]) });
  out.push({ kind: 'deep-nesting', what: '100k nested arrays', text: '['.repeat(100000) + ']'.repeat(100000) });
  out.push({ kind: 'deep-nesting', what: '100k nested objects', text: nest(100000, '1') });
  if (Array.isArray(value) && value.length) {
    out.push({ kind: 'deep-nesting', what: 'first element nested 5k deep', text: `[${nest(5000, JSON.stringify(value[0]))}${value.length > 1 ? ',' : ''}${JSON.stringify(value.slice(1)).slice(1)}` });
  }
  if (opts.huge) {
    // The longest array in the document (the rows of an ovs-vsctl table, the list itself ...) grown to 100k entries.
    const at = (p: (string | number)[]) => p.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], value);
    const arrays = all.filter((p) => Array.isArray(at(p)) && (at(p) as unknown[]).length > 0);
    const longest = arrays.sort((a, b) => (at(b) as unknown[]).length - (at(a) as unknown[]).length)[0];
    if (longest) {
      const arr = at(longest) as unknown[];
      const many = Array.from({ length: 100000 }, (_, i) => arr[i % arr.length]);
      out.push({ kind: 'huge', what: `100k entries at ${JSON.stringify(longest)}`, text: JSON.stringify(setAt(value, longest, many)) });
    }
    const first = all.find((p) => {
      let o: unknown = value;
      for (const k of p) o = (o as Record<string | number, unknown>)[k];
      return typeof o === 'string';
    });
    if (first) out.push({ kind: 'huge', what: `50 MB string at ${JSON.stringify(first)}`, text: JSON.stringify(setAt(value, first, 'x'.repeat(HUGE_LINE))) });
  }
  return out;
}

/** `{"a":{"a":...leaf...}}` as text: JSON.stringify itself overflows the stack on such values. */
function nest(depth: number, leaf: string): string {
  return '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);
}
