import { promises as fsp } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Tool versions keyed by the binary's identity (path, size, mtime): `mn --version` starts a
 * Python interpreter (about 200 ms), and a version only changes when the binary does.
 */
export class VersionCache {
  private entries: Record<string, string> = {};
  private dirty = false;

  private constructor(private readonly file: string | undefined) {}

  /** Load the cache file; a missing or unreadable file starts empty. No file = no caching. */
  static async open(file: string | undefined): Promise<VersionCache> {
    const c = new VersionCache(file);
    if (!file) return c;
    try {
      const data: unknown = JSON.parse(await fsp.readFile(file, 'utf8'));
      if (data && typeof data === 'object') {
        for (const [k, v] of Object.entries(data)) if (typeof v === 'string') c.entries[k] = v;
      }
    } catch {
      /* first run, or a broken file: rebuilt below */
    }
    return c;
  }

  static async keyFor(binary: string): Promise<string | undefined> {
    try {
      const st = await fsp.stat(binary);
      return `${binary}|${st.size}|${Math.round(st.mtimeMs)}|${st.ino}`;
    } catch {
      return undefined;
    }
  }

  get(key: string | undefined): string | undefined {
    return key ? this.entries[key] : undefined;
  }

  set(key: string | undefined, version: string): void {
    if (!key || !this.file) return;
    this.entries[key] = version;
    this.dirty = true;
  }

  /** Write back if anything changed; failures (read-only home) only cost the speed-up. */
  async save(): Promise<void> {
    if (!this.dirty || !this.file) return;
    try {
      await fsp.mkdir(dirname(this.file), { recursive: true });
      await fsp.writeFile(`${this.file}.${process.pid}`, JSON.stringify(this.entries));
      await fsp.rename(`${this.file}.${process.pid}`, this.file);
      this.dirty = false;
    } catch {
      /* not cached this time */
    }
  }
}
