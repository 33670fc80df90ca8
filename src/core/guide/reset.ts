import { promises as fsp, readlinkSync } from 'node:fs';
import { labDown } from '../lab/engine';
import { listContainers, listLinks, listNetns } from '../lab/inventory';
import { defaultStateDir, readLedger } from '../lab/ledger';
import { run } from '../sys/exec';
import { sleep } from './probe';
import type { CheckContext, ResetReport } from './types';

// Reset removes exactly what a guide's commands create: every such object is named with the
// `vlg` prefix and listed here per lab. Idempotent: what is already gone is simply not listed.

export interface GuideObjects {
  /** Docker containers (docker rm -f). */
  containers?: string[];
  /** Docker images by tag (docker rmi). */
  images?: string[];
  /** Processes that joined only the network namespace of these containers (lab 2's nsenter). */
  netJoinersOf?: string[];
  /** Named network namespaces (ip netns del). */
  netns?: string[];
  /** Root-namespace links (ip link del). */
  links?: string[];
  /** VirtLab labs, taken down through the lab engine (labDown). */
  labs?: string[];
  /** QEMU guests by -name; each has /tmp/<name>.pid and /tmp/<name>.qmp. */
  qemu?: string[];
  /** Files and folders under /tmp. */
  files?: string[];
}

export const GUIDE_OBJECTS: Readonly<Record<string, GuideObjects>> = {
  'pid-namespaces': { containers: ['vlg-pid'] },
  namespaces: { netJoinersOf: ['vlg-ns'], containers: ['vlg-ns'] },
  cgroups: { containers: ['vlg-mem', 'vlg-cpu'] },
  'union-fs': { containers: ['vlg-base', 'vlg-ufs'], images: ['vlg-greeting:1'] },
  netns: { netns: ['vlg-a', 'vlg-b', 'vlg-c'], links: ['vlg-a0', 'vlg-b0', 'vlg-a1', 'vlg-a1p', 'vlg-c0', 'vlg-c0p', 'vlg-br0'] },
  ovs: { labs: ['vlg-ovs'], files: ['/tmp/vlg-ovs.vlab.yaml'] },
  vxlan: { labs: ['vlg-vxlan'] },
  kvm: { qemu: ['vlg-e1000', 'vlg-virtio'] },
  sriov: { files: ['/tmp/vlg-sriov'] },
  mininet: { labs: ['vlg-tree'], files: ['/tmp/vlg-tree.vlab.yaml', '/tmp/vlg-tree-h1.pcap'] },
};

const nsInode = (pid: number | string, type: string): string | undefined => {
  try {
    return readlinkSync(`/proc/${pid}/ns/${type}`);
  } catch {
    return undefined;
  }
};

