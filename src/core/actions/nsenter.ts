import { NS_TYPES, readNsLinks, type NsType } from '../proc/namespaces';
import { realProcFs, type ProcFs } from '../proc/procfs';

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

export type Inodes = Partial<Record<NsType, number>>;

/**
 * The namespaces nsenter itself starts in: those of the process that spawns it. The terminal's
 * nsenter is a child of VS Code's pty host, a sibling of the extension host with the same
 * namespaces, so that is `/proc/self` read from the extension host (sudo keeps them too). Not
 * `/proc/1`: when VS Code runs inside a container, PID 1 is elsewhere (and often unreadable).
 */
export function ownNamespaces(procRoot = '/proc', fs: ProcFs = realProcFs): Inodes {
  return readNsLinks(`${procRoot}/self`, fs).inodes;
}

/** The inodes of process `pid`'s namespaces as far as they can be read (none when it is gone or denied). */
export function targetNamespaces(pid: number, procRoot = '/proc', fs: ProcFs = realProcFs): Inodes {
  return readNsLinks(`${procRoot}/${pid}`, fs).inodes;
}

export interface NsSkip {
  type: NsType;
  inode: number;
}

export interface NsChoice {
  /** The namespaces to pass to nsenter, in NS_TYPES order. */
  enter: NsType[];
  /** Asked for, but already the namespace nsenter starts in: entering it would change nothing (and `setns` refuses the own user namespace). */
  skipped: NsSkip[];
}

/**
 * Which of the `wanted` namespaces of a target to enter: only those whose inode differs from the
 * one nsenter starts in. A type whose inode is unknown on either side is entered (nsenter decides).
 */
export function chooseNamespaces(wanted: readonly NsType[], target: Inodes, own: Inodes): NsChoice {
  const enter: NsType[] = [];
  const skipped: NsSkip[] = [];
  for (const t of NS_TYPES) {
    if (!wanted.includes(t)) continue;
    const inode = target[t];
    if (inode !== undefined && inode === own[t]) skipped.push({ type: t, inode });
    else enter.push(t);
  }
  return { enter, skipped };
}

const list = (ts: readonly string[]) => (ts.length <= 1 ? ts.join('') : `${ts.slice(0, -1).join(', ')} and ${ts.at(-1)}`);

/** One line per skipped namespace, e.g. "user: same as VS Code's own (4026531837), so not entered". */
export function skippedLines(skipped: readonly NsSkip[]): string[] {
  return skipped.map((s) => `${s.type}: same as VS Code's own (${s.inode}), so not entered${s.type === 'user' ? ' (nsenter cannot re-enter the user namespace it is in)' : ''}`);
}

/** One sentence for a notification: "Not entered: cgroup, time and user, the same as VS Code's own …". */
export function skippedSentence(skipped: readonly NsSkip[]): string {
  if (!skipped.length) return '';
  const ts = skipped.map((s) => s.type);
  return `Not entered: ${list(ts)}, ${ts.length === 1 ? 'it is' : 'they are'} the same as VS Code's own, so entering would change nothing${ts.includes('user') ? ' (and nsenter cannot re-enter the user namespace it is in)' : ''}.`;
}

/** The sentence a person reads when nothing was left to enter. */
export function nothingToEnter(label: string, skipped: readonly NsSkip[]): string {
  return `Every namespace you picked for ${label} (${list(skipped.map((s) => s.type))}) is already VS Code's own, so a terminal there would be an ordinary terminal. Pick a namespace the process does not share, e.g. net or mnt of a container.`;
}

/**
 * nsenter's stderr (and exit code) as a sentence, e.g.
 * "nsenter: reassociate to namespace 'ns/user' failed: Invalid argument" ->
 * "Could not enter the user namespace of web (PID 42): the kernel refused it (Invalid argument) …".
 */
export function nsenterFailure(label: string, pid: number, stderr: string, code: number | null): string {
  const text = stderr.trim().split('\n').filter(Boolean).at(-1) ?? '';
  const who = `${label} (PID ${pid})`;
  const setns = /reassociate to namespace 'ns\/([a-z]+)' failed: (.+)$/.exec(text);
  if (setns) {
    const [, ns, why] = setns;
    const hint = /Invalid argument/.test(why)
      ? ns === 'user'
        ? ' A process cannot re-enter the user namespace it is already in: leave user unticked.'
        : ' The kernel does not allow joining it from here.'
      : /Operation not permitted/.test(why)
        ? ' This needs root (CAP_SYS_ADMIN).'
        : '';
    return `Could not enter the ${ns} namespace of ${who}: the kernel refused it (${why}).${hint}`;
  }
  const open = /cannot open (\S+): (.+)$/.exec(text);
  if (open) return `Could not open ${open[1]} of ${who} (${open[2]}): ${/No such file/.test(open[2]) ? 'the process has exited.' : 'it cannot be read from here.'}`;
  const exec = /failed to execute (\S+): (.+)$/.exec(text);
  if (exec) return `Entered the namespaces of ${who}, but ${exec[1]} could not be started there (${exec[2]})${/No such file/.test(exec[2]) ? ': that mount namespace has no such shell' : ''}.`;
  if (/password is required|not in the sudoers|may not run/.test(text)) return `sudo refused to run nsenter for ${who} without a password (${text}).`;
  return `nsenter could not enter the namespaces of ${who}${text ? `: ${text.replace(/^nsenter:\s*/, '')}` : ''} (exit code ${code ?? 'none'}).`;
}

export interface NsPickRow {
  type: NsType;
  /** The target's inode of this type, if known. */
  inode?: number;
  /** The inode is VS Code's own: entering would be skipped. */
  own: boolean;
  isolates: string;
}

/** What the namespace picker says about its current selection (it follows every tick and untick). */
export function nsSelectionText(picked: readonly NsPickRow[], total: number): string {
  if (!picked.length) return 'Nothing is selected: tick at least one namespace to enter';
  const skip = picked.filter((r) => r.own).length;
  const head = picked.length === total ? `All ${total} are selected` : `${picked.length} of ${total} selected (${picked.map((r) => r.type).join(', ')})`;
  return `${head}${skip ? `; ${skip} of them ${skip === 1 ? 'is' : 'are'} VS Code's own and will be skipped` : ''}. Untick the ones to keep from this machine`;
}
