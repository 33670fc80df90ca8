import { request } from 'node:http';

export interface DockerPing {
  reachable: boolean;
  version?: string;
  apiVersion?: string;
  cgroupVersion?: string;
  /** ENOENT (no socket), EACCES (no permission), ECONNREFUSED (daemon down), ETIMEDOUT. */
  error?: string;
}

function getJson(socketPath: string, path: string, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: 'GET', timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        try {
          resolve(JSON.parse(body));
        } catch {
          reject(Object.assign(new Error('bad JSON'), { code: 'EBADMSG' }));
        }
      });
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end();
  });
}

function str(o: unknown, k: string): string | undefined {
  const v = o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined;
  return typeof v === 'string' ? v : undefined;
}

/** Ask the Docker Engine API socket for its version and cgroup version; never throws. */
export async function pingDocker(socketPath: string, timeoutMs: number): Promise<DockerPing> {
  try {
    const [version, info] = await Promise.all([getJson(socketPath, '/version', timeoutMs), getJson(socketPath, '/info', timeoutMs)]);
    return { reachable: true, version: str(version, 'Version'), apiVersion: str(version, 'ApiVersion'), cgroupVersion: str(info, 'CgroupVersion') };
  } catch (e) {
    return { reachable: false, error: (e as NodeJS.ErrnoException).code ?? 'EIO' };
  }
}
