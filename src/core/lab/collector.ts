import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { Collector } from '../collector';
import type { ScanOptions } from '../context';
import type { GraphBuilder } from '../model/builder';
import { listLedgers } from './ledger';
import { plural } from '../../shared/format';

// Running labs as their own group in the graph: a `lab` node per ledger, `lab-host` and
// `lab-switch` nodes under it, joined to the namespaces, bridges and OVS bridges the other readers
// found (so the Network view and topology can show a lab as one group).

/** State directory under the scan's /run root (VIRTLAB_STATE_DIR wins, as for the engine). */
const stateDirOf = (opts: ScanOptions) => process.env.VIRTLAB_STATE_DIR || path.join(opts.roots.run, 'virtlab', 'labs');

async function inodeOf(file: string): Promise<number | undefined> {
  try {
    return (await fsp.stat(file)).ino;
  } catch {
    return undefined;
  }
}

/** Read the lab ledgers into lab / lab-host / lab-switch nodes with edges to what implements them. */
export async function collectLabs(opts: ScanOptions, g: GraphBuilder): Promise<void> {
  const dir = stateDirOf(opts);
  let read: Awaited<ReturnType<typeof listLedgers>>;
  try {
    read = await listLedgers(dir);
  } catch (e) {
    // Through sudo, a state directory others can write is not trusted (see checkStateDir).
    g.source('labs', { state: 'denied', detail: (e as Error).message });
    return;
  }
  const { ledgers, bad } = read;
  for (const b of bad) g.skip({ source: 'labs', path: b, reason: 'not a VirtLab lab ledger' });
  if (!ledgers.length) {
    g.source('labs', { state: 'absent', detail: `no running labs in ${dir}` });
    return;
  }
  const netnsDir = path.join(opts.roots.run, 'netns');
  for (const l of ledgers) {
    const labId = `lab:${l.name}`;
    g.node(labId, 'lab', l.name, { name: l.name, stem: l.stem, phase: l.phase, file: l.file, startedAt: l.startedAt, objects: l.plan.objects.length });
    const swIno = l.plan.swNetns ? await inodeOf(path.join(netnsDir, l.plan.swNetns)) : undefined;
    for (const h of l.plan.hosts) {
      const id = `lab-host:${l.name}:${h.name}`;
      const ino = await inodeOf(path.join(netnsDir, h.netns));
      g.node(id, 'lab-host', h.name, { lab: l.name, kind: h.kind, netns: h.netns, netnsInode: ino, container: h.container, addresses: h.ifaces.map((i) => `${i.name} ${i.address}`), present: ino !== undefined });
      g.edge(labId, id, 'contains');
      if (ino !== undefined && g.has(`ns:net:${ino}`)) g.edge(id, `ns:net:${ino}`, 'implements');
    }
    for (const s of l.plan.switches) {
      const id = `lab-switch:${l.name}:${s.name}`;
      g.node(id, 'lab-switch', s.name, { lab: l.name, kind: s.kind, dev: s.dev, netns: s.kind === 'bridge' ? l.plan.swNetns : undefined });
      g.edge(labId, id, 'contains');
      const target = s.kind === 'ovs-bridge' ? `ovs-bridge:${s.dev}` : swIno !== undefined ? `bridge:${swIno}:${s.dev}` : undefined;
      if (target && g.has(target)) g.edge(id, target, 'implements');
    }
  }
  g.source('labs', { state: 'ok', detail: `${plural(ledgers.length, 'lab')} in ${dir}` });
}

/** Phase 3: after the network and OVS readers added the objects labs are made of. */
export const labCollector: Collector = { name: 'labs', phase: 3, collect: collectLabs };
