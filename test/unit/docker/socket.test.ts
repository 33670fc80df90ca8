import assert from 'node:assert/strict';
import { scanOptions } from '../../../src/core/context';
import { localDocker } from '../../../src/core/docker/client';
import { createDockerCollector } from '../../../src/core/docker/collector';
import { describeDockerSocket, resolveDockerSocket, unixSocketOfDockerHost } from '../../../src/core/docker/socket';
import { GraphBuilder } from '../../../src/core/model/builder';
import { readDockerNetworks } from '../../../src/core/net/dockerNetworks';

const SETTING = { name: 'virtlab.dockerSocket' };

describe('Docker socket choice (resolveDockerSocket)', () => {
  it('an explicit value wins over every environment variable, named by its knob', () => {
    const env = { DOCKER_HOST: 'unix:///run/a.sock', VIRTLAB_DOCKER_SOCKET: '/run/b.sock' };
    assert.deepEqual(resolveDockerSocket({ ...SETTING, value: '/srv/docker.sock' }, env), { path: '/srv/docker.sock', from: 'virtlab.dockerSocket' });
    assert.deepEqual(resolveDockerSocket({ name: '--docker-socket', value: ' /srv/x.sock ' }, env), { path: '/srv/x.sock', from: '--docker-socket' });
  });

  it('empty setting: DOCKER_HOST=unix:///path first, then VIRTLAB_DOCKER_SOCKET, then /var/run/docker.sock', () => {
    assert.deepEqual(resolveDockerSocket({ ...SETTING, value: '' }, { DOCKER_HOST: 'unix:///run/user/1000/docker.sock', VIRTLAB_DOCKER_SOCKET: '/run/b.sock' }), { path: '/run/user/1000/docker.sock', from: 'DOCKER_HOST' });
    assert.deepEqual(resolveDockerSocket(SETTING, { VIRTLAB_DOCKER_SOCKET: '/run/b.sock' }), { path: '/run/b.sock', from: 'VIRTLAB_DOCKER_SOCKET' });
    assert.deepEqual(resolveDockerSocket(SETTING, {}), { path: '/var/run/docker.sock', from: 'default' });
    // Empty and blank variables count as unset, as the docker CLI treats them.
    assert.deepEqual(resolveDockerSocket({ ...SETTING, value: '  ' }, { DOCKER_HOST: '', VIRTLAB_DOCKER_SOCKET: ' ' }), { path: '/var/run/docker.sock', from: 'default' });
  });

  for (const host of ['tcp://10.0.0.5:2376', 'ssh://me@build-host', 'npipe:////./pipe/docker_engine', 'fd://', '10.0.0.5:2375', 'unix://relative.sock', 'unix://', 'unix:///']) {
    it(`DOCKER_HOST=${host} is a problem naming the variable, the value and the setting, with no path`, () => {
      const c = resolveDockerSocket(SETTING, { DOCKER_HOST: host });
      assert.equal(c.path, '');
      assert.equal(c.from, 'DOCKER_HOST');
      assert.equal(c.problem, `DOCKER_HOST=${host} is not supported; VirtLab reads a local unix socket; set virtlab.dockerSocket to its path (or DOCKER_HOST=unix:///path)`);
    });
  }

  it('a non-unix DOCKER_HOST with VIRTLAB_DOCKER_SOCKET set uses the latter and says DOCKER_HOST was not used', () => {
    const c = resolveDockerSocket({ name: '--docker-socket' }, { DOCKER_HOST: 'tcp://10.0.0.5:2376', VIRTLAB_DOCKER_SOCKET: '/run/b.sock' });
    assert.equal(c.path, '/run/b.sock');
    assert.equal(c.problem, undefined);
    assert.equal(c.from, 'VIRTLAB_DOCKER_SOCKET (DOCKER_HOST=tcp://10.0.0.5:2376 is not a unix socket and was not used)');
  });

  it('the CLI names its flag in the fix; a huge DOCKER_HOST is shortened in the message', () => {
    assert.match(resolveDockerSocket({ name: '--docker-socket' }, { DOCKER_HOST: 'tcp://h:1' }).problem ?? '', /set --docker-socket to its path/);
    const long = `tcp://${'a'.repeat(1000)}`;
    const p = resolveDockerSocket(SETTING, { DOCKER_HOST: long }).problem ?? '';
    assert.ok(p.length < 400, `${p.length} characters`);
    assert.match(p, /^DOCKER_HOST=tcp:\/\/a+… is not supported/);
  });

  it('unixSocketOfDockerHost takes absolute unix:// paths only', () => {
    assert.equal(unixSocketOfDockerHost('unix:///var/run/docker.sock'), '/var/run/docker.sock');
    assert.equal(unixSocketOfDockerHost('unix:///run/my sock/d.sock'), '/run/my sock/d.sock');
    assert.equal(unixSocketOfDockerHost('UNIX:///x'), undefined);
    assert.equal(unixSocketOfDockerHost('unix:///a\0b'), undefined);
    assert.equal(unixSocketOfDockerHost('tcp:///var/run/docker.sock'), undefined);
  });

  it('describeDockerSocket says where the socket came from', () => {
    assert.equal(describeDockerSocket({ path: '/var/run/docker.sock', from: 'default' }), '/var/run/docker.sock (the default)');
    assert.equal(describeDockerSocket({ path: '/run/a.sock', from: 'DOCKER_HOST' }), '/run/a.sock (from DOCKER_HOST)');
  });
});

