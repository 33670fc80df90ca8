import { run } from '../sys/exec';
import { which } from '../sys/which';
import { isNsType, type NsType } from './namespaces';

/** Parent and owner of one namespace as util-linux lsns reports them (ioctl NS_GET_PARENT / NS_GET_USERNS). */
export interface LsnsRelation {
  type: NsType;
  inode: number;
  /** Parent namespace inode (pid and user namespaces only). */
  parent?: number;
  /** Owning user namespace inode. */
  owner?: number;
}

export type LsnsResult =
  | { state: 'ok'; relations: Map<number, LsnsRelation> }
  | { state: 'absent' | 'failed'; detail: string };

function inodeOf(v: unknown): number | undefined {
  // lsns prints these as JSON numbers; older releases printed strings, so accept digit strings too.
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;
  return n !== undefined && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** Validate and normalise `lsns -J -l -o NS,TYPE,PNS,ONS` output; entries that do not fit are dropped. */
export function parseLsnsJson(text: string): Map<number, LsnsRelation> | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as { namespaces?: unknown }).namespaces)) return undefined;
  const out = new Map<number, LsnsRelation>();
  for (const raw of (doc as { namespaces: unknown[] }).namespaces) {
    if (typeof raw !== 'object' || raw === null) continue;
    const r = raw as Record<string, unknown>;
    const inode = inodeOf(r.ns);
    const type = typeof r.type === 'string' && isNsType(r.type) ? r.type : undefined;
    if (inode === undefined || !type) continue;
    out.set(inode, { type, inode, parent: inodeOf(r.pns), owner: inodeOf(r.ons) });
  }
  return out;
}

/**
 * Ask util-linux lsns for namespace parents and owners; 'absent' when it is not installed.
 * With `exe` given, lsns is spawned before this returns its promise, so it runs while the caller reads /proc.
 */
export function readLsnsRelations(exe: string | undefined, timeoutMs: number): Promise<LsnsResult> {
  if (!exe) return Promise.resolve({ state: 'absent', detail: 'lsns (util-linux) not found on PATH' });
  return run(exe, ['-J', '-l', '-o', 'NS,TYPE,PNS,ONS'], { timeoutMs }).then((r) => {
    // lsns exits non-zero if a process vanished under it, yet its output may still be whole JSON.
    const relations = parseLsnsJson(r.stdout);
    if (!relations) return { state: 'failed', detail: `lsns gave no usable JSON (${r.error ?? `exit ${r.code}`}: ${r.stderr.trim().slice(0, 200)})` };
    return { state: 'ok', relations };
  });
}

/** Where lsns is, if installed. */
export function findLsns(path: string): Promise<string | undefined> {
  return which('lsns', path);
}
