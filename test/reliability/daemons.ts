// Private daemons for the outage tests (reliability: daemon outages): a second dockerd and a second
// ovsdb-server + ovs-vswitchd, each with its own socket, state and pid files under the vlr9c
// prefix, so that stopping them never touches the machine's shared daemons. Everything started
// here is stopped by its pid file and its state is removed by destroy().
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const IMAGE = 'virtlab/busybox:latest';
/** The private dockerd's own bridge (see PrivateDocker.ensureBridge). */
const PRIVATE_BRIDGE = 'vlr9cbr';

function readPid(file: string): number | undefined {
  try {
    const t = fs.readFileSync(file, 'utf8').trim();
    return /^\d+$/.test(t) ? Number(t) : undefined;
  } catch {
    return undefined;
  }
}

export function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    // A zombie still answers kill 0; it counts as gone.
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Wait until `pid` has exited; false when it is still there after `ms`. */
export async function waitGone(pid: number | undefined, ms = 30_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(20)) if (!alive(pid)) return true;
  return !alive(pid);
}

/** GET /_ping on a unix socket: true when the daemon answered 200 within `timeoutMs`. */
export function ping(socketPath: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath, path: '/_ping', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** Mount points under `dir` (from /proc/self/mountinfo), deepest first. */
function mountsUnder(dir: string): string[] {
  const out: string[] = [];
  for (const line of fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const mp = line.split(' ')[4];
    if (mp && (mp === dir || mp.startsWith(dir + '/'))) out.push(mp.replace(/\\040/g, ' '));
  }
  return out.sort((a, b) => b.length - a.length);
}

const LOCK = '/run/vlr9c.lock';
let lockDepth = 0;

/**
 * One run of these tests at a time on the machine: the private daemons, lab names and canaries
 * have fixed names, and the worktree's other suites may run every reliability file too.
 * Re-entrant within a process (mocha runs the files one after the other); released by the
 * returned function; taken over when the holder died.
 */
export async function lockPrivate(waitMs = 600_000): Promise<() => void> {
  if (lockDepth === 0) {
    for (const end = Date.now() + waitMs; ; await sleep(500)) {
      try {
        fs.writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
        break;
      } catch {
        const holder = readPid(LOCK);
        if (holder === process.pid) break;
        if (!alive(holder)) {
          fs.rmSync(LOCK, { force: true });
          continue;
        }
        if (Date.now() > end) throw new Error(`${LOCK} is held by pid ${holder}`);
      }
    }
  }
  lockDepth++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--lockDepth === 0 && readPid(LOCK) === process.pid) fs.rmSync(LOCK, { force: true });
  };
}

export class PrivateDocker {
  readonly run = '/run/vlr9c';
  readonly socket = '/run/vlr9c/docker.sock';
  readonly dataRoot = '/var/lib/vlr9c-docker';
  readonly execRoot = '/run/vlr9c/exec';
  readonly pidFile = '/run/vlr9c/docker.pid';
  readonly log: string;

  constructor(logDir: string) {
    this.log = path.join(logDir, 'vlr9c-dockerd.log');
  }

  get pid(): number | undefined {
    const p = readPid(this.pidFile);
    return alive(p) ? p : undefined;
  }

