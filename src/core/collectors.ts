import type { Collector } from './collector';
import { hostCollector } from './host/collector';

/** Every reader VirtLab runs for a snapshot, in one list so the CLI and the extension agree. */
export const collectors: Collector[] = [hostCollector];
