import { promises as fsp } from 'node:fs';
import { parseIpLinks } from '../net/links';
import { run } from '../sys/exec';

// What exists right now, read with the same tools a person would use; validated at this boundary.

export interface Inventory {
  links: Set<string>;
  netns: Set<string>;
  /** undefined when Open vSwitch is not installed or not answering. */
  ovsBridges?: Set<string>;
  /** name -> value of the virtlab.lab.stem label; undefined when Docker is not there. */
  containers?: Map<string, string>;
}

/** Root-namespace link names (ip -j link). */
export async function listLinks(timeoutMs = 10000): Promise<Set<string>> {
  const r = await run('ip', ['-j', 'link', 'show'], { timeoutMs });
  if (!r.ok) throw new Error(`ip -j link show failed: ${r.stderr.trim() || r.error}`);
  const parsed = parseIpLinks(r.stdout);
  if ('error' in parsed) throw new Error(parsed.error);
  return new Set(parsed.links.map((l) => l.name));
}

/** Named network namespaces (the files `ip netns` lists). */
export async function listNetns(runDir = '/run/netns'): Promise<Set<string>> {
  try {
    return new Set(await fsp.readdir(runDir));
  } catch {
    return new Set();
  }
}

/** OVS bridges, or undefined when ovs-vsctl is absent or ovsdb does not answer. */
export async function listOvsBridges(timeoutMs = 10000): Promise<Set<string> | undefined> {
  const r = await run('ovs-vsctl', ['--timeout=5', 'list-br'], { timeoutMs });
  if (!r.ok) return undefined;
  return new Set(r.stdout.split('\n').filter((s) => /^[A-Za-z0-9_.-]+$/.test(s)));
}

/** Docker container names with their virtlab.lab.stem label, or undefined when Docker is not there. */
export async function listContainers(timeoutMs = 15000): Promise<Map<string, string> | undefined> {
  const r = await run('docker', ['ps', '-a', '--format', '{{.Names}}\t{{.Label "virtlab.lab.stem"}}'], { timeoutMs });
  if (!r.ok) return undefined;
  const m = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const [name, stem] = line.split('\t');
    if (name) m.set(name, stem ?? '');
  }
  return m;
}

/** Everything a lab could have made, read in parallel. */
export async function readInventory(opts: { docker?: boolean; ovs?: boolean } = {}): Promise<Inventory> {
  const [links, netns, ovsBridges, containers] = await Promise.all([
    listLinks(),
    listNetns(),
    opts.ovs === false ? Promise.resolve(undefined) : listOvsBridges(),
    opts.docker === false ? Promise.resolve(undefined) : listContainers(),
  ]);
  return { links, netns, ovsBridges, containers };
}
