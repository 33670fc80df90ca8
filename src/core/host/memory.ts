import type { HostFact } from './types';

function gib(n: number): string {
  return `${(n / 1024 ** 3).toFixed(1)} GiB`;
}

/** Physical memory of the live machine (systeminformation reads /proc/meminfo); undefined when unreadable. */
export async function memoryFact(): Promise<HostFact | undefined> {
  try {
    // Loaded on first use: the library is large, and `snapshot --only proc,...` never needs it.
    const { default: si } = await import('systeminformation');
    const m = await si.mem();
    if (!m.total) return undefined;
    return {
      key: 'memory',
      group: 'system',
      label: 'Memory',
      value: `${gib(m.total)} total, ${gib(m.available)} available`,
      status: 'info',
      detail: 'What the kernel reports; a container limited by a cgroup sees the same numbers in /proc/meminfo unless LXCFS is used.',
      source: 'systeminformation mem() (/proc/meminfo)',
    };
  } catch {
    return undefined;
  }
}
