import { run } from '../sys/exec';
import type { Netem } from './types';

// Link impairments. With sch_netem in the kernel: one netem qdisc. Without it (e.g. kernels built
// with only HTB/TBF/FIFO and cls_bpf, like this project's CI machine) loss and rate are still made
// from built-in parts: HTB root; class 1:1 carries traffic (shaped to `rate`), class 1:2 ends in a
// pfifo of limit 0 (drops all), and a classic-BPF filter sends a random fraction (`loss`) to 1:2.
// Delay and jitter cannot be built without netem and are refused with a clear reason.

export class ImpairError extends Error {}

/** SKF_AD_OFF + SKF_AD_RANDOM: classic BPF's "load a random u32". */
const LD_RANDOM = 0xfffff000 + 56;
const CLASS_PASS = 0x10001;
const CLASS_DROP = 0x10002;

/** Classic BPF bytecode (tc's "n,code jt jf k,..." form) sending `lossPercent` % of packets to 1:2. */
export function lossBytecode(lossPercent: number): string {
  const p = Math.min(100, Math.max(0, lossPercent)) / 100;
  const threshold = Math.min(0xffffffff, Math.round((1 - p) * 2 ** 32));
  // ld rand; jge #threshold -> drop class, else pass class
  return ['4', `32 0 0 ${LD_RANDOM}`, `53 0 1 ${threshold}`, `6 0 0 ${CLASS_DROP}`, `6 0 0 ${CLASS_PASS}`].join(',');
}

/** `tc -batch` lines for one device without netem (dev inside the namespace the tc process enters). */
export function builtinLines(dev: string, n: Netem): string[] {
  if (n.delay || n.jitter) throw new ImpairError('delay/jitter need the kernel qdisc netem (CONFIG_NET_SCH_NETEM), which this kernel does not have; loss= and rate= work without it');
  const rate = n.rate ?? '100gbit';
  const lines = [`qdisc add dev ${dev} root handle 1: htb default 1`, `class add dev ${dev} parent 1: classid 1:1 htb rate ${rate} ceil ${rate} quantum 1514`];
  const loss = n.loss ? Number(n.loss.replace('%', '')) : 0;
  if (loss > 0) {
    lines.push(
      `class add dev ${dev} parent 1: classid 1:2 htb rate 100gbit quantum 1514`,
      `qdisc add dev ${dev} parent 1:2 handle 2: pfifo limit 0`,
      `filter add dev ${dev} parent 1: prio 1 bpf bytecode "${lossBytecode(loss)}" classid 1:1`,
    );
  }
  return lines;
}

/** netem arguments for one device. */
export function netemArgs(n: Netem): string[] {
  const a = ['netem'];
  if (n.delay || n.jitter) a.push('delay', n.delay ?? '0ms', ...(n.jitter ? [n.jitter] : []));
  if (n.loss) a.push('loss', n.loss);
  if (n.rate) a.push('rate', n.rate);
  return a;
}

let netemKnown: boolean | undefined;

/** Whether the kernel has sch_netem (asked once, on the loopback of a throwaway-free probe). */
async function hasNetem(ns: string[], dev: string): Promise<boolean> {
  if (netemKnown !== undefined) return netemKnown;
  const r = await run('tc', [...ns, 'qdisc', 'replace', 'dev', dev, 'root', 'netem', 'delay', '0ms'], { timeoutMs: 10000 });
  netemKnown = r.ok || !/qdisc kind is unknown|Unknown qdisc/i.test(r.stderr);
  return netemKnown;
}

/** Apply impairments to one device (in netns `netns`, or root); all fields empty removes them. */
export async function impairDevice(dev: string, netns: string | undefined, n: Netem): Promise<void> {
  const ns = netns ? ['-n', netns] : [];
  // Start from the device's default qdisc; "no qdisc to delete" is fine.
  await run('tc', [...ns, 'qdisc', 'del', 'dev', dev, 'root'], { timeoutMs: 10000 });
  if (!n.delay && !n.jitter && !n.loss && !n.rate) return;
  if (await hasNetem(ns, dev)) {
    const r = await run('tc', [...ns, 'qdisc', 'replace', 'dev', dev, 'root', ...netemArgs(n)], { timeoutMs: 10000 });
    if (!r.ok) throw new ImpairError(`tc netem on ${dev}: ${r.stderr.trim()}`);
    return;
  }
  await run('tc', [...ns, 'qdisc', 'del', 'dev', dev, 'root'], { timeoutMs: 10000 });
  const r = await run('tc', [...ns, '-batch', '-'], { input: builtinLines(dev, n).join('\n') + '\n', timeoutMs: 10000 });
  if (!r.ok) throw new ImpairError(`tc (htb/bpf) on ${dev}: ${r.stderr.trim()}`);
}
