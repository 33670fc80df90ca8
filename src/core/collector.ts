import type { ScanOptions } from './context';
import type { GraphBuilder } from './model/builder';

/**
 * A reader that adds what it found to the graph. Collectors of one phase run in parallel;
 * a later phase may read nodes earlier phases added (e.g. the network reader enters every
 * `namespace` node with props.type === 'net'). A collector never throws: it records
 * per-entry problems with `g.skip(...)` and its overall state with `g.source(name, ...)`.
 */
export interface Collector {
  name: string;
  phase: 1 | 2 | 3;
  /**
   * Start as soon as these earlier-phase collectors (those in the run) have finished, instead of
   * after the whole earlier phases: the network reader needs the process reader's namespaces and
   * the OVS ports, not the Docker or VM readers, so it can overlap with them.
   */
  after?: string[];
  /**
   * Called when the run starts, before any dependency finished: start reads that need no other
   * collector's output and leave their promise in `opts.memo` for `collect` to pick up.
   */
  prefetch?(opts: ScanOptions): void;
  collect(opts: ScanOptions, g: GraphBuilder): Promise<void>;
}
