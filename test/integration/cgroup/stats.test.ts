import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { defaultRoots, scanOptions } from '../../../src/core/context';
import { detectCgroupLayout } from '../../../src/core/cgroup/layout';
import { readProcCgroups } from '../../../src/core/cgroup/membership';
import { readCgroupStats } from '../../../src/core/cgroup/stats';
import type { CgroupLayout, CgroupStats, CgroupValue } from '../../../src/core/cgroup/types';
import { GraphBuilder } from '../../../src/core/model/builder';
import { procCollector } from '../../../src/core/proc/collector';

const NAME = 'vlt-proc-cg';

function cat(file: string): string {
  return execFileSync('cat', [file], { encoding: 'utf8', timeout: 10000 });
}

/** An independent reading of what a field must be, from `cat` of the file the reader says it used. */
function expected(field: string, file: string): number | null {
  const text = cat(file);
  const keyed = (k: string): number => {
    const m = new RegExp(`^${k} (\\d+)$`, 'm').exec(text);
    assert.ok(m, `${k} in ${file}`);
    return Number(m[1]);
  };
  const single = (): number | null => {
    const t = text.trim();
    // "max" (v2), -1 (v1 quota) and the v1 page-rounded "no limit" all mean unlimited.
    return t === 'max' || t === '-1' || BigInt(t) >= 2n ** 62n ? null : Number(t);
  };
  const base = file.slice(file.lastIndexOf('/') + 1);
  switch (`${field}@${base}`) {
    case 'oomKillEvents@memory.oom_control':
    case 'oomKillEvents@memory.events':
      return keyed('oom_kill');
    case 'oomEvents@memory.events':
      return keyed('oom');
    case 'cpuThrottledPeriods@cpu.stat':
      return keyed('nr_throttled');
    case 'cpuThrottledNanos@cpu.stat':
      return /throttled_usec/.test(text) ? keyed('throttled_usec') * 1000 : keyed('throttled_time');
    case 'cpuUsageNanos@cpu.stat':
      return keyed('usage_usec') * 1000;
    case 'cpuQuotaMicros@cpu.max':
      return text.split(' ')[0] === 'max' ? null : Number(text.split(' ')[0]);
    case 'cpuPeriodMicros@cpu.max':
      return Number(text.trim().split(' ')[1]);
    case 'ioReadBytes@blkio.throttle.io_service_bytes':
    case 'ioWriteBytes@blkio.throttle.io_service_bytes': {
      const op = field === 'ioReadBytes' ? 'Read' : 'Write';
      return [...text.matchAll(new RegExp(`^\\d+:\\d+ ${op} (\\d+)$`, 'gm'))].reduce((a, m) => a + Number(m[1]), 0);
    }
    case 'ioReadBytes@io.stat':
    case 'ioWriteBytes@io.stat': {
      const k = field === 'ioReadBytes' ? 'rbytes' : 'wbytes';
      return [...text.matchAll(new RegExp(`${k}=(\\d+)`, 'g'))].reduce((a, m) => a + Number(m[1]), 0);
    }
    default:
      return single();
  }
}

/** Limits and the dirs made for the test cgroup, per layout. */
function makeCgroup(layout: CgroupLayout): { dirs: string[]; procs: string[] } {
  const dirs: string[] = [];
  const want = ['memory', 'cpu', 'cpuacct', 'pids', 'blkio'];
  const v1 = layout.mounts.filter((m) => m.version === 1 && m.controllers.some((c) => want.includes(c)));
  if (v1.length) {
    for (const m of v1) dirs.push(`${m.mountPoint}/${NAME}`);
  } else {
    const v2 = layout.mounts.find((m) => m.version === 2);
    assert.ok(v2, 'a cgroup2 mount');
    dirs.push(`${v2.mountPoint}/${NAME}`);
  }
  for (const d of dirs) if (!existsSync(d)) mkdirSync(d);
  const set = (file: string, value: string): void => {
    for (const d of dirs) if (existsSync(`${d}/${file}`)) writeFileSync(`${d}/${file}`, value);
  };
  set('memory.limit_in_bytes', '67108864');
  set('memory.max', '67108864');
  set('cpu.cfs_quota_us', '50000');
  set('cpu.max', '50000 100000');
  set('cpu.shares', '512');
  set('pids.max', '20');
  return { dirs, procs: dirs.map((d) => `${d}/cgroup.procs`) };
}

