// Figures for the reliability table (the reliability suite). Each test adds to its category; the totals are kept
// in test-results/reliability/<category>.json and printed by scripts/reliability-table.mjs.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type Category =
  | 'malformed-input'
  | 'injection'
  | 'webview-messages'
  | 'workspace-trust'
  | 'daemon-outages'
  | 'crash-cleanup'
  | 'privilege'
  | 'idle-cost';

export interface Figures {
  /** Cases tried. */
  tried: number;
  /** Cases that went wrong (a crash, a hang, a shell or script execution, a leftover ...). */
  failed: number;
  /** Cases the system came through correctly (parsed, reported skip, refused, recovered ...). */
  survived: number;
  /** Named measurements for the table's notes column, e.g. { 'p50 ms': 812 }. */
  extra: Record<string, number | string>;
}

const DIR = path.resolve(process.env.VIRTLAB_RESULTS_DIR ?? 'test-results', 'reliability');

function fileOf(c: Category): string {
  return path.join(DIR, `${c}.json`);
}

export function read(c: Category): Figures {
  try {
    return JSON.parse(fs.readFileSync(fileOf(c), 'utf8')) as Figures;
  } catch {
    return { tried: 0, failed: 0, survived: 0, extra: {} };
  }
}

/** Add cases to a category (call once per test with that test's counts). */
export function add(c: Category, delta: Partial<Omit<Figures, 'extra'>> & { extra?: Figures['extra'] }): void {
  const f = read(c);
  f.tried += delta.tried ?? 0;
  f.failed += delta.failed ?? 0;
  f.survived += delta.survived ?? 0;
  Object.assign(f.extra, delta.extra ?? {});
  fs.mkdirSync(DIR, { recursive: true });
  fs.writeFileSync(fileOf(c), JSON.stringify(f, null, 2));
}
