// An independent reading of the cgroup layout for the extension-host tests: deliberately a few
// lines of its own, not VirtLab's reader, so the test compares two implementations.

export type Layout = 'unified' | 'hybrid' | 'legacy' | 'none';

/** Classify the cgroup mounts listed in a mountinfo text (fields after " - ": fstype source options). */
export function expectedCgroupLayout(mountinfo: string): Layout {
  let v1 = false;
  let v2AtRoot = false;
  let v2Elsewhere = false;
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const mountPoint = left.split(' ')[4];
    const fstype = right.split(' ')[0];
    if (fstype === 'cgroup') v1 = true;
    if (fstype === 'cgroup2') {
      if (mountPoint === '/sys/fs/cgroup') v2AtRoot = true;
      else v2Elsewhere = true;
    }
  }
  if (v2AtRoot) return 'unified';
  if (v1) return v2Elsewhere ? 'hybrid' : 'legacy';
  return 'none';
}

/** How the Host view words each layout (src/core/host/facts.ts), loosely: the kind word must be there. */
export function layoutPattern(layout: Layout): RegExp {
  return { unified: /^v2\b/, hybrid: /^hybrid\b/, legacy: /^v1\b/, none: /^not mounted$/ }[layout];
}
