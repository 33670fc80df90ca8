import type { ScanOptions } from './core/context';
import type { SnapshotDiff } from './core/model/diff';
import type { Snapshot } from './core/model/graph';
import { takeSnapshot } from './core/scan';
import { SnapshotWatcher, type DiffCause } from './core/watch';

/**
 * `virtlab snapshot --watch`: one JSON line for the first snapshot (`{"type":"snapshot",...}`),
 * then one per change (`{"type":"diff","reason":...,"addedNodes":[...],...}`) until SIGINT/SIGTERM.
 */
export async function runWatch(opts: ScanOptions, intervalMs: number): Promise<number> {
  const out = (v: unknown) => process.stdout.write(JSON.stringify(v) + '\n');
  // Listen for the stop signals before anything is printed: a reader may send SIGTERM the moment
  // it has the first line, and a signal that arrives before its listener kills the process.
  let stopRequested!: () => void;
  const stopped = new Promise<void>((resolve) => (stopRequested = resolve));
  process.once('SIGINT', stopRequested);
  process.once('SIGTERM', stopRequested);
  const w = new SnapshotWatcher({ opts, takeSnapshot, intervalMs });
  w.on('diff', (d: SnapshotDiff, _s: Snapshot, cause: DiffCause) => out({ type: 'diff', at: new Date().toISOString(), reason: cause.reason, latencyMs: cause.latencyMs, ...d }));
  w.on('docker', (state: string, detail?: string) => out({ type: 'docker', state, detail }));
  w.on('refresh-error', (e: Error) => out({ type: 'error', message: e.message }));
  const first = await w.start();
  out({ type: 'snapshot', ...first });
  await stopped;
  await w.stop();
  return 0;
}
