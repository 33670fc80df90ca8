/**
 * Which Docker Engine socket VirtLab talks to, decided in one place for the CLI and the extension.
 * VirtLab reads a local unix socket only: a DOCKER_HOST naming anything else (tcp://, ssh://, a
 * bare host) is reported, never quietly replaced by some other socket.
 */

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

export interface DockerSocketChoice {
  /** The socket path; empty when `problem` says why there is none to use. */
  path: string;
  /** Where the path came from, as a person reads it: `virtlab.dockerSocket`, `DOCKER_HOST`, `default` … */
  from: string;
  /** Why no socket can be used (a DOCKER_HOST that is not unix://); Docker is then not asked at all. */
  problem?: string;
}

export interface DockerSocketRequest {
  /** An explicit path (the `virtlab.dockerSocket` setting, `--docker-socket`); empty or undefined = not given. */
  value?: string;
  /** The name of that knob, used in reports and in the fix for an unusable DOCKER_HOST. */
  name: string;
}

/** Longest DOCKER_HOST value repeated in a message. */
const SHOWN = 200;

/** `unix:///abs/path` → `/abs/path`; anything else → undefined. */
export function unixSocketOfDockerHost(host: string): string | undefined {
  const m = /^unix:\/\/(\/.*)$/.exec(host);
  return m && m[1].length > 1 && !m[1].includes('\0') ? m[1] : undefined;
}

/**
 * The socket to use: the explicit value if given; else DOCKER_HOST when it is `unix:///path`; else
 * VIRTLAB_DOCKER_SOCKET; else /var/run/docker.sock. A DOCKER_HOST that is not a unix socket is a
 * `problem` (unless VIRTLAB_DOCKER_SOCKET names one, which is then used and says so).
 */
export function resolveDockerSocket(req: DockerSocketRequest, env: Readonly<Record<string, string | undefined>> = process.env): DockerSocketChoice {
  const explicit = req.value?.trim();
  if (explicit) return { path: explicit, from: req.name };
  const host = env.DOCKER_HOST?.trim();
  const own = env.VIRTLAB_DOCKER_SOCKET?.trim();
  if (host) {
    const unix = unixSocketOfDockerHost(host);
    if (unix) return { path: unix, from: 'DOCKER_HOST' };
    const shown = host.length > SHOWN ? `${host.slice(0, SHOWN)}…` : host;
    if (own) return { path: own, from: `VIRTLAB_DOCKER_SOCKET (DOCKER_HOST=${shown} is not a unix socket and was not used)` };
    return {
      path: '',
      from: 'DOCKER_HOST',
      problem: `DOCKER_HOST=${shown} is not supported; VirtLab reads a local unix socket; set ${req.name} to its path (or DOCKER_HOST=unix:///path)`,
    };
  }
  if (own) return { path: own, from: 'VIRTLAB_DOCKER_SOCKET' };
  return { path: DEFAULT_DOCKER_SOCKET, from: 'default' };
}

/** `the default`, `from DOCKER_HOST`: where a socket came from, as a phrase. */
export const dockerSocketOrigin = (from: string): string => (from === 'default' ? 'the default' : `from ${from}`);

/** `/var/run/docker.sock (the default)`, `/run/x.sock (from DOCKER_HOST)`: the socket and where it came from, for reports. */
export function describeDockerSocket(c: Pick<DockerSocketChoice, 'path' | 'from'>): string {
  return `${c.path} (${dockerSocketOrigin(c.from)})`;
}
