// Counts Docker API calls: a unix-socket proxy placed between VirtLab (virtlab.dockerSocket) and
// dockerd. Used by the views benchmark and the reliability suite's idle-cost figures.
import * as fs from 'node:fs';
import * as net from 'node:net';

/** A unix-socket proxy to dockerd that counts HTTP requests (request lines) passing through. */
export function countingProxy(listenPath: string, target: string): { count: () => number; seen: () => string[]; close: () => void } {
  let requests = 0;
  // The request lines themselves (method and path), so a figure can say which calls it counted.
  const seen: string[] = [];
  fs.rmSync(listenPath, { force: true });
  const server = net.createServer((client) => {
    const up = net.connect(target);
    client.on('data', (buf) => {
      // Each request starts with "METHOD /path HTTP/1.1" at the start of a chunk (keep-alive included).
      const lines = buf.toString('latin1').match(/(^|\r\n)(GET|POST|PUT|DELETE|HEAD) \/[^ ]* HTTP\/1\.[01]\r\n/g) ?? [];
      requests += lines.length;
      for (const l of lines) if (seen.length < 10_000) seen.push(l.trim());
      up.write(buf);
    });
    up.pipe(client);
    client.on('error', () => up.destroy());
    up.on('error', () => client.destroy());
    client.on('close', () => up.destroy());
  });
  server.listen(listenPath);
  return { count: () => requests, seen: () => [...seen], close: () => server.close() };
}
