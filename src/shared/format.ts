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
