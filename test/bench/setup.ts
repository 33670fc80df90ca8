import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync, readdirSync } from 'node:fs';

/** Benchmark fixtures on the real machine, all named `vlb*` and removed by `teardown`. */

function run(file: string, args: string[], input?: string): string {
  return execFileSync(file, args, { encoding: 'utf8', input, maxBuffer: 64 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'] });
}

export function containers(n: number): string[] {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(run('docker', ['run', '-d', '--name', `vlb-c${i}`, '--label', 'virtlab.bench=1', 'virtlab/busybox:latest', 'sleep', '3600']).trim());
  return ids;
}

export function removeContainers(): void {
  const ids = run('docker', ['ps', '-aq', '--filter', 'label=virtlab.bench=1']).split('\n').filter(Boolean);
  if (ids.length) run('docker', ['rm', '-f', ...ids]);
}

const sleepers: ChildProcess[] = [];

/** Top up the process count to at least `min` with idle sleep processes. */
export function processesAtLeast(min: number): number {
  const count = () => readdirSync('/proc').filter((d) => /^\d+$/.test(d)).length;
  while (count() < min) sleepers.push(spawn('sleep', ['3600'], { stdio: 'ignore' }));
  return count();
}

export function killSleepers(): void {
  for (const s of sleepers.splice(0)) s.kill('SIGKILL');
}

/** N namespaces, each with lo + 3 veth ends; the first `ovsPorts` host ends join an OVS bridge. */
export function namespaces(n: number, ovsPorts: number): string[] {
  const names = Array.from({ length: n }, (_, i) => `vlb${i}`);
  const batch: string[] = [];
  for (const ns of names) batch.push(`netns add ${ns}`);
  for (const [i, ns] of names.entries()) {
    for (let k = 0; k < 3; k++) {
      batch.push(`link add vlb${i}h${k} type veth peer name e${k} netns ${ns}`);
      batch.push(`link set vlb${i}h${k} up`);
    }
  }
  const file = '/tmp/vlb-batch.txt';
  writeFileSync(file, batch.join('\n') + '\n');
  run('ip', ['-batch', file]);
  const cmds = ['--may-exist', 'add-br', 'vlbbr0', '--', 'set', 'bridge', 'vlbbr0', 'datapath_type=netdev'];
  let added = 0;
  for (let i = 0; i < n && added < ovsPorts; i++) for (let k = 0; k < 3 && added < ovsPorts; k++, added++) cmds.push('--', 'add-port', 'vlbbr0', `vlb${i}h${k}`);
  run('ovs-vsctl', ['--timeout=60', ...cmds]);
  return names;
}

export function removeNamespaces(): void {
  try {
    run('ovs-vsctl', ['--timeout=60', '--if-exists', 'del-br', 'vlbbr0']);
  } catch {
    /* OVS absent */
  }
  const names = run('ip', ['netns', 'list']).split('\n').map((l) => l.split(' ')[0]).filter((n) => /^vlb\d+$/.test(n));
  if (names.length) {
    // Deleting a namespace deletes its veth ends, and with them the host ends.
    writeFileSync('/tmp/vlb-del.txt', names.map((n) => `netns del ${n}`).join('\n') + '\n');
    run('ip', ['-batch', '/tmp/vlb-del.txt']);
  }
}
