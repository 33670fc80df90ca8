import type { Collector } from './collector';
import { scanOptions, type ScanOptions } from './context';
import { GraphBuilder } from './model/builder';
import type { Snapshot } from './model/graph';
import { collectors as allCollectors } from './collectors';

/** Run every collector, phase by phase, and return one snapshot. Never throws for machine state. */
export async function takeSnapshot(opts: ScanOptions = scanOptions(), collectors: Collector[] = allCollectors): Promise<Snapshot> {
  const started = performance.now();
  const g = new GraphBuilder();
  for (const phase of [1, 2, 3] as const) {
    await Promise.all(
      collectors
        .filter((c) => c.phase === phase)
        .map(async (c) => {
          const t0 = performance.now();
          try {
            await c.collect(opts, g);
          } catch (e) {
            g.source(c.name, { state: 'unavailable', detail: `internal error: ${(e as Error).message}` });
          }
          const s = g.sources[c.name];
          if (s) s.durationMs = Math.round(performance.now() - t0);
        }),
    );
  }
  return g.build(Math.round(performance.now() - started));
}
