// The Docker socket choice on the real machine, through the built CLI: DOCKER_HOST=unix:///path is
// used (a request-counting proxy to the real /var/run/docker.sock sits at that path), a DOCKER_HOST
// naming a socket nobody serves is not replaced by the default one, and DOCKER_HOST=tcp://… is
// reported without any connection to it (a TCP listener counts who connects).
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { countingProxy } from '../../bench/dockerProxy';

const ROOT = path.join(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const DIR = `/run/vlk-dockerhost-${process.pid}`;
const PROXY = `${DIR}/docker.sock`;
const CTR = `vlk-dockerhost-${process.pid}`;
const run = promisify(execFile);

interface Snap {
  nodes: { id: string; kind: string; label: string; props: Record<string, unknown> }[];
  report: { sources: Record<string, { state: string; detail?: string; fix?: string }> };
}

/** `virtlab snapshot --only host,docker` with exactly this environment for the Docker variables. */
async function snapshot(env: Record<string, string>, ...args: string[]): Promise<Snap> {
  const base = { ...process.env };
  delete base.DOCKER_HOST;
  delete base.VIRTLAB_DOCKER_SOCKET;
  // Async: the proxy that must answer lives in this process.
  const { stdout } = await run('node', [CLI, 'snapshot', '--json', '--compact', '--no-cache', '--only', 'host,docker', ...args], { env: { ...base, ...env }, maxBuffer: 256 * 1024 * 1024, timeout: 120_000 });
  return JSON.parse(stdout) as Snap;
}

const dockerFact = (s: Snap) => s.nodes.find((n) => n.kind === 'host-fact' && n.props.key === 'tool.docker')?.props as { value: string; source: string; status: string } | undefined;
const containerNames = (s: Snap) => s.nodes.filter((n) => n.kind === 'container').map((n) => n.label);

describe('Docker socket from DOCKER_HOST / VIRTLAB_DOCKER_SOCKET (built CLI, real dockerd)', function () {
  this.timeout(300_000);
  let proxy: ReturnType<typeof countingProxy>;
  let id = '';

  before(() => {
    execFileSync('node', ['esbuild.mjs'], { cwd: ROOT, stdio: 'ignore' });
    fs.mkdirSync(DIR, { recursive: true });
    proxy = countingProxy(PROXY, '/var/run/docker.sock');
    execFileSync('docker', ['rm', '-f', CTR], { stdio: 'ignore' });
    id = execFileSync('docker', ['run', '-d', '--name', CTR, '--network', 'none', 'virtlab/busybox:latest', 'sleep', '600'], { encoding: 'utf8', timeout: 60_000 }).trim();
  });

  after(() => {
    proxy?.close();
    execFileSync('docker', ['rm', '-f', CTR], { stdio: 'ignore' });
    fs.rmSync(DIR, { recursive: true, force: true });
  });

  it('DOCKER_HOST=unix:///run/vlk…/docker.sock is the socket read, and the report says so', async () => {
    const before = proxy.count();
    const s = await snapshot({ DOCKER_HOST: `unix://${PROXY}` });
    const used = proxy.count() - before;
    assert.ok(used >= 3, `the Docker API was asked through ${PROXY} (${used} requests: ${proxy.seen().slice(-5).join(', ')})`);
    const docker = s.report.sources.docker;
    assert.equal(docker.state, 'ok', docker.detail);
    assert.match(docker.detail ?? '', new RegExp(`\\d+ images? on ${PROXY} \\(from DOCKER_HOST\\)$`));
    // What it read is the real daemon: our container, by the id docker gave it.
    assert.ok(s.nodes.some((n) => n.kind === 'container' && n.props.id === id), `container ${CTR} (${id.slice(0, 12)}) is in the snapshot`);
    const fact = dockerFact(s);
    assert.ok(fact, 'a Docker Engine host fact');
    assert.equal(fact.status, 'ok');
    assert.equal(fact.source, `GET /version and /info on ${PROXY} (from DOCKER_HOST)`);
    assert.ok(fact.value.startsWith(execFileSync('docker', ['version', '-f', '{{.Server.Version}}'], { encoding: 'utf8' }).trim()), fact.value);
  });

  it('VIRTLAB_DOCKER_SOCKET is used when DOCKER_HOST is unset', async () => {
    const before = proxy.count();
    const s = await snapshot({ VIRTLAB_DOCKER_SOCKET: PROXY });
    assert.ok(proxy.count() - before >= 3, 'asked through the proxy');
    assert.match(s.report.sources.docker.detail ?? '', new RegExp(`on ${PROXY} \\(from VIRTLAB_DOCKER_SOCKET\\)$`));
    assert.ok(containerNames(s).includes(CTR));
  });

  it('DOCKER_HOST naming a socket nobody serves is reported, not replaced by /var/run/docker.sock', async () => {
    const absent = `${DIR}/absent.sock`;
    const s = await snapshot({ DOCKER_HOST: `unix://${absent}`, VIRTLAB_DOCKER_SOCKET: PROXY });
    assert.equal(s.report.sources.docker.state, 'unavailable');
    assert.equal(s.report.sources.docker.detail, `Docker is not running (no answer on ${absent}, from DOCKER_HOST)`);
    assert.deepEqual(containerNames(s), [], 'no container from another socket');
  });

  it('DOCKER_HOST=tcp://… is reported in the Docker source and the Host view, and never connected to; --docker-socket still works', async () => {
    let connections = 0;
    const listener = net.createServer((c) => {
      connections++;
      c.destroy();
    });
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    const host = `tcp://127.0.0.1:${(listener.address() as net.AddressInfo).port}`;
    try {
      const before = proxy.count();
      const s = await snapshot({ DOCKER_HOST: host });
      const docker = s.report.sources.docker;
      assert.equal(docker.state, 'unavailable');
      assert.equal(docker.detail, `DOCKER_HOST=${host} is not supported; VirtLab reads a local unix socket; set --docker-socket to its path (or DOCKER_HOST=unix:///path)`);
      assert.match(docker.fix ?? '', /virtlab\.dockerSocket/);
      assert.deepEqual(containerNames(s), [], 'nothing read from any other socket');
      assert.equal(proxy.count(), before, 'the proxy socket was not asked');
      const fact = dockerFact(s);
      assert.equal(fact?.value, 'DOCKER_HOST is not a local socket');
      assert.equal(fact?.source, docker.detail);
      // The flag wins over the environment.
      const flagged = await snapshot({ DOCKER_HOST: host }, '--docker-socket', PROXY);
      assert.equal(flagged.report.sources.docker.state, 'ok');
      assert.match(flagged.report.sources.docker.detail ?? '', new RegExp(`on ${PROXY} \\(from --docker-socket\\)$`));
      assert.ok(containerNames(flagged).includes(CTR));
      assert.equal(connections, 0, 'nothing connected to the DOCKER_HOST address');
    } finally {
      listener.close();
    }
  });
});
