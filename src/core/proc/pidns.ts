import type { ProcessInfo } from './processes';

/** Nesting of one PID namespace relative to the PID namespace of the proc mount that was read. */
export interface PidNsNesting {
  /** 0 = the proc mount's own PID namespace; n = nested n levels below it (NSpid has n+1 entries). */
  level: number;
  /** Inode of the parent PID namespace when it could be derived from NSpid and the process tree. */
  parent?: number;
}

/**
 * Derive PID namespace nesting from NSpid alone (used where lsns is absent). A process's parent
 * is always in the same or an ancestor PID namespace, so walking up PPids from a member of a
 * level-L namespace, the first process at level L-1 lies in the (unique) parent namespace.
 */
export function pidNsNesting(processes: readonly ProcessInfo[]): Map<number, PidNsNesting> {
  const byPid = new Map(processes.map((p) => [p.pid, p]));
  const members = new Map<number, ProcessInfo[]>();
  for (const p of processes) {
    if (p.ns.pid === undefined) continue;
    const list = members.get(p.ns.pid);
    if (list) list.push(p);
    else members.set(p.ns.pid, [p]);
  }
  const out = new Map<number, PidNsNesting>();
  for (const [inode, list] of members) {
    const level = list[0].nspid.length - 1;
    const entry: PidNsNesting = { level };
    out.set(inode, entry);
    if (level === 0) continue;
    // Try the namespace's init first (innermost NSpid 1): its parent is usually the creator.
    const ordered = [...list].sort((a, b) => (a.nspid[a.nspid.length - 1] === 1 ? -1 : 0) - (b.nspid[b.nspid.length - 1] === 1 ? -1 : 0));
    for (const m of ordered) {
      let q = byPid.get(m.ppid);
      for (let hops = 0; q && hops < 4096; hops++) {
        const ql = q.nspid.length - 1;
        if (ql === level - 1 && q.ns.pid !== undefined) {
          entry.parent = q.ns.pid;
          break;
        }
        if (ql < level - 1) break;
        q = byPid.get(q.ppid);
      }
      if (entry.parent !== undefined) break;
    }
  }
  return out;
}
