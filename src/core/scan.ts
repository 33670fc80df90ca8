import type { Collector } from './collector';
import { scanOptions, type ScanOptions } from './context';
import { GraphBuilder } from './model/builder';
import type { Snapshot } from './model/graph';
import { collectors as allCollectors } from './collectors';
import { ScanMemo } from './scanMemo';

/**
 * Run `collectors` into `g`: each starts once the earlier-phase collectors it depends on have
 * finished (all of them, or only those named in its `after`). A collector that throws is recorded
 * as an unavailable source; its duration is recorded on its source either way.
 */
export async function runCollectors(collectors: readonly Collector[], opts: ScanOptions, g: GraphBuilder): Promise<void> {
  const running = new Map<Collector, Promise<void>>();
  for (const c of collectors) c.prefetch?.(opts);
  const start = (c: Collector): Promise<void> => {
    let p = running.get(c);
    if (p) return p;
    // Only earlier phases can be waited for, so `after` can never make a cycle.
    const deps = collectors.filter((d) => d.phase < c.phase && (!c.after || c.after.includes(d.name)));
    p = Promise.all(deps.map(start)).then(async () => {
      const t0 = performance.now();
      try {
        await c.collect(opts, g);
      } catch (e) {
        g.source(c.name, { state: 'unavailable', detail: `internal error: ${(e as Error).message}` });
      }
      const s = g.sources[c.name];
      if (s) s.durationMs = Math.round(performance.now() - t0);
    });
    running.set(c, p);
    return p;
  };
  await Promise.all(collectors.map(start));
}

/** Run every collector and return one snapshot. Never throws for machine state. */
export async function takeSnapshot(options: ScanOptions = scanOptions(), collectors: Collector[] = allCollectors): Promise<Snapshot> {
  const started = performance.now();
  const opts: ScanOptions = { ...options, memo: new ScanMemo() };
  const g = new GraphBuilder();
  await runCollectors(collectors, opts, g);
  return g.build(Math.round(performance.now() - started));
}
