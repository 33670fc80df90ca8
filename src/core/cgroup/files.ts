import { readFileSync } from 'node:fs';
import type { CgroupValue } from './types';

/**
 * v1 reports "no limit" as PAGE_COUNTER_MAX pages in bytes (9223372036854771712 with 4 KiB pages,
 * a different value with other page sizes); anything this close to 2^63 is not a real limit.
 */
const V1_UNLIMITED_FLOOR = 2 ** 62;

/** Parse one integer (or "max" = null); undefined when the text is empty, truncated or not a number. */
export function parseLimit(text: string | undefined): number | null | undefined {
  const t = text?.trim();
  if (!t) return undefined;
  if (t === 'max') return null;
  if (!/^-?\d+$/.test(t)) return undefined;
  const n = Number(t);
  if (n < 0 || n >= V1_UNLIMITED_FLOOR) return null;
  return n;
}

/** Parse a flat-keyed cgroup file (`key value` per line, e.g. cpu.stat, memory.events). */
export function parseFlatKeyed(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [k, v, extra] = line.trim().split(/\s+/);
    if (!k || v === undefined || extra !== undefined || !/^-?\d+$/.test(v)) continue;
    out.set(k, Number(v));
  }
  return out;
}

/**
 * Read one cgroup file; undefined when it is absent or unreadable. Synchronous on purpose: these
 * files are generated from in-kernel counters in microseconds, and one libuv round trip per file
 * made stats for a few dozen cgroups cost more than the whole /proc scan.
 */
export function readCgroupFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Read a single-value file such as memory.max or pids.current. */
export function readValue(dir: string, name: string): CgroupValue | undefined {
  const file = `${dir}/${name}`;
  const value = parseLimit(readCgroupFile(file));
  return value === undefined ? undefined : { value, file };
}

/** Read a flat-keyed file once, so several fields can be taken from it with `pick`. */
export function readKeyed(dir: string, name: string): { file: string; keys: Map<string, number> } | undefined {
  const file = `${dir}/${name}`;
  const text = readCgroupFile(file);
  return text === undefined ? undefined : { file, keys: parseFlatKeyed(text) };
}

/** One field of a keyed file, scaled (e.g. usec -> nsec); undefined when the key is absent. */
export function pick(kf: { file: string; keys: Map<string, number> } | undefined, key: string, scale = 1): CgroupValue | undefined {
  const v = kf?.keys.get(key);
  return v === undefined || !kf ? undefined : { value: v * scale, file: kf.file };
}