  /** `docker -H <private socket> ARGS` (throws on failure). */
  docker(...args: string[]): string {
    return execFileSync('docker', ['-H', `unix://${this.socket}`, ...args], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  }

  /** Ids and states of every container, as `docker ps -a` on the private daemon prints them. */
  psAll(): Map<string, string> {
    const out = this.docker('ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.State}}');
    return new Map(out.split('\n').filter(Boolean).map((l) => l.split(' ') as [string, string]));
  }

  /** Start dockerd and wait for /_ping; resolves with performance.now() of the first answer. */
  async start(): Promise<number> {
    if (this.pid) throw new Error(`private dockerd already runs (pid ${this.pid})`);
    fs.mkdirSync(this.execRoot, { recursive: true });
    this.ensureBridge();
    const out = fs.openSync(this.log, 'a');
    // --shutdown-timeout 1: a busybox `sleep` as pid 1 ignores SIGTERM, and every graceful stop
    // would otherwise wait 10 s per container. dockerd starts its own containerd under exec-root.
    const child = spawn(
      'dockerd',
      ['-H', `unix://${this.socket}`, '--data-root', this.dataRoot, '--exec-root', this.execRoot, '--pidfile', this.pidFile, '--bridge', PRIVATE_BRIDGE, '--iptables=false', '--ip6tables=false', '--shutdown-timeout', '1'],
      { detached: true, stdio: ['ignore', out, out] },
    );
    child.unref();
    fs.closeSync(out);
    for (const end = Date.now() + 90_000; Date.now() < end; await sleep(20)) {
      if (await ping(this.socket, 500)) return performance.now();
      if (child.exitCode !== null) break;
    }
    throw new Error(`private dockerd did not answer /_ping (log: ${this.log})`);
  }

  /** Stop dockerd with `signal` (SIGTERM: graceful; SIGKILL: a crash) and wait until it is gone. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const pid = this.pid;
    if (!pid) return;
    const ctrdPidFile = path.join(this.execRoot, 'containerd/containerd.pid');
    const ctrd = readPid(ctrdPidFile);
    process.kill(pid, signal);
    if (!(await waitGone(pid, 60_000))) throw new Error(`private dockerd (pid ${pid}) did not exit after ${signal}`);
    if (signal === 'SIGKILL' && ctrd) {
      // dockerd starts its containerd with Pdeathsig=SIGKILL, so it dies too, and here its zombie
      // can linger unreaped (pid 1 is the sandbox's process_api). The next dockerd sees the pid
      // "alive" (kill 0 succeeds on a zombie), waits for that containerd's socket and gives up.
      // A crashed dockerd's next start on a normal machine finds no such pid; make it so here.
      await waitGone(ctrd, 30_000);
      if (!alive(ctrd) && readPid(ctrdPidFile) === ctrd) fs.rmSync(ctrdPidFile, { force: true });
    }
  }

  /** A clean daemon (leftovers of an interrupted run removed) with the image and two containers: one with a restart policy, one without. */
  async startFresh(): Promise<void> {
    fs.mkdirSync(path.dirname(this.log), { recursive: true });
    await this.destroy();
    await this.start();
    this.importBusybox();
    this.docker('run', '-d', '--network', 'none', '--restart', 'always', '--name', 'vlr9c-always', IMAGE, 'sleep', '100000');
    this.docker('run', '-d', '--network', 'none', '--name', 'vlr9c-plain', IMAGE, 'sleep', '100000');
  }

  /**
   * Outage number `i`: a container started (`${churn}${i}`) and the previous one removed right
   * before, then a graceful stop (odd i: running containers stop) or a crash (even i: SIGKILL,
   * containerd's shims keep them running), `during` for 1.5 s, and a start. Resolves with the
   * signal and performance.now() of the first /_ping answer after the start.
   */
  async outage(i: number, churn: string, during: () => Promise<unknown> = () => sleep(1500)): Promise<{ signal: NodeJS.Signals; back: number }> {
    this.docker('run', '-d', '--network', 'none', '--name', `${churn}${i}`, IMAGE, 'sleep', '100000');
    if (i > 1) this.docker('rm', '-f', `${churn}${i - 1}`);
    const signal: NodeJS.Signals = i % 2 ? 'SIGTERM' : 'SIGKILL';
    await this.stop(signal);
    const end = performance.now() + 1500;
    await during();
    if (performance.now() < end) await sleep(end - performance.now());
    return { signal, back: await this.start() };
  }

  /** The busybox image, imported from a rootfs the way scripts/services.sh makes it. */
  importBusybox(): void {
    try {
      this.docker('image', 'inspect', 'virtlab/busybox:latest');
      return;
    } catch {
      /* not there yet */
    }
    const root = fs.mkdtempSync('/tmp/vlr9c-rootfs-');
    try {
      for (const d of ['bin', 'tmp', 'proc', 'sys', 'etc', 'dev']) fs.mkdirSync(path.join(root, d));
      fs.copyFileSync('/bin/busybox', path.join(root, 'bin/busybox'));
      fs.chmodSync(path.join(root, 'bin/busybox'), 0o755);
      for (const a of ['sh', 'sleep', 'ps', 'ip', 'cat', 'ls', 'echo', 'true']) fs.symlinkSync('busybox', path.join(root, 'bin', a));
      fs.writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
      const tar = execFileSync('tar', ['-C', root, '-c', '.'], { maxBuffer: 64 << 20, timeout: 60_000 });
      execFileSync('docker', ['-H', `unix://${this.socket}`, 'import', '-c', 'CMD ["/bin/sh"]', '-c', 'ENV PATH=/bin', '-', 'virtlab/busybox:latest'], { input: tar, timeout: 60_000, stdio: ['pipe', 'ignore', 'pipe'] });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }

  /** Stop dockerd, its containerd and shims (by pid file / by socket address), unmount and remove all state. */
  async destroy(): Promise<void> {
    if (this.pid) {
      for (const id of this.psAll().keys()) spawnSync('docker', ['-H', `unix://${this.socket}`, 'rm', '-f', id], { stdio: 'ignore', timeout: 30_000 });
      await this.stop('SIGTERM');
    }
    const ctrd = readPid(path.join(this.execRoot, 'containerd/containerd.pid'));
    if (alive(ctrd)) {
      process.kill(ctrd!, 'SIGTERM');
      if (!(await waitGone(ctrd, 15_000))) process.kill(ctrd!, 'SIGKILL');
    }
    // Shims of a crashed daemon's containers name our containerd's address on their command line.
    for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      let cmd = '';
      try {
        cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      if (cmd.startsWith('/usr/bin/containerd-shim') && cmd.includes(`${this.execRoot}/containerd/containerd.sock`)) process.kill(Number(pid), 'SIGKILL');
    }
    for (const dir of [this.dataRoot, this.run]) {
      for (const mp of mountsUnder(dir)) spawnSync('umount', ['-l', mp], { stdio: 'ignore', timeout: 10_000 });
      fs.rmSync(dir, { recursive: true, force: true });
    }
    spawnSync('ip', ['link', 'del', PRIVATE_BRIDGE], { stdio: 'ignore', timeout: 10_000 });
  }

  /**
   * The private daemon gets a bridge of its own. Not `--bridge=none`: a dockerd started with it
   * deletes the host's `docker0` at start-up (removeDefaultBridgeInterface), which took the shared
   * daemon's default network away from every other test on the machine.
   */
  private ensureBridge(): void {
    if (fs.existsSync(`/sys/class/net/${PRIVATE_BRIDGE}`)) return;
    execFileSync('ip', ['link', 'add', PRIVATE_BRIDGE, 'type', 'bridge'], { timeout: 10_000 });
    execFileSync('ip', ['addr', 'add', '192.168.251.1/24', 'dev', PRIVATE_BRIDGE], { timeout: 10_000 });
    execFileSync('ip', ['link', 'set', PRIVATE_BRIDGE, 'up'], { timeout: 10_000 });
  }
}

/**
 * A private Open vSwitch: ovsdb-server on its own database file and socket, and ovs-vswitchd
 * attached to it, both in `dir`. OVS's tools find them through OVS_RUNDIR / OVS_DBDIR (env()).
 */
export class PrivateOvs {
  readonly dir = '/run/vlr9c/ovs';
  readonly db = '/run/vlr9c/ovs/conf.db';
  readonly sock = '/run/vlr9c/ovs/db.sock';
  readonly dbPidFile = '/run/vlr9c/ovs/ovsdb-server.pid';
  readonly swPidFile = '/run/vlr9c/ovs/ovs-vswitchd.pid';
  readonly netns = 'vlr9c-ovs';

  /** Environment that points ovs-vsctl, ovs-ofctl and ovs-appctl at this instance. */
  env(): NodeJS.ProcessEnv {
    return { OVS_RUNDIR: this.dir, OVS_DBDIR: this.dir, OVS_LOGDIR: this.dir, OVS_SYSCONFDIR: this.dir };
  }

  get dbPid(): number | undefined {
    const p = readPid(this.dbPidFile);
    return alive(p) ? p : undefined;
  }

  get swPid(): number | undefined {
    const p = readPid(this.swPidFile);
    return alive(p) ? p : undefined;
  }

  vsctl(...args: string[]): string {
    return execFileSync('ovs-vsctl', [`--db=unix:${this.sock}`, '--timeout=10', ...args], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, ...this.env() } }).trim();
  }

