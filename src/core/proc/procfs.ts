import * as fs from 'node:fs';
import { shared, type ScanMemo } from '../scanMemo';

/**
 * The file operations the process scan needs. Injectable so unit tests can simulate what a
 * recorded tree cannot hold (EACCES on another user's /proc/<pid>/ns as root, a process exiting
 * between two reads).
 *
 * Most /proc reads are synchronous on purpose: readlink of ns links and reads of status/cgroup
 * never wait on the target process and take microseconds, while a libuv round trip per file made
 * a 100-process scan several times slower than `lsns`. Reads that can wait on another process's
 * memory lock (cmdline) or on mount activity (mountinfo) stay asynchronous, so a hung process can
 * never freeze the caller.
 */
export interface ProcFs {
  readFileSync(path: string): string;
  readlinkSync(path: string): string;
  readdirSync(path: string): string[];
  readFile(path: string): Promise<string>;
}

function readChunk(fd: number, buf: Buffer): Promise<number> {
  return new Promise((resolve, reject) => fs.read(fd, buf, 0, buf.length, null, (err, n) => (err ? reject(err) : resolve(n))));
}

/**
 * Read a /proc file with only the read itself off the event loop: open and close of a proc file
 * never wait, and fs.promises.readFile would add three more thread-pool round trips
 * (fstat, a second read, close), which doubled the cost of reading every cmdline.
 */
async function readProcFileAsync(path: string): Promise<string> {
  const fd = fs.openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    for (;;) {
      const buf = Buffer.allocUnsafe(chunks.length ? 65536 : 4096);
      const n = await readChunk(fd, buf);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** The real file system. */
export const realProcFs: ProcFs = {
  readFileSync: (p) => fs.readFileSync(p, 'utf8'),
  readlinkSync: (p) => fs.readlinkSync(p),
  readdirSync: (p) => fs.readdirSync(p),
  readFile: (p) => readProcFileAsync(p),
};

/** The errno code of a failed fs call (ENOENT, EACCES, ESRCH ...). */
export function errCode(e: unknown): string {
  return (e as NodeJS.ErrnoException)?.code ?? 'EIO';
}

/** Let other work on the event loop run between synchronous batches. */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** /proc/<pid>/cmdline read once per snapshot: the process and VM readers both scan every command line. */
export function sharedCmdline(memo: ScanMemo | undefined, path: string): Promise<string> {
  return shared(memo, `cmdline:${path}`, () => readProcFileAsync(path));
}
