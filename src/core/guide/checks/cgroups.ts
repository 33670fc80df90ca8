import { parseFlatKeyed, parseLimit, readCgroupFile } from '../../cgroup/files';
import { formatBytes } from '../../../shared/format';
import type { GraphNode, Snapshot } from '../../model/graph';
import { cgroupOf, cgroupValue, containerNamed, fail, ok, sleep } from '../probe';
import type { CheckResult } from '../types';
import type { LabChecks } from './registry';
import { plural } from '../../../shared/format';

// Guided lab 3: limits and counters read from the container's cgroup files themselves (the
// snapshot says which file holds each value on this machine's layout, v1 or v2).

function runningWithCgroup(s: Snapshot, name: string): { c: GraphNode; cg: GraphNode } | CheckResult {
  const c = containerNamed(s, name);
  if (!c) return fail(`No container named ${name}.`);
  if (c.props.state !== 'running') return fail(`Container ${name} is ${String(c.props.state)}, not running.`);
  const cg = cgroupOf(s, c);
  if (!cg) return fail(`The cgroup of ${name} could not be read (the proc source says: ${s.report.sources.proc?.detail ?? 'nothing'}).`);
  return { c, cg };
}

/** A keyed counter (oom_kill, nr_throttled) read now from the file the snapshot named. */
function keyedNow(file: string, key: string): number | undefined {
  const text = readCgroupFile(file);
  return text === undefined ? undefined : parseFlatKeyed(text).get(key);
}

const isResult = (x: object): x is CheckResult => 'ok' in x;

export const cgroupChecks: LabChecks = {
  async memory(ctx) {
    const s = await ctx.snapshot();
    const r = runningWithCgroup(s, 'vlg-mem');
    if (isResult(r)) return r;
    const lim = cgroupValue(r.cg, 'memoryLimitBytes');
    if (!lim) return fail('vlg-mem\'s cgroup shows no memory limit file (is the memory controller enabled?).');
    // Read the file again now: the check is about what the kernel enforces.
    const now = parseLimit(readCgroupFile(lim.file));
    const wanted = (r.c.props.hostConfig as { memory?: unknown } | undefined)?.memory;
    if (typeof wanted !== 'number' || wanted <= 0) return fail(`vlg-mem was started without --memory (Docker's HostConfig.Memory is ${String(wanted)}); ${lim.file} says ${now === null ? 'unlimited' : String(now)}.`);
    if (now !== wanted) return fail(`${lim.file} says ${now === null ? 'unlimited' : now} bytes, but Docker's --memory is ${wanted} bytes.`);
    return ok(`${lim.file} = ${now} bytes (${formatBytes(now)}), equal to Docker's --memory (HostConfig.Memory ${wanted}).`);
  },

  async oom(ctx) {
    const s = await ctx.snapshot();
    const r = runningWithCgroup(s, 'vlg-mem');
    if (isResult(r)) return r;
    const ev = cgroupValue(r.cg, 'oomKillEvents');
    if (!ev) return fail('vlg-mem\'s cgroup has no OOM kill counter (memory.oom_control oom_kill on v1, memory.events on v2); this kernel may not count OOM kills.');
    const kills = keyedNow(ev.file, 'oom_kill') ?? ev.value ?? 0;
    const usage = cgroupValue(r.cg, 'memoryUsageBytes');
    const lim = cgroupValue(r.cg, 'memoryLimitBytes');
    const mem = usage?.value != null && lim?.value != null ? ` Memory now ${formatBytes(usage.value)} of the ${formatBytes(lim.value)} limit.` : '';
    if (!(kills > 0)) return fail(`oom_kill in ${ev.file} is ${kills}: nothing in vlg-mem has been killed for memory yet.${mem}`);
    return ok(`oom_kill in ${ev.file} is ${kills}: the kernel killed ${plural(kills, 'process')} of vlg-mem at its limit; the container itself is still running.${mem}`);
  },

  async cpu(ctx) {
    const s = await ctx.snapshot();
    const r = runningWithCgroup(s, 'vlg-cpu');
    if (isResult(r)) return r;
    const q = cgroupValue(r.cg, 'cpuQuotaMicros');
    const p = cgroupValue(r.cg, 'cpuPeriodMicros');
    if (!q || !p || !p.value) return fail('vlg-cpu\'s cgroup shows no CPU quota files (is the cpu controller enabled?).');
    if (q.value === null) return fail(`${q.file} says no quota (unlimited): vlg-cpu was started without --cpus.`);
    const cpus = q.value / p.value;
    if (Math.abs(cpus - 0.5) > 0.001) return fail(`Quota ${q.value} µs per ${p.value} µs period = ${cpus.toFixed(3)} CPU, not 0.5.`);
    const th = cgroupValue(r.cg, 'cpuThrottledPeriods');
    if (!th) return fail('vlg-cpu\'s cgroup has no cpu.stat throttling counter.');
    const t1 = keyedNow(th.file, 'nr_throttled');
    await sleep(1500);
    const t2 = keyedNow(th.file, 'nr_throttled');
    if (t1 === undefined || t2 === undefined) return fail(`nr_throttled could not be read from ${th.file}.`);
    const quota = `quota ${q.value} µs per ${p.value} µs period = 0.5 CPU (${q.file})`;
    if (!(t1 > 0) || !(t2 > t1)) return fail(`${quota}, but nr_throttled in ${th.file} went ${t1} → ${t2} in 1.5 s: it is not being throttled. Is its busy loop running?`);
    return ok(`${quota}; nr_throttled in ${th.file} rose ${t1} → ${t2} in 1.5 s: the busy loop uses its half CPU and waits out the rest of each period.`);
  },
};
