import { closeSync, fsyncSync, openSync, promises as fsp, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { LabPlan } from './plan';
export type { LedgerObject, ObjectType } from './plan';
import { checkStateDir, PrivilegeError } from './privilege';
import { LAB_NAME_RE } from './types';

// The ledger: one JSON file per lab under a state directory, written (and fsynced) BEFORE any object
// is created, so that a lab killed halfway can still be cleaned by name, and nothing else is touched.

export interface Ledger {
  version: 1;
  name: string;
  stem: string;
  /** Lab file the lab came from, if any. */
  file?: string;
  /** Process that ran `up`; a dead pid with phase `creating` means the lab was cut off. */
  pid: number;
  startedAt: string;
  phase: 'creating' | 'up' | 'removing';
  /** What up creates; `plan.objects` is every object the lab may leave behind, all named with the stem. */
  plan: LabPlan;
}

/**
 * The state directory: $VIRTLAB_STATE_DIR, else /run/virtlab/labs (tmpfs: labs do not survive a
 * reboot, and neither do their namespaces). Only root writes it; everybody may read it.
 */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.VIRTLAB_STATE_DIR || '/run/virtlab/labs';
}

/** A lab's ledger file; a name that is not a lab name (`../x`, `a/b`) has none, so it cannot point outside `dir`. */
const fileOf = (dir: string, name: string) => {
  if (!LAB_NAME_RE.test(name)) throw new PrivilegeError(`"${name}" is not a lab name (letters, digits, \`_\`, \`.\`, \`-\`, at most 64)`);
  checkStateDir(dir);
  return path.join(dir, `${name}.json`);
};

/** Write a ledger durably: temp file, fsync, rename, fsync of the directory. */
export async function writeLedger(dir: string, l: Ledger): Promise<void> {
  await fsp.mkdir(dir, { recursive: true, mode: 0o755 });
  const file = fileOf(dir, l.name);
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeSync(fd, JSON.stringify(l, null, 1));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  await fsp.rename(tmp, file);
  const dfd = openSync(dir, 'r');
  try {
    fsyncSync(dfd);
  } finally {
    closeSync(dfd);
  }
}

function isLedger(x: unknown): x is Ledger {
  const l = x as Ledger;
  return (
    !!l &&
    l.version === 1 &&
    typeof l.name === 'string' &&
    typeof l.stem === 'string' &&
    /^[a-z]{2,4}[0-9a-z]{4}$/.test(l.stem) &&
    typeof l.plan === 'object' &&
    l.plan !== null &&
    Array.isArray(l.plan.objects) &&
    l.plan.objects.every((o) => o && ['netns', 'link', 'ovs-bridge', 'container'].includes(o.type) && typeof o.name === 'string' && o.name.startsWith(l.stem))
  );
}

/** Read one lab's ledger; undefined when there is none (or it is not a VirtLab ledger). */
export async function readLedger(dir: string, name: string): Promise<Ledger | undefined> {
  const file = fileOf(dir, name);
  try {
    const x: unknown = JSON.parse(await fsp.readFile(file, 'utf8'));
    return isLedger(x) ? x : undefined;
  } catch {
    return undefined;
  }
}

/** Every readable ledger in the state directory; unreadable files are reported, not fatal. */
export async function listLedgers(dir: string): Promise<{ ledgers: Ledger[]; bad: string[] }> {
  checkStateDir(dir);
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return { ledgers: [], bad: [] };
  }
  const ledgers: Ledger[] = [];
  const bad: string[] = [];
  for (const f of names.filter((n) => n.endsWith('.json')).sort()) {
    const l = LAB_NAME_RE.test(f.slice(0, -5)) ? await readLedger(dir, f.slice(0, -5)) : undefined;
    if (l) ledgers.push(l);
    else bad.push(path.join(dir, f));
  }
  return { ledgers, bad };
}

/** Forget a lab once everything it named is gone. */
export async function removeLedger(dir: string, name: string): Promise<void> {
  await fsp.rm(fileOf(dir, name), { force: true });
}

/**
 * Whether the process that wrote a ledger still runs. A zombie does not: an `up` killed while its
 * parent was gone too (e.g. the extension host) stays a zombie until its new parent reaps it, and
 * some init processes (this machine's sandbox pid 1) take their time; kill(pid, 0) succeeds on it.
 */
export function pidAlive(pid: number, procRoot = '/proc'): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`${procRoot}/${pid}/stat`, 'utf8');
    // The state letter follows the parenthesised command name (which may hold spaces and parentheses).
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}
