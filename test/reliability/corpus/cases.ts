// Running one malformed-input case: a deadline, exceptions caught and classified, and counts kept
// per reader so the test can print them and add them to the tally.
import type { Snapshot } from '../../../src/core/model/graph';

export type Outcome = 'parsed' | 'reported' | 'crash' | 'hang';

export interface CaseResult {
  outcome: Outcome;
  detail?: string;
}

export class Counts {
  readonly by = new Map<string, Record<Outcome, number>>();
  readonly failures: string[] = [];
  add(reader: string, label: string, r: CaseResult): void {
    let c = this.by.get(reader);
    if (!c) this.by.set(reader, (c = { parsed: 0, reported: 0, crash: 0, hang: 0 }));
    c[r.outcome]++;
    if (r.outcome === 'crash' || r.outcome === 'hang') this.failures.push(`${reader} ${label}: ${r.outcome}${r.detail ? ` (${r.detail})` : ''}`);
  }
  total(o?: Outcome): number {
    let n = 0;
    for (const c of this.by.values()) n += o ? c[o] : c.parsed + c.reported + c.crash + c.hang;
    return n;
  }
}

/**
 * Run `f` with a deadline. `classify` turns its result into parsed/reported; an exception that
 * escapes is a crash unless `expected` accepts it as the entry point's documented error (e.g. a
 * QmpError, which the VM reader turns into a reported source). A synchronous parser cannot be
 * interrupted, so one that overruns the deadline is counted as a hang when it returns (an
 * endless loop would fail the test by mocha's own timeout).
 */
export async function runCase<T>(
  f: () => T | Promise<T>,
  classify: (v: T) => Outcome | CaseResult,
  deadlineMs: number,
  expected?: (e: unknown) => boolean,
): Promise<CaseResult> {
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const v = await Promise.race([
      Promise.resolve().then(f),
      new Promise<never>((_, rej) => (timer = setTimeout(() => rej(new HangError()), deadlineMs))),
    ]);
    const ms = performance.now() - t0;
    if (ms > deadlineMs) return { outcome: 'hang', detail: `${Math.round(ms)} ms` };
    const c = classify(v);
    return typeof c === 'string' ? { outcome: c } : c;
  } catch (e) {
    if (e instanceof HangError) return { outcome: 'hang', detail: `no result within ${deadlineMs} ms` };
    if (expected?.(e)) return { outcome: 'reported', detail: (e as Error).message };
    return { outcome: 'crash', detail: `${(e as Error)?.constructor?.name}: ${(e as Error)?.message ?? e}`.slice(0, 300) };
  } finally {
    clearTimeout(timer);
  }
}

class HangError extends Error {}

/**
 * A snapshot from a mutated tree: an "internal error" source means an exception escaped a reader
 * (runCollectors turned it into a source), which is a crash; otherwise a case that left the
 * sources ok and added no skip compared with the unmutated tree parsed, and one that did is reported.
 */
export function snapshotOutcome(s: Snapshot, baseline: Snapshot): CaseResult {
  for (const [name, src] of Object.entries(s.report.sources)) {
    if (/internal error/i.test(src.detail ?? '')) return { outcome: 'crash', detail: `${name}: ${src.detail}` };
  }
  const worse = Object.entries(s.report.sources).some(([name, src]) => src.state !== baseline.report.sources[name]?.state);
  if (worse || s.report.skipped.length !== baseline.report.skipped.length) return { outcome: 'reported' };
  return { outcome: 'parsed' };
}
