/**
 * `npm run bench`: VirtLab against the CLI tools a person would otherwise run, side by side in
 * one run on this machine. Figures are medians of alternating runs; ratios below 1.0 mean
 * VirtLab was faster. Nothing here is asserted: it is measured and reported.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { scanOptions } from '../../src/core/context';
import type { SnapshotDiff } from '../../src/core/model/diff';
import { takeSnapshot } from '../../src/core/scan';
import { SnapshotWatcher } from '../../src/core/watch';
import { compare, fmt, median, timeCommand, timeCommands, type Comparison } from './measure';
import * as fx from './setup';

const CLI = path.join(__dirname, 'cli.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const snapshotCmd = (): number => timeCommand(process.execPath, [CLI, 'snapshot', '--json', '--compact']);
/** Only the readers that cover what the reference tools show (the like-for-like row). */
const onlyCmd = (readers: string) => (): number => timeCommand(process.execPath, [CLI, 'snapshot', '--json', '--compact', '--only', readers]);

async function watchLatency(samples: number): Promise<number[]> {
  const w = new SnapshotWatcher({ opts: scanOptions(), takeSnapshot, intervalMs: 0 });
  await w.start();
  const out: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      const name = `vlb-w${i}`;
      let resolveSeen: (t: number) => void = () => undefined;
      const seen = new Promise<number>((r) => (resolveSeen = r));
      let id = '';
      const onDiff = (d: SnapshotDiff) => {
        if (id && d.addedNodes.some((n) => n.id === `container:${id}`)) resolveSeen(performance.now());
      };
      w.on('diff', onDiff);
      // `docker run -d` returns once the container started; the clock starts then.
      id = execFileSync('docker', ['run', '-d', '--name', name, '--label', 'virtlab.bench=1', 'virtlab/busybox:latest', 'sleep', '3600'], { encoding: 'utf8' }).trim();
      const returned = performance.now();
      const t = await Promise.race([seen, new Promise<number>((r) => setTimeout(() => r(NaN), 10000))]);
      w.off('diff', onDiff);
      // The event may have produced the diff while docker run was still returning: count that as 0.
      out.push(Number.isNaN(t) ? NaN : Math.max(0, t - returned));
    }
  } finally {
    await w.stop();
  }
  return out;
}

async function main(): Promise<void> {
  const results: Comparison[] = [];
  const notes: string[] = [];
  const only = process.argv[2];
  fx.removeContainers();
  fx.removeNamespaces();
  try {
    if (!only || only === 'discovery') {
      console.error('setting up 50 running containers ...');
      const ids = fx.containers(50);
      const procs = fx.processesAtLeast(220);
      notes.push(`discovery: ${procs} processes, ${ids.length} running containers`);
      const cliSet = (): number => {
        const all = execFileSync('docker', ['ps', '-aq', '--no-trunc'], { encoding: 'utf8' }).split('\n').filter(Boolean);
        return timeCommands([['lsns', ['-J']], ['docker', ['ps', '-a']], ['docker', ['inspect', ...all]]]);
      };
      results.push(compare('full snapshot vs lsns -J + docker ps -a + docker inspect (all)', RUNS, ['virtlab snapshot --json', snapshotCmd], ['CLI set', cliSet], 'ratio <= 1.0'));
      results.push(compare('--only host,proc,docker vs the same CLI set', RUNS, ['virtlab snapshot --json --only host,proc,docker', onlyCmd('host,proc,docker')], ['CLI set', cliSet], 'ratio <= 1.0'));
      console.error('measuring docker run -> diff latency ...');
      const lat = await watchLatency(Number(process.env.BENCH_WATCH_SAMPLES ?? 15));
      const ok = lat.filter((x) => !Number.isNaN(x));
      notes.push(`watch: docker run returned -> container node in a diff: median ${median(ok).toFixed(1)} ms, max ${Math.max(...ok).toFixed(1)} ms over ${ok.length}/${lat.length} samples (goal: median < 100 ms)`);
      fx.removeContainers();
      fx.killSleepers();
    }
    if (!only || only === 'network') {
      console.error('setting up 50 namespaces x 4 interfaces and an OVS bridge with 100 ports ...');
      const names = fx.namespaces(50, 100);
      const ports = execFileSync('ovs-vsctl', ['list-ports', 'vlbbr0'], { encoding: 'utf8' }).split('\n').filter(Boolean).length;
      notes.push(`network: ${names.length} namespaces (lo + 3 veth ends each), OVS bridge vlbbr0 (netdev datapath) with ${ports} ports`);
      const cliSet = (): number => timeCommands([...names.map((n): [string, string[]] => ['ip', ['-n', n, '-j', 'link']]), ['ovs-vsctl', ['show']]]);
      results.push(compare('full snapshot vs ip -n X -j link (each) + ovs-vsctl show', RUNS, ['virtlab snapshot --json', snapshotCmd], ['CLI set', cliSet], 'ratio <= 1.0'));
      results.push(compare('--only proc,net,ovs vs the same CLI set', RUNS, ['virtlab snapshot --json --only proc,net,ovs', onlyCmd('proc,net,ovs')], ['CLI set', cliSet], 'ratio <= 1.0'));
      fx.removeNamespaces();
    }
  } finally {
    fx.removeContainers();
    fx.removeNamespaces();
    fx.killSleepers();
  }
  const table = ['| comparison | VirtLab | reference | ratio | goal |', '|---|---|---|---|---|', ...results.map(fmt)].join('\n');
  console.log(`\n${table}\n\n${notes.map((n) => `- ${n}`).join('\n')}\n`);
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(path.join('bench-results', 'latest.json'), JSON.stringify({ at: new Date().toISOString(), runs: RUNS, results, notes }, null, 2));
}

main().catch((e) => {
  console.error(e);
  fx.removeContainers();
  fx.removeNamespaces();
  fx.killSleepers();
  process.exitCode = 1;
});
