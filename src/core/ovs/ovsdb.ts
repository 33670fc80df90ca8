/**
 * Decoding of `ovs-vsctl --format=json list TABLE` output. OVSDB encodes values as
 * ["uuid", "..."], ["set", [...]], ["map", [[k, v], ...]] or bare atoms; a set of one element
 * is written as the bare element, which is why every reader below accepts both shapes.
 */

export type OvsAtom = string | number | boolean;
export type OvsValue = OvsAtom | OvsAtom[] | Record<string, OvsAtom>;
export type OvsRow = Record<string, OvsValue>;

function atom(v: unknown): OvsAtom | undefined {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v) && v.length === 2 && (v[0] === 'uuid' || v[0] === 'named-uuid') && typeof v[1] === 'string') return v[1];
  return undefined;
}

/** Normalise one OVSDB JSON value: uuid -> string, set -> array, map -> object; undefined when malformed. */
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
    const out: Record<string, OvsAtom> = {};
    for (const pair of v[1]) {
      if (!Array.isArray(pair) || pair.length !== 2) return undefined;
      const k = atom(pair[0]);
      const x = atom(pair[1]);
      if (k === undefined || x === undefined) return undefined;
      out[String(k)] = x;
    }
    return out;
  }
  return undefined;
}

export interface OvsTable {
  rows: OvsRow[];
  /** Rows dropped because a cell could not be decoded (reported by the caller). */
  badRows: number;
}

/** Parse one `{"data":[...],"headings":[...]}` document; undefined when it is not that shape. */
export function decodeOvsTable(doc: unknown): OvsTable | undefined {
  if (!doc || typeof doc !== 'object') return undefined;
  const { data, headings } = doc as { data?: unknown; headings?: unknown };
  if (!Array.isArray(data) || !Array.isArray(headings) || !headings.every((h) => typeof h === 'string')) return undefined;
  const rows: OvsRow[] = [];
  let badRows = 0;
  for (const raw of data) {
    if (!Array.isArray(raw) || raw.length !== headings.length) {
      badRows++;
      continue;
    }
    const row: OvsRow = {};
    let ok = true;
    raw.forEach((cell, i) => {
      const v = decodeOvsValue(cell);
      if (v === undefined) ok = false;
      else row[headings[i] as string] = v;
    });
    if (ok) rows.push(row);
    else badRows++;
  }
  return { rows, badRows };
}

/** Split the output of one ovs-vsctl call with several `list` commands (one JSON document per line). */
export function decodeOvsTables(stdout: string): (OvsTable | undefined)[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      try {
        return decodeOvsTable(JSON.parse(l));
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

/** A map column with values stringified. */
export function map(row: OvsRow, col: string): Record<string, string> {
  const v = row[col];
  if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
}
