import { lstatSync, readFileSync } from 'node:fs';
import { run } from '../sys/exec';
import path from 'node:path';

// Labs change the machine (namespaces, links, OVS, containers): that needs root. As root the engine
// runs directly; an ordinary user reaches the same fixed operations through `sudo -n` running the
// VirtLab CLI's `lab` subcommand (which only ever touches objects named in a lab ledger).

/** The one sudoers line (for `visudo -f /etc/sudoers.d/virtlab`) that lets USER run labs without a password. */
export function sudoersLine(user: string, node: string, cli: string): string {
  return `${user} ALL=(root) NOPASSWD: ${node} ${cli} lab *`;
}

export class PrivilegeError extends Error {}

/** Whether this process may change the machine directly. */
export function isRoot(uid = process.getuid?.() ?? 0): boolean {
  return uid === 0;
}

/** Throw a PrivilegeError with the fix when not root (the CLI re-runs itself through sudo -n first). */
export function requireRoot(what: string): void {
  if (isRoot()) return;
  throw new PrivilegeError(
    `${what} needs root. Run it as root, or allow VirtLab's lab helper through sudo without a password:\n` +
      `  ${sudoersLine(process.env.USER ?? 'USER', process.execPath, process.argv[1] ?? '/path/to/dist/cli.js')}\n` +
      `(put that line in /etc/sudoers.d/virtlab with \`sudo visudo -f /etc/sudoers.d/virtlab\`).`,
  );
}

/**
 * The person who asked, when this process is root only because `sudo` ran it (SUDO_UID/SUDO_GID,
 * which sudo sets and the caller cannot): the lab helper then acts for that user, not for root.
 */
export function sudoCaller(env: NodeJS.ProcessEnv = process.env): { uid: number; gid: number } | undefined {
  if (!isRoot() || !/^\d+$/.test(env.SUDO_UID ?? '') || !/^\d+$/.test(env.SUDO_GID ?? '')) return undefined;
  const uid = Number(env.SUDO_UID);
  return uid === 0 ? undefined : { uid, gid: Number(env.SUDO_GID) };
}

/** Whether only root can change `p`: owned by root, not group/other writable (sticky dirs such as /tmp excepted). */
function rootOnly(p: string, allowSticky: boolean): boolean {
  const st = lstatSync(p);
  if (st.isSymbolicLink() || st.uid !== 0) return false;
  return (st.mode & 0o022) === 0 || (allowSticky && st.isDirectory() && (st.mode & 0o1000) !== 0);
}

/**
 * Through sudo, the state directory is chosen by the caller (`--state-dir`); a ledger in a directory
 * the caller can write would let them name any object for `down` to delete. So through sudo the
 * directory (and its parent) must be root's alone. Throws a PrivilegeError that says so.
 */
export function checkStateDir(dir: string, env: NodeJS.ProcessEnv = process.env): void {
  if (!sudoCaller(env)) return;
  const abs = path.resolve(dir);
  const bad = (why: string) =>
    new PrivilegeError(`the lab helper runs through sudo and only trusts a state directory root alone can write; ${abs} ${why}. Use the default (/run/virtlab/labs) or a directory root created (mode 755).`);
  let exists = true;
  try {
    if (!rootOnly(abs, false)) throw bad('is not owned by root or is writable by others');
  } catch (e) {
    if (e instanceof PrivilegeError) throw e;
    exists = false;
  }
  try {
    if (!rootOnly(path.dirname(abs), true)) throw bad('lies in a directory others can write');
  } catch (e) {
    if (e instanceof PrivilegeError) throw e;
    if (!exists) return; // neither exists yet: mkdir as root makes them root's
  }
}

/**
 * A file the caller named, read with the caller's rights when sudo made us root: otherwise
 * `sudo virtlab lab up /etc/shadow` would read, and quote in its errors, what the caller may not.
 */
export async function readAsCaller(file: string, maxBytes: number): Promise<string> {
  const who = sudoCaller();
  if (!who) return readFileSync(file, 'utf8');
  const r = await run('setpriv', [`--reuid=${who.uid}`, `--regid=${who.gid}`, '--clear-groups', '--', 'head', '-c', String(maxBytes + 1), '--', file], { timeoutMs: 10000 });
  if (!r.ok) throw new PrivilegeError(`cannot read ${file} as uid ${who.uid}: ${r.stderr.trim() || r.error}`);
  return r.stdout;
}

