/**
 * Decoding of `ovs-vsctl --format=json list TABLE` output. OVSDB encodes values as
 * ["uuid", "..."], ["set", [...]], ["map", [[k, v], ...]] or bare atoms; a set of one element
 * is written as the bare element, which is why every reader below accepts both shapes.
 */

export type OvsAtom = string | number | boolean;
/** A decoded map: its pairs in the order OVSDB gave them, keys and values with their JSON types kept (so readers can check them). */
export interface OvsMap {
  pairs: [OvsAtom, OvsAtom][];
}
export type OvsValue = OvsAtom | OvsAtom[] | OvsMap;
export type OvsRow = Record<string, OvsValue>;

/**
 * Columns whose undecodable cell drops only that cell, not the whole row: free-form metadata that
 * other programs (libvirt, OpenStack, OVN, VirtLab's labs) write, which must never hide a bridge.
 */
export const OPTIONAL_COLUMNS: ReadonlySet<string> = new Set(['external_ids']);

function atom(v: unknown): OvsAtom | undefined {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v) && v.length === 2 && (v[0] === 'uuid' || v[0] === 'named-uuid') && typeof v[1] === 'string') return v[1];
  return undefined;
}

/** Normalise one OVSDB JSON value: uuid -> string, set -> array, map -> {pairs}; undefined when malformed. */
export function decodeOvsValue(v: unknown): OvsValue | undefined {
  const a = atom(v);
  if (a !== undefined) return a;
  if (!Array.isArray(v) || v.length !== 2 || !Array.isArray(v[1])) return undefined;
  if (v[0] === 'set') {
    const out: OvsAtom[] = [];
    for (const e of v[1]) {
      const x = atom(e);
      if (x === undefined) return undefined;
      out.push(x);
    }
    return out;
  }
  if (v[0] === 'map') {
    const pairs: [OvsAtom, OvsAtom][] = [];
    for (const pair of v[1]) {
      if (!Array.isArray(pair) || pair.length !== 2) return undefined;
      const k = atom(pair[0]);
      const x = atom(pair[1]);
      if (k === undefined || x === undefined) return undefined;
      pairs.push([k, x]);
    }
    return { pairs };
  }
  return undefined;
}

export interface OvsTable {
  rows: OvsRow[];
  /** Rows dropped because a cell could not be decoded (reported by the caller). */
  badRows: number;
  /** Cells of optional columns left out of a kept row because they could not be decoded, per column. */
  badCells?: Record<string, number>;
}

/** Parse one `{"data":[...],"headings":[...]}` document; undefined when it is not that shape. */
export function decodeOvsTable(doc: unknown, optional: ReadonlySet<string> = OPTIONAL_COLUMNS): OvsTable | undefined {
  if (!doc || typeof doc !== 'object') return undefined;
  const { data, headings } = doc as { data?: unknown; headings?: unknown };
  if (!Array.isArray(data) || !Array.isArray(headings) || !headings.every((h) => typeof h === 'string')) return undefined;
  const rows: OvsRow[] = [];
  let badRows = 0;
  const badCells: Record<string, number> = {};
  for (const raw of data) {
    if (!Array.isArray(raw) || raw.length !== headings.length) {
      badRows++;
      continue;
    }
    const row: OvsRow = {};
    const lost: string[] = [];
    let ok = true;
    raw.forEach((cell, i) => {
      const col = headings[i] as string;
      const v = decodeOvsValue(cell);
      if (v !== undefined) row[col] = v;
      else if (optional.has(col)) lost.push(col);
      else ok = false;
    });
    if (!ok) {
      badRows++;
      continue;
    }
    rows.push(row);
    for (const col of lost) badCells[col] = (badCells[col] ?? 0) + 1;
  }
  return Object.keys(badCells).length ? { rows, badRows, badCells } : { rows, badRows };
}

/** Split the output of one ovs-vsctl call with several `list` commands (one JSON document per line). */
export function decodeOvsTables(stdout: string, optional: ReadonlySet<string> = OPTIONAL_COLUMNS): (OvsTable | undefined)[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      try {
        return decodeOvsTable(JSON.parse(l), optional);
      } catch {
        return undefined;
      }
    });
}

/** A column as a string, or undefined when empty/absent (OVSDB writes an optional as an empty set). */
export function str(row: OvsRow, col: string): string | undefined {
  const v = row[col];
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'string') return v[0];
  return undefined;
}

/** A column as an integer, or undefined when empty/absent. */
export function int(row: OvsRow, col: string): number | undefined {
  const v = row[col];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'number') return v[0];
  return undefined;
}

/** A column as a boolean, or undefined when empty/absent. */
export function bool(row: OvsRow, col: string): boolean | undefined {
  const v = row[col];
  if (typeof v === 'boolean') return v;
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'boolean') return v[0];
  return undefined;
}

/** A set column as a list of strings (a bare atom counts as a set of one). */
export function strs(row: OvsRow, col: string): string[] {
  const v = row[col];
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string' || typeof v === 'number') return [String(v)];
  return [];
}

function isMap(v: OvsValue | undefined): v is OvsMap {
  return typeof v === 'object' && !Array.isArray(v);
}

/** A map column with keys and values stringified. */
export function map(row: OvsRow, col: string): Record<string, string> {
  const v = row[col];
  return isMap(v) ? Object.fromEntries(v.pairs.map(([k, x]) => [String(k), String(x)])) : {};
}

export interface StringMapLimits {
  entries: number;
  keyChars: number;
  valueChars: number;
}

/** A string->string map column checked against limits; what did not fit is counted, never thrown. */
export interface StringMapRead {
  value: Record<string, string>;
  /** The cell is there but is not a map (a set, a number ...). */
  notAMap: boolean;
  /** Pairs whose key or value is not a string (dropped). */
  wrongType: number;
  /** Pairs beyond `limits.entries` (dropped). */
  overCount: number;
  /** Keys longer than `limits.keyChars` UTF-16 units (their pairs dropped: a cut key would be another key). */
  longKeys: number;
  /** Values longer than `limits.valueChars` UTF-16 units (cut, ending in "…"). */
  cutValues: number;
}

/**
 * A string->string map column such as external_ids, validated: only string keys and values, at most
 * `limits.entries` pairs (the first ones, in OVSDB's order, which is sorted by key), keys and values
 * bounded. The result is an ordinary object whose keys are own properties (`__proto__` included).
 */
export function stringMap(row: OvsRow, col: string, limits: StringMapLimits): StringMapRead {
  const v = row[col];
  const out: StringMapRead = { value: {}, notAMap: v !== undefined && !isMap(v) && !(Array.isArray(v) && v.length === 0), wrongType: 0, overCount: 0, longKeys: 0, cutValues: 0 };
  if (!isMap(v)) return out;
  const kept: [string, string][] = [];
  for (const [k, x] of v.pairs) {
    if (typeof k !== 'string' || typeof x !== 'string') out.wrongType++;
    else if (k.length > limits.keyChars) out.longKeys++;
    else if (kept.length >= limits.entries) out.overCount++;
    else if (x.length > limits.valueChars) {
      out.cutValues++;
      // Never end on half of a surrogate pair.
      const end = /[\uD800-\uDBFF]/.test(x[limits.valueChars - 1] ?? '') ? limits.valueChars - 1 : limits.valueChars;
      kept.push([k, `${x.slice(0, end)}…`]);
    } else kept.push([k, x]);
  }
  out.value = Object.fromEntries(kept);
  return out;
}
