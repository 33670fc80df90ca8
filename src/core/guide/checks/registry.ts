import type { CheckContext, CheckResult } from '../types';
import { cgroupChecks } from './cgroups';
import { kvmChecks } from './kvm';
import { mininetChecks, ovsChecks } from './labs';
import { namespacesChecks, pidNamespaceChecks } from './namespaces';
import { netnsChecks } from './netns';
import { sriovChecks } from './sriov';
import { unionFsChecks } from './unionfs';
import { vxlanChecks } from './vxlan';

/** One step's check: reads the live machine (never what the user typed) and says what it saw. */
export type Check = (ctx: CheckContext) => Promise<CheckResult>;
/** The checks of one guided lab, by step id. */
export type LabChecks = Record<string, Check>;

/** Every check, by lab id then step id. A step has a check exactly when it is listed here. */
export const CHECKS: Readonly<Record<string, LabChecks>> = {
  'pid-namespaces': pidNamespaceChecks,
  namespaces: namespacesChecks,
  cgroups: cgroupChecks,
  'union-fs': unionFsChecks,
  netns: netnsChecks,
  ovs: ovsChecks,
  vxlan: vxlanChecks,
  kvm: kvmChecks,
  sriov: sriovChecks,
  mininet: mininetChecks,
};

/** Whether `${labId}/${stepId}` has a check. */
export function hasCheck(labId: string, stepId: string): boolean {
  return Object.prototype.hasOwnProperty.call(CHECKS, labId) && Object.prototype.hasOwnProperty.call(CHECKS[labId], stepId);
}
