/** One fact about this machine, with where it was read, for the Host view and its tooltips. */
export interface HostFact {
  key: string;
  group: 'system' | 'virtualization' | 'cgroups' | 'tools';
  label: string;
  value: string;
  /** Longer explanation shown in the tooltip. */
  detail?: string;
  /** Where the fact came from: a file, a command, a socket. */
  source: string;
  /** ok = present / working; warn = present with a caveat; missing = absent or not reachable. */
  status: 'ok' | 'warn' | 'missing' | 'info';
  /** What a person can do about a missing or warn fact. */
  fix?: string;
}
