import type { ScanOptions } from '../context';
import { localDocker } from '../docker/client';

export type ContainerAction = 'start' | 'stop' | 'restart' | 'remove';

/** Docker accepts full or short hex ids and names; anything else is refused before any call. */
const REF = /^(?:[0-9a-f]{12,64}|[A-Za-z0-9][A-Za-z0-9_.-]{0,127})$/;

/** Start, stop, restart or remove (force) one container through the Engine API, with a deadline. */
export async function containerAction(opts: Pick<ScanOptions, 'dockerSocket' | 'dockerSocketProblem'>, ref: string, action: ContainerAction, timeoutMs = 30000): Promise<void> {
  if (!REF.test(ref)) throw new Error(`Not a container id or name: ${JSON.stringify(ref)}`);
  if (opts.dockerSocketProblem || !opts.dockerSocket) throw new Error(opts.dockerSocketProblem ?? 'no Docker socket is configured');
  const c = localDocker(opts.dockerSocket, { timeout: timeoutMs }).getContainer(ref);
  switch (action) {
    case 'start':
      await c.start();
      return;
    case 'stop':
      await c.stop({ t: 5 });
      return;
    case 'restart':
      await c.restart({ t: 5 });
      return;
    case 'remove':
      await c.remove({ force: true });
      return;
  }
}
