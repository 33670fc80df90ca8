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
