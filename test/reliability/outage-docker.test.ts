// Reliability, daemon outages, Docker: a private dockerd (its own socket, data and exec
// roots; the shared daemon is never touched) is stopped and started N times while
// `virtlab snapshot --watch` follows it. Each outage alternates a graceful stop (SIGTERM: running
// containers stop) and a crash (SIGKILL: containerd keeps them running), and each comes right
// after a container was started and another removed, so the view has something to catch up on.
// Measured: survived N/N, time from the daemon's return (/_ping answers) to a correct view (the
// view's containers and states equal `docker ps -a` on the private daemon), duplicate and ghost
// nodes (both must be 0).
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { lockPrivate, PrivateDocker } from './daemons';
import { add } from './tally';
import { percentile, REPO, sameContainers, WatchView } from './watchView';

const N = Number(process.env.VIRTLAB_OUTAGES ?? 5);
const LOGS = path.join(REPO, 'test-results/reliability');
const IMAGE = 'virtlab/busybox:latest';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const execFileP = promisify(execFile);

async function psAll(d: PrivateDocker): Promise<Map<string, string>> {
  const { stdout } = await execFileP('docker', ['-H', `unix://${d.socket}`, 'ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.State}}'], { timeout: 30_000 });
  return new Map(stdout.split('\n').filter(Boolean).map((l) => l.split(' ') as [string, string]));
}

/**
 * Wait until the view equals `docker ps -a` at two checks 400 ms apart with no change to the view
 * in between (a restart-policy container may still be starting). Resolves with the time of the
 * view's last change before that, or undefined after `ms`.
 */
async function converge(view: WatchView, d: PrivateDocker, ms: number): Promise<{ at: number; ghosts: string[]; missing: string[] } | undefined> {
  let last: { at: number; change: number } | undefined;
  let truth = new Map<string, string>();
  for (const end = performance.now() + ms; performance.now() < end; await sleep(100)) {
    try {
      truth = await psAll(d);
    } catch {
      continue; // the daemon is still starting
    }
    if (!sameContainers(view.containers, truth)) {
      last = undefined;
      continue;
    }
    if (last && last.change === view.lastChange && performance.now() - last.at >= 400) return { at: view.lastChange, ghosts: [], missing: [] };
    if (!last || last.change !== view.lastChange) last = { at: performance.now(), change: view.lastChange };
  }
  const ghosts = [...view.containers.keys()].filter((id) => !truth.has(id));
  const missing = [...truth.keys()].filter((id) => !view.containers.has(id));
  return ghosts.length || missing.length ? { at: NaN, ghosts, missing } : undefined;
}

describe('daemon outages: Docker stopped and restarted during `virtlab snapshot --watch`', function () {
  this.timeout(600_000);
  const d = new PrivateDocker(LOGS);
  let view: WatchView | undefined;

  let release = () => undefined as void;

  before(async function () {
    this.timeout(700_000);
    release = await lockPrivate();
    await d.startFresh();
    d.docker('run', '--network', 'none', '--name', 'vlr9c-exited', IMAGE, 'true');
  });

  after(async () => {
    await view?.stop();
    await d.destroy();
    release();
  });

  it(`survives ${N} outages and shows exactly docker ps -a again after each`, async () => {
    view = new WatchView(['--docker-socket', d.socket, '--interval', '5']);
    await view.ready();
    assert.ok(await converge(view, d, 60_000), 'the first view equals docker ps -a');
    const latencies: number[] = [];
    const failures: string[] = [];
    let survived = 0;
    let ghostsSeen = 0;
    for (let i = 1; i <= N; i++) {
      const disconnectsBefore = view.dockerLines.filter((l) => l.state === 'disconnected').length;
      // Churn right before the outage: the events may or may not reach the watcher in time.
      const { signal, back } = await d.outage(i, 'vlr9c-c');
      const r = await converge(view, d, 90_000);
      const disconnects = view.dockerLines.filter((l) => l.state === 'disconnected').length - disconnectsBefore;
      const problems: string[] = [];
      if (!view.running) problems.push(`watch exited: ${view.stderr}`);
      if (!r) problems.push('view did not settle on docker ps -a within 90 s');
      else if (Number.isNaN(r.at)) {
        ghostsSeen += r.ghosts.length;
        problems.push(`view differs from docker ps -a: ghosts ${r.ghosts.join(',') || '-'}, missing ${r.missing.join(',') || '-'}`);
      }
      if (disconnects < 1) problems.push('the watcher never reported the daemon gone');
      if (problems.length) failures.push(`outage ${i} (${signal}): ${problems.join('; ')}`);
      else {
        survived++;
        latencies.push(Math.max(0, Math.round(r!.at - back)));
      }
    }
    const p50 = percentile(latencies, 50);
    const p95 = percentile(latencies, 95);
    console.log(`      outages ${N}, survived ${survived}; return -> correct view ms: ${latencies.join(', ')} (p50 ${p50}, p95 ${p95}); duplicates ${view.duplicates.length}; refresh errors ${view.errors.length}`);
    add('daemon-outages', {
      tried: N,
      survived,
      failed: N - survived,
      extra: { 'docker outages (watch) N': N, 'watch: return->correct p50 ms': p50, 'watch: return->correct p95 ms': p95, 'watch: duplicate nodes': view.duplicates.length, 'watch: ghost nodes': ghostsSeen },
    });
    assert.deepEqual(failures, []);
    assert.deepEqual(view.duplicates, [], 'no node was added twice');
    assert.equal(await view.stop(), 0, 'watch stops cleanly on SIGTERM');
  });
});
