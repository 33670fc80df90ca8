import path from 'node:path';

// Guide commands are written for a person's terminal: `virtlab …` runs the extension's own CLI and
// `{labs}` is the folder of the shipped guides. These map them to real paths of this install.

/** Stands for <extension>/media/labs in a guide command. */
export const LABS_PLACEHOLDER = '{labs}';

/** Quote a word for sh only when it needs it. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command as it should be typed into a terminal: a `virtlab` word in command position (start
 * of line, or after `;`, `&&`, `||`, `|`, `(`, `$(`) becomes `<node> <cliPath>`, and `{labs}`
 * becomes the guides folder next to the CLI (<extension>/dist/cli.js -> <extension>/media/labs).
 */
export function resolveCommand(text: string, cliPath: string, nodePath = 'node'): string {
  const labs = path.join(path.dirname(path.dirname(cliPath)), 'media', 'labs');
  const cli = `${shellWord(nodePath)} ${shellWord(cliPath)}`;
  return text
    .replace(/(^|[;&|(]\s*)virtlab(?=\s|$)/g, (_m, pre: string) => `${pre}${cli}`)
    .split(LABS_PLACEHOLDER)
    .join(shellWord(labs));
}
