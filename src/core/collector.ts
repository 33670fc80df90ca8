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
  collect(opts: ScanOptions, g: GraphBuilder): Promise<void>;
}
