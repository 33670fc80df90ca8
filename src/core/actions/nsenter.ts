import { NS_TYPES, type NsType } from '../proc/namespaces';

/** nsenter's flag for each namespace type (util-linux nsenter(1)). */
const FLAG: Record<NsType, string> = {
  cgroup: '--cgroup',
  ipc: '--ipc',
  mnt: '--mount',
  net: '--net',
  pid: '--pid',
  time: '--time',
  user: '--user',
  uts: '--uts',
};

export interface NsenterPlan {
  file: string;
  args: string[];
  /** e.g. "ns web [net,pid]" — says which namespaces the terminal is in. */
  title: string;
}

/**
 * The argument array that runs `shell` inside exactly `types` of process `pid`'s namespaces.
 * As a non-root user it goes through `sudo -n` (never prompting), as the helper does.
 */
export function nsenterPlan(pid: number, types: readonly NsType[], shell: string, label: string, asRoot: boolean): NsenterPlan {
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`Not a process id: ${pid}`);
  if (!types.length) throw new Error('Pick at least one namespace to enter.');
  const order = NS_TYPES.filter((t) => types.includes(t));
  // Entering the user namespace as root drops privileges needed for the others; nsenter orders them itself.
  const args = ['--target', String(pid), ...order.map((t) => FLAG[t]), '--', shell];
  const title = `ns ${label} [${order.length === NS_TYPES.length ? 'all 8' : order.join(',')}]`;
  return asRoot ? { file: 'nsenter', args, title } : { file: 'sudo', args: ['-n', 'nsenter', ...args], title };
}