  private async waitFor(probe: () => boolean, what: string): Promise<void> {
    for (const end = Date.now() + 30_000; Date.now() < end; await sleep(50)) if (probe()) return;
    throw new Error(`private OVS: ${what} did not come up`);
  }

  async startDb(): Promise<void> {
    fs.mkdirSync(this.dir, { recursive: true });
    if (!fs.existsSync(this.db)) execFileSync('ovsdb-tool', ['create', this.db, '/usr/share/openvswitch/vswitch.ovsschema'], { timeout: 20_000 });
    execFileSync(
      'ovsdb-server',
      [this.db, `--remote=punix:${this.sock}`, `--pidfile=${this.dbPidFile}`, `--unixctl=${this.dir}/ovsdb-server.ctl`, `--log-file=${this.dir}/ovsdb-server.log`, '--detach', '--no-chdir'],
      { timeout: 20_000, env: { ...process.env, ...this.env() }, stdio: 'ignore' },
    );
    await this.waitFor(() => spawnSync('ovs-vsctl', [`--db=unix:${this.sock}`, '--timeout=2', 'show'], { stdio: 'ignore', timeout: 5000 }).status === 0, 'ovsdb-server');
    this.vsctl('--no-wait', 'init');
  }

  /**
   * ovs-vswitchd runs in a network namespace of its own: a userspace-datapath switch makes an
   * `ovs-netdev` tap device, and in the root namespace that name belongs to the shared OVS.
   */
  async startSwitch(): Promise<void> {
    if (!fs.existsSync(`/run/netns/${this.netns}`)) execFileSync('ip', ['netns', 'add', this.netns], { timeout: 10_000 });
    execFileSync('nsenter', [`--net=/run/netns/${this.netns}`, 'ovs-vswitchd', `unix:${this.sock}`, `--pidfile=${this.swPidFile}`, `--log-file=${this.dir}/ovs-vswitchd.log`, '--detach', '--no-chdir'], { timeout: 30_000, env: { ...process.env, ...this.env() }, stdio: 'ignore' });
    await this.waitFor(() => spawnSync('ovs-appctl', ['--timeout=2', 'version'], { stdio: 'ignore', timeout: 5000, env: { ...process.env, ...this.env() } }).status === 0, 'ovs-vswitchd');
  }

  private async kill(pid: number | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (!pid) return;
    process.kill(pid, signal);
    if (!(await waitGone(pid, 20_000))) {
      process.kill(pid, 'SIGKILL');
      await waitGone(pid, 10_000);
    }
  }

  stopDb(): Promise<void> {
    return this.kill(this.dbPid);
  }

  stopSwitch(): Promise<void> {
    return this.kill(this.swPid);
  }

  async destroy(): Promise<void> {
    const db = this.dbPid;
    // A SIGSTOPped server must be continued before it can act on SIGTERM.
    if (db) process.kill(db, 'SIGCONT');
    if (this.swPid) process.kill(this.swPid, 'SIGCONT');
    if (db && this.swPid) spawnSync('ovs-vsctl', [`--db=unix:${this.sock}`, '--timeout=10', '--if-exists', 'del-br', 'vlr9cbr0'], { stdio: 'ignore', timeout: 20_000 });
    await this.stopSwitch();
    await this.stopDb();
    fs.rmSync(this.dir, { recursive: true, force: true });
    if (fs.existsSync(`/run/netns/${this.netns}`)) spawnSync('ip', ['netns', 'del', this.netns], { stdio: 'ignore', timeout: 10_000 });
  }
}
