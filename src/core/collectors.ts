import type { Collector } from './collector';
import { dockerCollector } from './docker/collector';
import { hostCollector } from './host/collector';
import { labCollector } from './lab/collector';
import { netCollector } from './net/collector';
import { ovsCollector } from './ovs/collector';
import { procCollector } from './proc/collector';
import { sriovCollector } from './sriov/collector';
import { vmCollector, vmNetJoinCollector } from './vm/collector';

/** Every reader VirtLab runs for a snapshot, in one list so the CLI and the extension agree. */
export const collectors: Collector[] = [
  hostCollector, // phase 1
  procCollector, // phase 1: processes, namespaces, cgroups
  dockerCollector, // phase 1: containers, images, layers
  ovsCollector, // phase 1
  vmCollector, // phase 1
  sriovCollector, // phase 1
  netCollector, // phase 2: enters every net namespace phase 1 found
  vmNetJoinCollector, // phase 3: VM NICs to their tap interfaces
  labCollector, // phase 3: labs from the ledger, joined to their namespaces and switches
];
