import { spawnSync } from 'node:child_process';

/** Wall time of one command run to completion (output discarded), in ms. */
export function timeCommand(file: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(file, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 512 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} failed: ${r.stderr?.toString().slice(0, 300)}`);
  return ms;
}

/** Time a group of commands run one after another, as a person at a shell would. */
export function timeCommands(cmds: [string, string[]][]): number {
  return cmds.reduce((sum, [f, a]) => sum + timeCommand(f, a), 0);
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface Comparison {
  name: string;
  subject: string;
  reference: string;
  runs: number;
  subjectMs: number;
  referenceMs: number;
  /** subject / reference: below 1.0 means VirtLab is faster. */
  ratio: number;
  goal: string;
}

/** Alternate subject and reference runs so machine noise hits both alike; report medians. */
export function compare(name: string, runs: number, subject: [string, () => number], reference: [string, () => number], goal: string): Comparison {
  const a: number[] = [];
  const b: number[] = [];
  subject[1]();
  reference[1]();
  for (let i = 0; i < runs; i++) {
    if (i % 2) {
      b.push(reference[1]());
      a.push(subject[1]());
    } else {
      a.push(subject[1]());
      b.push(reference[1]());
    }
  }
  const subjectMs = median(a);
  const referenceMs = median(b);
  return { name, subject: subject[0], reference: reference[0], runs, subjectMs, referenceMs, ratio: subjectMs / referenceMs, goal };
}

export function fmt(c: Comparison): string {
  return `| ${c.name} | ${c.subjectMs.toFixed(0)} ms | ${c.referenceMs.toFixed(0)} ms | ${c.ratio.toFixed(2)} | ${c.goal} |`;
}
