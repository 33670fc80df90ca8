import { defaultVersionCacheFile, scanOptions } from './core/context';
import { runLab } from './cliLab';
import { runWatch } from './cliWatch';
import { collectors } from './core/collectors';
import { snapshotJsonSchema } from './core/model/catalogue';
import { takeSnapshot } from './core/scan';

const USAGE = `usage: virtlab <command> [options]

commands:
  snapshot --json          print everything VirtLab sees as one JSON graph
  snapshot --watch [--interval S]   the first snapshot, then every change, as JSON lines
    --only NAME,...        run only these readers (${collectors.map((c) => c.name).join(', ')});
                           net still finds bind-mounted namespaces without proc
  schema                   print the snapshot's JSON Schema (draft 2020-12), derived from the node-kind catalogue
  lab <generate|up|down|status|pingall|exec|...>   Mininet-style network labs (virtlab lab help)
  help                     this text

options:
  --proc DIR  --sys DIR  --cgroup DIR   read recorded trees instead of /proc, /sys, /sys/fs/cgroup
  --docker-socket PATH                  Docker Engine API socket (default: DOCKER_HOST if it is
                                        unix:///path, else VIRTLAB_DOCKER_SOCKET, else /var/run/docker.sock)
  --timeout MS                          per external call (default 5000)
  --no-cache                            ask every tool for its version (normally cached by binary identity)
`;

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) throw new UsageError(`${name} needs a value`);
  return v;
}

class UsageError extends Error {}

/** `--only proc,docker`: the named readers, in the shared list's order; all of them without the flag. */
function selectCollectors(only: string | undefined): typeof collectors {
  if (only === undefined) return collectors;
  const names = only.split(',').map((n) => n.trim()).filter(Boolean);
  const unknown = names.filter((n) => !collectors.some((c) => c.name === n));
  if (!names.length || unknown.length) throw new UsageError(`--only takes reader names from: ${collectors.map((c) => c.name).join(', ')}${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`);
  return collectors.filter((c) => names.includes(c.name));
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...args] = argv;
  if (!cmd || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    process.stdout.write(USAGE);
    return cmd ? 0 : 2;
  }
  // Labs parse their own flags.
  if (cmd === 'lab') return runLab(args);
  if (cmd === 'schema') {
    if (args.length) throw new UsageError(`schema takes no options (got ${args.join(' ')})`);
    process.stdout.write(JSON.stringify(snapshotJsonSchema(), null, 2) + '\n');
    return 0;
  }
  const timeout = flag(args, '--timeout');
  if (timeout !== undefined && !/^\d+$/.test(timeout)) throw new UsageError('--timeout must be a whole number of milliseconds');
  const opts = scanOptions({
    roots: { proc: flag(args, '--proc'), sys: flag(args, '--sys'), cgroup: flag(args, '--cgroup') } as never,
    dockerSocket: flag(args, '--docker-socket'),
    dockerSocketName: '--docker-socket',
    timeoutMs: timeout ? Number(timeout) : undefined,
    versionCacheFile: args.includes('--no-cache') ? undefined : defaultVersionCacheFile(),
  });
  if (cmd === 'snapshot') {
    if (args.includes('--watch')) {
      const every = flag(args, '--interval');
      if (every !== undefined && !/^\d+$/.test(every)) throw new UsageError('--interval must be a whole number of seconds (0 = Docker events only)');
      return runWatch(opts, every === undefined ? 5000 : Number(every) * 1000);
    }
    const snap = await takeSnapshot(opts, selectCollectors(flag(args, '--only')));
    process.stdout.write(JSON.stringify(snap, null, args.includes('--compact') ? undefined : 2) + '\n');
    return 0;
  }
  throw new UsageError(`unknown command: ${cmd}`);
}

// `virtlab snapshot --json | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
// Progress lines go to stderr. When its reader is gone (the VS Code extension host that ran
// `lab up` was killed), carry on without them: an EPIPE would otherwise end `up` halfway, with
// no rollback, leaving a cut-off lab behind.
process.stderr.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof UsageError) {
      process.stderr.write(`virtlab: ${e.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`virtlab: ${(e as Error).stack ?? e}\n`);
      process.exitCode = 1;
    }
  },
);
