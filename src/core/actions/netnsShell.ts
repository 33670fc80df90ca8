/** How to reach one network namespace: by its `ip netns` name, by a bind mount of it, or by a process inside. */
export interface NetnsTarget {
  name?: string;
  path?: string;
  pid?: number;
  /** What the terminal's title calls it: "netns vle1", "web1's network". */
  label: string;
}

export interface NetnsShellPlan {
  file: string;
  args: string[];
  title: string;
}

const NETNS_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * The argument array of a shell inside one network namespace only (mounts, PIDs and users stay this
 * machine's, so the host's tools and files work): `ip netns exec NAME SHELL` for a named namespace,
 * else `nsenter --net=PATH` or `nsenter --target PID --net`. As a non-root user it goes through `sudo -n`.
 */
export function netnsShellPlan(t: NetnsTarget, shell: string, asRoot: boolean): NetnsShellPlan {
  let file: string;
  let args: string[];
  if (t.name !== undefined) {
    if (!NETNS_NAME.test(t.name)) throw new Error(`Not a network namespace name: "${t.name}"`);
    [file, args] = ['ip', ['netns', 'exec', t.name, shell]];
  } else if (t.path !== undefined) {
    if (!t.path.startsWith('/') || t.path.includes('\0')) throw new Error(`Not a namespace path: "${t.path}"`);
    [file, args] = ['nsenter', [`--net=${t.path}`, '--', shell]];
  } else if (t.pid !== undefined && Number.isInteger(t.pid) && t.pid > 0) {
    [file, args] = ['nsenter', ['--target', String(t.pid), '--net', '--', shell]];
  } else {
    throw new Error(`No way into ${t.label}: it has no name, no bind mount and no process.`);
  }
  const title = `${t.label} [net]`;
  return asRoot ? { file, args, title } : { file: 'sudo', args: ['-n', file, ...args], title };
}
