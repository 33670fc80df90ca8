import { createHash } from 'node:crypto';

// Kernel names of lab objects: short enough for IFNAMSIZ, recoverable from the lab name.
//   <prefix><tag><role><index>   e.g. vl3k9qe12   (links, bridges, OVS bridges)
//   <prefix><tag>-<host>         e.g. vl3k9q-h1   (host netns, container name)
//   <prefix><tag>.vt.<switch>    e.g. vl3k9q.vt.s1 (VXLAN endpoint netns)
//   <prefix><tag>.sw             e.g. vl3k9q.sw    (netns of the lab's Linux bridges)
// prefix: 2-4 lower-case letters (default "vl", tests use "vlt"); tag: 4 base-36 chars of sha256(lab name).
// With a 4-letter prefix and 4-digit index a link name is 13 bytes, under the kernel's 15.

export const DEFAULT_PREFIX = 'vl';
export const PREFIX_RE = /^[a-z]{2,4}$/;

/** Role letters of root-namespace devices. */
export const ROLE = { bridge: 'b', ovs: 'o', veth: 'e', vxlan: 'x', underlay: 'u' } as const;

/** Four base-36 characters derived from the lab name. */
export function labTag(name: string): string {
  const h = createHash('sha256').update(name).digest();
  let n = h.readUInt32BE(0) % 36 ** 4;
  let s = '';
  for (let i = 0; i < 4; i++) {
    s = (n % 36).toString(36) + s;
    n = Math.floor(n / 36);
  }
  return s;
}

/** The name stem shared by every object of one lab. */
export function labStem(name: string, prefix = DEFAULT_PREFIX): string {
  if (!PREFIX_RE.test(prefix)) throw new Error(`lab name prefix "${prefix}" must be 2-4 lower-case letters`);
  return prefix + labTag(name);
}

export const devName = (stem: string, role: keyof typeof ROLE, index: number): string => `${stem}${ROLE[role]}${index}`;
export const hostNetns = (stem: string, host: string): string => `${stem}-${host}`;
export const vtepNetns = (stem: string, sw: string): string => `${stem}.vt.${sw}`;
export const switchNetns = (stem: string): string => `${stem}.sw`;

/** Whether a kernel link name was made by the lab with this stem (for orphans the ledger missed). */
export function isLabDev(stem: string, name: string): boolean {
  return name.startsWith(stem) && /^[beoxu]\d+$/.test(name.slice(stem.length));
}

/** Whether a netns or container name was made by the lab with this stem. */
export function isLabNetns(stem: string, name: string): boolean {
  return name.startsWith(stem) && /^(-[A-Za-z][A-Za-z0-9_-]*|\.vt\.[A-Za-z][A-Za-z0-9_-]*|\.sw)$/.test(name.slice(stem.length));
}