describe('cgroups on this machine, against cat and stat', function () {
  this.timeout(60000);
  let layout: CgroupLayout;
  let sleeper: ChildProcess;
  let dirs: string[] = [];

  before(async () => {
    layout = await detectCgroupLayout(defaultRoots);
    sleeper = spawn('sleep', ['300'], { stdio: 'ignore' });
    const made = makeCgroup(layout);
    dirs = made.dirs;
    for (const p of made.procs) writeFileSync(p, String(sleeper.pid));
  });

  after(async () => {
    if (sleeper && sleeper.exitCode === null) {
      const exited = new Promise((r) => sleeper.once('exit', r));
      sleeper.kill('SIGKILL');
      await exited;
    }
    for (const d of dirs) {
      try {
        rmdirSync(d);
      } catch {
        /* the kernel may take a moment to release an emptied cgroup; retry once */
        await new Promise((r) => setTimeout(r, 200));
        if (existsSync(d)) rmdirSync(d);
      }
    }
  });

  it('the layout follows what is mounted (stat -f): hybrid on this machine', () => {
    const fsType = (p: string): string => execFileSync('stat', ['-f', '-c', '%T', p], { encoding: 'utf8' }).trim();
    const base = fsType('/sys/fs/cgroup');
    const want = base === 'cgroup2fs' ? 'unified' : existsSync('/sys/fs/cgroup/unified') && fsType('/sys/fs/cgroup/unified') === 'cgroup2fs' ? 'hybrid' : 'legacy';
    assert.equal(layout.kind, want);
  });

  it('readProcCgroups equals cat /proc/<pid>/cgroup', async () => {
    const e = await readProcCgroups('/proc', sleeper.pid!);
    const lines = cat(`/proc/${sleeper.pid}/cgroup`).trim().split('\n');
    assert.equal(e.length, lines.length);
    assert.deepEqual(e.map((x) => `${x.hierarchyId}:${x.controllers.join(',')}:${x.path}`), lines);
    if (layout.kind !== 'unified') assert.ok(e.some((x) => x.controllers.includes('memory') && x.path === `/${NAME}`));
  });

  it('every stat of the test cgroup equals the file it names, read by cat before and after', async () => {
    const entries = await readProcCgroups('/proc', sleeper.pid!);
    // First pass only learns which files are read; the second is compared with cat before and after it,
    // so counters that move (usage) must fall between the two readings and limits must match exactly.
    const files = Object.entries(await readCgroupStats(defaultRoots, layout, entries)).filter(([, v]) => v && typeof v === 'object') as [string, CgroupValue][];
    const before = new Map(files.map(([f, v]) => [f, expected(f, v.file)]));
    const s: CgroupStats = await readCgroupStats(defaultRoots, layout, entries);
    const after = new Map(files.map(([f, v]) => [f, expected(f, v.file)]));
    assert.equal(s.path, `/${NAME}`);
    assert.equal(s.memoryLimitBytes?.value, 67108864);
    assert.equal(s.cpuQuotaMicros?.value, 50000);
    assert.equal(s.pidsLimit?.value, 20);
    assert.equal(s.pidsCurrent?.value, 1);
    let checked = 0;
    for (const [field, v] of Object.entries(s)) {
      if (!v || typeof v !== 'object') continue;
      const { value, file } = v as CgroupValue;
      assert.ok(file.includes(`/${NAME}/`), `${field} read from the test cgroup (${file})`);
      const a = before.get(field);
      const b = after.get(field);
      if (a === null || b === null || a === undefined || b === undefined) assert.equal(value, b, `${field} from ${file}`);
      else assert.ok(value !== null && value >= Math.min(a, b) && value <= Math.max(a, b), `${field} from ${file}: ${value} not within cat's ${a}..${b}`);
      checked++;
    }
    assert.ok(checked >= 8, `checked ${checked} fields`);
  });

  it('the proc collector has the cgroup node with the same limits and an in-cgroup edge', async () => {
    const g = new GraphBuilder();
    await procCollector.collect(scanOptions(), g);
    const snap = g.build(0);
    const n = snap.nodes.find((x) => x.id === `cgroup:/${NAME}`);
    assert.ok(n);
    assert.deepEqual(n.props.pids, [sleeper.pid]);
    assert.equal((n.props.memoryLimitBytes as CgroupValue).value, expected('memoryLimitBytes', (n.props.memoryLimitBytes as CgroupValue).file));
    assert.equal((n.props.pidsLimit as CgroupValue).value, 20);
    assert.ok(snap.edges.some((e) => e.kind === 'in-cgroup' && e.from === `process:${sleeper.pid}` && e.to === `cgroup:/${NAME}`));
  });
});
