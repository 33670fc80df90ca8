import { constants, promises as fsp } from 'node:fs';
import { delimiter } from 'node:path';

/** Find an executable in a PATH string, as `command -v` would, without spawning a shell. */
export async function which(name: string, path: string): Promise<string | undefined> {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const full = `${dir}/${name}`;
    try {
      const st = await fsp.stat(full);
      if (!st.isFile()) continue;
      await fsp.access(full, constants.X_OK);
      return full;
    } catch {
      /* not here */
    }
  }
  return undefined;
}
