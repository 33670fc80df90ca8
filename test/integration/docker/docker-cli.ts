/** The docker CLI as the independent reference for the Docker integration tests. */
import assert from 'node:assert/strict';
import { run } from '../../../src/core/sys/exec';

export const LABEL = 'virtlab.test=1';
export const IMAGE = 'virtlab/busybox:latest';

/** Run `docker ...args`, fail the test with stderr when it fails; returns trimmed stdout. */
export async function docker(...args: string[]): Promise<string> {
  const r = await run('docker', args, { timeoutMs: 60_000 });
  assert.ok(r.ok, `docker ${args.join(' ')} failed: ${r.stderr || r.error}`);
  return r.stdout.trim();
}

/** `docker run -d` a labelled container; returns its full id. */
export async function runContainer(name: string, ...args: string[]): Promise<string> {
  return docker('run', '-d', '--name', name, '--label', LABEL, ...args);
}

/** Remove every test container whose name starts with `prefix`, and the given images; never throws. */
export async function cleanup(prefix: string, images: string[] = []): Promise<void> {
  const ids = await run('docker', ['ps', '-aq', '--filter', `label=${LABEL}`, '--filter', `name=^${prefix}`], { timeoutMs: 30_000 });
  const list = ids.stdout.split('\n').filter(Boolean);
  if (list.length) await run('docker', ['rm', '-f', ...list], { timeoutMs: 60_000 });
  for (const img of images) await run('docker', ['rmi', '-f', img], { timeoutMs: 30_000 });
}

/** `readlink /proc/<pid>/ns/<type>` -> inode, using the readlink binary (independent of the reader). */
export async function nsInode(pid: number | string, type: string): Promise<number | undefined> {
  const r = await run('readlink', [`/proc/${pid}/ns/${type}`]);
  const m = /\[(\d+)\]/.exec(r.stdout);
  return m ? Number(m[1]) : undefined;
}

export async function inspectJson(what: 'container' | 'image', ref: string): Promise<Record<string, any>> {
  return JSON.parse(await docker(what, 'inspect', ref))[0];
}
