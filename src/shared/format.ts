const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/**
 * Bytes in binary units, for the trees and the webview alike. `decimals` fixes the digits after
 * the point above bytes; without it, 10 and more get none ("64 MiB") and less get one ("1.5 GiB").
 */
export function formatBytes(n: number, decimals?: number): string {
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  const d = i === 0 ? 0 : (decimals ?? (Math.abs(v) >= 10 ? 0 : 1));
  return `${v.toFixed(d)} ${UNITS[i]}`;
}

/** The noun alone, for `n` things: "flow" or "flows", "process" or "processes", or `pluralWord` when it is irregular. */
export function noun(n: number, word: string, pluralWord?: string): string {
  if (n === 1) return word;
  return pluralWord ?? (/(s|x|z|ch|sh)$/.test(word) ? `${word}es` : `${word}s`);
}

/** "1 flow", "2 flows", "0 processes", "3 replies" (with `pluralWord` for words that do not just take "s" or "es"). */
export function plural(n: number, word: string, pluralWord?: string): string {
  return `${n} ${noun(n, word, pluralWord)}`;
}