describe('Docker socket choice in the scan options and readers', () => {
  const saved = { DOCKER_HOST: process.env.DOCKER_HOST, VIRTLAB_DOCKER_SOCKET: process.env.VIRTLAB_DOCKER_SOCKET };
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('scanOptions reads the process environment through the resolver', () => {
    process.env.DOCKER_HOST = 'unix:///run/vlk-unit/docker.sock';
    delete process.env.VIRTLAB_DOCKER_SOCKET;
    const o = scanOptions();
    assert.equal(o.dockerSocket, '/run/vlk-unit/docker.sock');
    assert.equal(o.dockerSocketFrom, 'DOCKER_HOST');
    assert.equal(o.dockerSocketProblem, undefined);
    const given = scanOptions({ dockerSocket: '/x.sock', dockerSocketName: 'virtlab.dockerSocket' });
    assert.deepEqual([given.dockerSocket, given.dockerSocketFrom], ['/x.sock', 'virtlab.dockerSocket']);
  });

  it('with DOCKER_HOST=tcp://… the Docker and network readers report the problem and make no call', async () => {
    process.env.DOCKER_HOST = 'tcp://127.0.0.1:2375';
    delete process.env.VIRTLAB_DOCKER_SOCKET;
    const opts = scanOptions({ dockerSocketName: 'virtlab.dockerSocket' });
    assert.match(opts.dockerSocketProblem ?? '', /^DOCKER_HOST=tcp:\/\/127\.0\.0\.1:2375 is not supported; VirtLab reads a local unix socket; set virtlab\.dockerSocket/);
    let calls = 0;
    const count = async () => {
      calls++;
      return [];
    };
    const g = new GraphBuilder();
    await createDockerCollector({ makeApi: () => ({ listContainers: count, listImages: count, inspectContainer: count, inspectImage: count }) }).collect(opts, g);
    assert.equal(calls, 0, 'the Docker API was not asked');
    assert.equal(g.sources.docker.state, 'unavailable');
    assert.equal(g.sources.docker.detail, opts.dockerSocketProblem);
    assert.match(g.sources.docker.fix ?? '', /virtlab\.dockerSocket/);
    const nets = await readDockerNetworks(opts);
    assert.ok(nets.state === 'unavailable', nets.state);
    assert.equal(nets.detail, opts.dockerSocketProblem);
  });

  it('a client is made on exactly the chosen socket, whatever DOCKER_HOST says (docker-modem would take a tcp:// one instead)', () => {
    for (const host of ['tcp://127.0.0.1:2375', 'ssh://me@far', '::not a url::']) {
      process.env.DOCKER_HOST = host;
      const modem = (localDocker('/run/vlk-unit/docker.sock', { timeout: 1234 }) as unknown as { modem: { socketPath?: unknown; host?: unknown; protocol?: unknown; timeout?: unknown } }).modem;
      assert.deepEqual([modem.socketPath, modem.host, modem.protocol, modem.timeout], ['/run/vlk-unit/docker.sock', undefined, 'http', 1234], host);
      assert.equal(process.env.DOCKER_HOST, host, 'DOCKER_HOST is left as it was');
    }
    delete process.env.DOCKER_HOST;
    localDocker('/x.sock');
    assert.equal(process.env.DOCKER_HOST, undefined, 'an unset DOCKER_HOST stays unset');
    assert.throws(() => localDocker(''), /no Docker socket to use/);
  });
});
