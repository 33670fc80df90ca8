// Reliability, daemon outages: a Docker socket that is present but silent (a unix socket
// that accepts connections and never answers, as a wedged dockerd does). No call may hang past
// its timeout: the scan reports Docker as failed with a clear reason, and `--watch` still prints
// its first snapshot and says the events stream is not answering.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { lockPrivate } from './daemons';
import { add } from './tally';
import { runCli, WatchView } from './watchView';

const DIR = '/run/vlr9c';
const SOCK = `${DIR}/silent-docker.sock`;
const TIMEOUT_MS = 2000;
/** A hang is unbounded; this only has to be far above the deadline on a noisy machine. */
const HANG_MS = 3 * TIMEOUT_MS + 20_000;

interface Source {
  state: string;
  detail?: string;
  durationMs?: number;
}

describe('daemon outages: a Docker socket that accepts and never answers', function () {
  this.timeout(180_000);
  let server: net.Server;
  const conns = new Set<net.Socket>();
  let accepted = 0;

  let release = () => undefined as void;

  before(async function () {
    this.timeout(700_000);
    release = await lockPrivate();
    fs.mkdirSync(DIR, { recursive: true });
    fs.rmSync(SOCK, { force: true });
    server = net.createServer((s) => {
      accepted++;
      conns.add(s);
      s.on('close', () => conns.delete(s));
      s.on('error', () => undefined);
      // Read and drop whatever the client sends; never write a byte.
      s.resume();
    });
    await new Promise<void>((r) => server.listen(SOCK, r));
  });

  after(async () => {
    for (const s of conns) s.destroy();
    await new Promise((r) => server.close(r));
    fs.rmSync(SOCK, { force: true });
    release();
  });

  for (const only of ['docker', undefined]) {
    it(`${only ? '--only docker' : 'a full snapshot'}: Docker reported failed within its deadline`, async () => {
      const before = accepted;
      const r = await runCli(['snapshot', ...(only ? ['--only', only] : []), '--docker-socket', SOCK, '--timeout', String(TIMEOUT_MS), '--compact', '--no-cache'], HANG_MS);
      const ok = !r.hung && r.code === 0;
      let docker: Source | undefined;
      let slowest = 0;
      if (ok) {
        const snap = JSON.parse(r.stdout) as { report: { sources: Record<string, Source> } };
        docker = snap.report.sources.docker;
        slowest = Math.max(...Object.values(snap.report.sources).map((s) => s.durationMs ?? 0));
      }
      const reported = docker?.state === 'unavailable' && /did not answer/.test(docker.detail ?? '') && (docker.detail ?? '').includes(SOCK);
      const survived = ok && reported && (docker?.durationMs ?? Infinity) <= 2 * TIMEOUT_MS;
      const tag = only ? 'silent socket --only docker' : 'silent socket full scan';
      console.log(`      ${tag}: exit ${r.code}${r.hung ? ' (HUNG, killed)' : ''} in ${r.ms} ms; docker source ${docker?.state} in ${docker?.durationMs} ms (timeout ${TIMEOUT_MS}); slowest source ${slowest} ms; connections ${accepted - before}; "${docker?.detail}"`);
      add('daemon-outages', { tried: 1, survived: survived ? 1 : 0, failed: survived ? 0 : 1, extra: { [`${tag}: docker ms (timeout ${TIMEOUT_MS})`]: docker?.durationMs ?? 'hung' } });
      assert.ok(!r.hung, `snapshot hung past ${HANG_MS} ms`);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(accepted > before, 'the CLI really talked to the silent socket');
      assert.ok(reported, `Docker is reported as not answering: ${JSON.stringify(docker)}`);
      assert.ok(docker!.durationMs! <= 2 * TIMEOUT_MS, `the Docker reader gave up near its ${TIMEOUT_MS} ms deadline (took ${docker!.durationMs} ms)`);
    });
  }

  it('--watch: SIGTERM sent the moment the first snapshot line arrives stops it cleanly, 4 of 4', async () => {
    // A reader may stop the watcher as soon as it has the first line; the stop signal must
    // already be handled then (it once was not, and the default action killed the process).
    const codes: (number | string)[] = [];
    for (let i = 0; i < 4; i++) {
      const view = new WatchView(['--docker-socket', SOCK, '--timeout', String(TIMEOUT_MS), '--interval', '0', '--no-cache'], {}, { stopOnFirstSnapshot: true });
      try {
        await Promise.race([view.ready(), new Promise((_, rej) => setTimeout(() => rej(new Error(`no first snapshot within ${HANG_MS} ms`)), HANG_MS))]);
        const { code, signal } = await view.exited();
        codes.push(code ?? String(signal));
      } finally {
        await view.stop();
      }
    }
    const clean = codes.filter((c) => c === 0).length;
    console.log(`      silent socket --watch, SIGTERM on the first line: exits ${codes.join(', ')}`);
    add('daemon-outages', { tried: codes.length, survived: clean, failed: codes.length - clean });
    assert.deepEqual(codes, [0, 0, 0, 0], 'every stop was clean (a signal name means the process was killed by it)');
  });

  it('--watch: first snapshot printed, the events stream reported as not answering, clean stop', async () => {
    const view = new WatchView(['--docker-socket', SOCK, '--timeout', String(TIMEOUT_MS), '--interval', '0', '--no-cache']);
    const t0 = performance.now();
    let survived = false;
    try {
      await Promise.race([view.ready(), new Promise((_, rej) => setTimeout(() => rej(new Error(`no first snapshot within ${HANG_MS} ms`)), HANG_MS))]);
      const firstMs = Math.round(performance.now() - t0);
      for (const end = performance.now() + HANG_MS; performance.now() < end && !view.dockerLines.some((l) => l.state === 'disconnected'); ) await new Promise((r) => setTimeout(r, 50));
      const disc = view.dockerLines.find((l) => l.state === 'disconnected');
      const code = await view.stop();
      console.log(`      silent socket --watch: first snapshot after ${firstMs} ms; events: "${disc?.detail}" after ${disc ? Math.round(disc.at - t0) : '-'} ms; stop exit ${code}`);
      assert.ok(disc, 'the watcher says Docker is not answering');
      assert.match(disc.detail ?? '', new RegExp(`no answer within ${TIMEOUT_MS} ms`));
      assert.equal(code, 0, 'watch stops cleanly');
      survived = true;
    } finally {
      await view.stop();
      add('daemon-outages', { tried: 1, survived: survived ? 1 : 0, failed: survived ? 0 : 1 });
    }
  });
});