async function killQemu(name: string, report: ResetReport): Promise<void> {
  const pidfile = `/tmp/${name}.pid`;
  const pid = Number((await fsp.readFile(pidfile, 'utf8').catch(() => '')).trim());
  if (Number.isInteger(pid) && pid > 0) {
    // Only the guest that wrote this pidfile: its command line must name it.
    const argv = (await fsp.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (argv.some((a) => /qemu/.test(a)) && argv.includes(name)) {
      try {
        process.kill(pid, 'SIGTERM');
        for (let i = 0; i < 50 && (await fsp.stat(`/proc/${pid}`).then(() => true, () => false)); i++) await sleep(100);
        if (await fsp.stat(`/proc/${pid}`).then(() => true, () => false)) process.kill(pid, 'SIGKILL');
        report.removed.push(`QEMU guest ${name} (PID ${pid})`);
      } catch (e) {
        report.left.push({ object: `QEMU guest ${name} (PID ${pid})`, error: (e as Error).message });
      }
    }
  }
  await Promise.all([pidfile, `/tmp/${name}.qmp`].map((f) => fsp.rm(f, { force: true }).catch(() => undefined)));
}

/** Remove what guided lab `labId` creates (only vlg-named objects). Safe to run any number of times. */
export async function resetGuide(labId: string, _ctx?: CheckContext): Promise<ResetReport> {
  const o = GUIDE_OBJECTS[labId];
  const report: ResetReport = { removed: [], left: [] };
  if (!o) {
    report.left.push({ object: labId, error: `no guided lab with id ${labId}` });
    return report;
  }
  const containers = o.containers?.length || o.netJoinersOf?.length ? ((await listContainers()) ?? new Map<string, string>()) : new Map<string, string>();

  for (const c of o.netJoinersOf ?? []) {
    if (!containers.has(c)) continue;
    const r = await run('docker', ['inspect', '-f', '{{.State.Pid}}', '--', c], { timeoutMs: 15000 });
    const pid = Number(r.stdout.trim());
    if (!r.ok || !(pid > 0)) continue;
    const net = nsInode(pid, 'net');
    const pidNs = nsInode(pid, 'pid');
    for (const p of await fsp.readdir('/proc').catch(() => [] as string[])) {
      if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
      if (net && nsInode(p, 'net') === net && nsInode(p, 'pid') !== pidNs) {
        try {
          process.kill(Number(p), 'SIGKILL');
          report.removed.push(`process ${p} in ${c}'s network namespace`);
        } catch (e) {
          report.left.push({ object: `process ${p}`, error: (e as Error).message });
        }
      }
    }
  }

  const ctrs = (o.containers ?? []).filter((c) => containers.has(c));
  if (ctrs.length) {
    const r = await run('docker', ['rm', '-f', '--', ...ctrs], { timeoutMs: 60000 });
    const still = (await listContainers()) ?? new Map();
    for (const c of ctrs) (still.has(c) ? report.left.push({ object: `container ${c}`, error: r.stderr.trim() || 'still there' }) : report.removed.push(`container ${c}`));
  }

  for (const img of o.images ?? []) {
    if (!(await run('docker', ['image', 'inspect', '--', img], { timeoutMs: 15000 })).ok) continue;
    const r = await run('docker', ['rmi', '--', img], { timeoutMs: 60000 });
    if (r.ok) report.removed.push(`image ${img}`);
    else report.left.push({ object: `image ${img}`, error: r.stderr.trim() });
  }

  for (const name of o.labs ?? []) {
    if (!(await readLedger(defaultStateDir(), name).catch(() => undefined))) continue;
    try {
      const r = await labDown(name);
      // One entry per object, so "Reset removed N objects" counts what its list shows.
      for (const x of r.removed) report.removed.push(`${x.type} ${x.name} of lab ${name}`);
      for (const x of r.left) report.left.push({ object: `${x.type} ${x.name} of lab ${name}`, error: 'still there after lab down' });
    } catch (e) {
      report.left.push({ object: `lab ${name}`, error: (e as Error).message });
    }
  }

  if (o.netns?.length) {
    const have = await listNetns();
    for (const n of o.netns.filter((x) => have.has(x))) {
      const r = await run('ip', ['netns', 'del', n], { timeoutMs: 15000 });
      if (r.ok) report.removed.push(`network namespace ${n}`);
      else report.left.push({ object: `network namespace ${n}`, error: r.stderr.trim() });
    }
  }
  if (o.links?.length) {
    // Deleting a namespace takes its veth ends along, and their peers in root, a moment later.
    let have = await listLinks();
    for (let i = 0; i < 20 && o.links.some((l) => have.has(l) && l !== 'vlg-br0'); i++) {
      await sleep(100);
      have = await listLinks();
    }
    for (const l of o.links.filter((x) => have.has(x))) {
      const r = await run('ip', ['link', 'del', 'dev', l], { timeoutMs: 15000 });
      if (r.ok || !(await listLinks()).has(l)) report.removed.push(`link ${l}`);
      else report.left.push({ object: `link ${l}`, error: r.stderr.trim() });
    }
  }

  for (const q of o.qemu ?? []) await killQemu(q, report);

  for (const f of o.files ?? []) {
    if (!f.startsWith('/tmp/vlg-')) continue;
    const there = await fsp.lstat(f).then(() => true, () => false);
    if (!there) continue;
    await fsp.rm(f, { recursive: true, force: true });
    report.removed.push(`file ${f}`);
  }
  return report;
}
