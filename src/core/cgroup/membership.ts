import { readText } from '../sys/fs';
import type { ProcCgroupEntry } from './types';

/** Parse the text of /proc/<pid>/cgroup; malformed lines (e.g. a truncated last line) are dropped. */
export function parseProcCgroup(text: string): ProcCgroupEntry[] {
  const entries: ProcCgroupEntry[] = [];
  for (const line of text.split('\n')) {
    // `hierarchy-ID:controller-list:path`; the path itself may contain ':' so split only twice.
    const a = line.indexOf(':');
    const b = a < 0 ? -1 : line.indexOf(':', a + 1);
    if (b < 0) continue;
    const id = line.slice(0, a);
    const path = line.slice(b + 1);
    if (!/^\d+$/.test(id) || !path.startsWith('/')) continue;
    const controllers = line.slice(a + 1, b).split(',').filter(Boolean);
    entries.push({ hierarchyId: Number(id), controllers, path });
  }
  return entries;
}

/** The cgroup membership of one process; [] when the process vanished or is unreadable. */
export async function readProcCgroups(procRoot: string, pid: number): Promise<ProcCgroupEntry[]> {
  const { text } = await readText(`${procRoot}/${pid}/cgroup`);
  return text === undefined ? [] : parseProcCgroup(text);
}

/**
 * The stable graph id path of a membership: the v1 memory path when a memory hierarchy exists
 * (hybrid, legacy), else the v2 path, else the first path found.
 */
export function cgroupIdPath(entries: ProcCgroupEntry[]): string | undefined {
  const memory = entries.find((e) => e.controllers.includes('memory'));
  if (memory) return memory.path;
  const v2 = entries.find((e) => e.hierarchyId === 0 && e.controllers.length === 0);
  return (v2 ?? entries[0])?.path;
}
