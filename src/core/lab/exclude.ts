// Which workspace folders lab discovery skips (setting `virtlab.labs.exclude`): globs in the
// syntax of `files.exclude` (`**`, `*`, `?`, `{a,b}`), matched against workspace-relative paths.

export const DEFAULT_LAB_EXCLUDE: readonly string[] = ['**/node_modules/**', '**/.tools/**', '**/.git/**', '**/test/fixtures/**', '**/__fixtures__/**', '**/test-results/**'];

/** A regular expression for one glob; throws on an unbalanced `{`. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      // `**/` matches zero or more folders; a trailing `**` anything below.
      if (glob[i + 2] === '/') {
        re += '(?:[^/]*/)*';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') {
      depth++;
      re += '(?:';
    } else if (c === '}' && depth > 0) {
      depth--;
      re += ')';
    } else if (c === ',' && depth > 0) re += '|';
    else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  if (depth) throw new Error(`unbalanced "{" in the glob ${JSON.stringify(glob)}`);
  return new RegExp(`^${re}$`);
}

/** The globs from a setting value: an array of strings, or a files.exclude-style `{glob: true}` map. */
export function excludeGlobs(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  if (value && typeof value === 'object') return Object.entries(value).filter(([k, v]) => v === true && k.trim() !== '').map(([k]) => k);
  return [...DEFAULT_LAB_EXCLUDE];
}

/** A matcher for workspace-relative paths (`/`-separated); invalid globs are skipped and reported. */
export function labExcluder(globs: readonly string[]): { excluded(relPath: string): boolean; invalid: string[] } {
  const res: RegExp[] = [];
  const invalid: string[] = [];
  for (const g of globs) {
    try {
      res.push(globToRegExp(g));
    } catch {
      invalid.push(g);
    }
  }
  return {
    invalid,
    // A folder glob like `**/node_modules/**` also matches a path at the workspace root (`node_modules/x`).
    excluded: (relPath) => {
      const p = relPath.replace(/\\/g, '/').replace(/^\.?\//, '');
      return res.some((r) => r.test(p) || r.test(`/${p}`));
    },
  };
}

/** One glob for `workspace.findFiles`' exclude (brace groups cannot nest there), or undefined. */
export function findFilesExclude(globs: readonly string[]): string | undefined {
  const flat = globs.filter((g) => !/[{},]/.test(g));
  return flat.length ? `{${flat.join(',')}}` : undefined;
}
