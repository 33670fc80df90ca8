import { readInventory } from '../lab/inventory';
import { defaultStateDir, listLedgers } from '../lab/ledger';
import { run } from '../sys/exec';
import { findQemuProcesses } from '../vm/procscan';
import type { CheckContext } from './types';

// What exists on the machine, by name, for "after reset the machine equals its baseline".
// Read with the same plain tools a person would use (docker, ip, ovs-vsctl, /proc).

export interface Baseline {
  containers: string[];
  images: string[];
  netns: string[];
  links: string[];
  ovsBridges: string[];
  /** QEMU processes as "<pid> <-name or argv0>". */
  qemu: string[];
  labs: string[];
}

export type BaselineKind = keyof Baseline;

/** Everything of the kinds a guide can create that exists now. */
export async function baseline(ctx?: Pick<CheckContext, 'options'>): Promise<Baseline> {
  const proc = ctx?.options.roots.proc ?? '/proc';
  const [inv, imgs, q, ledgers] = await Promise.all([
    readInventory(),
    run('docker', ['images', '--format', '{{.Repository}}:{{.Tag}}'], { timeoutMs: 15000 }),
    findQemuProcesses(proc),
    listLedgers(defaultStateDir()).catch(() => ({ ledgers: [] })),
  ]);
  const nameOf = (argv: string[]) => {
    const i = argv.indexOf('-name');
    return i >= 0 ? (argv[i + 1] ?? '').split(',')[0].replace(/^guest=/, '') : argv[0];
  };
  const sorted = (x: Iterable<string>) => [...x].sort();
  return {
    containers: sorted(inv.containers?.keys() ?? []),
    images: sorted(imgs.ok ? imgs.stdout.split('\n').filter(Boolean) : []),
    netns: sorted(inv.netns),
    links: sorted(inv.links),
    ovsBridges: sorted(inv.ovsBridges ?? []),
    qemu: sorted(q.processes.map((p) => `${p.pid} ${nameOf(p.argv)}`)),
    labs: sorted(ledgers.ledgers.map((l) => l.name)),
  };
}

export interface BaselineDiff {
  kind: BaselineKind;
  added: string[];
  removed: string[];
}

/** Names a guide creates: everything starts with `vlg` (QEMU entries are "<pid> <name>"). */
export const isGuideObject = (kind: BaselineKind, name: string) => (kind === 'qemu' ? / vlg/.test(name) : /^vlg/.test(name));

/**
 * What differs between two baselines, per kind. `only` narrows the comparison (e.g. to
 * isGuideObject, since other programs on a shared machine create and remove their own objects).
 */
export function diffBaseline(before: Baseline, after: Baseline, only: (kind: BaselineKind, name: string) => boolean = () => true): BaselineDiff[] {
  const out: BaselineDiff[] = [];
  for (const kind of Object.keys(before) as BaselineKind[]) {
    const a = new Set(before[kind].filter((n) => only(kind, n)));
    const b = new Set(after[kind].filter((n) => only(kind, n)));
    const added = [...b].filter((n) => !a.has(n));
    const removed = [...a].filter((n) => !b.has(n));
    if (added.length || removed.length) out.push({ kind, added, removed });
  }
  return out;
}
