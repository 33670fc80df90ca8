import { promises as fsp } from 'node:fs';

/** Read a small text file; undefined when it is missing, vanished or unreadable (the code is returned too). */
export async function readText(path: string): Promise<{ text?: string; code?: string }> {
  try {
    return { text: await fsp.readFile(path, 'utf8') };
  } catch (e) {
    return { code: (e as NodeJS.ErrnoException).code ?? 'EIO' };
  }
}

export async function readTextOr(path: string): Promise<string | undefined> {
  return (await readText(path)).text;
}

export async function readLinkOr(path: string): Promise<string | undefined> {
  try {
    return await fsp.readlink(path);
  } catch {
    return undefined;
  }
}

export async function listDir(path: string): Promise<string[]> {
  try {
    return await fsp.readdir(path);
  } catch {
    return [];
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    await fsp.access(path);
    return true;
  } catch {
    return false;
  }
}
