/**
 * Field readers for JSON from the Docker Engine API. The normalisers use them to turn `unknown`
 * into VirtLab's own shapes once, at the boundary: a missing or mistyped field becomes a default
 * (never a throw), so a hostile or truncated answer degrades to less data, not a crash.
 */

export type Json = Record<string, unknown>;

/** A plain object (not null, not an array), or undefined. */
export function asObject(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

/** A string, or the fallback. */
export function str(v: unknown, fallback = ''): string {
  return typeof v === 'string' ? v : fallback;
}

/** A finite number, or the fallback (Docker sends int64s; anything non-finite is refused). */
export function num(v: unknown, fallback = 0): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/** A finite number, or null when absent / mistyped. */
export function numOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function bool(v: unknown): boolean {
  return v === true;
}

/** The strings of an array; non-strings are dropped, a non-array gives []. */
export function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** A string -> string map (labels, attributes); non-string values are dropped. */
export function stringMap(v: unknown): Record<string, string> {
  const o = asObject(v);
  const out: Record<string, string> = {};
  if (!o) return out;
  for (const [k, val] of Object.entries(o)) if (typeof val === 'string') out[k] = val;
  return out;
}

/** Docker ids: 64 lowercase hex, sometimes with a `sha256:` prefix (images). */
const FULL_ID = /^[0-9a-f]{64}$/;
const IMAGE_ID = /^sha256:[0-9a-f]{64}$/;

export function isContainerId(v: unknown): v is string {
  return typeof v === 'string' && FULL_ID.test(v);
}

export function isImageId(v: unknown): v is string {
  return typeof v === 'string' && IMAGE_ID.test(v);
}
