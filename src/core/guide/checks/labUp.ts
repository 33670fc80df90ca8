import { listNetns } from '../../lab/inventory';
import type { Ledger } from '../../lab/ledger';
import { fail, labLedger } from '../probe';
import type { CheckResult } from '../types';

// The checks of guided labs built on network labs (6, 7, 10) start from the running lab's ledger.

/** The lab's ledger, and a failed result when it is not up or some of its hosts' namespaces are gone. */
export async function upLab(name: string): Promise<Ledger | CheckResult> {
  const l = await labLedger(name);
  if (typeof l === 'string') return fail(`${l}.`);
  const ns = await listNetns();
  const missing = l.plan.hosts.filter((h) => !ns.has(h.netns)).map((h) => `${h.name} (${h.netns})`);
  if (missing.length) return fail(`Lab ${name} is in the ledger, but host namespaces are missing: ${missing.join(', ')}.`);
  return l;
}

