import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.join(__dirname, '../../..');
export const FIXTURES = path.join(ROOT, 'test/fixtures/lab');
/** `virtlab lab` from source (test/support/labCli.ts), so a test can stop `up` at a stage. */
export const LAB_CLI = path.join(ROOT, 'test/support/labCli.ts');
export const x = (file: string, ...args: string[]) => execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
export const quiet = (file: string, ...args: string[]) => spawnSync(file, args, { stdio: 'ignore' });

/** Run `virtlab lab ...` from source in a child process. */
export function labCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, ['--import', 'tsx', LAB_CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120000 });
}

// Other people's objects may come and go on a shared machine while the tests run; CI runs alone.
// VIRTLAB_TEST_IGNORE (a regular expression) excludes such names from baseline comparisons.
const ignore = process.env.VIRTLAB_TEST_IGNORE ? new RegExp(process.env.VIRTLAB_TEST_IGNORE) : undefined;
const keep = (names: string[]) => names.filter((n) => !ignore?.test(n)).sort();

export interface Baseline {
  links: string[];
  ipNetns: string[];
  runNetns: string[];
  ovs: string[];
  containers: string[];
}

/** What exists, read with independent tools: ip -j link, ip netns, /run/netns, ovs-vsctl list-br, docker ps -a. */
export function baseline(): Baseline {
  const links = (JSON.parse(x('ip', '-j', 'link', 'show')) as { ifname: string }[]).map((l) => l.ifname);
  const ipNetns = x('ip', 'netns', 'list').split('\n').map((l) => l.split(' ')[0]).filter(Boolean);
  let runNetns: string[] = [];
  try {
    runNetns = readdirSync('/run/netns');
  } catch {
    /* no named netns at all */
  }
  const ovs = x('ovs-vsctl', '--timeout=5', 'list-br').split('\n').filter(Boolean);
  const containers = x('docker', 'ps', '-a', '--format', '{{.Names}}').split('\n').filter(Boolean);
  return { links: keep(links), ipNetns: keep(ipNetns), runNetns: keep(runNetns), ovs: keep(ovs), containers: keep(containers) };
}

export function nsLinks(ns: string): { ifname: string; address: string; operstate: string; addr_info?: { family: string; local: string; prefixlen: number }[] }[] {
  return JSON.parse(x('ip', '-n', ns, '-j', 'addr', 'show'));
}
