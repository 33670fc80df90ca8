/**
 * `node dist/bench-labs.js`: VirtLab labs against Mininet, side by side in one run on this machine:
 * linear,N with Linux bridges (Mininet: LinearTopo(N), switch=LinuxBridge, no controller — the
 * same as `mn --topo linear,N --switch lxbr --controller none`) for N = 10, 50, 100.
 * Measured: up, time from the start of up to the first pingall with 0 % dropped, down; ratios are
 * VirtLab / Mininet (goal: up <= 0.1, down <= 0.33). Both are driven through their APIs in-process,
 * so neither pays for interpreter start-up. Nothing is asserted.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { labClean, labDown, labUp } from '../../src/core/lab/engine';
import { generateLab, parseTopo } from '../../src/core/lab/generate';
import { labPingAll } from '../../src/core/lab/ops';
import { loadLab } from '../../src/core/lab/validate';

const SIZES = (process.env.BENCH_LAB_SIZES ?? '10,50,100').split(',').map(Number);
const RUNS = Number(process.env.BENCH_LAB_RUNS ?? 1);

interface Times {
  upMs: number;
  pingallMs: number;
  downMs: number;
  pingallTries: number;
}

// Mininet through its Python API; prints one JSON line. Host/switch names are Mininet's own (h1, s1, s1-eth1 ...).
const MININET = String.raw`
import json, sys, time
from mininet.net import Mininet
from mininet.topo import LinearTopo
from mininet.nodelib import LinuxBridge
from mininet.log import setLogLevel
setLogLevel('error')
n = int(sys.argv[1])
t0 = time.time()
net = Mininet(topo=LinearTopo(k=n, n=1), switch=LinuxBridge, controller=None)
net.start()
t1 = time.time()
tries = 0
while True:
    tries += 1
    if net.pingAll(timeout='1') == 0 or tries >= 5:
        break
t2 = time.time()
net.stop()
t3 = time.time()
print(json.dumps({"upMs": (t1 - t0) * 1000, "pingallMs": (t2 - t0) * 1000, "downMs": (t3 - t2) * 1000, "pingallTries": tries}))
`;

/** The interpreter Mininet was installed for: the shebang of `mn` (another python3 may come first on PATH). */
function mininetPython(): string {
  const mn = spawnSync('sh', ['-c', 'command -v mn'], { encoding: 'utf8' }).stdout.trim();
  if (!mn) throw new Error('Mininet is not installed: apt-get install -y --no-install-recommends mininet bridge-utils');
  const m = /^#!\s*(\S+)/.exec(readFileSync(mn, 'utf8').split('\n')[0]);
  return m?.[1] ?? 'python3';
}

function mininet(n: number): Times {
  const r = spawnSync(mininetPython(), ['-c', MININET, String(n)], { encoding: 'utf8', timeout: 30 * 60 * 1000 });
  if (r.status !== 0) throw new Error(`mininet linear,${n} failed: ${r.stderr.slice(-500)}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Times;
}

async function virtlab(n: number, stateDir: string): Promise<Times> {
  const lab = loadLab(generateLab(parseTopo(`linear,${n}`), { name: `bench-linear${n}` })).lab!;
  const t0 = performance.now();
  const { plan } = await labUp(lab, { stateDir, prefix: 'vlbl' });
  const t1 = performance.now();
  let tries = 0;
  for (;;) {
    tries++;
    const r = await labPingAll(plan);
    if (r.answered === r.tried || tries >= 5) break;
  }
  const t2 = performance.now();
  await labDown(lab.name, { stateDir });
  const t3 = performance.now();
  return { upMs: t1 - t0, pingallMs: t2 - t0, downMs: t3 - t2, pingallTries: tries };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function main(): Promise<void> {
  if (spawnSync(mininetPython(), ['-c', 'import mininet'], { encoding: 'utf8' }).status !== 0) throw new Error('Mininet is not installed: apt-get install -y --no-install-recommends mininet bridge-utils');
  const stateDir = mkdtempSync(path.join(tmpdir(), 'vlbl-labs-'));
  const rows: { n: number; vl: Times; mn: Times }[] = [];
  try {
    // Warm-up (not measured): loads and JIT-compiles the engine, and Mininet's modules into the page cache.
    await virtlab(2, stateDir);
    mininet(2);
    for (const n of SIZES) {
      const vl: Times[] = [];
      const mn: Times[] = [];
      for (let i = 0; i < RUNS; i++) {
        console.error(`linear,${n} run ${i + 1}/${RUNS}: VirtLab ...`);
        vl.push(await virtlab(n, stateDir));
        console.error(`linear,${n} run ${i + 1}/${RUNS}: Mininet ...`);
        mn.push(mininet(n));
      }
      const med = (xs: Times[]): Times => ({ upMs: median(xs.map((x) => x.upMs)), pingallMs: median(xs.map((x) => x.pingallMs)), downMs: median(xs.map((x) => x.downMs)), pingallTries: Math.max(...xs.map((x) => x.pingallTries)) });
      rows.push({ n, vl: med(vl), mn: med(mn) });
    }
  } finally {
    await labClean({ stateDir });
    rmSync(stateDir, { recursive: true, force: true });
  }
  const f = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const table = [
    '| linear,N | up: VirtLab / Mininet (ratio, goal <= 0.10) | to first 100 % pingall (ratio) | down (ratio, goal <= 0.33) |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.n} | ${f(r.vl.upMs)} / ${f(r.mn.upMs)} (${(r.vl.upMs / r.mn.upMs).toFixed(3)}) | ${f(r.vl.pingallMs)} / ${f(r.mn.pingallMs)} (${(r.vl.pingallMs / r.mn.pingallMs).toFixed(3)}) | ${f(r.vl.downMs)} / ${f(r.mn.downMs)} (${(r.vl.downMs / r.mn.downMs).toFixed(3)}) |`),
  ].join('\n');
  console.log(`\n${table}\n`);
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(path.join('bench-results', 'labs.json'), JSON.stringify({ at: new Date().toISOString(), runs: RUNS, rows }, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
