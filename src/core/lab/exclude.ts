// Which workspace folders lab discovery skips (setting `virtlab.labs.exclude`): globs in the
// syntax of `files.exclude` (`**`, `*`, `?`, `{a,b}`), matched by picomatch against
// workspace-relative paths.
import picomatch from 'picomatch';

export const DEFAULT_LAB_EXCLUDE: readonly string[] = ['**/node_modules/**', '**/.tools/**', '**/.git/**', '**/test/fixtures/**', '**/__fixtures__/**', '**/test-results/**'];

/** The globs from a setting value: an array of strings, or a files.exclude-style `{glob: true}` map. */
export function excludeGlobs(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  if (value && typeof value === 'object') return Object.entries(value).filter(([k, v]) => v === true && k.trim() !== '').map(([k]) => k);
  return [...DEFAULT_LAB_EXCLUDE];
}

/** A matcher for workspace-relative paths (`/`-separated); invalid globs are skipped and reported. */
export function labExcluder(globs: readonly string[]): { excluded(relPath: string): boolean; invalid: string[] } {
  const res: ((p: string) => boolean)[] = [];
  const invalid: string[] = [];
  for (const g of globs) {
    try {
      // strictBrackets: an unbalanced `{` is an error to report, not a literal character.
      res.push(picomatch(g, { dot: true, strictBrackets: true }));
    } catch {
      invalid.push(g);
    }
  }
  return {
    invalid,
    // A folder glob like `**/node_modules/**` also matches a path at the workspace root (`node_modules/x`).
    excluded: (relPath) => {
      const p = relPath.replace(/\\/g, '/').replace(/^\.?\//, '');
      return res.some((m) => m(p) || m(`/${p}`));
    },
  };
}

/** One glob for `workspace.findFiles`' exclude (brace groups cannot nest there), or undefined. */
export function findFilesExclude(globs: readonly string[]): string | undefined {
  const flat = globs.filter((g) => !/[{},]/.test(g));
  return flat.length ? `{${flat.join(',')}}` : undefined;
}
