import type { Collector } from '../collector';
import { readHostFacts } from './facts';

export const HOST_ID = 'host:local';

/** Adds the `host:local` node and one `host-fact:<key>` node per fact. */
export const hostCollector: Collector = {
  name: 'host',
  phase: 1,
  async collect(opts, g) {
    const { facts, layout, hostname } = await readHostFacts(opts);
    g.node(HOST_ID, 'host', hostname ?? 'this machine', { hostname, cgroupLayout: layout.kind, cgroupMounts: layout.mounts });
    for (const f of facts) {
      const id = `host-fact:${f.key}`;
      g.node(id, 'host-fact', f.label, { ...f });
      g.edge(HOST_ID, id, 'has-fact');
    }
    g.source('host', { state: 'ok' });
  },
};
