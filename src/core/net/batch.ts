/**
 * Reading many network namespaces with few processes. Node's spawn forks the whole (large) Node
 * process on the main thread, about 1.5-3 ms each before the child even runs, so one
 * `nsenter ... ip` per namespace made the network reader cost ~5 ms per namespace. Here one
 * `find` per chunk of namespaces runs `nsenter --net=PATH -- ip -j -d addr show` for each path
 * itself (find's -exec is a plain fork/exec, no shell) and prints a marker with the inode it saw
 * before each one, so every output is tied to a verified namespace. Whatever the batch could not
 * read is left to the one-namespace reader, which reports the precise error.
 */
import { availableParallelism } from 'node:os';
import type { ScanOptions } from '../context';
import { which } from '../sys/which';
import { entryPath, finishNetnsRead, IP_ADDR_ARGS, readNetns, type NetnsRead, type NetnsReadError, type NetnsTarget } from './netns';
import { runTool } from './tools';
import { mapPool } from '../sys/pool';

const MARK = '@virtlab-netns ';
/** Below this many namespaces a batch saves nothing worth its extra process. */
const MIN_BATCH = 3;

/** Split `find` output into the ip output that followed each marker, keyed by the path the marker named. */
export function parseBatchOutput(stdout: string): Map<string, { inode: number; text: string }> {
  const out = new Map<string, { inode: number; text: string }>();
  const parts = stdout.split(`\n${MARK}`);
  // parts[0] is what came before the first marker (nothing, or an empty line).
  for (const part of parts.slice(1)) {
    const nl = part.indexOf('\n');
    if (nl < 0) continue; // cut off mid-marker (timeout)
    const m = /^(\d+) (\/.*)$/.exec(part.slice(0, nl));
    if (m) out.set(m[2]!, { inode: Number(m[1]), text: part.slice(nl + 1) });
  }
  return out;
}

/** Tool paths for the batch, or undefined when the batch cannot run here (then every namespace is read alone). */
async function batchTools(opts: ScanOptions): Promise<{ find: string; nsenter: string; ip: string } | undefined> {
  // nsenter needs CAP_SYS_ADMIN; without root every entry would fail and be read again alone.
  if (process.geteuid?.() !== 0) return undefined;
  const [find, nsenter, ip] = await Promise.all([which('find', opts.path), which('nsenter', opts.path), which('ip', opts.path)]);
  return find && nsenter && ip ? { find, nsenter, ip } : undefined;
}

/** Safe to hand to find as a starting point: absolute (never taken for an expression) and one line (markers stay parseable). */
const batchable = (p: string): boolean => p.startsWith('/') && !p.includes('\n');

/**
 * Read every target like readNetns, but with one `find` process per chunk instead of two
 * processes per namespace. Results keep the order of `targets`.
 */
export async function readNetnsMany(opts: ScanOptions, targets: readonly NetnsTarget[], parallel: number): Promise<(NetnsRead | NetnsReadError)[]> {
  const results = new Array<NetnsRead | NetnsReadError | undefined>(targets.length);
  const tools = targets.length >= MIN_BATCH ? await batchTools(opts) : undefined;
  if (tools) {
    const entries = await Promise.all(targets.map((t) => entryPath(opts, t)));
    const jobs: { i: number; path: string }[] = [];
    entries.forEach((e, i) => {
      if (!('error' in e) && !e.self && e.path && batchable(e.path)) jobs.push({ i, path: e.path });
    });
    if (jobs.length >= MIN_BATCH) {
      // Each entry mostly waits on exec and netlink, so twice as many chunks as cores kept both
      // cores busy (measured on 2 cores with 50 namespaces: 1-2 chunks ~0.33 s, 4 chunks ~0.25 s).
      const chunks = Math.max(1, Math.min(2 * availableParallelism(), Math.ceil(jobs.length / 12)));
      const size = Math.ceil(jobs.length / chunks);
      await Promise.all(
        Array.from({ length: chunks }, async (_, c) => {
          const chunk = jobs.slice(c * size, (c + 1) * size);
          if (!chunk.length) return;
          const args = [
            '-L',
            ...chunk.map((j) => j.path),
            '-maxdepth', '0',
            '-printf', `\\n${MARK}%i %p\\n`,
            '-exec', tools.nsenter, '--net={}', '--', tools.ip, ...IP_ADDR_ARGS, ';',
          ];
          // find exits 1 when a path vanished or was denied; the other outputs are still good.
          const r = await runTool(opts, tools.find, args, opts.timeoutMs + 20 * chunk.length);
          const byPath = parseBatchOutput(r.stdout);
          await Promise.all(
            chunk.map(async (j) => {
              const got = byPath.get(j.path);
              const inode = targets[j.i]!.inode;
              // A different inode: the path now holds another namespace; empty: nsenter or ip failed.
              if (!got || got.inode !== inode || !got.text.trim()) return;
              const read = await finishNetnsRead(opts, inode, entries[j.i] as { path: string }, got.text);
              if (!('error' in read)) results[j.i] = read;
            }),
          );
        }),
      );
    }
  }
  const rest = targets.map((t, i) => ({ t, i })).filter(({ i }) => !results[i]);
  await mapPool(rest, parallel, async ({ t, i }) => {
    results[i] = await readNetns(opts, t);
  });
  return results as (NetnsRead | NetnsReadError)[];
}

