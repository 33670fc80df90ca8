import { errCode, realProcFs, type ProcFs } from './procfs';

/** The eight Linux namespace types, in the order /proc/<pid>/ns lists them alphabetically. */
export const NS_TYPES = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'time', 'user', 'uts'] as const;
export type NsType = (typeof NS_TYPES)[number];

const NS_TYPE_SET: ReadonlySet<string> = new Set(NS_TYPES);

/** Whether a string names one of the eight namespace types. */
export function isNsType(s: string): s is NsType {
  return NS_TYPE_SET.has(s);
}

/** Parse a namespace link target or nsfs mount root such as `net:[4026531992]`. */
export function parseNsLink(target: string): { type: NsType; inode: number } | undefined {
  const m = /^([a-z]+):\[(\d+)\]$/.exec(target.trim());
  if (!m || !isNsType(m[1])) return undefined;
  return { type: m[1], inode: Number(m[2]) };
}

/** The graph id of a namespace, `ns:<type>:<inode>`. */
export function nsId(type: NsType, inode: number): string {
  return `ns:${type}:${inode}`;
}

/** What reading one task's ns directory gave: the inodes found, and the first error code if any link failed. */
export interface NsLinks {
  inodes: Partial<Record<NsType, number>>;
  /** ENOENT/ESRCH (task gone), EACCES (another user's process), ... of the first failing link. */
  error?: string;
}

/**
 * Read the ns links of `${taskDir}/ns` (taskDir = /proc/<pid> or /proc/<pid>/task/<tid>); synchronous
 * because readlink of an ns link never waits on the target (see ProcFs).
 */
export function readNsLinks(taskDir: string, fs: ProcFs = realProcFs, types: readonly NsType[] = NS_TYPES): NsLinks {
  const inodes: Partial<Record<NsType, number>> = {};
  let error: string | undefined;
  for (const type of types) {
    try {
      const parsed = parseNsLink(fs.readlinkSync(`${taskDir}/ns/${type}`));
      if (parsed && parsed.type === type) inodes[type] = parsed.inode;
      else error ??= 'EBADLINK';
    } catch (e) {
      error ??= errCode(e);
      // The first failure of a process says it all (gone or denied); the rest would fail the same way.
      if (error !== 'ENOENT') break;
    }
  }
  return error ? { inodes, error } : { inodes };
}

/** The inodes of the 8 namespaces of one process; undefined if it is gone, unreadable, or the kernel lacks a type. */
export async function readNamespacesOfPid(procRoot: string, pid: number): Promise<Record<NsType, number> | undefined> {
  const { inodes } = readNsLinks(`${procRoot}/${pid}`);
  return NS_TYPES.every((t) => inodes[t] !== undefined) ? (inodes as Record<NsType, number>) : undefined;
}
